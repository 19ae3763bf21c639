from django.conf import settings
from django.shortcuts import render


def landing(request):
    return render(request, "landing.html")


def help_lines(request):
    return render(request, "help.html")


def privacy(request):
    return render(request, "privacy.html", {"version": settings.PRIVACY_STATEMENT_VERSION})


def second_factor_required(request):
    return render(request, "second_factor_required.html")
