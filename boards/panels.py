"""What the boards app shows on other apps' pages (see echo.panels)."""

from django.db.models import Count, Q
from django.template.loader import render_to_string

from .models import Board


def posts_to_review(request, groups):
    """The facilitation page: how many posts of each group's board wait, and
    a link to the board."""
    boards = (
        Board.objects.filter(group__in=[group.pk for group in groups])
        .annotate(
            waiting=Count("threads__posts", filter=Q(threads__posts__review_since__isnull=False))
        )
        .values("group", "code", "waiting")
    )
    return {
        row["group"]: render_to_string(
            "boards/panels/posts_to_review.html", {"row": row}, request=request
        )
        for row in boards
    }
