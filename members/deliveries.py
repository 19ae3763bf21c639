"""The coordinators' page of emails that could not be delivered to people of
their region: recipients by pseudonym, never by address."""

import re
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echo import mail
from echo.models import OutgoingEmail

from . import emails as kinds
from . import roles
from .access import coordinator_required
from .models import Member
from .notifications import notify

# The failed deliveries page shows at most this many, the latest first.
FAILED_SHOWN = 200
# A mail server's error often quotes the address; the page never shows one.
ADDRESS = re.compile(r"[^\s<>\"'()\[\]]+@[^\s<>\"'()\[\]]+")


def failed_email_for_coordinator(user, code):
    """A failed email to someone of the coordinator's region, or a 404."""
    return get_object_or_404(
        OutgoingEmail,
        code=code,
        region=roles.coordinated_region(user) or None,
        state=OutgoingEmail.State.FAILED,
    )


@coordinator_required
def failed_deliveries(request):
    """Emails of the region that could not be delivered; recipients by
    pseudonym only, never by address."""
    emails = list(
        OutgoingEmail.objects.filter(
            region=roles.coordinated_region(request.user), state=OutgoingEmail.State.FAILED
        )
        .only(
            "code", "kind", "created_at", "attempts", "last_error", "recipient_code", "given_up_at"
        )
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
    return render(
        request,
        "members/failed_deliveries.html",
        {"emails": emails, "failed_body_days": settings.FAILED_EMAIL_BODY_DAYS},
    )


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


def tell_coordinators(sender, emails, **kwargs):
    """The sweep gave up failed emails (their bodies are cleared): each
    coordinator of their regions is told how many, with a link to the page
    that names the recipients by pseudonym. Never an address, never what the
    email said. A notice of this kind that is itself given up is not told
    again, or a dead mailbox would be told of its own failures forever."""
    by_region = defaultdict(list)
    for email in emails:
        if email.region and email.kind != kinds.DELIVERY_GIVEN_UP.name:
            by_region[email.region].append(email)
    for region, given_up in by_region.items():
        for coordinator in roles.coordinators_of(region):
            notify(
                coordinator,
                "members/notices/delivery_given_up.txt",
                kind=kinds.DELIVERY_GIVEN_UP,
                # Each email is given up once; its code makes the notice's key.
                key=kinds.DELIVERY_GIVEN_UP.key(coordinator.code, given_up[0].code),
                url=reverse("failed_deliveries"),
                count=len(given_up),
            )
