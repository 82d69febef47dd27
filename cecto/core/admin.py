from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest

from cecto.core.models import ApiToken, AuditEvent
from cecto.core.tokens import api_token_revoke


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ("at", "verb", "subject_kind", "subject_id", "actor")
    list_filter = ("verb", "subject_kind")
    search_fields = ("subject_id", "verb", "actor__username")
    date_hierarchy = "at"

    # The audit trail is evidence: nobody edits or deletes it through the admin.
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are made with `cecto api_token create` (the secret is printed once, never stored)."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    fields = readonly_fields
    actions = ("revoke",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        tokens = super().get_queryset(request).select_related("user")
        if request.user.is_superuser:
            return tokens
        # Staff who are not superusers see (and revoke) only their own tokens.
        return tokens.filter(user__username=request.user.get_username())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, by=request.user if isinstance(request.user, User) else None)
            revoked += 1
        self.message_user(request, f"{revoked} token{'s' if revoked != 1 else ''} revoked.")
