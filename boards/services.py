"""Business rules of the message boards: writing, screening, reporting and
moderating. Views and tasks call these; each takes the acting person first."""

import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echo.models import OutgoingEmail
from groups import roles as group_roles
from members import roles
from members.models import Suspension, User
from members.notifications import notify

from . import screening
from .markdown import render
from .models import (
    Board,
    BoardRead,
    Follow,
    ModerationAction,
    Mute,
    Post,
    PostRevision,
    Preferences,
    Report,
    Thread,
    ThreadRead,
    WatchedWord,
)

Hold = Post.Hold
State = Post.State
Log = ModerationAction.Action


class BoardError(ValueError):
    """Refused, with a message the person can act on."""


# Boards


def community_board():
    return Board.objects.get_or_create(kind=Board.Kind.COMMUNITY)[0]


def staff_room():
    return Board.objects.get_or_create(kind=Board.Kind.STAFF)[0]


def board_of(group):
    return Board.objects.get_or_create(kind=Board.Kind.GROUP, group=group)[0]


def moderates(user, board):
    return Board.objects.moderated_by(user).filter(pk=board.pk).exists()


def may_post(user, board):
    """Why the person may not write in the board now, or None."""
    now = timezone.now()
    if roles.is_suspended(user):
        return _(
            "You are suspended from the boards for a while. Your coordinator can tell you more."
        )
    if Mute.objects.filter(user=user, board=board, until__gt=now).exists():
        return _("A moderator has paused your posts on this board for a while.")
    return None


# Writing


def _screen(author, board, *, title, body, content_warning):
    """Check a text before anyone else reads it: refuse it, or return why
    it waits for a moderator and whether it raises a safety concern."""
    texts = (title, body, content_warning)
    holds, safety = [], False
    for word in screening.watched_words_in(WatchedWord.objects.all(), *texts):
        if word.action == WatchedWord.Action.BLOCK:
            raise BoardError(
                _("This post cannot be published as it is: it contains “%(word)s”. "
                  "Change it and try again; your text is still here.")
                % {"word": word.word}
            )  # fmt: skip
        if word.action == WatchedWord.Action.HOLD and Hold.WATCHED_WORD not in holds:
            holds.append(Hold.WATCHED_WORD)
        if word.action == WatchedWord.Action.SAFETY:
            safety = True
    if moderates(author, board):
        # A moderator would only approve their own post: nothing to wait for.
        return [], safety
    if screening.has_contact_details(*texts):
        holds.append(Hold.CONTACT_DETAILS)
    if board.approve_every_post:
        holds.append(Hold.EVERY_POST)
    elif (
        Post.objects.filter(author=author, published_at__isnull=False).count()
        < settings.BOARDS_FIRST_POSTS_HELD
    ):
        holds.append(Hold.FIRST_POSTS)
    return holds, safety


def _clean(text, message):
    text = (text or "").strip()
    if not text:
        raise BoardError(message)
    return text


@transaction.atomic
def start_thread(author, board, *, title, body, content_warning=""):
    if refusal := may_post(author, board):
        raise BoardError(refusal)
    title = _clean(title, _("Give the conversation a title."))
    thread = Thread.objects.create(board=board, title=title, author=author)
    post = _write(author, thread, body=body, content_warning=content_warning, title=title)
    return thread, post


@transaction.atomic
def reply(author, thread, *, body, content_warning="", quote=None):
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("board__group")
        .get(pk=thread.pk)
    )
    if thread.locked and not moderates(author, thread.board):
        raise BoardError(_("This conversation is closed: no new replies."))
    if refusal := may_post(author, thread.board):
        raise BoardError(refusal)
    if quote is not None and (quote.thread_id != thread.pk or not quote.is_published):
        quote = None
    return _write(author, thread, body=body, content_warning=content_warning, quote=quote)


