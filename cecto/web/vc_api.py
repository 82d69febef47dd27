"""The W3C VC-API routes, the issuer's DID document and the status lists: JSON for machines.

Shapes follow the VC API draft (w3c-ccg/vc-api: issuer.yml, verifier.yml, the components they use,
and index.html's "Error Handling" section):

- ``POST /credentials/issue`` takes ``{"credential": {...}, "options": {...}}`` and answers 201 with
  ``{"verifiableCredential": {...}}``. The caller sends ``Authorization: Bearer <token>`` (a token
  from ``cecto api_token create``) of a programme administrator or a superuser.
- ``POST /credentials/verify`` takes ``{"verifiableCredential": {...}, "options": {...}}`` and answers
  with a verification result: ``{"verified", "checks", "warnings", "errors"}``, problems written as
  RFC 9457 ProblemDetails. 200 when the credential verifies; 400 (with the same body) when it does
  not, as the VC test suites expect of a verifier that rejects a credential.
- ``POST /presentations/verify`` takes ``{"verifiablePresentation": {...}, "options": {"challenge",
  "domain", "returnPresentation"}}`` and answers 200 whether or not it verified (the draft says so
  for presentations), ``{"verified", "problemDetails", "results"}``; 400 only for input it cannot
  process.

Every route answers 400 with a ProblemDetails body for malformed JSON, a missing member or an option
it does not know (the draft's UNKNOWN_OPTION_PROVIDED), 413 above 2 MB, and 405 to anything but POST.
"""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from cecto.core.audit import audit_event_record
from cecto.core.tokens import api_token_user
from cecto.credentials import issuer, proofs
from cecto.credentials.jsonld import DATA_INTEGRITY_V2, VC_V1, VC_V2, JsonLdRefused
from cecto.credentials.permissions import can_issue_through_api
from cecto.credentials.services import status_list_document, verify_document, verify_presentation_document
from cecto.credentials.verification import MAX_DOCUMENT_BYTES, Check, Verdict, parse_json

PROBLEM_JSON = "application/problem+json"
VC_DM = "https://www.w3.org/TR/vc-data-model#"
VC_API = "https://www.w3.org/TR/vc-api#"
STATUS_LIST = "https://www.w3.org/TR/vc-bitstring-status-list/#"
VALIDITY_PERIOD = "https://www.w3.org/TR/vc-data-model-2.0/#validity-period"

ISSUE_OPTIONS = frozenset({"credentialId", "mandatoryPointers"})
VERIFY_OPTIONS: frozenset[str] = frozenset()
PRESENTATION_OPTIONS = frozenset({"challenge", "domain", "returnPresentation"})


class _Refused(Exception):
    """A request the route will not process: becomes a ProblemDetails response."""

    def __init__(self, status: int, code: str, detail: str, base: str = VC_DM) -> None:
        super().__init__(detail)
        self.status = status
        self.problem = problem_details(code, detail, base=base)


def problem_details(code: str, detail: str, *, base: str = VC_DM, title: str | None = None) -> dict[str, Any]:
    return {"type": f"{base}{code}", "title": title or code, "detail": detail}


def _problem_response(refused: _Refused) -> JsonResponse:
    return JsonResponse(
        {**refused.problem, "status": refused.status}, status=refused.status, content_type=PROBLEM_JSON
    )


def _read_body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object; _Refused for a body too large (413) or not a JSON object (400)."""
    declared = str(request.META.get("CONTENT_LENGTH") or "0")
    too_large = _Refused(
        413,
        "PAYLOAD_TOO_LARGE",
        f"The body is larger than {MAX_DOCUMENT_BYTES // 1024 // 1024} MB.",
        base=VC_API,
    )
    if declared.isdigit() and int(declared) > MAX_DOCUMENT_BYTES:
        raise too_large  # before reading a body that large
    body = request.body
    if len(body) > MAX_DOCUMENT_BYTES:
        raise too_large
    try:
        return parse_json(body)
    except JsonLdRefused as refused:
        raise _Refused(400, "PARSING_ERROR", str(refused)) from None


def _member(body: dict[str, Any], *names: str) -> dict[str, Any]:
    for name in names:
        if name in body:
            value = body[name]
            if not isinstance(value, dict):
                raise _Refused(400, "MALFORMED_VALUE_ERROR", f"{name} must be a JSON object.")
            return value
    raise _Refused(400, "MALFORMED_VALUE_ERROR", f"The body has no {names[0]}.")


def _options(body: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    options = body.get("options", {})
    if not isinstance(options, dict):
        raise _Refused(400, "MALFORMED_VALUE_ERROR", "options must be a JSON object.")
    unknown = sorted(set(options) - known)
    if unknown:
        raise _Refused(
            400,
            "UNKNOWN_OPTION_PROVIDED",
            f"Unknown option{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}"
            + (f" (known: {', '.join(sorted(known))})." if known else " (this route takes none)."),
            base=VC_API,
        )
    return options


# --- Issuing -----------------------------------------------------------------------------------------


def _issuer_checked(document: dict[str, Any], did: str) -> None:
    """Set the issuer to ours when it is missing; refuse anyone else's (issuer.yml: 400)."""
    given = document.get("issuer")
    if given is None:
        document["issuer"] = did
    elif isinstance(given, dict) and "id" not in given:
        document["issuer"] = {"id": did, **given}
    else:
        given_id = given.get("id") if isinstance(given, dict) else given
        if given_id != did:
            raise _Refused(
                400,
                "MALFORMED_VALUE_ERROR",
                f"The credential's issuer {given_id!r} is not this issuer: it signs as {did}.",
            )


