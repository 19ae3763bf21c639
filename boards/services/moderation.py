"""What moderators do: the review queue, decisions on posts, locking, pinning
and moving threads, mutes, suspensions, the watched words, and the log that
records each of them."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import roles
from members.models import Suspension

from ..models import Board, ModerationAction, Mute, Post, WatchedWord
from .common import BoardError, clean, community_board, log, moderates
from .locks import take_post_locks, take_thread_lock
from .notifications import tell_author
from .posting import revise
from .publishing import publish, unpublish

State = Post.State
Log = ModerationAction.Action


def review_queue(moderator):
    """Posts waiting for this moderator: safety concerns first, then oldest first."""
    return (
        Post.objects.filter(
            review_since__isnull=False, thread__board__in=Board.objects.moderated_by(moderator)
        )
        .select_related("thread__board__group", "author__member")
        .order_by(F("safety_concern_since").asc(nulls_last=True), "review_since", "pk")
    )


def _require_moderator(moderator, board):
    if not moderates(moderator, board):
        raise BoardError(_("Only the moderators of this board can do this."))


def _require_not_deleted(post):
    if post.state == State.DELETED:
        raise BoardError(_("Its author has deleted this post."))


def _as_seen(post):
    return post.state, post.review_since is not None


def _require_unchanged(post, seen):
    """A decision is about the post as the moderator was shown it: if someone
    else changed it in between (another moderator deciding at the same moment,
    a report, its author), it is refused rather than applied on top."""
    if _as_seen(post) != seen:
        raise BoardError(_("This cannot be done with the post as it is now."))


def _lock_for_decision(moderator, post):
    """Lock the post (and its thread, first), read it again, and check that
    the moderator still moderates where it is."""
    seen = _as_seen(post)
    take_post_locks(post)
    _require_moderator(moderator, post.thread.board)
    return seen


def _reviewed(post):
    post.review_since = None
    post.safety_concern_since = None
    post.save(update_fields=["review_since", "safety_concern_since"])
    post.reports.filter(handled_at__isnull=True).update(handled_at=timezone.now())


# Decisions on posts


@transaction.atomic
def approve_post(moderator, post):
    """Publish a waiting post, or keep a reported one up: it leaves the queue."""
    seen = _lock_for_decision(moderator, post)
    _require_not_deleted(post)
    _require_unchanged(post, seen)
    waited = not post.is_published
    if waited:
        publish(post)
    _reviewed(post)
    log(moderator, Log.APPROVED, post=post)
    # A reported post kept up: its author is not told it was reported.
    if waited:
        tell_author(moderator, post, "approved")
    return post


@transaction.atomic
def reject_post(moderator, post, reason):
    seen = _lock_for_decision(moderator, post)
    _require_not_deleted(post)
    reason = clean(reason, _("Tell the author why: they will read it."))
    _require_unchanged(post, seen)
    unpublish(post, State.REJECTED)
    post.reject_reason = reason
    post.save(update_fields=["reject_reason"])
    _reviewed(post)
    log(moderator, Log.REJECTED, post=post, reason=reason)
    tell_author(moderator, post, "rejected")
    return post


@transaction.atomic
def hide_post(moderator, post, reason=""):
    seen = _lock_for_decision(moderator, post)
    _require_not_deleted(post)
    _require_unchanged(post, seen)
    unpublish(post, State.HIDDEN)
    _reviewed(post)
    log(moderator, Log.HIDDEN, post=post, reason=reason.strip())
    tell_author(moderator, post, "hidden")
    return post


@transaction.atomic
def restore_post(moderator, post, reason=""):
    seen = _lock_for_decision(moderator, post)
    if post.state not in (State.HIDDEN, State.REJECTED):
        raise BoardError(_("Only a hidden or rejected post can be restored."))
    _require_unchanged(post, seen)
    publish(post)
    _reviewed(post)
    log(moderator, Log.RESTORED, post=post, reason=reason.strip())
    tell_author(moderator, post, "restored")
    return post


@transaction.atomic
def moderator_edit_post(moderator, post, *, body, content_warning, reason):
    """A new text by a moderator. Not refused when the post changed in the
    meantime: the text it replaces, read under the lock, is kept as a revision."""
    _lock_for_decision(moderator, post)
    reason = clean(reason, _("Say why you change the post: its author will see it."))
    body = clean(body, _("Write something first."))
    revise(post, moderator, body=body, content_warning=content_warning.strip(), reason=reason)
    log(moderator, Log.EDITED, post=post, reason=reason)
    tell_author(moderator, post, "edited")
    return post


# Threads and boards


@transaction.atomic
def lock_thread(moderator, thread, locked=True):
    take_thread_lock(thread)
    _require_moderator(moderator, thread.board)
    if thread.locked == locked:
        return  # Another moderator did it a moment ago; it is logged once.
    thread.locked = locked
    thread.save(update_fields=["locked"])
    log(moderator, Log.LOCKED if locked else Log.UNLOCKED, thread=thread)


@transaction.atomic
def pin_thread(moderator, thread, pinned=True):
    take_thread_lock(thread)
    _require_moderator(moderator, thread.board)
    if thread.pinned == pinned:
        return  # Another moderator did it a moment ago; it is logged once.
    thread.pinned = pinned
    thread.save(update_fields=["pinned"])
    log(moderator, Log.PINNED if pinned else Log.UNPINNED, thread=thread)


@transaction.atomic
def move_thread(moderator, thread, board, reason=""):
    # Checked on the board the thread is on once locked: it may just have moved.
    take_thread_lock(thread)
    _require_moderator(moderator, thread.board)
    _require_moderator(moderator, board)
    if board == thread.board:
        raise BoardError(_("The conversation is already on this board."))
    # Logged on both boards: the moderators of each can read what happened.
    log(moderator, Log.MOVED, thread=thread, reason=reason.strip())
    thread.board = board
    thread.save(update_fields=["board"])
    log(moderator, Log.MOVED, thread=thread, reason=reason.strip())


@transaction.atomic
def set_approve_every_post(moderator, board, approve):
    _require_moderator(moderator, board)
    board.approve_every_post = approve
    board.save(update_fields=["approve_every_post"])
    log(moderator, Log.SETTINGS, board=board)


# People


MUTE_DAYS = (1, 3, 7, 30)


@transaction.atomic
def mute_member(moderator, board, user, *, days, reason=""):
    _require_moderator(moderator, board)
    if days not in MUTE_DAYS:
        raise BoardError(_("Choose how long."))
    if user == moderator or moderates(user, board):
        raise BoardError(_("A moderator of this board cannot be muted in it."))
    Mute.objects.create(
        board=board,
        user=user,
        until=timezone.now() + timedelta(days=days),
        reason=reason.strip(),
        created_by=moderator,
    )
    log(moderator, Log.MUTED, board=board, subject=user, reason=reason.strip())


@transaction.atomic
def suspend_member(coordinator, member, *, length, reason):
    """Coordinators suspend a member of their own region from every board."""
    if not roles.is_coordinator(coordinator, member.region):
        raise BoardError(_("Only a coordinator of the member's region can suspend them."))
    if length not in Suspension.Length.values:
        raise BoardError(_("Choose how long."))
    reason = clean(reason, _("Give a reason: the member and the other moderators read it."))
    Suspension.objects.create(
        user=member.user,
        until=timezone.now() + timedelta(days=int(length)),
        reason=reason,
        created_by=coordinator,
    )
    log(coordinator, Log.SUSPENDED, board=community_board(), subject=member.user,
        reason=reason)  # fmt: skip


# Watched words


def _require_coordinator(user):
    if not roles.is_coordinator(user):
        raise BoardError(_("Only coordinators manage the watched words."))


def add_watched_word(coordinator, *, word, action):
    _require_coordinator(coordinator)
    word = " ".join(clean(word, _("Enter a word or phrase.")).split())
    if action not in WatchedWord.Action.values:
        raise BoardError(_("Choose what happens to a post with this word."))
    if WatchedWord.objects.filter(word__iexact=word).exists():
        raise BoardError(_("This word is already watched."))
    return WatchedWord.objects.create(word=word, action=action, created_by=coordinator)


def remove_watched_word(coordinator, word):
    _require_coordinator(coordinator)
    word.delete()


# The log


def moderation_log(user):
    """The log of the boards one moderates. Suspensions are logged on the
    community board; a coordinator reads those of their own region only."""
    return (
        ModerationAction.objects.filter(board__in=Board.objects.moderated_by(user))
        .exclude(
            Q(action=Log.SUSPENDED)
            & ~Q(subject__member__region=roles.coordinated_region(user) or None)
        )
        .select_related("board__group", "thread", "post", "actor__member", "subject__member")
        .order_by("-at", "-pk")
    )
