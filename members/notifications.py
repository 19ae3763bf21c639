"""Notices to people: inside Echo always, and by email as each person chose.

A notice is one template with two partials, `subject` and `message`, and
optionally `inbox` (what Echo shows when the email holds more than the page
it links to would show, such as a meeting's place); the frame of an email
(greeting, link, signature) is shared.

Every notice is kept in Echo (`members.Notice`) as its template, kind and a
few plain parameters, and what it is about (`target`): it is worded when
read, in the reader's language then, and shown only while the person may
still see its target. Emails follow `Member.emails`: full (groups named),
unnamed (details, "your group"), discreet (only that there is news, with a
link) or none. Coordinators (no `Member`) get full emails without names.
"""

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from echo.mail import queue_email

from .models import Member, Notice, notice_targets


def notify(
    person,
    notice,
    *,
    kind,
    key=None,
    url=None,
    target=None,
    target_type=None,
    due_at=None,
    expires_at=None,
    **context,
):
    """Keep `notice` (a template path) in Echo for a member, or for a
    coordinator's account, and queue its email if they want emails; `key`
    makes both idempotent; `target` is the instance the notice is about,
    `target_type` the name its app registered it under with
    `register_notice_target` (by default its model's label): that decides
    who may still read the notice.

    `due_at` delays the email; after `expires_at` it is no longer sent (see
    echo.mail.queue_email).
    """
    keep_notices(
        [
            notice_row(
                person,
                notice,
                kind=kind,
                key=key,
                url=url,
                target=target,
                target_type=target_type,
                **context,
            )
        ]
    )
    if not wants_emails(person):
        return None
    return queue_email(
        **envelope(person),
        **render(person, notice, url=url, **context),
        kind=kind,
        key=key,
        due_at=due_at,
        expires_at=expires_at,
    )


def wants_emails(person):
    """The person gets notices by email too (sign-in and security emails
    go out regardless: they are allauth's, see members.adapters)."""
    user = getattr(person, "user", person)
    member = getattr(user, "member", None)
    return not (member and member.emails == Member.Emails.NONE)


# A code such as a status ("approved"), never words someone wrote.
_CODE = re.compile(r"[a-z0-9_.-]{0,40}")


def _plain(value):
    """Kept in a notice as it is: a yes or no, a count or a code. Free text
    (a kind word, a reason) is left out: it stays encrypted where it was
    written, or only in the encrypted email."""
    if isinstance(value, str):
        return _CODE.fullmatch(value) is not None
    return isinstance(value, (bool, int))


def notice_row(
    person, notice, *, kind, key=None, url=None, target=None, target_type=None, **context
):
    """The notice in Echo, unsaved: only plain values of `context` are kept
    (a count, a yes or no); objects are found again when it is read, through
    `target`, so no free text is copied."""
    user = getattr(person, "user", person)
    return Notice(
        user=user,
        kind=kind.name,
        template=notice,
        params={name: value for name, value in context.items() if _plain(value)},
        url=url or "",
        target_type=(target_type or target._meta.label_lower) if target is not None else "",
        target=target.code if target is not None else "",
        key=key,
    )


def keep_notices(rows):
    """Store notices in Echo, in one statement; one whose key is already kept
    is skipped, so that sending a notice twice keeps it once."""
    if rows:
        Notice.objects.bulk_create(rows, ignore_conflicts=True)


def notify_each(people, notice, *, kind, key_of, **common):
    """`notify` for many people at once: the notices in Echo kept in one
    statement, then each email as the person chose. `key_of(person)` gives
    each one's key."""
    people = list(people)
    keep_notices(
        [notice_row(person, notice, kind=kind, key=key_of(person), **common) for person in people]
    )
    context = {
        name: value for name, value in common.items() if name not in ("target", "target_type")
    }
    for person in people:
        if wants_emails(person):
            queue_email(
                **envelope(person),
                **render(person, notice, **context),
                kind=kind,
                key=key_of(person),
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


def target_context(notices, user):
    """For each of `notices` (of `user`), what its template reads about its
    target, found with the owning app's access rule: one query per kind of
    target. A notice whose target the person can no longer see gets None."""
    wanted = {}
    for notice in notices:
        if notice.target_type:
            wanted.setdefault(notice.target_type, set()).add(notice.target)
    found = {}
    targets = notice_targets()
    for label, codes in wanted.items():
        if label not in targets:
            continue
        readable, context = targets[label]
        for instance in readable(user).filter(code__in=codes):
            found[label, instance.code] = context(instance)
    return {
        notice.pk: (found.get((notice.target_type, notice.target)) if notice.target_type else {})
        for notice in notices
    }