def _issuable(credential: dict[str, Any], did: str) -> dict[str, Any]:
    """The credential made ready to sign, or _Refused saying why it is not a credential we sign."""
    document = copy.deepcopy(credential)
    if "proof" in document:
        raise _Refused(400, "MALFORMED_VALUE_ERROR", "The credential already has a proof: send it unsigned.")
    contexts = document.get("@context")
    contexts = contexts if isinstance(contexts, list) else [contexts] if contexts is not None else []
    if not contexts or contexts[0] not in (VC_V2, VC_V1):
        raise _Refused(
            400, "MALFORMED_VALUE_ERROR", f"The first @context must be {VC_V2} (or {VC_V1} for VC 1.1)."
        )
    types = document.get("type")
    if "VerifiableCredential" not in (types if isinstance(types, list) else [types]):
        raise _Refused(400, "MALFORMED_VALUE_ERROR", "The type must include VerifiableCredential.")
    if not isinstance(document.get("credentialSubject"), dict | list) or not document["credentialSubject"]:
        raise _Refused(400, "MALFORMED_VALUE_ERROR", "The credential has no credentialSubject.")
    _issuer_checked(document, did)
    if contexts[0] == VC_V1:
        # VC 1.1 does not define Data Integrity proofs; its context must come along to sign with one.
        if DATA_INTEGRITY_V2 not in contexts:
            document["@context"] = [*contexts, DATA_INTEGRITY_V2]
        document.setdefault("issuanceDate", proofs.xsd_datetime(timezone.now()))
    _dates_checked(document, is_v1=contexts[0] == VC_V1)
    return document


def _dates_checked(document: dict[str, Any], *, is_v1: bool) -> None:
    start_key, end_key = ("issuanceDate", "expirationDate") if is_v1 else ("validFrom", "validUntil")
    moments = {}
    for key in (start_key, end_key):
        if key in document:
            try:
                moments[key] = datetime.fromisoformat(str(document[key]).replace("Z", "+00:00"))
            except ValueError:
                raise _Refused(
                    400, "MALFORMED_VALUE_ERROR", f"{key} {document[key]!r} is not a date and time."
                ) from None
    if len(moments) == 2 and moments[end_key] < moments[start_key]:
        raise _Refused(400, "RANGE_ERROR", f"{end_key} is before {start_key}.")


