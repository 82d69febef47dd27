"""Verifying credentials and presentations: signature, issuer, dates, status. Pure; no ORM.

The caller supplies how a verification method becomes a key and how a status list URL becomes a
status list credential; both are local (cecto never fetches anything). A verdict lists every check
with a reason a person can read, so a page, the command line and the VC-API all say the same.

Accepts VC Data Model 2.0 (validFrom/validUntil) and 1.1 (issuanceDate/expirationDate) input.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cecto.credentials import proofs, status_list
from cecto.credentials.jsonld import VC_V1, VC_V2, JsonLdRefused
from cecto.credentials.proofs import KeyResolver, ProofInvalid

StatusListResolver = Callable[[str], dict[str, Any] | None]  # None: not a list we can read offline

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_EMBEDDED = 100


@dataclass(frozen=True)
class Check:
    name: str  # "json", "format", "proof", "issuer", "dates", "status", "embedded"
    ok: bool
    detail: str


@dataclass(frozen=True)
class Verdict:
    checks: tuple[Check, ...]
    status: str  # "valid", "invalid", "revoked", "suspended", "expired", "not yet valid"
    warnings: tuple[str, ...] = ()
    document: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"

    @property
    def errors(self) -> tuple[str, ...]:
        return tuple(check.detail for check in self.checks if not check.ok)

    @property
    def summary(self) -> str:
        if self.is_valid:
            return "Valid: the signature, issuer, dates and status all check out."
        return f"{self.status.capitalize()}: {'; '.join(self.errors)}"


def parse_json(text: str | bytes) -> dict[str, Any]:
    """The JSON object in TEXT, or JsonLdRefused saying where it is malformed."""
    if len(text) > MAX_DOCUMENT_BYTES:
        raise JsonLdRefused(f"The document is larger than {MAX_DOCUMENT_BYTES // 1024 // 1024} MB.")
    try:
        value = json.loads(text)
    except UnicodeDecodeError:
        raise JsonLdRefused("The file is not UTF-8 text.") from None
    except json.JSONDecodeError as error:
        raise JsonLdRefused(
            f"Not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    if not isinstance(value, dict):
        raise JsonLdRefused("A credential must be a JSON object.")
    return value


def _types(document: dict[str, Any]) -> list[str]:
    value = document.get("type", [])
    return [value] if isinstance(value, str) else [item for item in value if isinstance(item, str)]


def _issuer_id(document: dict[str, Any]) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, dict) and isinstance(issuer.get("id"), str):
        return str(issuer["id"])
    return None


def _holder_id(document: dict[str, Any]) -> str | None:
    holder = document.get("holder")
    if isinstance(holder, dict):
        holder = holder.get("id")
    return holder if isinstance(holder, str) else None


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _format_checks(document: dict[str, Any]) -> list[Check]:
    problems = []
    contexts = document.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    if first not in (VC_V2, VC_V1):
        problems.append(f"The first @context must be {VC_V2} (or {VC_V1} for VC 1.1), not {first!r}.")
    if "VerifiableCredential" not in _types(document):
        problems.append("The type does not include VerifiableCredential.")
    if _issuer_id(document) is None:
        problems.append("The credential names no issuer.")
    if not isinstance(document.get("credentialSubject"), dict | list):
        problems.append("The credential has no credentialSubject.")
    return [Check("format", not problems, " ".join(problems) or "A well-formed verifiable credential.")]


def _date_check(document: dict[str, Any], now: datetime) -> tuple[Check, str | None]:
    is_v1 = (document.get("@context") or [None])[0] == VC_V1
    start_key, end_key = ("issuanceDate", "expirationDate") if is_v1 else ("validFrom", "validUntil")
    start_raw, end_raw = document.get(start_key), document.get(end_key)
    start, end = _moment(start_raw), _moment(end_raw)
    if start_raw is not None and start is None:
        return Check("dates", False, f"{start_key} {start_raw!r} is not a date and time."), "invalid"
    if end_raw is not None and end is None:
        return Check("dates", False, f"{end_key} {end_raw!r} is not a date and time."), "invalid"
    if is_v1 and start is None:
        return Check("dates", False, "A VC 1.1 credential must have an issuanceDate."), "invalid"
    if start is not None and now < start:
        return Check("dates", False, f"Not valid before {start_raw}."), "not yet valid"
    if end is not None and now > end:
        return Check("dates", False, f"Expired on {end_raw}."), "expired"
    if end is not None:
        return Check("dates", True, f"Valid until {end_raw}."), None
    return Check("dates", True, "No expiry."), None


def _status_checks(
    document: dict[str, Any], resolve_key: KeyResolver, resolve_list: StatusListResolver, now: datetime
) -> tuple[list[Check], str | None, list[str]]:
    entries = document.get("credentialStatus")
    if entries is None:
        return [], None, []
    checks, outcome, warnings = [], None, []
    for entry in entries if isinstance(entries, list) else [entries]:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            warnings.append("A credentialStatus entry of an unsupported type was not checked.")
            continue
        purpose = entry.get("statusPurpose")
        url = entry.get("statusListCredential")
        try:
            index = int(str(entry.get("statusListIndex")))
        except ValueError:
            checks.append(Check("status", False, "statusListIndex is not a number."))
            outcome = outcome or "invalid"
            continue
        listed = resolve_list(url) if isinstance(url, str) else None
        if listed is None:
            warnings.append(
                f"The {purpose} status list {url!r} is not one cecto can read offline; status not checked."
            )
            continue
        problem, bits = _read_status_list(listed, document, purpose, url, resolve_key, now)
        if problem is not None or bits is None:
            checks.append(Check("status", False, problem or "The status list cannot be read."))
            outcome = outcome or "invalid"
            continue
        try:
            flagged = status_list.is_set(bits, index)
        except status_list.StatusListInvalid as invalid:
            checks.append(Check("status", False, str(invalid)))
            outcome = outcome or "invalid"
            continue
        if flagged and purpose == "revocation":
            checks.append(Check("status", False, "Revoked by the issuer."))
            outcome = "revoked"
        elif flagged and purpose == "suspension":
            checks.append(Check("status", False, "Suspended by the issuer."))
            outcome = outcome or "suspended"
        elif flagged:
            warnings.append(f"The issuer set the {purpose!r} status.")
        else:
            checks.append(
                Check(
                    "status",
                    True,
                    {"revocation": "Not revoked.", "suspension": "Not suspended."}.get(
                        str(purpose), f"Not flagged ({purpose})."
                    ),
                )
            )
    return checks, outcome, warnings


def _no_lists(url: str) -> None:
    return None


# A status list is the same few hundred bytes for every credential it covers; its signature and its
# bits are worth checking once per content, not once per credential (a third of a verify's time).
_LIST_CACHE_SIZE = 64
# Values keep the resolver referenced, so its id() in the key can never be reused by another.
_verified_lists: OrderedDict[tuple[str, int], tuple[tuple[str | None, bytes | None], KeyResolver]] = (
    OrderedDict()
)
_verified_lists_lock = threading.Lock()


def forget_verified_lists() -> None:
    with _verified_lists_lock:
        _verified_lists.clear()


def _read_status_list(
    listed: dict[str, Any],
    document: dict[str, Any],
    purpose: object,
    url: object,
    resolve_key: KeyResolver,
    now: datetime,
) -> tuple[str | None, bytes | None]:
    """(problem, bits) of a status list credential: its dates every time, its proof once per content."""
    date_check, _ = _date_check(listed, now)
    if not date_check.ok:
        return f"The {purpose} status list is not valid now: {date_check.detail}", None
    if _issuer_id(listed) != _issuer_id(document):
        return f"The {purpose} status list was not issued by the credential's issuer.", None
    subject = listed.get("credentialSubject") or {}
    if not isinstance(subject, dict) or subject.get("statusPurpose") != purpose:
        found = subject.get("statusPurpose") if isinstance(subject, dict) else None
        return f"The status list at {url} is for {found!r}, not {purpose!r}.", None
    key = (hashlib.sha256(json.dumps(listed, sort_keys=True).encode("utf-8")).hexdigest(), id(resolve_key))
    with _verified_lists_lock:
        cached = _verified_lists.get(key)
    if cached is not None:
        return cached[0]
    result: tuple[str | None, bytes | None]
    try:
        if "BitstringStatusListCredential" not in _types(listed):
            raise ProofInvalid("it is not a BitstringStatusListCredential")
        proofs.verify(listed, resolve_key)
        if proofs.verification_method_controller(listed) != _issuer_id(listed):
            raise ProofInvalid("it was signed by a key that is not its issuer's")
        result = (None, status_list.decode(subject.get("encodedList", "")))
    except (ProofInvalid, JsonLdRefused) as problem:
        result = (f"The {purpose} status list does not verify: {problem}", None)
    except status_list.StatusListInvalid as invalid:
        result = (str(invalid), None)
    with _verified_lists_lock:
        _verified_lists[key] = (result, resolve_key)
        if len(_verified_lists) > _LIST_CACHE_SIZE:
            _verified_lists.popitem(last=False)
    return result


def _embedded(document: dict[str, Any]) -> list[Any]:
    subject = document.get("credentialSubject")
    if "ClrCredential" not in _types(document) or not isinstance(subject, dict):
        return []
    embedded = subject.get("verifiableCredential") or []
    return embedded if isinstance(embedded, list) else [embedded]


def verify_credential(
    document: Any,
    *,
    resolve_key: KeyResolver,
    resolve_list: StatusListResolver,
    now: datetime | None = None,
) -> Verdict:
    """Verify a credential: format, proof, issuer, dates, status, and a CLR's embedded credentials."""
    now = now or datetime.now(UTC)
    if not isinstance(document, dict):
        return Verdict((Check("json", False, "A credential must be a JSON object."),), "invalid")
    checks = _format_checks(document)
    outcome: str | None = None if checks[0].ok else "invalid"
    try:
        proof = proofs.verify(document, resolve_key)
        checks.append(Check("proof", True, f"Signed with {proof.verification_method}."))
        controller = proof.verification_method.split("#", 1)[0]
        if controller != _issuer_id(document):
            checks.append(
                Check(
                    "issuer",
                    False,
                    f"The key belongs to {controller}, not to the issuer {_issuer_id(document)}.",
                )
            )
            outcome = outcome or "invalid"
        else:
            checks.append(Check("issuer", True, f"Issued by {controller}."))
    except (ProofInvalid, JsonLdRefused) as problem:
        checks.append(Check("proof", False, str(problem)))
        outcome = outcome or "invalid"
    date_check, date_outcome = _date_check(document, now)
    checks.append(date_check)
    outcome = outcome or date_outcome
    status_checks, status_outcome, warnings = _status_checks(document, resolve_key, resolve_list, now)
    checks.extend(status_checks)
    if status_outcome == "revoked" or (outcome is None and status_outcome):
        outcome = status_outcome
    embedded = _embedded(document)
    if len(embedded) > MAX_EMBEDDED:
        checks.append(Check("embedded", False, f"More than {MAX_EMBEDDED} embedded credentials."))
        outcome = outcome or "invalid"
        embedded = []
    for number, inner in enumerate(embedded, start=1):
        inner_verdict = verify_credential(inner, resolve_key=resolve_key, resolve_list=resolve_list, now=now)
        name = (
            inner.get("name", f"credential {number}") if isinstance(inner, dict) else f"credential {number}"
        )
        if inner_verdict.is_valid:
            checks.append(Check("embedded", True, f"Embedded {name!r} is valid."))
        else:
            checks.append(Check("embedded", False, f"Embedded {name!r}: {'; '.join(inner_verdict.errors)}"))
            outcome = outcome or "invalid"
        warnings.extend(inner_verdict.warnings)
    return Verdict(tuple(checks), outcome or "valid", tuple(warnings), document)


