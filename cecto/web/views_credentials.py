"""Credential pages: the public verification page and its downloads, the verify page, the holder's
list, status changes, the achievement and framework pages, and a class's graduation."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from cecto.credentials.bulk import issuance_run_start
from cecto.credentials.certificates import render_certificate, render_certificates
from cecto.credentials.certification import certification_table
from cecto.credentials.framework import framework, skill_areas
from cecto.credentials.jsonld import JsonLdRefused
from cecto.credentials.models import Achievement, Credential
from cecto.credentials.permissions import can_manage_credential, get_credential_to_manage, is_holder
from cecto.credentials.selectors import (
    certificate_facts,
    cohort_credentials,
    credential_document,
    credential_for_public,
    credentials_of,
    document_summary,
    issuance_run_for,
    issuer_did_shown,
    latest_issuance_run,
    linkedin_add_url,
    standing_of,
    status_history_of,
    time_zone_of,
)
from cecto.credentials.services import CredentialRefused, credential_status_change, verify_document
from cecto.credentials.verification import MAX_DOCUMENT_BYTES, parse_json
from cecto.people.selectors import person_for_user
from cecto.scheduling.permissions import get_cohort_for


def _public_credential(credential_uuid: UUID) -> Credential:
    credential = credential_for_public(credential_uuid)
    if credential is None:
        raise Http404("No such credential.")
    return credential


def _file_name(credential: Credential, suffix: str) -> str:
    return f"{slugify(credential.person.full_name) or 'credential'}-{suffix}"


# --- The public page and its downloads ------------------------------------------------------------


@require_GET
def credential_detail(request: HttpRequest, credential_uuid: UUID) -> HttpResponse:
    credential = _public_credential(credential_uuid)
    document = credential_document(credential)
    holder = is_holder(request.user, credential)
    context = {
        "credential": credential,
        "summary": document_summary(document),
        "verdict": verify_document(document),
        "standing": standing_of(credential, now=timezone.now()),
        "zone": time_zone_of(credential),
        "is_holder": holder,
        "can_manage": can_manage_credential(request.user, credential),
        "linkedin_url": linkedin_add_url(credential) if holder and credential.kind == "ob3" else "",
    }
    response = render(request, "web/credentials/credential_detail.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def credential_json(request: HttpRequest, credential_uuid: UUID) -> HttpResponse:
    """The signed document, byte for byte as issued."""
    credential = _public_credential(credential_uuid)
    response = HttpResponse(credential.document.encode("utf-8"), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(credential, "credential.json")}"'
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def credential_certificate(request: HttpRequest, credential_uuid: UUID) -> HttpResponse:
    credential = _public_credential(credential_uuid)
    if credential.kind != Credential.Kind.OPEN_BADGE:
        raise Http404("A transcript has no certificate.")
    response = HttpResponse(render_certificate(certificate_facts(credential)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_name(credential, "certificate.pdf")}"'
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Verify any credential ----------------------------------------------------------------------------


class VerifyForm(forms.Form):
    document = forms.CharField(
        label="Paste the credential (JSON)",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "autocomplete": "off"}),
    )
    file = forms.FileField(
        label="Or choose the file you downloaded (.json, up to 2 MB)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json,application/ld+json"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload: UploadedFile | None = cleaned.get("file")
        text: str = cleaned.get("document") or ""
        if upload is not None:
            if (upload.size or 0) > MAX_DOCUMENT_BYTES:
                raise forms.ValidationError("The file is larger than 2 MB: a credential is much smaller.")
            raw: bytes | str = upload.read()
        elif text.strip():
            raw = text
        else:
            raise forms.ValidationError("Paste a credential or choose a file.")
        try:
            cleaned["parsed"] = parse_json(raw)
        except JsonLdRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return cleaned


def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        document = form.cleaned_data["parsed"]
        context |= {"verdict": verify_document(document), "summary": document_summary(document)}
    return render(request, "web/credentials/verify.html", context)


# --- The holder's list ----------------------------------------------------------------------------------


@login_required
def credential_list(request: HttpRequest) -> HttpResponse:
    person = person_for_user(request.user)
    credentials = credentials_of(person) if person is not None else []
    now = timezone.now()
    rows = [(credential, standing_of(credential, now=now)) for credential in credentials]
    return render(request, "web/credentials/credential_list.html", {"person": person, "rows": rows})


# --- Status changes -------------------------------------------------------------------------------------

ACTIONS = {
    Credential.Status.ACTIVE: "Reinstate: it is valid again",
    Credential.Status.SUSPENDED: "Suspend: not valid until reinstated",
    Credential.Status.REVOKED: "Revoke: permanently invalid",
}


class CredentialStatusForm(forms.Form):
    to_status = forms.ChoiceField(label="Change", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The holder and anyone who checks the credential see it on its public page.",
        error_messages={"required": "Give a reason: the holder and anyone who checks the credential see it."},
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["to_status"])
        field.choices = [(status, label) for status, label in ACTIONS.items() if status != current]


@login_required
def credential_status(request: HttpRequest, credential_uuid: UUID) -> HttpResponse:
    credential = get_credential_to_manage(request.user, credential_uuid)
    form = CredentialStatusForm(request.POST or None, current=credential.status)
    confirming = False
    if request.method == "POST" and form.is_valid():
        to_status = form.cleaned_data["to_status"]
        if to_status == Credential.Status.REVOKED and not form.cleaned_data["confirmed"]:
            confirming = True  # revocation is permanent: ask once more
        else:
            try:
                credential_status_change(
                    credential=credential,
                    to_status=to_status,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except CredentialRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request, f"The credential is now {Credential.Status(to_status).label.lower()}."
                )
                return redirect("web:credential-status", credential_uuid=credential.uuid)
    context = {
        "credential": credential,
        "form": form,
        "confirming": confirming,
        "history": status_history_of(credential),
        "standing": standing_of(credential, now=timezone.now()),
        "zone": time_zone_of(credential),
    }
    return render(request, "web/credentials/credential_status.html", context)


# --- What credentials point at ------------------------------------------------------------------------


@require_GET
def achievement_detail(request: HttpRequest, achievement_uuid: UUID) -> HttpResponse:
    achievement = Achievement.objects.select_related("track__program").filter(uuid=achievement_uuid).first()
    if achievement is None:
        raise Http404("No such achievement.")
    areas = skill_areas()
    context = {
        "achievement": achievement,
        "program": achievement.track.program,
        "partners": achievement.track.program.partnerships.select_related("organization"),
        "alignments": [(number, areas[number]) for number in achievement.skill_areas if number in areas],
        "issuer_did": issuer_did_shown(),
    }
    return render(request, "web/credentials/achievement_detail.html", context)


@require_GET
def framework_detail(request: HttpRequest) -> HttpResponse:
    return render(request, "web/credentials/framework_detail.html", {"framework": framework()})


# --- Graduation -------------------------------------------------------------------------------------------


@login_required
def graduation(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_for(request.user, slug, write=True)
    rows = certification_table(cohort=cohort)
    context = {
        "cohort": cohort,
        "rows": rows,
        "run": latest_issuance_run(cohort),
        "earned": sum(1 for row in rows if row.decision.is_earned),
        "waiting": sum(1 for row in rows if row.decision.is_earned and row.credential is None),
        "issued": sum(1 for row in rows if row.credential is not None),
    }
    return render(request, "web/credentials/graduation.html", context)


@login_required
@require_POST
def graduation_issue(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_for(request.user, slug, write=True)
    # An open run for the class is returned rather than a second one started: never issued twice.
    run = issuance_run_start(cohort=cohort, by=request.user)
    messages.success(request, f"Issuing: {run.done} of {run.total} looked at, {run.issued} issued.")
    return redirect("web:graduation", slug=cohort.slug)


@login_required
@require_GET
def graduation_run(request: HttpRequest, slug: str, run_uuid: UUID) -> HttpResponse:
    """The run's progress (the graduation page polls this partial while the run is open)."""
    cohort = get_cohort_for(request.user, slug, write=True)
    run = issuance_run_for(cohort, run_uuid)
    if run is None:
        raise Http404("No such issuance run.")
    template = "web/credentials/partials/_issuance_run.html"
    if not request.headers.get("HX-Request"):
        template = "web/credentials/issuance_run.html"
    return render(request, template, {"cohort": cohort, "run": run, "polled": True})


@login_required
@require_GET
def graduation_certificates(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_for(request.user, slug, write=True)
    credentials = cohort_credentials(cohort)
    if not credentials:
        raise Http404("No active credential has been issued in this class yet.")
    pdf = render_certificates([certificate_facts(credential) for credential in credentials])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{cohort.slug}-certificates.pdf"'
    return response
