"""Views of meetings (stubs until written)."""

from django.http import Http404


def my_meetings(request, code=None, group_code=None):
    raise Http404


def history(request, code=None, group_code=None):
    raise Http404


def plan_meeting(request, code=None, group_code=None):
    raise Http404


def edit_series(request, code=None, group_code=None):
    raise Http404


def meeting(request, code=None, group_code=None):
    raise Http404


def rsvp(request, code=None, group_code=None):
    raise Http404


def edit_meeting(request, code=None, group_code=None):
    raise Http404


def cancel_meeting(request, code=None, group_code=None):
    raise Http404


def record_attendance(request, code=None, group_code=None):
    raise Http404
