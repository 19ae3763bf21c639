"""What members do with posts: write them (screened before anyone reads
them), change and delete their own, report others', mark what they have
read, follow conversations and choose their emails."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import screening
from ..markdown import render
from ..models import (
    BoardRead,
    Follow,
    ModerationAction,
    Post,
    PostRevision,
    Preferences,
    Report,
    Thread,
    ThreadRead,
    WatchedWord,
)
from .common import BoardError, clean, log, may_post, moderates
from .locks import take_post_locks, take_thread_lock
from .notifications import flag_safety_concern
from .publishing import publish, recount, unpublish

Hold = Post.Hold
State = Post.State
Log = ModerationAction.Action


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


@transaction.atomic
def start_thread(author, board, *, title, body, content_warning=""):
    if refusal := may_post(author, board):
        raise BoardError(refusal)
    title = clean(title, _("Give the conversation a title."))
    thread = Thread.objects.create(board=board, title=title, author=author)
    post = _write(author, thread, body=body, content_warning=content_warning, title=title)
    return thread, post


@transaction.atomic
def reply(author, thread, *, body, content_warning="", quote=None):
    # Closed, or moved to another board, a moment ago: it counts.
    take_thread_lock(thread)
    if thread.locked and not moderates(author, thread.board):
        raise BoardError(_("This conversation is closed: no new replies."))
    if refusal := may_post(author, thread.board):
        raise BoardError(refusal)
    if quote is not None and (quote.thread_id != thread.pk or not quote.is_published):
        quote = None
    return _write(author, thread, body=body, content_warning=content_warning, quote=quote)


def _write(author, thread, *, body, content_warning, quote=None, title=""):
    body = clean(body, _("Write something first."))
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
        publish(post)
    if safety:
        flag_safety_concern(post)
    return post


@transaction.atomic
def edit_post(author, post, *, body, content_warning=""):
    """The author changes their post; the old text stays for the moderators.
    The new text is screened again, so an edit cannot slip past a hold."""
    take_post_locks(post)
    if post.author_id != author.pk or post.state in (State.DELETED, State.HIDDEN, State.REJECTED):
        raise BoardError(_("This post can no longer be changed."))
    # Otherwise a muted or suspended member could go on writing through edits.
    if refusal := may_post(author, post.thread.board):
        raise BoardError(refusal)
    body = clean(body, _("Write something first."))
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
    revise(post, author, body=body, content_warning=content_warning)
    if holds and post.is_published:
        unpublish(post, State.PENDING)
    if holds:
        post.hold_reasons = holds
        post.review_since = post.review_since or timezone.now()
        post.save(update_fields=["hold_reasons", "review_since"])
    if safety:
        flag_safety_concern(post)
    return post


def revise(post, editor, *, body, content_warning, reason=""):
    """A new text for the post, by its author or (with a reason) a moderator;
    the old one is kept as a revision."""
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
    take_post_locks(post)
    if post.author_id != author.pk or post.state == State.DELETED:
        raise BoardError(_("This post can no longer be deleted."))
    unpublish(post, State.DELETED)
    post.review_since = None
    post.safety_concern_since = None
    post.save(update_fields=["review_since", "safety_concern_since"])
    return post


@transaction.atomic
def delete_posts_of(user):
    """On erasure, when the person chose to take their posts with them."""
    # Their threads first, in one order, then the posts (see `locks`).
    threads = list(
        Thread.objects.select_for_update()
        .filter(pk__in=Post.objects.filter(author=user).values("thread"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Post.objects.filter(author=user).delete()
    Thread.objects.filter(author=user, posts__isnull=True).delete()
    for thread in Thread.objects.filter(pk__in=threads):
        recount(thread)
        # Their opening post may have gone with them: what is left is seen
        # by the readers if any of it is published.
        thread.published = thread.post_count > 0
        thread.save(update_fields=["published"])


# Reports


@transaction.atomic
def report_post(reporter, post, *, reason, note=""):
    # Two reports at once must count as two, and hide the post only once.
    take_post_locks(post)
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
        unpublish(post, State.HIDDEN)
        post.hold_reasons = [*(h for h in post.hold_reasons if h != Hold.REPORTS), Hold.REPORTS]
        post.save(update_fields=["hold_reasons"])
        log(None, Log.HIDDEN_BY_REPORTS, post=post)
    return post


# Reading


def shows_help_lines(user, post):
    """The author of a post that raised a safety concern is shown the help lines."""
    return post.author_id == user.pk and post.safety_concern_since is not None


def mark_thread_read(user, thread, up_to=None):
    """The person has read the thread up to `up_to` (now when None): one
    statement, and the mark never moves back (an earlier page read again)."""
    read_at = up_to or timezone.now()
    known = getattr(thread, "thread_read_at", None)
    if known is not None and known >= read_at:
        return
    ThreadRead.objects.bulk_create(
        [ThreadRead(thread=thread, user=user, read_at=read_at)],
        update_conflicts=True,
        unique_fields=["thread", "user"],
        update_fields=["read_at"],
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
