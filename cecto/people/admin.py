from django.contrib import admin

from cecto.people.models import Organization, Person


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ("name", "kind", "state", "state_code", "county", "enrollment")
    list_filter = ("kind", "state")
    search_fields = ("name", "short_name", "state_code", "county")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ("full_name", "email", "organization", "district_role", "years_in_role")
    list_filter = ("district_role", "highest_degree", "directory_opt_in", "organization__kind")
    search_fields = ("full_name", "email", "organization__name")
    autocomplete_fields = ("organization", "user")
    list_select_related = ("organization",)
