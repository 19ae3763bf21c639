from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import check_for_language
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language as django_set_language

from . import kept_text
from .middleware import session_remaining


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
