"""Business rules of the message boards: writing, screening, reporting and
moderating. Views and tasks call these; each takes the acting person first.

Callers import this package; the work is split by concern:
- `common`: the error the services refuse with, the shared boards, who
  moderates a board and who may write in it now;
- `posting`: writing (screened on the way in), editing, deleting, reporting,
  read marks, following and preferences;
- `moderation`: the review queue, decisions on posts and threads, mutes,
  suspensions, watched words and the moderation log;
- `publishing`: a post entering or leaving its thread's published posts,
  and the thread's figures counted again from its rows;
- `locks`: the row locks every change of a post or thread takes first, and
  why the thread comes before the post;
- `notifications`: safety concerns, replies to followers and the digest;
- `search`.
"""

from .common import BoardError, board_of, community_board, may_post, moderates, staff_room
from .moderation import (
    MUTE_DAYS,
    add_watched_word,
    approve_post,
    hide_post,
    lock_thread,
    moderation_log,
    moderator_edit_post,
    move_thread,
    mute_member,
    pin_thread,
    reject_post,
    remove_watched_word,
    restore_post,
    review_queue,
    set_approve_every_post,
    suspend_member,
)
from .notifications import flag_safety_concern, send_digests
from .posting import (
    delete_post,
    delete_posts_of,
    edit_post,
    follow,
    mark_board_read,
    mark_thread_read,
    reply,
    report_post,
    save_preferences,
    shows_help_lines,
    start_thread,
)
from .search import search

__all__ = [
    "MUTE_DAYS",
    "BoardError",
    "add_watched_word",
    "approve_post",
    "board_of",
    "community_board",
    "delete_post",
    "delete_posts_of",
    "edit_post",
    "flag_safety_concern",
    "follow",
    "hide_post",
    "lock_thread",
    "mark_board_read",
    "mark_thread_read",
    "may_post",
    "moderates",
    "moderation_log",
    "moderator_edit_post",
    "move_thread",
    "mute_member",
    "pin_thread",
    "reject_post",
    "remove_watched_word",
    "reply",
    "report_post",
    "restore_post",
    "review_queue",
    "save_preferences",
    "search",
    "set_approve_every_post",
    "send_digests",
    "shows_help_lines",
    "staff_room",
    "start_thread",
    "suspend_member",
]