def _write(author, thread, *, body, content_warning, quote=None, title=""):
    body = _clean(body, _("Write something first."))
    content_warning = content_warning.strip()
    holds, safety = _screen(
        author, thread.board, title=title, body=body, content_warning=content_warning
    )
    post = Post.objects.create(
        thread=thread,
        author=author,
        body=body,
        body_html=render(body),
        content_warning=content_warning,
        quote=quote,
        hold_reasons=holds,
        search_text=f"{title}\n{body}".strip(),
        review_since=timezone.now() if holds else None,
    )
    Follow.objects.get_or_create(thread=thread, user=author)
    if not holds:
        _publish(post)
    if safety:
        flag_safety_concern(post)
    return post


def _publish(post):
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
        _notify_followers(post)


def _unpublish(post, state):
    was_published = post.is_published
    post.state = state
    post.save(update_fields=["state"])
    if was_published:
        Thread.objects.filter(pk=post.thread_id).update(post_count=F("post_count") - 1)


@transaction.atomic
def edit_post(author, post, *, body, content_warning=""):
    """The author changes their post; the old text stays for the moderators.
    The new text is screened again, so an edit cannot slip past a hold."""
    if post.author_id != author.pk or post.state in (State.DELETED, State.HIDDEN, State.REJECTED):
        raise BoardError(_("This post can no longer be changed."))
    # Otherwise a muted or suspended member could go on writing through edits.
    if refusal := may_post(author, post.thread.board):
        raise BoardError(refusal)
    body = _clean(body, _("Write something first."))
    content_warning = content_warning.strip()
    holds, safety = _screen(
        author, post.thread.board, title="", body=body, content_warning=content_warning
    )
    # Only what the new text itself contains holds an edit of a published
    # post. A waiting post keeps waiting; its reasons are those still true
    # (or the old ones, if the edit took away all of them).
    in_text = (Hold.CONTACT_DETAILS, Hold.WATCHED_WORD)
    holds = [h for h in holds if h in in_text]
    if post.is_pending:
        kept = [h for h in post.hold_reasons if h not in in_text]
        holds = [*kept, *holds] or post.hold_reasons
    _revise(post, author, body=body, content_warning=content_warning)
    if holds and post.is_published:
        _unpublish(post, State.PENDING)
    if holds:
        post.hold_reasons = holds
        post.review_since = post.review_since or timezone.now()
        post.save(update_fields=["hold_reasons", "review_since"])
    if safety:
        flag_safety_concern(post)
    return post


def _revise(post, editor, *, body, content_warning, reason=""):
    PostRevision.objects.create(
        post=post,
        body=post.body,
        content_warning=post.content_warning,
        edited_by=editor,
        reason=reason,
    )
    post.body = body
    post.body_html = render(body)
    post.content_warning = content_warning
    title = post.thread.title if post.is_opening else ""
    post.search_text = f"{title}\n{body}".strip()
    post.edited_at = timezone.now()
    # An edit by the author replaces the note of an earlier moderator's edit.
    post.moderator_edit_reason = reason
    post.save(
        update_fields=[
            "body",
            "body_html",
            "content_warning",
            "search_text",
            "edited_at",
            "moderator_edit_reason",
        ]
    )


@transaction.atomic
def delete_post(author, post):
    """Gone for the readers; moderators still see that it was there, and what it said."""
    if post.author_id != author.pk or post.state == State.DELETED:
        raise BoardError(_("This post can no longer be deleted."))
    _unpublish(post, State.DELETED)
    post.review_since = None
    post.safety_concern_since = None
    post.save(update_fields=["review_since", "safety_concern_since"])
    return post


def delete_posts_of(user):
    """On erasure, when the person chose to take their posts with them."""
    threads = set(Post.objects.filter(author=user).values_list("thread", flat=True))
    Post.objects.filter(author=user).delete()
    Thread.objects.filter(author=user, posts__isnull=True).delete()
    for thread in Thread.objects.filter(pk__in=threads):
        thread.post_count = thread.posts.filter(state=State.PUBLISHED).count()
        thread.published = thread.post_count > 0
        thread.save(update_fields=["post_count", "published"])


# Reading


