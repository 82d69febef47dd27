"""The memoized processor gives exactly what plain pyld gives, and it never fetches anything.

`jsonld._StrictProcessor` memoizes processed contexts for speed. These tests canonicalize a
variety of documents both ways (ours, and pyld's own `normalize` with a plain loader and an empty
context cache) and compare the N-Quads byte for byte.
"""

from __future__ import annotations

import copy
import re
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from cachetools import LRUCache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld as pyld

from cecto.credentials import documents, jsonld
from cecto.credentials.jsonld import DATA_INTEGRITY_V2, DID_V1, MULTIKEY_V1, VC_V1, VC_V2, JsonLdRefused
from cecto.credentials.tests.support import (
    VECTOR_PUBLIC,
    LocalIssuer,
    award_facts,
    transcript_facts,
    vector_json,
)

ISSUER = LocalIssuer()


def plain_loader(url: str, options: Any = None) -> dict[str, Any]:
    # A fresh copy each time, no "static" tag: nothing shared with the memoized path.
    return {"contextUrl": None, "documentUrl": url, "document": jsonld.context_document(url)}


@contextmanager
def fresh_pyld_cache() -> Iterator[None]:
    """pyld shares resolved contexts per URL across processors: give plain pyld an empty cache."""
    saved = pyld._resolved_context_cache
    pyld._resolved_context_cache = LRUCache(maxsize=100)
    try:
        yield
    finally:
        pyld._resolved_context_cache = saved


def plain_canonical(document: dict[str, Any]) -> str:
    with fresh_pyld_cache():
        canonical: str = pyld.normalize(
            copy.deepcopy(document),
            {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": plain_loader},
        )
    return canonical


def our_canonical(document: dict[str, Any]) -> str:
    # Twice: the second run is served from the memo, and must not differ from the first.
    first = jsonld.canonicalize(document)
    assert jsonld.canonicalize(document) == first
    return first


def open_badge() -> dict[str, Any]:
    return ISSUER.open_badge()


def transcript() -> dict[str, Any]:
    badges = (open_badge(), ISSUER.open_badge(credential_id="https://cecto.example/credentials/2/"))
    return ISSUER.sign(documents.clr_credential(transcript_facts(ISSUER.profile, badges)))


def status_list() -> dict[str, Any]:
    return ISSUER.publish_list("revocation", (3, 99))


def did_document() -> dict[str, Any]:
    did = "did:web:cecto.example"
    method = {
        "id": f"{did}#key-1",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": VECTOR_PUBLIC,
    }
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": [method],
        "assertionMethod": [method["id"]],
        "authentication": [method["id"]],
    }


def vc_1_1() -> dict[str, Any]:
    return ISSUER.sign(
        {
            "@context": [VC_V1, DATA_INTEGRITY_V2],
            "id": "urn:uuid:9f1d7c1e-2b9a-4c55-8e8b-0d9d1c3e7a11",
            "type": ["VerifiableCredential"],
            "issuer": ISSUER.did,
            "issuanceDate": "2025-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21"},
        }
    )


def presentation() -> dict[str, Any]:
    return {"@context": [VC_V2], "type": ["VerifiablePresentation"], "verifiableCredential": [open_badge()]}


def inline_top() -> dict[str, Any]:
    document = open_badge()
    extra = {
        "ex": "https://example.org/ns#",
        "extra": "ex:extra",
        "score": {"@id": "ex:score", "@type": "ex:S"},
    }
    return {**document, "@context": [*document["@context"], extra], "extra": "hello", "score": "7"}


def inline_nested() -> dict[str, Any]:
    document = open_badge()
    subject = {
        **document["credentialSubject"],
        "@context": {"hobby": "https://example.org/hobby"},
        "hobby": "x",
    }
    return {**document, "credentialSubject": subject}


def inline_type_scoped() -> dict[str, Any]:
    context = {
        "Thing": {"@id": "https://example.org/Thing", "@context": {"size": "https://example.org/size"}}
    }
    document = vector_json("ob3", "unsigned.json")
    evidence = [{"id": "https://example.org/e/1", "type": ["Thing"], "size": "large"}]
    return {**document, "@context": [*document["@context"], context], "evidence": evidence}


def inline_vocab() -> dict[str, Any]:
    document = vector_json("ob3", "unsigned.json")
    return {
        **document,
        "@context": [*document["@context"], {"@vocab": "https://example.org/v#"}],
        "anything": 1,
    }


def inline_only() -> dict[str, Any]:
    return {
        "@context": {
            "name": "https://schema.org/name",
            "knows": {"@id": "https://schema.org/knows", "@type": "@id"},
        },
        "@id": "https://example.org/ada",
        "name": "Ada",
        "knows": "https://example.org/charles",
    }


