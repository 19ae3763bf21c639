"""Django's admin, for administrators with a second factor only."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from . import roles


class EchoAdminSite(admin.AdminSite):
    site_header = site_title = index_title = _("Echo")

    def has_permission(self, request):
        # Administrators reach the admin only with a second factor.
        return super().has_permission(request) and roles.is_administrator(request.user)

    def login(self, request, extra_context=None):
        # One login for everyone: allauth's, with its second-factor step.
        if self.has_permission(request):
            return redirect("admin:index")
        if request.user.is_authenticated and request.user.is_staff:
            return redirect("second_factor_required")
        if request.user.is_authenticated:
            raise Http404
        return redirect_to_login(request.get_full_path())