def mark_thread_read(user, thread):
    ThreadRead.objects.update_or_create(
        thread=thread, user=user, defaults={"read_at": timezone.now()}
    )


def mark_board_read(user, board):
    BoardRead.objects.update_or_create(board=board, user=user, defaults={"read_at": timezone.now()})


def follow(user, thread, following=True):
    if following:
        Follow.objects.get_or_create(thread=thread, user=user)
    else:
        Follow.objects.filter(thread=thread, user=user).delete()


def save_preferences(user, **fields):
    Preferences.objects.update_or_create(user=user, defaults=fields)


# Reports and safety


@transaction.atomic
def report_post(reporter, post, *, reason, note=""):
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread__board__group")
        .get(pk=post.pk)
    )
    if post.author_id == reporter.pk:
        raise BoardError(_("You cannot report your own post; you can change or delete it."))
    if not post.is_published:
        raise BoardError(_("This post is already with the moderators."))
    report, created = Report.objects.get_or_create(
        post=post, reporter=reporter, defaults={"reason": reason, "note": note.strip()}
    )
    if not created:
        raise BoardError(_("You have already reported this post. The moderators will look at it."))
    post.review_since = post.review_since or timezone.now()
    post.save(update_fields=["review_since"])
    if reason == Report.Reason.SAFETY:
        flag_safety_concern(post)
    reporters = post.reports.filter(handled_at__isnull=True).values("reporter").distinct().count()
    if reporters >= settings.BOARDS_REPORTS_TO_HIDE:
        _unpublish(post, State.HIDDEN)
        post.hold_reasons = [*(h for h in post.hold_reasons if h != Hold.REPORTS), Hold.REPORTS]
        post.save(update_fields=["hold_reasons"])
        _log(None, Log.HIDDEN_BY_REPORTS, post=post)
    return post


