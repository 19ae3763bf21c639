from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from echo import audit

from .models import Member, User
from .screening import validate_pseudonym

ROLE_FIELDS = {"coordinator_region", "is_staff", "is_superuser"}


class AuditRoleChanges:
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if changed := ROLE_FIELDS & set(form.changed_data):
            target = getattr(obj, "member", obj)
            region = getattr(obj, "region", "") or getattr(obj, "coordinator_region", "")
            audit.record(
                request.user, "members.role.changed", target, region=region, fields=sorted(changed)
            )


@admin.register(User)
class UserAdmin(AuditRoleChanges, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "coordinator_region", "is_staff", "is_active"]
    list_filter = ["coordinator_region", "is_staff", "is_active"]
    search_fields = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "password", "language"]}),
        ("Roles", {"fields": ["coordinator_region", "is_staff", "is_superuser", "is_active"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "password1", "password2"]})]


class MemberAdminForm(forms.ModelForm):
    def clean_pseudonym(self):
        pseudonym = " ".join(self.cleaned_data["pseudonym"].split())
        validate_pseudonym(pseudonym)
        return pseudonym


@admin.register(Member)
class MemberAdmin(AuditRoleChanges, admin.ModelAdmin):
    # A pseudonym changed here is screened as at sign-up.
    form = MemberAdminForm
    # Confidential fields stay out of the admin: they are read in the intake
    # page, where every view is audited.
    list_display = ["pseudonym", "region", "status", "applied_at"]
    list_filter = ["region", "status"]
    search_fields = ["pseudonym"]
    fields = ["pseudonym", "region", "status", "emails"]
    readonly_fields = ["status"]
