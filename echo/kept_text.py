"""Nothing written is lost when a session ends: a form with free text that
arrives after the session ended (idle limit, absolute limit, the session
removed on the server, or a CSRF token that changed with a sign-in in
another tab) keeps its text for an hour, and once the same account has
signed in on the same browser the form is shown again with the text filled
in.

- A view opts in with `@keeps_text(form, fields)` (outermost decorator) and
  its form template carries `{% kept_text_writer %}`: a signed, keyed hash of
  the account that opened the form, so that the text can be given back to
  that account only, without knowing who it is before they sign in.
- The text is stored encrypted (`KeptText`), under the hash of a random
  token kept in a signed, HttpOnly cookie of this browser; nothing of it is
  in the cookie or in the browser's storage.
- After a sign-in (`members.adapters.AccountAdapter.post_login`) the person
  is sent to the form (`after_sign_in`); text written by another account is
  discarded then. The page view fills the form with `restore(...)`.
- Kept text goes once the form is sent, after `KEPT_FOR`, and with the account.
"""

import hashlib
import json
import secrets
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from .models import KeptText

KEPT_FOR = timedelta(hours=1)
COOKIE = "echo_kept"
# Sent by scripts that save as one types (static/echo/drafts.js): after the
# session ended they are told so; what is typed is kept when it is sent.
AUTOSAVE_HEADER = "X-Echo-Autosave"
WRITER_FIELD = "echo_writer"
_SALT = "echo.kept_text"
# Enough for the longest form Echo has; more is not kept.
MAX_LENGTH = 20_000
MAX_PER_WRITER = 10


def writer_of(user):
    """A keyed hash that names the account to Echo only."""
    return salted_hmac(f"{_SALT}.writer", str(user.pk), algorithm="sha256").hexdigest()


def writer_field_value(user):
    return signing.Signer(salt=_SALT).sign(writer_of(user))


def _writer_from(request):
    try:
        return signing.Signer(salt=_SALT).unsign(request.POST.get(WRITER_FIELD, ""))
    except signing.BadSignature:
        return None


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _token(request):
    return request.get_signed_cookie(COOKIE, default=None, salt=_SALT, max_age=KEPT_FOR)


def _current(request):
    token = _token(request)
    if not token:
        return KeptText.objects.none()
    return KeptText.objects.filter(
        token_hash=_hash(token), created_at__gt=timezone.now() - KEPT_FOR
    )


