"""Emails about the boards, through the outbox: a safety concern to the people
who can act on it, a reply to the followers of its thread, the daily digest.
Discreet: a link, never the post."""

import zoneinfo
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from echo.models import OutgoingEmail
from groups import roles as group_roles
from members import roles
from members.models import Notice, User
from members.notifications import notify, notify_each

from .. import emails
from ..models import Board, Follow, ModerationAction, Post, Preferences
from .common import log
from .locks import take_post_locks

State = Post.State
Log = ModerationAction.Action


# Safety concerns


@transaction.atomic
def flag_safety_concern(post):
    """Tell the group's facilitators and the region's coordinators at once:
    a link to the post in the review queue, never its content. Raised twice
    at the same moment (two reports), it is still told once."""
    take_post_locks(post)
    first = post.safety_concern_since is None
    post.safety_concern_since = post.safety_concern_since or timezone.now()
    post.review_since = post.review_since or post.safety_concern_since
    post.save(update_fields=["safety_concern_since", "review_since"])
    if not first:
        return
    log(None, Log.FLAGGED, post=post)
    url = reverse("boards:review", args=[post.code])
    for person in _safety_contacts(post):
        notify(
            person,
            "boards/notices/safety_concern.txt",
            kind=emails.SAFETY_CONCERN,
            # A concern raised again after one was handled is news again.
            key=emails.SAFETY_CONCERN.key(
                post.code, person.code, f"{post.safety_concern_since:%Y%m%d%H%M%S%f}"
            ),
            url=url,
            target=post,
            target_type="boards.review_post",
        )


def _safety_contacts(post):
    board = post.thread.board
    people = User.objects.none()
    if board.kind == Board.Kind.GROUP:
        region = board.group.region
        people = User.objects.filter(member__in=group_roles.facilitators_of(board.group))
    else:
        author_member = getattr(post.author, "member", None) if post.author else None
        region = (
            author_member.region
            if author_member
            else getattr(post.author, "coordinator_region", "")
        )
    coordinators = roles.coordinators_of(region) if region else roles.coordinators()
    return (people | coordinators).exclude(pk=post.author_id).distinct()


# Replies in followed threads


def notify_followers(post):
    """Each follower who still reads the board and wants an email per reply
    gets one: discreet, a link only. Finding them is one query, however many
    follow the thread."""
    thread = post.thread
    followers = (
        thread.board.readers()
        .filter(pk__in=Follow.objects.filter(thread=thread).values("user"))
        .exclude(pk=post.author_id)
        .exclude(board_preferences__emails__in=[Preferences.Emails.DIGEST, Preferences.Emails.NONE])
        .select_related("member")
    )
    notify_each(
        followers,
        "boards/notices/reply.txt",
        kind=emails.REPLY,
        key_of=lambda user: emails.REPLY.key(post.code, user.code),
        url=reverse("boards:thread", args=[thread.code]),
        target=post,
    )


def send_digests(now=None):
    """Once a day, to whoever chose the digest: how many new replies wait in
    the conversations they follow since the last digest. Safe to run twice:
    one key per person and day, and a run that finds today's digest already
    queued leaves the rest for tomorrow's."""
    now = now or timezone.now()
    sent = 0
    people = Preferences.objects.filter(emails=Preferences.Emails.DIGEST).select_related(
        "user__member"
    )
    for preferences in people:
        user = preferences.user
        day = timezone.localdate(now, timezone=zoneinfo.ZoneInfo(user.time_zone))
        key = emails.DIGEST.key(user.code, f"{day:%Y-%m-%d}")
        # Sent, or kept in Echo for someone who wants no emails.
        if (
            OutgoingEmail.objects.filter(key=key).exists()
            or Notice.objects.filter(key=key).exists()
        ):
            continue
        since = preferences.digest_sent_at or now - timedelta(days=1)
        new = (
            Post.objects.filter(
                state=State.PUBLISHED,
                published_at__gt=since,
                published_at__lte=now,
                thread__follows__user=user,
                thread__board__in=Board.objects.readable_by(user),
            )
            .exclude(author=user)
            .count()
        )
        if not new:
            continue
        # The email and the moment it covers up to are kept together or not at all.
        with transaction.atomic():
            notify(
                user,
                "boards/notices/digest.txt",
                kind=emails.DIGEST,
                key=key,
                url=reverse("boards:index"),
                count=new,
            )
            preferences.digest_sent_at = now
            preferences.save(update_fields=["digest_sent_at"])
        sent += 1
    return sent


# Moderators' decisions about one's post


def tell_author(moderator, post, decision):
    """The author learns what a moderator decided about their post (inside
    Echo always; the email, if any, says no more than that there is news
    about a post: the reason is read in Echo)."""
    author = post.author
    if author is None or author == moderator:
        return
    notify(
        author,
        "boards/notices/moderation.txt",
        kind=emails.DECISION,
        url=reverse("boards:thread", args=[post.thread.code]),
        target=post,
        target_type="boards.own_post",
        decision=decision,
    )