DOCUMENTS = {
    "ob3-vector": lambda: vector_json("ob3", "unsigned.json"),
    "ob3-vector-signed": lambda: vector_json("ob3", "signed.json"),
    "clr2-vector": lambda: vector_json("clr2", "unsigned.json"),
    "our-open-badge": open_badge,
    "our-transcript": transcript,
    "our-status-list": status_list,
    "did-document": did_document,
    "vc-1.1": vc_1_1,
    "presentation": presentation,
    "inline-top": inline_top,
    "inline-nested": inline_nested,
    "inline-type-scoped": inline_type_scoped,
    "inline-vocab": inline_vocab,
    "inline-only": inline_only,
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_it_canonicalizes_exactly_as_plain_pyld(name):
    document = DOCUMENTS[name]()

    assert our_canonical(document) == plain_canonical(document)


def test_the_comparison_can_tell_documents_apart():
    # A guard on the test above: plain pyld is really run on what it is given.
    document = open_badge()
    changed = {**document, "name": "Another name"}

    assert plain_canonical(changed) != our_canonical(document)


def test_documents_in_any_order_give_the_same_results():
    # The memo is keyed by the active context: processing others first must not change anything.
    built = {name: make() for name, make in DOCUMENTS.items()}
    forwards = {name: jsonld.canonicalize(document) for name, document in built.items()}
    backwards = {name: jsonld.canonicalize(built[name]) for name in reversed(built)}

    assert forwards == backwards


@pytest.mark.parametrize("name", DOCUMENTS)
def test_canonicalizing_leaves_the_document_unchanged(name):
    # Our expand() skips the deep copy pyld makes of its input: expansion must never change it.
    document = DOCUMENTS[name]()
    before = copy.deepcopy(document)

    jsonld.canonicalize(document)
    jsonld.canonicalize(document)

    assert document == before


def test_the_iri_memo_serves_repeated_names_and_is_bounded(monkeypatch):
    calls = 0
    original = pyld.JsonLdProcessor._expand_iri

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pyld.JsonLdProcessor, "_expand_iri", counting)
    monkeypatch.setattr(jsonld, "_iri_memo", {})
    document = transcript()

    jsonld.canonicalize(document)
    cold, calls = calls, 0
    jsonld.canonicalize(document)
    assert calls < cold / 2
    assert len(jsonld._iri_memo) > 0

    monkeypatch.setattr(jsonld, "_IRI_MEMO_SIZE", 5)
    monkeypatch.setattr(jsonld, "_iri_memo", {})
    assert jsonld.canonicalize(document) == plain_canonical(document)
    assert len(jsonld._iri_memo) <= 5


def test_a_name_means_what_its_own_context_says(monkeypatch):
    # The same name under two contexts must not share a memo entry.
    monkeypatch.setattr(jsonld, "_iri_memo", {})
    first = {**inline_only(), "@context": {"name": "https://schema.org/name"}}
    second = {**inline_only(), "@context": {"name": "https://example.org/other#name"}}
    for document in (first, second):
        document.pop("knows")

    assert "<https://schema.org/name>" in jsonld.canonicalize(first)
    assert "<https://example.org/other#name>" in jsonld.canonicalize(second)
    assert jsonld.canonicalize(second) == plain_canonical(second)


def test_the_memo_serves_repeated_contexts(monkeypatch):
    calls = 0
    original = pyld.JsonLdProcessor._process_context

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pyld.JsonLdProcessor, "_process_context", counting)
    monkeypatch.setattr(jsonld, "_memo", OrderedDict())
    document = transcript()

    jsonld.canonicalize(document)
    cold, calls = calls, 0
    jsonld.canonicalize(document)

    assert cold > 0
    assert calls < cold / 2
    assert len(jsonld._memo) > 0


def test_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(jsonld, "_MEMO_SIZE", 3)
    monkeypatch.setattr(jsonld, "_memo", OrderedDict())

    jsonld.canonicalize(transcript())

    assert len(jsonld._memo) == 3


literal = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=literal,
    description=literal,
    narrative=literal,
    term=literal,
    email=st.emails(),
    credits=st.decimals(min_value=0, max_value=1000, places=1),
    minutes=st.integers(min_value=0, max_value=100_000),
)
def test_any_literal_values_canonicalize_as_plain_pyld(
    name, description, narrative, term, email, credits, minutes
):
    facts = award_facts(ISSUER.profile, contact_minutes=minutes, ceus_earned=credits, cohort_name=term)
    facts = documents.AwardFacts(
        **{
            **facts.__dict__,
            "recipient": documents.Recipient(name=name, email=email, salt="5a17"),
            "achievement": documents.AchievementFacts(
                **{**facts.achievement.__dict__, "description": description, "criteria": narrative}
            ),
        }
    )
    document = documents.open_badge_credential(facts)

    assert our_canonical(document) == plain_canonical(document)


# --- Nothing is ever fetched -------------------------------------------------------------------------


@pytest.fixture
def network_refused(monkeypatch):
    import socket
    import urllib.request

    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    yield attempts
    assert attempts == []


@pytest.mark.parametrize(
    "context",
    [
        "https://w3id.org/security/suites/ed25519-2020/v1",
        [VC_V2, "https://w3id.org/vc/status-list/2021/v1"],
        [VC_V2, {"@import": "https://example.org/context.jsonld"}],
    ],
)
def test_an_unknown_context_url_is_refused_without_network_access(context, network_refused):
    document = {"@context": context, "type": ["VerifiableCredential"], "id": "https://example.org/c/1"}

    with pytest.raises(JsonLdRefused, match="Unknown JSON-LD context"):
        jsonld.canonicalize(document)


def test_a_memoized_known_url_list_still_refuses_an_unknown_one_after_it(network_refused):
    jsonld.canonicalize(open_badge())
    document = {**open_badge(), "@context": [VC_V2, "https://example.org/ob-context.json"]}

    with pytest.raises(
        JsonLdRefused, match=re.escape("Unknown JSON-LD context 'https://example.org/ob-context.json'")
    ):
        jsonld.canonicalize(document)
