"""How a post enters and leaves the published posts of its thread, and what
that changes for the thread."""

from django.db.models import F
from django.utils import timezone

from ..models import Post, Thread
from .notifications import notify_followers

State = Post.State


def publish(post):
    now = timezone.now()
    first_time = post.published_at is None
    post.state = State.PUBLISHED
    post.published_at = post.published_at or now
    # Why it waited no longer applies: a later report is judged on its own.
    post.hold_reasons = []
    post.save(update_fields=["state", "published_at", "hold_reasons"])
    changes = {"post_count": F("post_count") + 1, "last_activity_at": now}
    # A moderator's reply in a thread that still waits does not publish the
    # thread: its opening post does.
    if post.is_opening:
        changes["published"] = True
    Thread.objects.filter(pk=post.thread_id).update(**changes)
    if first_time:
        notify_followers(post)


def unpublish(post, state):
    was_published = post.is_published
    post.state = state
    post.save(update_fields=["state"])
    if was_published:
        Thread.objects.filter(pk=post.thread_id).update(post_count=F("post_count") - 1)
