"""The kinds of email the boards app sends (see echo.email_kinds)."""

from django.utils.translation import gettext_lazy as _

from echo.email_kinds import register

SAFETY_CONCERN = register("boards.safety_concern", _("Safety concern on a board"), prefix="safety")
REPLY = register("boards.reply", _("Reply in a followed conversation"), prefix="reply")
# Not "digest": that is the meetings' list of who is coming.
DIGEST = register("boards.digest", _("Daily digest of the boards"), prefix="board-digest")
