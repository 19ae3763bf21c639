"""The lists the board pages show. Each is one query whatever its length:
authors come through joins and unread markers through EXISTS subqueries,
never a query per row."""

import re
from datetime import UTC, datetime, timedelta

from django.db.models import Exists, OuterRef, Q

from .access import visible_threads
from .models import Board, BoardRead, Post, ThreadRead

State = Post.State
THREADS_PER_PAGE = 25
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CURSOR = re.compile(r"^([01])-(\d{1,19})-(\d{1,19})$")


def unread_posts(user):
    """Published posts someone else wrote after the person's read marks: the
    thread's own mark, or the board's "mark all as read"."""
    return (
        Post.objects.filter(state=State.PUBLISHED, thread__published=True)
        .exclude(author=user)
        .exclude(
            Exists(
                ThreadRead.objects.filter(
                    thread=OuterRef("thread"), user=user, read_at__gte=OuterRef("published_at")
                )
            )
        )
        .exclude(
            Exists(
                BoardRead.objects.filter(
                    board__threads=OuterRef("thread"),
                    user=user,
                    read_at__gte=OuterRef("published_at"),
                )
            )
        )
    )


def boards_for(user):
    """The boards the person belongs to, each with `unread`."""
    return (
        Board.objects.readable_by(user)
        .select_related("group")
        .annotate(unread=Exists(unread_posts(user).filter(thread__board=OuterRef("pk"))))
        .order_by("kind", "group__name", "pk")
    )


def thread_list(user, board, *, after=None):
    """One page of the board's threads, pinned first then by last activity,
    from the keyset `after` (see `parse_cursor`) on. Returns the threads and
    the cursor of the next page (None on the last page)."""
    threads = (
        visible_threads(user)
        .filter(board=board)
        .select_related("author__member")
        .annotate(unread=Exists(unread_posts(user).filter(thread=OuterRef("pk"))))
        .order_by("-pinned", "-last_activity_at", "-id")
    )
    if after is not None:
        pinned, moment, pk = after
        later = Q(pinned=pinned, last_activity_at__lt=moment) | Q(
            pinned=pinned, last_activity_at=moment, id__lt=pk
        )
        if pinned:
            later |= Q(pinned=False)
        threads = threads.filter(later)
    rows = list(threads[: THREADS_PER_PAGE + 1])
    if len(rows) <= THREADS_PER_PAGE:
        return rows, None
    rows = rows[:THREADS_PER_PAGE]
    return rows, make_cursor(rows[-1])


def make_cursor(thread):
    """An opaque token for the position after `thread`: its keys, microseconds
    since 1970 for the time so that no time zone or '+' needs escaping."""
    moment = thread.last_activity_at - _EPOCH
    micros = (moment.days * 86400 + moment.seconds) * 1_000_000 + moment.microseconds
    return f"{int(thread.pinned)}-{micros}-{thread.pk}"


def parse_cursor(token):
    """The keys of a cursor, or None for anything that is not one: a bad or
    tampered link simply shows the first page."""
    match = _CURSOR.match(token or "")
    if not match:
        return None
    try:
        moment = _EPOCH + timedelta(microseconds=int(match[2]))
    except OverflowError:
        return None
    return match[1] == "1", moment, int(match[3])


def read_mark(user, thread):
    """Up to when the person has read the thread (its own mark or the board's)."""
    marks = [
        ThreadRead.objects.filter(thread=thread, user=user).values_list("read_at", flat=True),
        BoardRead.objects.filter(board=thread.board_id, user=user).values_list(
            "read_at", flat=True
        ),
    ]
    found = [mark for query in marks for mark in query[:1]]
    return max(found, default=None)


def thread_posts(user, thread, *, moderator):
    """The posts of a thread, oldest first. Readers see published posts, their
    own in any state, and a placeholder for a post that was published and then
    removed; moderators see everything."""
    posts = thread.posts.select_related("author__member", "quote__author__member").order_by(
        "created_at", "pk"
    )
    if not moderator:
        posts = posts.filter(
            Q(state=State.PUBLISHED)
            | Q(author=user)
            | Q(
                state__in=[State.HIDDEN, State.DELETED, State.REJECTED],
                published_at__isnull=False,
            )
        )
    return posts
