from django.conf import settings
from django.shortcuts import render
from django.utils.translation import check_for_language
from django.views.i18n import set_language as django_set_language

from .middleware import remember_language


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
    if request.method == "POST" and check_for_language(language):
        remember_language(request, language)
    return response
