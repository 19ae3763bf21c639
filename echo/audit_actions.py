"""How the audit log reads the entries that echo records (see echo.audit)."""

from django.utils.translation import gettext_lazy as _

from . import audit

audit.describe(
    {
        "echo.email.retried": (
            _("Failed email sent again"),
            _("%(actor)s sent a failed email again"),
        ),
        "echo.email.dropped": (
            _("Failed email given up"),
            _("%(actor)s gave up a failed email"),
        ),
    }
)
