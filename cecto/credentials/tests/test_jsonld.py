"""Strict, offline JSON-LD: the shipped contexts only, and no silently dropped term or relative IRI."""

from __future__ import annotations

import copy
import hashlib
import re
from importlib import resources
from typing import Any

import pytest

from cecto.credentials import jsonld
from cecto.credentials.jsonld import JsonLdRefused
from cecto.credentials.tests.support import vector_json, vector_text

OB3 = vector_json("ob3", "unsigned.json")

# The README's table of shipped contexts (../shared/contexts/README.md): URL and SHA-256 prefix.
PINNED = {
    "https://www.w3.org/ns/credentials/v2": "59955ced",
    "https://www.w3.org/2018/credentials/v1": "3d0b2775",
    "https://w3id.org/security/data-integrity/v2": "be223c58",
    "https://w3id.org/security/multikey/v1": "91f130b3",
    "https://www.w3.org/ns/did/v1": "adefa503",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "3d34f4d4",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "146f85aa",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json": "880f1902",
}


def changed(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(OB3)
    document.update(changes)
    return document


# --- The shipped contexts ------------------------------------------------------------------------


def test_it_ships_exactly_the_pinned_contexts():
    assert set(PINNED) == jsonld.KNOWN_CONTEXTS


@pytest.mark.parametrize("url", sorted(PINNED))
def test_each_shipped_file_has_its_pinned_hash(url):
    file_name, sha256 = jsonld._CONTEXT_FILES[url]
    raw = (resources.files("cecto.credentials") / "contexts" / file_name).read_bytes()

    assert hashlib.sha256(raw).hexdigest() == sha256
    assert sha256.startswith(PINNED[url])


def test_a_context_file_that_changed_stops_the_process(monkeypatch):
    url = "https://www.w3.org/ns/credentials/v2"
    monkeypatch.setitem(jsonld._CONTEXT_FILES, url, ("credentials-v2.jsonld", "0" * 64))

    with pytest.raises(RuntimeError, match=r"credentials-v2\.jsonld does not match its pinned SHA-256"):
        jsonld._load_contexts()


@pytest.mark.parametrize("url", sorted(PINNED))
def test_the_loader_serves_each_shipped_context(url):
    loaded = jsonld.load_context(url)

    assert loaded["documentUrl"] == url
    assert "@context" in loaded["document"]


@pytest.mark.parametrize(
    "url",
    [
        "https://www.w3.org/2018/credentials/v2",
        "https://w3id.org/security/v2",
        "http://www.w3.org/ns/credentials/v2",  # http, not https: a different URL
        "https://evil.example/context.json",
        "file:///etc/passwd",
    ],
)
def test_the_loader_refuses_every_other_url(url):
    with pytest.raises(JsonLdRefused, match="cecto only uses the contexts it ships"):
        jsonld.load_context(url)
    with pytest.raises(JsonLdRefused, match="cecto only uses the contexts it ships"):
        jsonld.context_document(url)


def test_context_document_is_a_copy_the_caller_may_change():
    url = "https://www.w3.org/ns/credentials/v2"
    copied = jsonld.context_document(url)
    copied["@context"]["VerifiableCredential"] = "https://evil.example/vc"

    assert jsonld.context_document(url)["@context"]["VerifiableCredential"] != "https://evil.example/vc"
    assert jsonld.canonicalize(OB3) == vector_text("ob3", "document-canon.txt")


# --- Undefined terms, types and ids ------------------------------------------------------------


def test_it_refuses_an_undefined_property_at_the_top():
    with pytest.raises(JsonLdRefused, match="Undefined term 'foo'"):
        jsonld.canonicalize(changed(foo="bar"))


def test_it_refuses_an_undefined_property_deep_inside():
    document = changed()
    document["credentialSubject"]["achievement"]["criteria"]["foo"] = "bar"

    with pytest.raises(JsonLdRefused, match="Undefined term 'foo'"):
        jsonld.canonicalize(document)


def test_it_refuses_an_undefined_type():
    with pytest.raises(JsonLdRefused, match="Undefined type 'FooCredential': no context defines it"):
        jsonld.canonicalize(changed(type=["VerifiableCredential", "OpenBadgeCredential", "FooCredential"]))


def test_it_names_where_an_undefined_nested_type_is():
    document = changed()
    document["credentialSubject"]["achievement"]["type"] = ["Achievement", "Badge"]

    with pytest.raises(JsonLdRefused, match="Undefined type 'Badge' at /credentialSubject/achievement"):
        jsonld.canonicalize(document)


def test_it_refuses_a_relative_id():
    with pytest.raises(JsonLdRefused, match="The id 'credentials/3527' is not an absolute IRI"):
        jsonld.canonicalize(changed(id="credentials/3527"))


def test_it_refuses_a_document_without_a_context():
    document = changed()
    del document["@context"]

    with pytest.raises(JsonLdRefused, match="The document has no @context"):
        jsonld.canonicalize(document)


@pytest.mark.parametrize("value", [[OB3], "a string", None])
def test_it_refuses_what_is_not_an_object(value):
    with pytest.raises(JsonLdRefused, match="must be a JSON object"):
        jsonld.canonicalize(value)


def test_it_reports_invalid_json_ld_in_words():
    with pytest.raises(JsonLdRefused) as refused:
        jsonld.canonicalize(changed(id=5))

    assert str(refused.value) == 'Invalid JSON-LD: Invalid JSON-LD syntax; "@id" value must be a string.'


def test_an_inline_context_may_define_extra_terms():
    document = changed(
        **{"@context": [*OB3["@context"], {"ex": "https://example.org/ns#", "extra": "ex:extra"}]},
        extra="shown and signed",
    )

    assert '<https://example.org/ns#extra> "shown and signed" .' in jsonld.canonicalize(document)


def test_an_inline_vocab_makes_every_term_defined():
    # Allowed by JSON-LD; the term is then covered by the signature, which is all that matters.
    document = changed(**{"@context": [*OB3["@context"], {"@vocab": "https://example.org/v#"}]}, foo="x")

    assert '<https://example.org/v#foo> "x" .' in jsonld.canonicalize(document)


# --- Unknown contexts, wherever they are ---------------------------------------------------------


@pytest.fixture
def no_resolving(monkeypatch):
    """Fail the test if anything even looks a host name up."""
    import socket

    looked_up: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        looked_up.append(args)
        raise AssertionError(f"A network lookup was attempted: {args}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield looked_up
    assert looked_up == []


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(changed(**{"@context": [*OB3["@context"], "https://evil.example/ctx"]}), id="top"),
        pytest.param(changed(**{"@context": "https://evil.example/ctx"}), id="only"),
        pytest.param(
            changed(credentialSubject={**OB3["credentialSubject"], "@context": "https://evil.example/ctx"}),
            id="nested",
        ),
        pytest.param(
            changed(**{"@context": [*OB3["@context"], {"@import": "https://evil.example/ctx"}]}),
            id="import",
        ),
        pytest.param(
            changed(
                **{
                    "@context": [
                        *OB3["@context"],
                        {"x": {"@id": "ex:x", "@context": "https://evil.example/ctx"}},
                    ]
                }
            ),
            id="scoped",
        ),
    ],
)
def test_an_unknown_context_is_refused_without_any_network_access(document, no_resolving):
    with pytest.raises(JsonLdRefused, match=re.escape("Unknown JSON-LD context 'https://evil.example/ctx'")):
        jsonld.canonicalize(document)


# --- Expansion -----------------------------------------------------------------------------------


def test_expand_gives_absolute_iris():
    expanded = jsonld.expand(OB3)

    assert expanded[0]["@type"] == [
        "https://www.w3.org/2018/credentials#VerifiableCredential",
        "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential",
    ]
    assert expanded[0]["@id"] == "http://example.com/credentials/3527"


def test_canonicalize_does_not_change_its_input():
    document = changed()

    jsonld.canonicalize(document)

    assert document == OB3
