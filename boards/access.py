"""Who reaches which board, thread and post: the person is inside the query,
and an outsider gets a 404 that says nothing, not even that it exists."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from groups.access import facilitator_or_coordinator_required
from members import roles
from members.access import requires, second_factor_first

from .models import Board, Post, Thread


def _reads_boards(user):
    return roles.active_member(user) is not None or roles.is_coordinator_account(user)


def reader_required(view):
    """Active members read their boards; coordinators (with their second
    factor) read and moderate theirs."""
    checked = second_factor_first(view)

    def second_factor_for_coordinators(request, *args, **kwargs):
        if roles.is_coordinator_account(request.user):
            return checked(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    return requires(_reads_boards)(second_factor_for_coordinators)


moderator_required = facilitator_or_coordinator_required


def visible_threads(user):
    """Published threads, one's own waiting ones, and all of the boards one moderates."""
    return Thread.objects.filter(
        Q(published=True) | Q(author=user) | Q(board__in=Board.objects.moderated_by(user)),
        board__in=Board.objects.readable_by(user),
    )


def board_for_reader(user, code):
    return get_object_or_404(Board.objects.readable_by(user).select_related("group"), code=code)


def thread_for_reader(user, code):
    return get_object_or_404(visible_threads(user).select_related("board__group"), code=code)


def post_for_reader(user, code):
    """A post one may see: published, or one's own, or any on a board one moderates."""
    return get_object_or_404(
        Post.objects.filter(thread__in=visible_threads(user))
        .filter(
            Q(state=Post.State.PUBLISHED)
            | Q(author=user)
            | Q(thread__board__in=Board.objects.moderated_by(user))
        )
        .select_related("thread__board__group"),
        code=code,
    )


def board_for_moderator(user, code):
    return get_object_or_404(Board.objects.moderated_by(user).select_related("group"), code=code)


def thread_for_moderator(user, code):
    return get_object_or_404(
        Thread.objects.filter(board__in=Board.objects.moderated_by(user)).select_related(
            "board__group"
        ),
        code=code,
    )


def post_for_moderator(user, code):
    return get_object_or_404(
        Post.objects.filter(thread__board__in=Board.objects.moderated_by(user)).select_related(
            "thread__board__group", "author__member"
        ),
        code=code,
    )
