"""Private calendar feeds (stubs until written)."""

from django.http import Http404


def calendar_settings(request, token=None):
    raise Http404


def calendar_feed(request, token=None):
    raise Http404
