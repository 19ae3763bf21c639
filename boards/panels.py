"""What the boards app shows on other apps' pages (see echo.panels)."""

from django.db.models import Count, Q
from django.template.loader import render_to_string

from groups import roles as group_roles
from members import roles

from . import queries, services
from .models import Board

NEWS_SHOWN = 5


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


def news_on_boards(request, *, member, **objects):
    """The member home: threads of one's boards with posts one has not read."""
    threads = list(queries.threads_with_news(request.user)[: NEWS_SHOWN + 1])
    context = {"threads": threads[:NEWS_SHOWN], "more": len(threads) > NEWS_SHOWN}
    return render_to_string("boards/panels/member_home.html", context, request=request)


def posts_waiting(request, *, member, **objects):
    """The member home, for moderators (facilitators, coordinators): how many
    posts wait for them, safety concerns apart."""
    user = request.user
    if not (group_roles.is_facilitator(user) or roles.is_coordinator(user)):
        return ""
    waiting = (
        services.review_queue(user)
        .order_by()
        .aggregate(
            posts=Count("pk"), concerns=Count("pk", filter=Q(safety_concern_since__isnull=False))
        )
    )
    if not waiting["posts"]:
        return ""
    return render_to_string("boards/panels/posts_waiting.html", waiting, request=request)
