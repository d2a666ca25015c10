from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cities.models import CityMembership, ConsultantAssignment


class MembershipInline(admin.TabularInline):
    model = CityMembership
    extra = 0
    autocomplete_fields = ["city"]
    verbose_name_plural = _("memberships in cities (officials)")


class AssignmentInline(admin.TabularInline):
    model = ConsultantAssignment
    extra = 0
    autocomplete_fields = ["city"]
    verbose_name_plural = _("assigned cities (consultants)")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "is_consultant",
        "analyst_province",
        "is_staff",
        "is_active",
    ]
    list_filter = ["is_consultant", "analyst_province", "is_staff", "is_superuser", "is_active"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Role"), {"fields": ["is_consultant", "analyst_province"]}),)
    inlines = [MembershipInline, AssignmentInline]
