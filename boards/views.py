"""Stub: replaced by the real views."""

from django.http import HttpResponse


def index(request, code=None):
    return HttpResponse("todo")


def search(request, code=None):
    return HttpResponse("todo")


def preferences(request, code=None):
    return HttpResponse("todo")


def board(request, code=None):
    return HttpResponse("todo")


def new_thread(request, code=None):
    return HttpResponse("todo")


def mark_board_read(request, code=None):
    return HttpResponse("todo")


def thread(request, code=None):
    return HttpResponse("todo")


def reply(request, code=None):
    return HttpResponse("todo")


def follow(request, code=None):
    return HttpResponse("todo")


def edit_post(request, code=None):
    return HttpResponse("todo")


def delete_post(request, code=None):
    return HttpResponse("todo")


def report_post(request, code=None):
    return HttpResponse("todo")


def queue(request, code=None):
    return HttpResponse("todo")


def review(request, code=None):
    return HttpResponse("todo")


def decide(request, code=None):
    return HttpResponse("todo")


def moderate_thread(request, code=None):
    return HttpResponse("todo")


def move_thread(request, code=None):
    return HttpResponse("todo")


def board_settings(request, code=None):
    return HttpResponse("todo")


def mute_member(request, code=None):
    return HttpResponse("todo")


def log(request, code=None):
    return HttpResponse("todo")


def suspend_member(request, code=None):
    return HttpResponse("todo")


def watched_words(request, code=None):
    return HttpResponse("todo")


def remove_watched_word(request, code=None):
    return HttpResponse("todo")
