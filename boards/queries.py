"""The lists the board pages show. Each is one query whatever its length:
authors come through joins and unread markers through EXISTS subqueries,
never a query per row."""

import re
from datetime import UTC, datetime, timedelta

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from members import roles

from .access import visible_threads
from .models import Board, BoardRead, Follow, Mute, Post, Preferences, Thread, ThreadRead

State = Post.State
THREADS_PER_PAGE = 25
# The member home lists threads with news that moved within this time: the
# board list shows the older ones, and the home stays one short query.
NEWS_WINDOW = timedelta(days=30)
POSTS_PER_PAGE = 20
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CURSOR = re.compile(r"^([01])-(\d{1,19})-(\d{1,19})$")


def unread_posts(user):
    """Published posts someone else wrote after the person's read marks: the
    thread's own mark, or the board's "mark all as read". Each mark is one
    index probe by its unique key (thread or board, user)."""
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
                    board=OuterRef("thread__board"),
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


def _posting_state(user, board_ref):
    """What a page needs to know about the person on a board, as annotations:
    whether they moderate it, are suspended or muted (see `services.may_post`)."""
    return {
        "moderated": Exists(Board.objects.moderated_by(user).filter(pk=board_ref)),
        "suspended": Exists(roles.suspension_of(user)),
        "muted": Exists(Mute.objects.filter(user=user, board=board_ref, until__gt=timezone.now())),
    }


def board_page(user, code):
    """The board (404 to an outsider), with the person's posting state and
    their "mark all as read" (`read_at`, None if never)."""
    boards = Board.objects.readable_by(user).select_related("group")
    return get_object_or_404(
        boards.annotate(
            **_posting_state(user, OuterRef("pk")),
            read_at=Subquery(
                BoardRead.objects.filter(board=OuterRef("pk"), user=user).values("read_at")[:1]
            ),
        ),
        code=code,
    )


def _visible_posts(user):
    """The posts the person sees in a thread (see `thread_posts`), as one condition."""
    return (
        Q(state=State.PUBLISHED)
        | Q(author=user)
        | Q(state__in=[State.HIDDEN, State.DELETED, State.REJECTED], published_at__isnull=False)
        | Q(thread__board__in=Board.objects.moderated_by(user))
    )


def thread_page(user, code):
    """The thread (404 to an outsider) with everything its page asks about the
    person, in one query: posting state, following, read marks, folding, the
    first and last post they see and their first unread post."""
    thread_ref = OuterRef("pk")
    seen = Post.objects.filter(_visible_posts(user), thread=thread_ref)

    def code_of(posts):
        return Subquery(posts.values("code")[:1])

    # The first unread post (as `unread_posts`): looked for only in a thread
    # active since the read marks (see `_with_unread`), from its first post on.
    unread = (
        Post.objects.filter(
            thread=thread_ref, state=State.PUBLISHED, published_at__gt=OuterRef("read_mark")
        )
        .exclude(author=user)
        .order_by("created_at", "pk")
    )
    thread = get_object_or_404(
        visible_threads(user)
        .select_related("board__group")
        .annotate(
            **_posting_state(user, OuterRef("board_id")),
            following=Exists(Follow.objects.filter(thread=thread_ref, user=user)),
            thread_read_at=Subquery(
                ThreadRead.objects.filter(thread=thread_ref, user=user).values("read_at")[:1]
            ),
            board_read_at=Subquery(
                BoardRead.objects.filter(board=OuterRef("board_id"), user=user).values("read_at")[
                    :1
                ]
            ),
            fold_warnings=Subquery(
                Preferences.objects.filter(user=user).values("fold_warnings")[:1]
            ),
            first_code=code_of(seen.order_by("created_at", "pk")),
            last_code=code_of(seen.order_by("-created_at", "-pk")),
        )
        .annotate(
            read_mark=Greatest(
                Coalesce("thread_read_at", Value(_EPOCH)), Coalesce("board_read_at", Value(_EPOCH))
            )
        )
        .annotate(
            first_unread_code=Case(
                When(
                    Q(published=True, last_activity_at__gt=F("read_mark")),
                    then=code_of(unread),
                ),
                default=None,
            )
        ),
        code=code,
    )
    for name in ("moderated", "suspended", "muted"):
        setattr(thread.board, name, getattr(thread, name))
    marks = [m for m in (thread.thread_read_at, thread.board_read_at) if m is not None]
    thread.read_at = max(marks, default=None)
    if thread.fold_warnings is None:
        thread.fold_warnings = Preferences(user=user).fold_warnings
    return thread


