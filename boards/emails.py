"""The kinds of email the boards app sends (see echo.email_kinds)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from echo.email_kinds import register

SAFETY_CONCERN = register("boards.safety_concern", _("Safety concern on a board"), prefix="safety")
REPLY = register("boards.reply", _("Reply in a followed conversation"), prefix="reply")
# Not "digest": that is the meetings' list of who is coming.
DIGEST = register("boards.digest", _("Daily digest of the boards"), prefix="board-digest")
DECISION = register(
    "boards.moderation", _("A moderator's decision about your post"), prefix="moderation"
)


# What the boards' notices inside Echo are about, and who may still read
# them: the rules of the pages they link to (members.models.register_notice_target).
def _register_targets():
    from members.models import register_notice_target

    from .access import visible_threads
    from .models import Board, Post

    # A reply in a conversation one follows, while one may read it (the rule
    # of access.post_for_reader: a hidden reply, or a thread one can no longer
    # read, takes its notice along).
    register_notice_target(
        "boards.post",
        lambda user: (
            Post.objects.filter(thread__in=visible_threads(user))
            .filter(
                Q(state=Post.State.PUBLISHED)
                | Q(author=user)
                | Q(thread__board__in=Board.objects.moderated_by(user))
            )
            .select_related("thread")
        ),
        lambda post: {"post": post, "thread": post.thread},
    )
    # One's own post, while one reads its board.
    register_notice_target(
        "boards.own_post",
        lambda user: Post.objects.filter(
            author=user, thread__board__in=Board.objects.readable_by(user)
        ).select_related("thread"),
        lambda post: {"post": post, "thread": post.thread},
    )
    # A post to look at, while one moderates its board.
    register_notice_target(
        "boards.review_post",
        lambda user: Post.objects.filter(thread__board__in=Board.objects.moderated_by(user)),
        lambda post: {"post": post},
    )


_register_targets()
