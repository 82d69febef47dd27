"""JSON-LD for credentials, offline and strict: the shipped contexts only, no silently dropped terms.

Three things pyld does not do for us, done here around it rather than instead of it:

- **Offline contexts.** `load_context` serves the files in `contexts/` (each pinned by its SHA-256,
  because a changed context changes what a signature covers) and refuses every other URL, so a
  credential can never make the server fetch anything.
- **No silent drops.** JSON-LD ignores a property its contexts do not define; a signature would then
  not cover what a reader sees. pyld 3.3 reports every dropped property through `on_property_dropped`;
  we raise on it, and check the expanded types and ids are absolute IRIs (a relative one vanishes
  from the RDF just as quietly). Both checks ride on the expansion canonicalization does anyway.
- **Speed.** pyld re-processes every type-scoped context of the Open Badges context each time it
  enters a node (the clone it makes gets a fresh cache id), which is ~80% of the time it takes to
  canonicalize a credential. `_StrictProcessor._process_context` memoizes the processed context by
  the identity of its inputs: the active context (pyld freezes processed contexts and gives each a
  unique `_uuid`) and the local context, when that is one of the shipped, immutable context objects
  or a list of their URLs. Anything else (an inline context in a pasted document) takes pyld's
  ordinary path. Three smaller savings follow the same rule, pyld's algorithm with less repeated
  work: property and type names are expanded once per finished context (`_expand_iri`), the
  input is not deep-copied before expansion (expansion never changes it), and RDFC-1.0 copies a
  blank node's quad component shallowly (`_Rdfc10`). Together they took a transcript from 105 to
  ~160 signatures per second. The golden vectors, a comparison with plain pyld over varied
  documents and property-based literals, and an unchanged-input check in the tests hold the result
  to byte for byte the same.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterator
from importlib import resources
from typing import Any

from cachetools import LRUCache
from frozendict import frozendict
from pyld import jsonld as pyld  # type: ignore[import-untyped]
from pyld.canon import URDNA2015  # type: ignore[import-untyped]
from pyld.context_resolver import ContextResolver  # type: ignore[import-untyped]

from cecto.core.errors import DomainError

_CONTEXT_FILES: dict[str, tuple[str, str]] = {
    # URL: (file in contexts/, its SHA-256)
    "https://www.w3.org/ns/credentials/v2": (
        "credentials-v2.jsonld",
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    ),
    "https://www.w3.org/2018/credentials/v1": (
        "credentials-v1.jsonld",
        "3d0b277522ed24385c850b9882b9688687189b8f37a9bd9f1577e348b1019c44",
    ),
    "https://w3id.org/security/data-integrity/v2": (
        "data-integrity-v2.jsonld",
        "be223c58c54657e930970f0d11f03caf7287bddc7be7e6f010855190c6b39c21",
    ),
    "https://w3id.org/security/multikey/v1": (
        "multikey-v1.jsonld",
        "91f130b30b6705ee65dfa8f86e74922a74aaa0d5fc8bb35427ec2d607d3ad3eb",
    ),
    "https://www.w3.org/ns/did/v1": (
        "did-v1.jsonld",
        "adefa50311393eb1bd788a38ac9fe2696c65367928f6996812cd54577394f4da",
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": (
        "ob-v3p0-3.0.3.json",
        "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84",
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": (
        "ob-v3p0-extensions.json",
        "146f85aa16effd7ca1da8056eb443f53ce1eca8a34186cb062832c0a97d889c3",
    ),
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json": (
        "clr-v2p0-2.0.1.json",
        "880f1902d4158f2f33ce06af41b90719977cd1ea337a9de2e41edb3ff5e543d6",
    ),
}

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_V2 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"

KNOWN_CONTEXTS = frozenset(_CONTEXT_FILES)


class JsonLdRefused(DomainError):
    """The document cannot be processed safely: an unknown context, an undefined term, bad JSON-LD."""


def _load_contexts() -> dict[str, dict[str, Any]]:
    package = resources.files("cecto.credentials") / "contexts"
    loaded: dict[str, dict[str, Any]] = {}
    for url, (file_name, sha256) in _CONTEXT_FILES.items():
        raw = (package / file_name).read_bytes()
        if hashlib.sha256(raw).hexdigest() != sha256:
            raise RuntimeError(f"The shipped context {file_name} does not match its pinned SHA-256.")
        loaded[url] = json.loads(raw)
    return loaded


_CONTEXTS = _load_contexts()


def _walk_objects(value: Any) -> Iterator[object]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _walk_objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk_objects(item)


# The identities of every object inside the shipped contexts: these never change while the process
# lives (we keep them referenced), so they are safe memo keys.
_SHIPPED_OBJECT_IDS = frozenset(id(node) for doc in _CONTEXTS.values() for node in _walk_objects(doc))


def context_document(url: str) -> dict[str, Any]:
    """The shipped context for URL (a copy the caller may change)."""
    if url not in _CONTEXTS:
        raise JsonLdRefused(f"Unknown JSON-LD context {url!r}: cecto only uses the contexts it ships.")
    copied: dict[str, Any] = json.loads(json.dumps(_CONTEXTS[url]))
    return copied


def load_context(url: str, options: Any = None) -> dict[str, Any]:
    """pyld's document loader: the shipped contexts, and nothing else, ever."""
    if url not in _CONTEXTS:
        raise JsonLdRefused(f"Unknown JSON-LD context {url!r}: cecto only uses the contexts it ships.")
    # tag "static" lets pyld keep the resolved context in its shared cache across calls.
    return {"contextUrl": None, "documentUrl": url, "document": _CONTEXTS[url], "tag": "static"}


