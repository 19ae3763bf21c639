import re

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from members.access import coordinator_required
from members.models import Member

from . import mail
from .models import OutgoingEmail

# The failed deliveries page shows at most this many, the latest first.
FAILED_SHOWN = 200
# A mail server's error often quotes the address; the page never shows one.
ADDRESS = re.compile(r"[^\s<>\"'()\[\]]+@[^\s<>\"'()\[\]]+")


def landing(request):
    return render(request, "landing.html")


def help_lines(request):
    return render(request, "help.html")


def privacy(request):
    return render(request, "privacy.html", {"version": settings.PRIVACY_STATEMENT_VERSION})


def second_factor_required(request):
    return render(request, "second_factor_required.html")


def set_language(request):
    """Django's language switch, remembered in the profile of a signed-in person
    (whose language otherwise wins, see echo.middleware)."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and check_for_language(language):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


def failed_email_for_coordinator(user, code):
    """A failed email to someone of the coordinator's region, or a 404."""
    return get_object_or_404(
        OutgoingEmail,
        code=code,
        region=user.coordinator_region,
        state=OutgoingEmail.State.FAILED,
    )


@coordinator_required
def failed_deliveries(request):
    """Emails of the region that could not be delivered; recipients by
    pseudonym only, never by address."""
    emails = list(
        OutgoingEmail.objects.filter(
            region=request.user.coordinator_region, state=OutgoingEmail.State.FAILED
        )
        .only("code", "kind", "created_at", "attempts", "last_error", "recipient_code")
        .order_by("-created_at", "-pk")[:FAILED_SHOWN]
    )
    pseudonyms = dict(
        Member.objects.filter(
            code__in={e.recipient_code for e in emails if e.recipient_code}
        ).values_list("code", "pseudonym")
    )
    for email in emails:
        email.recipient_name = pseudonyms.get(email.recipient_code, "")
        email.error_shown = ADDRESS.sub("…", email.last_error)
    return render(request, "echo/failed_deliveries.html", {"emails": emails})


@coordinator_required
@require_POST
def retry_delivery(request, code):
    email = failed_email_for_coordinator(request.user, code)
    state = mail.retry_delivery(request.user, email)
    if state == OutgoingEmail.State.PENDING:
        messages.success(request, _("The email will be sent again in a moment."))
    elif state == OutgoingEmail.State.MISSED:
        messages.info(request, _("The moment of this email has passed; it will not be sent."))
    return redirect("failed_deliveries")