def thread_list(user, board, *, moderator, after=None):
    """One page of the board's threads, pinned first then by last activity,
    from the keyset `after` (see `parse_cursor`) on. Returns the threads and
    the cursor of the next page (None on the last page).

    `board` is one the person reads (from `board_page`), and `moderator` says
    whether they moderate it: the query then only narrows to the threads they
    see on it (`visible_threads`, without asking the roles again)."""
    threads = Thread.objects.filter(board=board)
    if not moderator:
        threads = threads.filter(Q(published=True) | Q(author=user))
    threads = (
        _with_unread(threads, user, board)
        .select_related("author__member")
        .only(
            *(f.name for f in Thread._meta.concrete_fields if f.name != "author"),
            "author_id",
            *(f"author__{field}" for field in _AUTHOR),
        )
        .order_by("-pinned", "-last_activity_at", "-id")
    )
    if after is not None:
        pinned, moment, pk = after
        # "Before (moment, pk)", with the bound on its own so that the index
        # (`thread_list`) starts at the cursor instead of filtering the pages before.
        later = Q(pinned=pinned, last_activity_at__lte=moment) & (
            Q(last_activity_at__lt=moment) | Q(id__lt=pk)
        )
        if pinned:
            later |= Q(pinned=False)
        threads = threads.filter(later)
    rows = list(threads[: THREADS_PER_PAGE + 1])
    share_authors(rows)
    if len(rows) <= THREADS_PER_PAGE:
        return rows, None
    rows = rows[:THREADS_PER_PAGE]
    return rows, make_cursor(rows[-1])


def _with_unread(threads, user, board):
    """Each thread with `unread`: a post someone else published after the
    person's read marks (as `unread_posts`). The thread's mark is one probe
    by its unique key, the board's was read with the board (`board_page`),
    and only a thread whose last activity (its latest publication, see
    `publishing.recount`) is after the mark has its posts looked at."""
    board_mark = getattr(board, "read_at", None) or _EPOCH
    own_mark = ThreadRead.objects.filter(thread=OuterRef("pk"), user=user).values("read_at")
    newer = Post.objects.filter(
        thread=OuterRef("pk"), state=State.PUBLISHED, published_at__gt=OuterRef("read_mark")
    ).exclude(author=user)
    return threads.annotate(
        read_mark=Greatest(Coalesce(Subquery(own_mark[:1]), Value(_EPOCH)), Value(board_mark))
    ).annotate(
        unread=Case(
            When(Q(published=True, last_activity_at__gt=F("read_mark")), then=Exists(newer)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


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


# What a thread page shows of a post, its author and its quote: not the
# Markdown source or search text, not the author's password hash or email,
# nothing of the member but the pseudonym (no encrypted field is decrypted).
_AUTHOR = ["coordinator_region", "member__pseudonym", "member__user_id"]
_SHOWN = [
    *(
        field
        for field in [
            "code",
            "thread_id",
            "author_id",
            "body_html",
            "content_warning",
            "quote_id",
            "state",
            "hold_reasons",
            "reject_reason",
            "created_at",
            "published_at",
            "edited_at",
            "moderator_edit_reason",
            "review_since",
            "safety_concern_since",
        ]
    ),
    *(f"author__{field}" for field in _AUTHOR),
    *(
        f"quote__{field}"
        for field in ["code", "state", "content_warning", "body_html", "author_id"]
    ),
    *(f"quote__author__{field}" for field in _AUTHOR),
]


def thread_page_posts(user, thread, *, moderator, after=None, before=None, start=None, last=False):
    """One page of the thread's posts, oldest first: a keyset from a post's
    code (`after` it, `before` it, or from `start` on), the `last` page, or the
    first. An unknown code gives an empty page."""
    posts = thread_posts(user, thread, moderator=moderator)
    anchor_code = after or before or start
    if anchor_code:
        anchor = Post.objects.filter(thread=thread, code=anchor_code)
        moment = Subquery(anchor.values("created_at")[:1])
        pk = Subquery(anchor.values("pk")[:1])
        if before:
            posts = posts.filter(
                Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk)
            ).reverse()
        elif after:
            posts = posts.filter(Q(created_at__gt=moment) | Q(created_at=moment, pk__gt=pk))
        else:
            posts = posts.filter(Q(created_at__gt=moment) | Q(created_at=moment, pk__gte=pk))
    elif last:
        posts = posts.reverse()
    rows = list(posts[:POSTS_PER_PAGE])
    if before or (last and not anchor_code):
        rows.reverse()
    share_authors([*rows, *(post.quote for post in rows if post.quote_id)])
    return rows


def share_authors(items):
    """One account object per author among `items` (posts or threads): what
    is worked out about the person to show them, such as whether their
    pseudonym may be shown (`Member.shown_pseudonym`, a screening), is then
    worked out once per page, not once per post."""
    seen = {}
    for item in items:
        if item.author_id is not None:
            item.author = seen.setdefault(item.author_id, item.author)


def thread_posts(user, thread, *, moderator):
    """The posts of a thread, oldest first. Readers see published posts, their
    own in any state, and a placeholder for a post that was published and then
    removed; moderators see everything."""
    posts = (
        thread.posts.select_related("author__member", "quote__author__member")
        .only(*_SHOWN)
        .order_by("created_at", "pk")
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


def threads_with_news(user, now=None):
    """Threads of the person's boards with posts they have not read, that
    moved within `NEWS_WINDOW`; the latest first."""
    since = (now or timezone.now()) - NEWS_WINDOW
    return (
        visible_threads(user)
        .filter(published=True, last_activity_at__gte=since)
        .filter(Exists(unread_posts(user).filter(thread=OuterRef("pk"))))
        .select_related("board__group")
        .order_by("-last_activity_at", "-id")
    )