class _UndefinedTerm(Exception):
    def __init__(self, term: str | None) -> None:
        super().__init__(term)
        self.term = term


def _refuse_dropped(expanded_property: str | None) -> None:
    raise _UndefinedTerm(expanded_property)


# Our own resolved-context cache: pyld's default one is shared by URL across the whole process, so
# a context cached there by any other pyld user could be served to us without asking our loader.
_resolved_contexts: LRUCache[str, Any] = LRUCache(maxsize=64)

_MEMO_SIZE = 4096
_memo: OrderedDict[tuple[Any, ...], tuple[Any, Any]] = OrderedDict()
_memo_lock = threading.Lock()


def _local_key(local_ctx: Any) -> object | None:
    if isinstance(local_ctx, str):
        return local_ctx if local_ctx in _CONTEXTS else None
    if isinstance(local_ctx, list) and all(isinstance(item, str) for item in local_ctx):
        return tuple(local_ctx)
    if id(local_ctx) in _SHIPPED_OBJECT_IDS:
        return id(local_ctx)
    return None


# Expanded terms and types, by (context _uuid, value, base): see _StrictProcessor._expand_iri.
_IRI_MEMO_SIZE = 65536
_iri_memo: dict[tuple[str, str, str | None], str | None] = {}


class _Expanded(list[Any]):
    """An expansion already made (and checked) by `expand`: normalizing it must not expand it again."""


# What pyld's expand() would default (`expand` passes the loader, the resolver and the base).
_EXPAND_DEFAULTS = {
    "isFrame": False,
    "keepFreeFloatingNodes": False,
    "extractAllScripts": False,
    "processingMode": "json-ld-1.1",
}


class _StrictProcessor(pyld.JsonLdProcessor):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(on_property_dropped=_refuse_dropped)

    def expand(self, input_: Any, options: Any) -> Any:
        # to_rdf() expands its input again; ours is the expansion we just checked.
        if isinstance(input_, _Expanded):
            return input_
        # pyld's expand() for an in-memory document, minus the deep copy it makes of the document
        # first: expansion builds new objects and never changes its input (a test checks every
        # document the tests sign or verify is left unchanged), and the copy cost ~5% of signing.
        options = {**_EXPAND_DEFAULTS, **options}
        expanded = self._expand(self._get_initial_context(options), None, input_, options, inside_list=False)
        if isinstance(expanded, dict) and "@graph" in expanded and len(expanded) == 1:
            expanded = expanded["@graph"]
        elif expanded is None:
            expanded = []
        return pyld.JsonLdProcessor.arrayify(expanded)

    def _expand_iri(
        self,
        active_ctx: Any,
        value: Any,
        base: Any = None,
        vocab: bool = False,
        local_ctx: Any = None,
        defined: Any = None,
    ) -> Any:
        # A property or type name expands the same way every time under the same finished
        # context, and pyld works it out afresh each time (a keyword test, a regex, the term
        # table, the prefixes): ~15% of signing a transcript. Only finished contexts are memo
        # keys: pyld freezes them and never changes one after giving it its final _uuid. Ids
        # (vocab False) are different in every document, so they are not worth remembering.
        finished = isinstance(active_ctx, frozendict)
        if not vocab or local_ctx is not None or not finished or not isinstance(value, str):
            return super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)
        key = (active_ctx["_uuid"], value, base)
        try:
            return _iri_memo[key]
        except KeyError:
            pass
        iri = super()._expand_iri(active_ctx, value, base, vocab)
        if len(_iri_memo) >= _IRI_MEMO_SIZE:
            _iri_memo.clear()  # rare (a flood of distinct names); cheaper than keeping an LRU order
        _iri_memo[key] = iri
        return iri

    def _process_context(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: Any,
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: Any = None,
    ) -> Any:
        uid = active_ctx.get("_uuid") if isinstance(active_ctx, dict) or hasattr(active_ctx, "get") else None
        local = _local_key(local_ctx)
        if uid is None or local is None or cycles:
            return super()._process_context(
                active_ctx, local_ctx, options, override_protected, propagate, validate_scoped, cycles
            )
        key = (uid, local, override_protected, propagate, validate_scoped, options.get("base"))
        with _memo_lock:
            hit = _memo.get(key)
            if hit is not None:
                _memo.move_to_end(key)
                return hit[0]
        processed = super()._process_context(
            active_ctx, local_ctx, options, override_protected, propagate, validate_scoped, cycles
        )
        with _memo_lock:
            # Keep the active context referenced too, so its _uuid can never be reused by another.
            _memo[key] = (processed, active_ctx)
            if len(_memo) > _MEMO_SIZE:
                _memo.popitem(last=False)
        return processed


