"""What a member's erasure and export mean for the boards (connected in apps.py)."""

from . import services
from .models import Post, Report


def erase_author(user, delete_posts=False, **kwargs):
    """Posts stay, signed "former member" once the account is gone, unless
    the person chose to take them along."""
    if delete_posts:
        services.delete_posts_of(user)


def personal_data(user, **kwargs):
    """The boards part of a person's export: what they wrote."""
    return {
        "board_posts": [
            {
                "conversation": post.thread.title,
                "text": post.body,
                "content_warning": post.content_warning,
                "state": post.state,
                "at": post.created_at.isoformat(),
            }
            for post in Post.objects.filter(author=user).select_related("thread")
        ],
        "board_reports": [
            {"reason": report.reason, "note": report.note, "at": report.created_at.isoformat()}
            for report in Report.objects.filter(reporter=user)
        ],
    }
