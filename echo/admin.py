from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, OutgoingEmail


class EchoAdminSite(admin.AdminSite):
    site_header = site_title = index_title = _("Echo")

    def has_permission(self, request):
        # Administrators reach the admin only with a second factor.
        return super().has_permission(request) and is_mfa_enabled(request.user)

    def login(self, request, extra_context=None):
        # One login for everyone: allauth's, with its second-factor step.
        if self.has_permission(request):
            return redirect("admin:index")
        if request.user.is_authenticated and request.user.is_staff:
            return redirect("second_factor_required")
        if request.user.is_authenticated:
            raise Http404
        return redirect_to_login(request.get_full_path())


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor_code", "target_code", "region"]
    list_filter = ["action", "region"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "state", "attempts", "due_at", "sent_at", "region"]
    list_filter = ["state", "kind", "region"]
    exclude = ["body_text", "body_html"]
    readonly_fields = ["to", "subject", "last_error"]
