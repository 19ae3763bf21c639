"""Views of peer groups (stubs until written)."""

from django.http import Http404


def facilitator_home(request, code=None):
    raise Http404


def groups(request, code=None):
    raise Http404


def create_group(request, code=None):
    raise Http404


def group(request, code=None):
    raise Http404


def edit_group(request, code=None):
    raise Http404


def archive_group(request, code=None):
    raise Http404


def join_group(request, code=None):
    raise Http404


def leave_group(request, code=None):
    raise Http404


def roster(request, code=None):
    raise Http404


def write_to_group(request, code=None):
    raise Http404


def place_member(request, code=None):
    raise Http404


def set_group_role(request, code=None):
    raise Http404


def remove_from_group(request, code=None):
    raise Http404


def decide_join_request(request, code=None):
    raise Http404


def withdraw_join_request(request, code=None):
    raise Http404
