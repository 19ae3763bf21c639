import logging

from django.conf import settings
from django.contrib.auth import logout
from django.db import DatabaseError
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import check_for_language, get_language
from django.views.decorators.http import require_GET, require_http_methods
from django.views.i18n import set_language as django_set_language

from . import help_lines as lines
from . import kept_text
from .middleware import remember_language, session_remaining
from .sessions import needs_no_database

logger = logging.getLogger(__name__)

# The views marked `needs_no_database` answer while the database is down
# (see echo.sessions and tests/echo/test_database_down.py).


@needs_no_database
def landing(request):
    return render(request, "landing.html")


@needs_no_database
def help_lines(request):
    return render(request, "help.html")


@needs_no_database
def browsing(request):
    """How to leave no trace in the browser: history, private windows."""
    return render(request, "browsing.html")


@needs_no_database
@require_GET
def quick_exit(request):
    """The quick-exit button: ends the session on the server, then sends the
    browser to the neutral QUICK_EXIT_URL. A plain link, so that it works
    without JavaScript; echo.js follows it with `location.replace`. Signing
    someone out is all a link from elsewhere could make it do."""
    try:
        logout(request)
    except DatabaseError:
        # The session stays in the database until it expires; the browser
        # loses its cookie now, and leaving comes first.
        logger.warning("Quick exit while the database is unavailable")
        request.session.database_unavailable = True
        request.session.flush()
    return redirect(settings.QUICK_EXIT_URL)


def server_error(request):
    """The error page with the default help lines: never the database, which
    may be what failed."""
    html = loader.render_to_string("500.html", {"help_lines": lines.every_default()})
    return HttpResponseServerError(html)


@needs_no_database
def privacy(request):
    language = (get_language() or "nl")[:2]
    authority = settings.DATA_PROTECTION_AUTHORITY
    return render(
        request,
        "privacy.html",
        {
            "version": settings.PRIVACY_STATEMENT_VERSION,
            "organisation": settings.ORGANISATION_NAME,
            "organisation_address": settings.ORGANISATION_ADDRESS,
            "privacy_contact": settings.PRIVACY_CONTACT_EMAIL,
            "authority_url": authority.get(language, authority["en"]),
        },
    )


@needs_no_database
def guidelines(request):
    return render(request, "guidelines.html")


def second_factor_required(request):
    return render(request, "second_factor_required.html")


def set_language(request):
    """Django's language switch, remembered in the profile of a signed-in person
    (whose language otherwise wins, see echo.middleware)."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and check_for_language(language):
        remember_language(request, language)
    return response


@require_http_methods(["GET", "POST"])
def session(request):
    """For the notice before the idle limit (static/echo/session.js): how
    long this session has left. Asking does not count as activity; a post
    ("stay signed in") does, in `echo.middleware.session_limits`, which also
    ends a session that is over before this view is reached."""
    return JsonResponse(
        {"signed_in": request.user.is_authenticated, "remaining": session_remaining(request)}
    )


def csrf_failure(request, reason=""):
    """Django's refusal of a form whose CSRF check failed, except that free
    text written in Echo is not lost (`kept_text.keep_after_csrf_failure`)."""
    return kept_text.keep_after_csrf_failure(request) or render(
        request, "403_csrf.html", status=403
    )