class _Rdfc10(URDNA2015):  # type: ignore[misc]
    """pyld's RDFC-1.0 (URDNA2015), which deep-copies a quad component (a dict of two strings)
    for every blank node of every quad it hashes; a shallow copy gives the same result at a
    tenth of the cost (the copy was ~10% of signing a transcript)."""

    def modify_first_degree_component(self, id_: str, component: dict[str, str], key: str) -> dict[str, str]:
        if component["type"] != "blank node":
            return component
        return {**component, "value": "_:a" if component["value"] == id_ else "_:z"}


def _check_contexts(document: dict[str, Any]) -> None:
    contexts = document.get("@context")
    if contexts is None:
        raise JsonLdRefused("The document has no @context.")
    for context in contexts if isinstance(contexts, list) else [contexts]:
        if isinstance(context, str) and context not in _CONTEXTS:
            raise JsonLdRefused(
                f"Unknown JSON-LD context {context!r}: cecto only uses the contexts it ships."
            )


def _check_absolute(expanded: Any, path: str = "") -> None:
    """Types and ids that are relative IRIs would vanish from the RDF: refuse them by name."""
    if isinstance(expanded, list):
        for item in expanded:
            _check_absolute(item, path)
        return
    if not isinstance(expanded, dict):
        return
    for value in expanded.get("@type", []) if isinstance(expanded.get("@type"), list) else []:
        if isinstance(value, str) and ":" not in value:
            raise JsonLdRefused(f"Undefined type {value!r}{_where(path)}: no context defines it.")
    identifier = expanded.get("@id")
    if isinstance(identifier, str) and ":" not in identifier:
        raise JsonLdRefused(f"The id {identifier!r}{_where(path)} is not an absolute IRI.")
    for key, value in expanded.items():
        if key == "@value":
            continue
        _check_absolute(
            value, f"{path}/{key.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}" if key[0] != "@" else path
        )


def _where(path: str) -> str:
    return f" at {path}" if path else ""


def expand(document: dict[str, Any]) -> _Expanded:
    """The expanded document, or JsonLdRefused naming the first term no context defines."""
    if not isinstance(document, dict):
        raise JsonLdRefused("A credential must be a JSON object.")
    _check_contexts(document)
    try:
        # base None: a relative IRI stays relative (and is refused below) instead of being resolved
        # against pyld's placeholder base, http://example.org/base/.
        expanded = _Expanded(
            _StrictProcessor().expand(
                document,
                {
                    "documentLoader": load_context,
                    "contextResolver": ContextResolver(_resolved_contexts, load_context),
                    "base": None,
                },
            )
        )
    except _UndefinedTerm as undefined:
        raise JsonLdRefused(
            f"Undefined term {undefined.term!r}: no context in the document defines it, "
            "so a signature could not cover it."
        ) from None
    except pyld.JsonLdError as error:
        raise JsonLdRefused(f"Invalid JSON-LD: {_root_message(error)}") from None
    _check_absolute(expanded)
    return expanded


def canonicalize(document: dict[str, Any]) -> str:
    """RDFC-1.0 canonical N-Quads of DOCUMENT, refusing what `expand` refuses."""
    expanded = expand(document)
    try:
        # What pyld's normalize() does, with our expansion and our RDFC-1.0.
        dataset = _StrictProcessor().to_rdf(
            expanded, {"documentLoader": load_context, "base": None, "produceGeneralizedRdf": False}
        )
        canonical: str = _Rdfc10().main(dataset, {"format": "application/n-quads"})
    except pyld.JsonLdError as error:
        raise JsonLdRefused(f"Invalid JSON-LD: {_root_message(error)}") from None
    return canonical


def _root_message(error: BaseException) -> str:
    # pyld's JsonLdError has no `message`, and its str() is the repr of its args plus details.
    message = str(error.args[0] if error.args else error).split("\n", 1)[0]
    cause = error.__cause__
    while cause is not None:
        if isinstance(cause, JsonLdRefused):
            return str(cause)
        cause = cause.__cause__
    return message