@dataclass(frozen=True)
class PresentationVerdict:
    presentation: Verdict
    credentials: tuple[Verdict, ...]

    @property
    def is_valid(self) -> bool:
        return self.presentation.is_valid and all(verdict.is_valid for verdict in self.credentials)


def verify_presentation(
    document: Any,
    *,
    resolve_key: KeyResolver,
    resolve_list: StatusListResolver,
    challenge: str | None = None,
    domain: str | None = None,
    now: datetime | None = None,
) -> PresentationVerdict:
    """Verify a VerifiablePresentation: its own proof when it has one, and every credential in it."""
    now = now or datetime.now(UTC)
    if not isinstance(document, dict) or "VerifiablePresentation" not in _types(document):
        check = Check("format", False, "Not a VerifiablePresentation (its type must include it).")
        return PresentationVerdict(Verdict((check,), "invalid"), ())
    checks: list[Check] = []
    proof = document.get("proof")
    if proof is None:
        if challenge is not None:
            checks.append(Check("proof", False, "A challenge was given but the presentation is not signed."))
        else:
            checks.append(Check("proof", True, "The presentation is not signed (no holder binding)."))
    else:
        try:
            signed = proofs.verify(document, resolve_key, expected_purpose="authentication")
            proof_dict = proof if isinstance(proof, dict) else {}
            signer = signed.verification_method.split("#", 1)[0]
            holder = _holder_id(document)
            if holder is not None and signer != holder:
                checks.append(Check("proof", False, f"Signed by {signer}, not by the holder {holder}."))
            elif challenge is not None and proof_dict.get("challenge") != challenge:
                checks.append(Check("proof", False, "The presentation's challenge does not match."))
            elif domain is not None and proof_dict.get("domain") != domain:
                checks.append(Check("proof", False, "The presentation's domain does not match."))
            else:
                checks.append(Check("proof", True, "The holder signed the presentation."))
        except (ProofInvalid, JsonLdRefused) as problem:
            checks.append(Check("proof", False, str(problem)))
    credentials = document.get("verifiableCredential") or []
    credentials = credentials if isinstance(credentials, list) else [credentials]
    verdicts = tuple(
        verify_credential(credential, resolve_key=resolve_key, resolve_list=resolve_list, now=now)
        for credential in credentials[:MAX_EMBEDDED]
    )
    status = "valid" if all(check.ok for check in checks) else "invalid"
    return PresentationVerdict(Verdict(tuple(checks), status, (), document), verdicts)
