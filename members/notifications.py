"""Notices to members through the outbox, in their language and time zone.

A notice is one template with two partials, `subject` and `message`; the
frame around it (greeting, link, signature) is shared. In discreet mode the
email says only that there is news, with a link. A group is named only to a
member who chose full emails (`full_emails` in the template's context);
everyone else, coordinators too, reads "your group".
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from echo.mail import queue_email


def notify(person, notice, *, kind, key=None, url=None, due_at=None, expires_at=None, **context):
    """Queue `notice` (a template path) for a member, or for a coordinator's
    account; `key` makes it idempotent.

    `due_at` delays it; after `expires_at` it is no longer sent (see
    echo.mail.queue_email).
    """
    return queue_email(
        **envelope(person),
        **render(person, notice, url=url, **context),
        kind=kind,
        key=key,
        due_at=due_at,
        expires_at=expires_at,
    )


def envelope(person):
    """Who a notice to `person` goes to, as `queue_email` takes it."""
    user = getattr(person, "user", person)
    member = getattr(user, "member", None)
    return {
        "to": user.email,
        # Lets the coordinators of the region see it if it cannot be delivered.
        "region": member.region if member else user.coordinator_region,
        "recipient_code": member.code if member else user.code,
    }


def rendering(person):
    """What a notice's words depend on besides its template and context:
    people with the same read the same email (see `render`)."""
    user = getattr(person, "user", person)
    member = getattr(user, "member", None)
    return (
        user.language,
        user.time_zone,
        bool(member and member.discreet_emails),
        bool(member and member.full_emails),
    )


def render(person, notice, *, url=None, **context):
    """The subject and bodies of `notice` for `person`, in their language and
    time zone, discreet if they chose so. For a notice whose template does
    not read `member` (a meeting's reminder and list), what `rendering(person)`
    gives decides the words: one rendering serves everyone with the same."""
    user = getattr(person, "user", person)
    member = getattr(user, "member", None)
    url = settings.SITE_URL + (url or reverse("members:home"))
    full_emails = bool(member and member.full_emails)
    context = {"member": member, "url": url, **context, "full_emails": full_emails}
    with translation.override(user.language), timezone.override(user.time_zone):
        if member and member.discreet_emails:
            subject = gettext("Echo: news for you")
            message = gettext("There is news for you in Echo.")
        else:
            subject = render_to_string(f"{notice}#subject", context)
            message = render_to_string(f"{notice}#message", context).strip()
        frame = {"message": message, "url": url}
        body_text = render_to_string("email/notice_body.txt", frame)
        body_html = render_to_string("email/notice_body.html", frame)
    return {"subject": " ".join(subject.split()), "body_text": body_text, "body_html": body_html}
