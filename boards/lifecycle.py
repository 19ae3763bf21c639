"""What a member's erasure and export mean for the boards (connected in apps.py)."""

from . import drafts, services
from .models import Draft, Post, Report


def erase_author(user, delete_posts=False, **kwargs):
    """Posts stay, signed "former member" once the account is gone, unless
    the person chose to take them along; drafts go."""
    Draft.objects.filter(author=user).delete()
    if delete_posts:
        services.delete_posts_of(user)


def personal_data(user, **kwargs):
    """The boards part of a person's export: what they wrote, drafts included."""
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
        "board_drafts": drafts.of_author(user),
        "board_reports": [
            {"reason": report.reason, "note": report.note, "at": report.created_at.isoformat()}
            for report in Report.objects.filter(reporter=user)
        ],
    }