@csrf_exempt
@require_POST
def credentials_issue(request: HttpRequest) -> HttpResponse:
    authorization = request.headers.get("Authorization", "")
    scheme, _, raw = authorization.partition(" ")
    found = api_token_user(raw.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        response = _problem_response(
            _Refused(
                401, "UNAUTHORIZED", "Send Authorization: Bearer <token> with a valid token.", base=VC_API
            )
        )
        response["WWW-Authenticate"] = 'Bearer realm="cecto"'
        return response
    user, token = found
    if not can_issue_through_api(user):
        return _problem_response(
            _Refused(403, "FORBIDDEN", "Only programme administrators may issue credentials.", base=VC_API)
        )
    try:
        body = _read_body(request)
        options = _options(body, ISSUE_OPTIONS)
        if options.get("mandatoryPointers"):
            raise _Refused(
                400,
                "UNKNOWN_OPTION_PROVIDED",
                "mandatoryPointers is for selective disclosure; eddsa-rdfc-2022 discloses everything.",
                base=VC_API,
            )
        key = issuer.active_signing_key()
        document = _issuable(_member(body, "credential"), issuer.issuer_did(key))
        try:
            signed = proofs.sign(
                document,
                issuer.private_key(key),
                proofs.ProofOptions(
                    verification_method=issuer.verification_method(key), created=timezone.now()
                ),
            )
        except JsonLdRefused as refused:
            raise _Refused(400, "MALFORMED_VALUE_ERROR", str(refused)) from None
    except _Refused as refused:
        return _problem_response(refused)
    digest = hashlib.sha256(json.dumps(signed, sort_keys=True).encode("utf-8")).hexdigest()
    audit_event_record(
        actor=user,
        verb="credential.api_issued",
        subject_kind="credential",
        subject_id=digest,
        data={
            "id": str(signed.get("id", "")),
            "type": signed.get("type"),
            "credentialId": str(options.get("credentialId", "")),
            "token": token.pk,
        },
    )
    return JsonResponse({"verifiableCredential": signed}, status=201)


# --- Verifying ---------------------------------------------------------------------------------------

_REVOKED = "Revoked by the issuer."
_SUSPENDED = "Suspended by the issuer."


def check_problem(check: Check, verdict_status: str) -> dict[str, Any]:
    """A failed check as a ProblemDetails object (VC Data Model 2.0 §7.2, Bitstring Status List)."""
    if check.name == "json":
        return problem_details("PARSING_ERROR", check.detail)
    if check.name in ("proof", "issuer", "embedded"):
        return problem_details("CRYPTOGRAPHIC_SECURITY_ERROR", check.detail)
    if check.name == "status" and check.detail == _REVOKED:
        return problem_details("revocation", check.detail, base=STATUS_LIST, title="Revoked")
    if check.name == "status" and check.detail == _SUSPENDED:
        return problem_details("suspension", check.detail, base=STATUS_LIST, title="Suspended")
    if check.name == "status":
        return problem_details("STATUS_VERIFICATION_ERROR", check.detail, base=STATUS_LIST)
    if check.name == "dates" and verdict_status in ("expired", "not yet valid"):
        return {"type": VALIDITY_PERIOD, "title": verdict_status.capitalize(), "detail": check.detail}
    return problem_details("MALFORMED_VALUE_ERROR", check.detail)


def warning_problem(warning: str) -> dict[str, Any]:
    if "status list" in warning:
        return problem_details("STATUS_RETRIEVAL_ERROR", warning, base=STATUS_LIST)
    return {"type": "about:blank", "title": "Not checked", "detail": warning}


def verification_result(verdict: Verdict) -> dict[str, Any]:
    checks: list[str] = []
    for check in verdict.checks:
        if check.name not in checks:
            checks.append(check.name)
    return {
        "verified": verdict.is_valid,
        "status": verdict.status,
        "checks": checks,
        "results": [{"check": c.name, "valid": c.ok, "detail": c.detail} for c in verdict.checks],
        "warnings": [warning_problem(warning) for warning in verdict.warnings],
        "errors": [check_problem(check, verdict.status) for check in verdict.checks if not check.ok],
    }


@csrf_exempt
@require_POST
def credentials_verify(request: HttpRequest) -> HttpResponse:
    try:
        body = _read_body(request)
        _options(body, VERIFY_OPTIONS)
        credential = _member(body, "verifiableCredential")
    except _Refused as refused:
        return _problem_response(refused)
    verdict = verify_document(credential)
    return JsonResponse(verification_result(verdict), status=200 if verdict.is_valid else 400)


@csrf_exempt
@require_POST
def presentations_verify(request: HttpRequest) -> HttpResponse:
    try:
        body = _read_body(request)
        options = _options(body, PRESENTATION_OPTIONS)
        presentation = _member(body, "verifiablePresentation", "presentation")
        for name in ("challenge", "domain"):
            if name in options and not isinstance(options[name], str):
                raise _Refused(400, "MALFORMED_VALUE_ERROR", f"options.{name} must be a string.")
    except _Refused as refused:
        return _problem_response(refused)
    verdict = verify_presentation_document(
        presentation, challenge=options.get("challenge"), domain=options.get("domain")
    )
    own = verdict.presentation
    problems = [
        {**check_problem(check, own.status), "instance": "#/proof" if check.name == "proof" else "#"}
        for check in own.checks
        if not check.ok
    ]
    for number, credential in enumerate(verdict.credentials):
        problems += [
            {**check_problem(check, credential.status), "instance": f"#/verifiableCredential/{number}"}
            for check in credential.checks
            if not check.ok
        ]
    result: dict[str, Any] = {
        "verified": verdict.is_valid,
        "problemDetails": problems,
        "results": _presentation_results(presentation, own, options),
    }
    if options.get("returnPresentation") is True:
        result["verifiablePresentation"] = presentation
    malformed = any(check.name == "format" and not check.ok for check in own.checks)
    return JsonResponse(result, status=400 if malformed else 200)


def _presentation_results(
    presentation: dict[str, Any], own: Verdict, options: dict[str, Any]
) -> dict[str, Any]:
    proof = presentation.get("proof")
    proofs_given = proof if isinstance(proof, list) else [proof] if isinstance(proof, dict) else []
    proof_ok = all(check.ok for check in own.checks if check.name == "proof")
    results: dict[str, Any] = {"proof": [{"valid": proof_ok, "input": item} for item in proofs_given]}
    for name in ("challenge", "domain"):
        if name in options:
            values = {item.get(name) for item in proofs_given if isinstance(item, dict)}
            results[name] = {"valid": values == {options[name]}, "input": options[name]}
    return results


# --- Published documents -------------------------------------------------------------------------


def _public_json(document: dict[str, Any], *, max_age: int) -> JsonResponse:
    response = JsonResponse(document)
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"  # verifiers in a browser may read it too
    return response


@require_GET
def did_document(request: HttpRequest) -> HttpResponse:
    """The did:web document: every signing key, active and retired (so old credentials verify)."""
    return _public_json(issuer.did_document(), max_age=300)


@require_GET
def status_list(request: HttpRequest, number: int, purpose: str) -> HttpResponse:
    document = status_list_document(number, purpose)
    if document is None:
        raise Http404("No such status list.")
    return _public_json(document, max_age=60)
