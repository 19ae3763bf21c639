"""What every part of the board services shares: the error they refuse with,
the shared boards, who moderates a board and who may write in it now, and
the moderation log's pen."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import roles

from ..models import Board, ModerationAction, Mute


class BoardError(ValueError):
    """Refused, with a message the person can act on."""


# Boards


# The community board and the staff room come from a data migration
# (0004_community_board_and_staff_room): here they are only looked up.


def community_board():
    return Board.objects.get(kind=Board.Kind.COMMUNITY)


def staff_room():
    return Board.objects.get(kind=Board.Kind.STAFF)


def board_of(group):
    """Made with the group (see signals)."""
    return Board.objects.get_or_create(kind=Board.Kind.GROUP, group=group)[0]


def moderates(user, board):
    known = getattr(board, "moderated", None)
    if known is not None:
        return known
    return Board.objects.moderated_by(user).filter(pk=board.pk).exists()


def muting(user, board):
    """The person's mute on the board right now, as a query."""
    return Mute.objects.filter(user=user, board=board, until__gt=timezone.now())


def may_post(user, board):
    """Why the person may not write in the board now, or None. A page that
    looked the board up with `queries.with_posting_state` asks no query."""
    suspended = getattr(board, "suspended", None)
    if suspended is None:
        suspended = roles.is_suspended(user)
    if suspended:
        return _(
            "You are suspended from the boards for a while. Your coordinator can tell you more."
        )
    muted = getattr(board, "muted", None)
    if muted is None:
        muted = muting(user, board).exists()
    if muted:
        return _("A moderator has paused your posts on this board for a while.")
    return None


def clean(text, message):
    """The text without surrounding blanks; refused with `message` if that leaves nothing."""
    text = (text or "").strip()
    if not text:
        raise BoardError(message)
    return text


def log(actor, action, *, board=None, thread=None, post=None, subject=None, reason=""):
    """One line in the moderation log; `actor` None for what Echo did by itself."""
    thread = thread or (post.thread if post else None)
    ModerationAction.objects.create(
        board=board or thread.board,
        thread=thread,
        post=post,
        actor=actor,
        action=action,
        subject=subject,
        reason=reason,
    )
