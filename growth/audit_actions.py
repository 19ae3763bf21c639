"""How the audit log reads the entries that growth records (see echo.audit)."""

from django.utils.translation import gettext_lazy as _

from echo import audit

audit.describe(
    {
        "growth.report.exported": (
            _("Annual report downloaded"),
            _("%(actor)s downloaded the annual report"),
        ),
    }
)
