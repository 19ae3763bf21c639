"""Drafts of posts, replies and changes to one's own post: saved with the
form's "Save draft" button and, while one types, by static/echo/drafts.js;
filled in again when the form is opened; deleted once it is sent. Only the
author reaches a draft: every lookup here carries them.

The views call `answer_draft_post` first (a post that saves or discards the
draft), `initial` for the form, and `discard` once the message is sent.
Text kept after a session ended (`echo.kept_text`) is newer than any draft
and wins."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from echo import kept_text
from echo.middleware import session_remaining

from .models import Draft

FIELDS = ("title", "body", "content_warning", "quote")
# Sane bounds on what a draft takes, whatever is posted.
MAX_LENGTHS = {"title": 120, "body": 20_000, "content_warning": 200, "quote": 32}
AUTOSAVE_HEADER = kept_text.AUTOSAVE_HEADER


def draft_of(user, **target):
    return Draft.objects.filter(author=user, **target).first()


def save(user, target, data):
    values = {field: (data.get(field) or "")[: MAX_LENGTHS[field]] for field in FIELDS}
    draft, _created = Draft.objects.update_or_create(
        author=user, **target, defaults=values | {"updated_at": timezone.now()}
    )
    return draft


def discard(user, **target):
    Draft.objects.filter(author=user, **target).delete()


def answer_draft_post(request, target):
    """The answer to a post that saves ("save_draft", by the button or the
    script) or discards ("discard_draft") the draft, else None."""
    autosave = bool(request.headers.get(AUTOSAVE_HEADER))
    if "save_draft" in request.POST:
        save(request.user, target, request.POST)
        if autosave:
            # What the session has left, for the notice before the idle limit.
            remaining = session_remaining(request)
            return JsonResponse({"saved": True, "remaining": remaining})
        messages.success(request, _("Your draft is saved. Only you can see it."))
        return redirect(request.get_full_path())
    if "discard_draft" in request.POST:
        discard(request.user, **target)
        messages.success(request, _("Your draft is deleted."))
        return redirect(request.get_full_path())
    return None


def initial(request, form, target, base=None):
    """The form's first values: what was kept when the session ended, else
    the draft (said so), else `base`."""
    base = dict(base or {})
    kept = kept_text.restore(request, form)
    if kept:
        return base | kept
    return base | _offered(request, draft_of(request.user, **target))


def _offered(request, draft):
    """The draft's values for a form, said to be filled in."""
    if draft is None:
        return {}
    messages.info(
        request,
        _("Your draft of %(when)s is filled in. Only you can see it.")
        % {"when": formats.date_format(timezone.localtime(draft.updated_at), "DATETIME_FORMAT")},
    )
    return {field: getattr(draft, field) for field in FIELDS if getattr(draft, field)}


def reply_on_thread_page(request, thread, *, form_shown):
    """The first values of the reply form under a conversation. The draft is
    looked up on every page, so that every page costs the same; only the
    page with the form offers it."""
    draft = draft_of(request.user, thread=thread)
    return _offered(request, draft) if form_shown else {}


def has_draft(user, **target):
    return Draft.objects.filter(author=user, **target).exists()


def of_author(user):
    """For the personal-data export."""
    return [
        {
            "title": draft.title,
            "text": draft.body,
            "content_warning": draft.content_warning,
            "saved_at": draft.updated_at.isoformat(),
        }
        for draft in Draft.objects.filter(author=user)
    ]
