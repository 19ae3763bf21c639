"""The inbox: a person's notices inside Echo, read, marked read and cleared.

What a notice says is worded here, when it is read: in the language the
person reads Echo in now, its times in their time zone, with what it is
about found again through the owning app's access rule (see
`Notice.objects.visible_to`). A notice about something the person can no
longer see is neither listed nor counted nor opened.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from echo.email_kinds import label_of

from .models import Notice
from .notifications import target_context


def notices_of(user):
    """The person's notices they may still see, newest first."""
    return Notice.objects.visible_to(user)


def unread_count(user):
    """How many of them are unread (the navigation, on every page). Only the
    access rules of the kinds of target the unread notices have are built:
    building every rule on every page cost about 50 ms of Python a request
    (`make bench`). One query when nothing is unread, two otherwise."""
    types = set(
        Notice.objects.filter(user=user)
        .unread()
        .order_by()
        .values_list("target_type", flat=True)
        .distinct()
    )
    if not types:
        return 0
    return Notice.objects.visible_to(user, target_types=types).unread().count()


def _words(notice, context):
    if notice.is_security:
        return gettext("New sign-in on %(device)s. Not you? Go to Security.") % {
            "device": notice.device
        }
    context = {**notice.params, **context}
    # Inside Echo a group may be named: the person sees its name on its page.
    context["full_emails"] = "group" in context
    try:
        text = render_to_string(f"{notice.template}#inbox", context)
    except TemplateDoesNotExist:
        text = render_to_string(f"{notice.template}#message", context)
    return text.strip()


def title(notice):
    if notice.is_security:
        return gettext("Sign-in from a new browser")
    return label_of(notice.kind)


def worded(notices, user):
    """`notices` with their `title` and `text` worded for the reader now;
    those whose target the reader can no longer see are left out."""
    notices = list(notices)
    contexts = target_context(notices, user)
    shown = []
    for notice in notices:
        context = contexts[notice.pk]
        if context is None:
            continue
        notice.title = title(notice)
        notice.text = _words(notice, context)
        shown.append(notice)
    return shown


def notice_for(user, code):
    """One of the person's notices they may still see, or None."""
    return notices_of(user).filter(code=code).first()


def mark_read(notice):
    if notice.read_at is None:
        notice.read_at = timezone.now()
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at)
    return notice


def mark_all_read(user):
    """Every notice of the person is read, those they can no longer see too."""
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def clear_read(user):
    """The person clears the notices they have read; how many went."""
    deleted, _kinds = Notice.objects.filter(user=user, read_at__isnull=False).delete()
    return deleted


def delete_old_notices(now=None):
    """Notices older than `NOTICE_DAYS` go, read or not (a daily task)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.NOTICE_DAYS)
    deleted, _kinds = Notice.objects.filter(created_at__lt=cutoff).delete()
    return deleted
