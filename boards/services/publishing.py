"""How a post enters and leaves the published posts of its thread, and what
that changes for the thread. The callers hold the locks (see `locks`)."""

from django.db.models import Count, Max, Q
from django.utils import timezone

from ..models import Post
from .notifications import notify_followers

State = Post.State


def recount(thread):
    """The thread's figures as its posts have them, never by adding or taking
    one away: two changes at once, or one retried, cannot make them drift.
    The caller holds the thread's lock."""
    posts = Post.objects.filter(thread=thread)
    published = Q(state=State.PUBLISHED)
    figures = posts.aggregate(
        count=Count("pk", filter=published), last=Max("published_at", filter=published)
    )
    opening = posts.order_by("created_at", "pk").values_list("published_at", flat=True).first()
    thread.post_count = figures["count"]
    # Moves only with a published post, so that waiting posts mark nothing unread.
    thread.last_activity_at = figures["last"] or thread.last_activity_at
    # Readers see the thread once its opening post has been published (a
    # moderator's reply in a thread that still waits does not publish it);
    # an opening post removed later leaves a placeholder, not a hole.
    thread.published = opening is not None
    thread.save(update_fields=["post_count", "last_activity_at", "published"])


def publish(post):
    """The caller holds the locks of the post's thread and of the post."""
    first_time = post.published_at is None
    post.state = State.PUBLISHED
    post.published_at = post.published_at or timezone.now()
    # Why it waited no longer applies: a later report is judged on its own.
    post.hold_reasons = []
    post.save(update_fields=["state", "published_at", "hold_reasons"])
    recount(post.thread)
    if first_time:
        notify_followers(post)


def unpublish(post, state):
    """The caller holds the locks of the post's thread and of the post."""
    was_published = post.is_published
    post.state = state
    post.save(update_fields=["state"])
    if was_published:
        recount(post.thread)