def flag_safety_concern(post):
    """Tell the group's facilitators and the region's coordinators at once:
    a link to the post in the review queue, never its content."""
    first = post.safety_concern_since is None
    post.safety_concern_since = post.safety_concern_since or timezone.now()
    post.review_since = post.review_since or post.safety_concern_since
    post.save(update_fields=["safety_concern_since", "review_since"])
    if not first:
        return
    _log(None, Log.FLAGGED, post=post)
    url = reverse("boards:review", args=[post.code])
    for person in _safety_contacts(post):
        notify(
            person,
            "boards/notices/safety_concern.txt",
            kind="boards.safety_concern",
            # A concern raised again after one was handled is news again.
            key=f"safety:{post.code}:{person.code}:{post.safety_concern_since:%Y%m%d%H%M%S%f}",
            url=url,
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
    if region:
        coordinators = roles.coordinators_of(region)
    else:
        coordinators = roles.with_second_factor(
            User.objects.filter(is_active=True).exclude(coordinator_region="")
        )
    return (people | coordinators).exclude(pk=post.author_id).distinct()


def shows_help_lines(user, post):
    """The author of a post that raised a safety concern is shown the help lines."""
    return post.author_id == user.pk and post.safety_concern_since is not None


# Moderation


def review_queue(moderator):
    """Posts waiting for this moderator: safety concerns first, then oldest first."""
    return (
        Post.objects.filter(
            review_since__isnull=False, thread__board__in=Board.objects.moderated_by(moderator)
        )
        .select_related("thread__board__group", "author__member")
        .order_by(F("safety_concern_since").asc(nulls_last=True), "review_since", "pk")
    )


def _log(actor, action, *, board=None, thread=None, post=None, subject=None, reason=""):
    thread = thread or (post.thread if post else None)
    ModerationAction.objects.create(
        board=board or thread.board,
        thread=thread,
        post=post,
        actor=actor,
        action=action,
        subject=subject,
        reason=reason,
    )


def _require_moderator(moderator, board):
    if not moderates(moderator, board):
        raise BoardError(_("Only the moderators of this board can do this."))


def _require_not_deleted(post):
    if post.state == State.DELETED:
        raise BoardError(_("Its author has deleted this post."))


def _reviewed(post):
    post.review_since = None
    post.safety_concern_since = None
    post.save(update_fields=["review_since", "safety_concern_since"])
    post.reports.filter(handled_at__isnull=True).update(handled_at=timezone.now())


@transaction.atomic
def approve_post(moderator, post):
    """Publish a waiting post, or keep a reported one up: it leaves the queue."""
    _require_moderator(moderator, post.thread.board)
    _require_not_deleted(post)
    if not post.is_published:
        _publish(post)
    _reviewed(post)
    _log(moderator, Log.APPROVED, post=post)
    return post


@transaction.atomic
def reject_post(moderator, post, reason):
    _require_moderator(moderator, post.thread.board)
    _require_not_deleted(post)
    reason = _clean(reason, _("Tell the author why: they will read it."))
    _unpublish(post, State.REJECTED)
    post.reject_reason = reason
    post.save(update_fields=["reject_reason"])
    _reviewed(post)
    _log(moderator, Log.REJECTED, post=post, reason=reason)
    return post


@transaction.atomic
def hide_post(moderator, post, reason=""):
    _require_moderator(moderator, post.thread.board)
    _require_not_deleted(post)
    _unpublish(post, State.HIDDEN)
    _reviewed(post)
    _log(moderator, Log.HIDDEN, post=post, reason=reason.strip())
    return post


@transaction.atomic
def restore_post(moderator, post, reason=""):
    _require_moderator(moderator, post.thread.board)
    if post.state not in (State.HIDDEN, State.REJECTED):
        raise BoardError(_("Only a hidden or rejected post can be restored."))
    _publish(post)
    _reviewed(post)
    _log(moderator, Log.RESTORED, post=post, reason=reason.strip())
    return post


@transaction.atomic
def moderator_edit_post(moderator, post, *, body, content_warning, reason):
    _require_moderator(moderator, post.thread.board)
    reason = _clean(reason, _("Say why you change the post: its author will see it."))
    body = _clean(body, _("Write something first."))
    _revise(post, moderator, body=body, content_warning=content_warning.strip(), reason=reason)
    _log(moderator, Log.EDITED, post=post, reason=reason)
    return post


@transaction.atomic
def lock_thread(moderator, thread, locked=True):
    _require_moderator(moderator, thread.board)
    thread.locked = locked
    thread.save(update_fields=["locked"])
    _log(moderator, Log.LOCKED if locked else Log.UNLOCKED, thread=thread)


@transaction.atomic
def pin_thread(moderator, thread, pinned=True):
    _require_moderator(moderator, thread.board)
    thread.pinned = pinned
    thread.save(update_fields=["pinned"])
    _log(moderator, Log.PINNED if pinned else Log.UNPINNED, thread=thread)


@transaction.atomic
def move_thread(moderator, thread, board, reason=""):
    _require_moderator(moderator, thread.board)
    _require_moderator(moderator, board)
    if board == thread.board:
        raise BoardError(_("The conversation is already on this board."))
    # Logged on both boards: the moderators of each can read what happened.
    _log(moderator, Log.MOVED, thread=thread, reason=reason.strip())
    thread.board = board
    thread.save(update_fields=["board"])
    _log(moderator, Log.MOVED, thread=thread, reason=reason.strip())


MUTE_DAYS = (1, 3, 7, 30)


@transaction.atomic
def mute_member(moderator, board, user, *, days, reason=""):
    _require_moderator(moderator, board)
    if days not in MUTE_DAYS:
        raise BoardError(_("Choose how long."))
    if user == moderator or moderates(user, board):
        raise BoardError(_("A moderator of this board cannot be muted in it."))
    Mute.objects.create(
        board=board,
        user=user,
        until=timezone.now() + timedelta(days=days),
        reason=reason.strip(),
        created_by=moderator,
    )
    _log(moderator, Log.MUTED, board=board, subject=user, reason=reason.strip())


@transaction.atomic
def suspend_member(coordinator, member, *, length, reason):
    """Coordinators suspend a member of their own region from every board."""
    if not roles.is_coordinator(coordinator, member.region):
        raise BoardError(_("Only a coordinator of the member's region can suspend them."))
    if length not in Suspension.Length.values:
        raise BoardError(_("Choose how long."))
    reason = _clean(reason, _("Give a reason: the member and the other moderators read it."))
    Suspension.objects.create(
        user=member.user,
        until=timezone.now() + timedelta(days=int(length)),
        reason=reason,
        created_by=coordinator,
    )
    _log(coordinator, Log.SUSPENDED, board=community_board(), subject=member.user,
         reason=reason)  # fmt: skip


@transaction.atomic
def set_approve_every_post(moderator, board, approve):
    _require_moderator(moderator, board)
    board.approve_every_post = approve
    board.save(update_fields=["approve_every_post"])
    _log(moderator, Log.SETTINGS, board=board)


def _require_coordinator(user):
    if not roles.is_coordinator(user):
        raise BoardError(_("Only coordinators manage the watched words."))


def add_watched_word(coordinator, *, word, action):
    _require_coordinator(coordinator)
    word = " ".join(_clean(word, _("Enter a word or phrase.")).split())
    if action not in WatchedWord.Action.values:
        raise BoardError(_("Choose what happens to a post with this word."))
    if WatchedWord.objects.filter(word__iexact=word).exists():
        raise BoardError(_("This word is already watched."))
    return WatchedWord.objects.create(word=word, action=action, created_by=coordinator)


def remove_watched_word(coordinator, word):
    _require_coordinator(coordinator)
    word.delete()


def moderation_log(user):
    """The log of the boards one moderates. Suspensions are logged on the
    community board; a coordinator reads those of their own region only."""
    return (
        ModerationAction.objects.filter(board__in=Board.objects.moderated_by(user))
        .exclude(
            Q(action=Log.SUSPENDED)
            & ~Q(subject__member__region=roles.coordinated_region(user) or None)
        )
        .select_related("board__group", "thread", "post", "actor__member", "subject__member")
        .order_by("-at", "-pk")
    )


# Search


def search(user, query):
    """Published posts matching `query` in the boards the person may read.
    Full-text on PostgreSQL (GIN index, see the migrations); words on SQLite."""
    posts = Post.objects.filter(
        state=State.PUBLISHED,
        thread__published=True,
        thread__board__in=Board.objects.readable_by(user),
    )
    query = query.strip()
    if not query:
        return posts.none()
    if connection.vendor == "postgresql":
        vector = SearchVector("search_text", config="simple")
        posts = posts.annotate(match=vector).filter(
            match=SearchQuery(query, config="simple", search_type="websearch")
        )
    else:
        for word in query.split():
            posts = posts.filter(search_text__icontains=word)
    return posts.select_related("thread__board__group", "author__member").order_by(
        "-published_at", "-pk"
    )


# Notifications


def _notify_followers(post):
    """Each follower who wants an email per reply gets one: discreet, a link only."""
    thread = post.thread
    followers = (
        User.objects.filter(pk__in=Follow.objects.filter(thread=thread).values("user"))
        .exclude(pk=post.author_id)
        .exclude(board_preferences__emails__in=[Preferences.Emails.DIGEST, Preferences.Emails.NONE])
        .select_related("member")
    )
    url = reverse("boards:thread", args=[thread.code])
    for user in followers:
        if not Board.objects.readable_by(user).filter(pk=thread.board_id).exists():
            continue
        notify(
            user,
            "boards/notices/reply.txt",
            kind="boards.reply",
            key=f"reply:{post.code}:{user.code}",
            url=url,
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
        key = f"digest:{user.code}:{day:%Y-%m-%d}"
        if OutgoingEmail.objects.filter(key=key).exists():
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
        notify(
            user,
            "boards/notices/digest.txt",
            kind="boards.digest",
            key=key,
            url=reverse("boards:index"),
            count=new,
        )
        sent += 1
        preferences.digest_sent_at = now
        preferences.save(update_fields=["digest_sent_at"])
    return sent