def _set_cookie(response, token):
    response.set_signed_cookie(
        COOKIE,
        token,
        salt=_SALT,
        max_age=int(KEPT_FOR.total_seconds()),
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def keep(request, form, fields, path):
    """Keep what was posted in `fields` for the account that opened the form;
    returns the browser's token, or None when there is nothing to keep (no
    text, or a form without a valid writer)."""
    writer = _writer_from(request)
    data = {field: request.POST.get(field, "")[:MAX_LENGTH] for field in fields}
    if writer is None or not any(value.strip() for value in data.values()):
        return None
    token = _token(request) or secrets.token_urlsafe(32)
    KeptText.objects.update_or_create(
        token_hash=_hash(token),
        form=form,
        path=path,
        defaults={"writer": writer, "data": json.dumps(data), "created_at": timezone.now()},
    )
    # Someone posting over and over after their session ended fills no table.
    extra = KeptText.objects.filter(writer=writer).order_by("-created_at")[MAX_PER_WRITER:]
    KeptText.objects.filter(pk__in=list(extra.values_list("pk", flat=True))).delete()
    return token


def keep_and_sign_in(request, form, fields, path):
    """The answer to a form that arrived without a session: keep the text
    and ask to sign in, back to the form afterwards."""
    token = keep(request, form, fields, path)
    response = redirect_to_login(path)
    if token:
        messages.info(
            request,
            _(
                "Your session had ended, so your message was not sent. It is kept "
                "for an hour: sign in again and it is offered to you to send."
            ),
        )
        _set_cookie(response, token)
    else:
        messages.info(request, _("Your session had ended. Please sign in again."))
    return response


def _page(page, request, kwargs):
    return page(request, **kwargs) if page else request.path


def keeps_text(form, fields, page=None):
    """For a view that takes free text (put it outermost, above the access
    decorators): a post that arrives without a session is kept, and the
    person is asked to sign in. `page(request, **kwargs)` is the URL of the
    page that shows the form, if the form posts elsewhere. A sent form (a
    redirect after a post) clears what was kept for it."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and not request.user.is_authenticated:
                if request.headers.get(AUTOSAVE_HEADER):
                    return JsonResponse({"signed_in": False}, status=401)
                return keep_and_sign_in(request, form, fields, _page(page, request, kwargs))
            response = view(request, *args, **kwargs)
            if request.method == "POST" and response.status_code in (301, 302, 303):
                forget(request, form, _page(page, request, kwargs))
            return response

        wrapped.keeps_text = (form, tuple(fields), page)
        return wrapped

    return decorator


def keeps_text_at(request):
    """(form, fields, page URL) of the view at this request's path if it keeps
    text, else None."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    keeps = getattr(match.func, "keeps_text", None)
    if keeps is None:
        return None
    form, fields, page = keeps
    return form, fields, _page(page, request, match.kwargs)


def keep_after_csrf_failure(request):
    """A form refused because its CSRF token no longer matches (the person
    signed in again in another tab, which changes the token): its text is
    kept as after a session that ended. Only for a post from Echo's own pages
    (the browser's Origin says so) and the account that opened the form.
    Returns the answer, or None to show the usual refusal."""
    # A draft saved by a script is refused plainly: the script tries again.
    autosave = request.headers.get(AUTOSAVE_HEADER)
    keeps = keeps_text_at(request) if request.method == "POST" and not autosave else None
    origin = request.headers.get("Origin")
    if keeps is None or origin != f"{request.scheme}://{request.get_host()}":
        return None
    form, fields, path = keeps
    if not request.user.is_authenticated:
        return keep_and_sign_in(request, form, fields, path)
    if not is_same_writer(request, request.user):
        return None
    token = keep(request, form, fields, path)
    if token is None:
        return None
    response = redirect(path)
    _set_cookie(response, token)
    return response


def restore(request, form):
    """What was kept of `form` on this page for the signed-in person, as the
    form's initial data ({} if nothing), with a word that it was kept."""
    if not request.user.is_authenticated:
        return {}
    kept = (
        _current(request)
        .filter(form=form, path=request.path, writer=writer_of(request.user))
        .order_by("-created_at")
        .first()
    )
    if kept is None:
        return {}
    messages.info(
        request,
        _(
            "What you wrote before your session ended is filled in again. "
            "It is not sent yet: check it and send it."
        ),
    )
    return json.loads(kept.data)


def forget(request, form, path):
    _current(request).filter(form=form, path=path).delete()


def after_sign_in(request, user):
    """Right after a sign-in: text kept on this browser for another account
    is discarded; the page of the latest text kept for this one, or None."""
    kept = _current(request)
    writer = writer_of(user)
    kept.exclude(writer=writer).delete()
    latest = kept.filter(writer=writer).order_by("-created_at").first()
    return latest.path if latest else None


def erase_writer(sender, user, **kwargs):
    """With the account (members' `account_erasing`): all kept for it, anywhere."""
    KeptText.objects.filter(writer=writer_of(user)).delete()


def personal_data(sender, user, **kwargs):
    """Members' `personal_data_requested`: what is kept for the person now."""
    kept = KeptText.objects.filter(writer=writer_of(user), created_at__gt=timezone.now() - KEPT_FOR)
    return {
        "kept_after_session_ended": [
            {"form": row.form, "text": json.loads(row.data), "at": row.created_at.isoformat()}
            for row in kept
        ]
    }


def purge():
    """Everything older than `KEPT_FOR` (a periodic task). Returns how many."""
    count, _details = KeptText.objects.filter(created_at__lte=timezone.now() - KEPT_FOR).delete()
    return count


def is_same_writer(request, user):
    writer = _writer_from(request)
    return writer is not None and constant_time_compare(writer, writer_of(user))
