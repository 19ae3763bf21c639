"""The moderators' pages: the review queue, decisions on posts and threads,
mutes, suspensions, watched words and the log. Thin, like the other views:
access (a 404 for whoever does not moderate the board), parse, call one
service, redirect. Every change goes through boards.services, which logs it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members import roles
from members.access import coordinator_required
from members.models import Member

from . import services
from .access import (
    board_for_moderator,
    moderator_required,
    post_for_moderator,
    thread_for_moderator,
)
from .models import Post, Report, WatchedWord
from .moderation_forms import (
    BoardSettingsForm,
    DecideForm,
    LogFilterForm,
    ModeratorEditForm,
    MoveThreadForm,
    MuteForm,
    SuspendForm,
    ThreadActionForm,
    WatchedWordForm,
)

QUEUE_SHOWN = 100
LOG_PAGE_SIZE = 50
State = Post.State


def _refused(request, error):
    messages.error(request, str(error))


# The queue


@moderator_required
def queue(request):
    open_reports = Report.objects.filter(handled_at__isnull=True).order_by("created_at", "pk")
    posts = list(
        services.review_queue(request.user).prefetch_related(
            Prefetch("reports", queryset=open_reports, to_attr="open_reports")
        )[: QUEUE_SHOWN + 1]
    )
    for post in posts:
        # Each reason once, in the order the reports came in.
        post.report_reasons = list(
            dict.fromkeys(report.get_reason_display() for report in post.open_reports)
        )
    context = {
        "posts": posts[:QUEUE_SHOWN],
        "more": len(posts) > QUEUE_SHOWN,
        "shown": QUEUE_SHOWN,
    }
    return render(request, "boards/moderation/queue.html", context)


# One post


def _decision_forms(post):
    """The decisions that make sense for the post in its state."""
    actions = []
    # Approve publishes a waiting or hidden post, or keeps a reported one up.
    if post.state in (State.PENDING, State.HIDDEN) or (
        post.review_since and post.state == State.PUBLISHED
    ):
        actions.append(DecideForm.APPROVE)
    if post.state in (State.PENDING, State.PUBLISHED, State.HIDDEN):
        actions.append(DecideForm.REJECT)
    if post.state in (State.PENDING, State.PUBLISHED):
        actions.append(DecideForm.HIDE)
    if post.state in (State.HIDDEN, State.REJECTED):
        actions.append(DecideForm.RESTORE)
    return {action: DecideForm(action=action) for action in actions}


def _reporter_name(user, report):
    """Reporters stay anonymous to facilitators; a coordinator learns the
    pseudonym of a reporter of their own region, to reach out if needed."""
    member = getattr(report.reporter, "member", None) if report.reporter else None
    if member and roles.is_coordinator(user, member.region):
        return member.pseudonym
    return None


def _review_page(request, post, forms=None):
    thread = post.thread
    reports = list(post.reports.select_related("reporter__member").order_by("created_at", "pk"))
    for report in reports:
        report.reporter_name = _reporter_name(request.user, report)
    author_member = getattr(post.author, "member", None) if post.author else None
    context = {
        "post": post,
        "thread": thread,
        "board": thread.board,
        "reports": reports,
        "revisions": post.revisions.select_related("edited_by__member"),
        "forms": forms or _decision_forms(post),
        "author_member": author_member,
        "may_suspend": bool(
            author_member and roles.is_coordinator(request.user, author_member.region)
        ),
        # The board's own moderators cannot be muted in it (services refuse it).
        "may_mute": bool(author_member and not services.moderates(post.author, thread.board)),
    }
    return render(request, "boards/moderation/review.html", context)


@moderator_required
def review(request, code):
    return _review_page(request, post_for_moderator(request.user, code))


DONE = {
    DecideForm.APPROVE: lambda: _("The post is approved."),
    DecideForm.REJECT: lambda: _("The post is not approved; its author can read why."),
    DecideForm.HIDE: lambda: _("The post is hidden."),
    DecideForm.RESTORE: lambda: _("The post is restored."),
}


@moderator_required
@require_POST
def decide(request, code):
    post = post_for_moderator(request.user, code)
    action = request.POST.get("action")
    forms = _decision_forms(post)
    if action not in forms:
        # Another moderator was quicker, or the page was old.
        messages.error(request, _("This cannot be done with the post as it is now."))
        return redirect("boards:review", code=post.code)
    form = DecideForm(request.POST, action=action)
    if not form.is_valid():
        # Shown in place, with what was typed and the error.
        forms[action] = form
        return _review_page(request, post, forms)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    try:
        if action == DecideForm.APPROVE:
            services.approve_post(request.user, post)
        elif action == DecideForm.REJECT:
            services.reject_post(request.user, post, reason)
        elif action == DecideForm.HIDE:
            services.hide_post(request.user, post, reason)
        else:
            services.restore_post(request.user, post, reason)
    except services.BoardError as error:
        _refused(request, error)
        return redirect("boards:review", code=post.code)
    messages.success(request, DONE[action]())
    return redirect("boards:queue")


@moderator_required
def edit_post(request, code):
    post = post_for_moderator(request.user, code)
    initial = {"body": post.body, "content_warning": post.content_warning}
    form = ModeratorEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.moderator_edit_post(request.user, post, **form.cleaned_data)
        except services.BoardError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The post is changed; its earlier text is kept."))
            return redirect("boards:review", code=post.code)
    context = {"post": post, "thread": post.thread, "form": form}
    return render(request, "boards/moderation/edit.html", context)


# Threads and boards


@moderator_required
@require_POST
def moderate_thread(request, code):
    thread = thread_for_moderator(request.user, code)
    form = ThreadActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the conversation."))
        return redirect("boards:thread", code=thread.code)
    action = form.cleaned_data["action"]
    try:
        if action in (ThreadActionForm.LOCK, ThreadActionForm.UNLOCK):
            services.lock_thread(request.user, thread, action == ThreadActionForm.LOCK)
        else:
            services.pin_thread(request.user, thread, action == ThreadActionForm.PIN)
    except services.BoardError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            {
                ThreadActionForm.LOCK: _("The conversation is closed: no new replies."),
                ThreadActionForm.UNLOCK: _("The conversation is open again."),
                ThreadActionForm.PIN: _("The conversation is pinned at the top of the board."),
                ThreadActionForm.UNPIN: _("The conversation is no longer pinned."),
            }[action],
        )
    return redirect("boards:thread", code=thread.code)


@moderator_required
def move_thread(request, code):
    thread = thread_for_moderator(request.user, code)
    form = MoveThreadForm(request.user, thread, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_thread(
                request.user, thread, form.cleaned_data["board"], form.cleaned_data["reason"]
            )
        except services.BoardError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The conversation is moved."))
            return redirect("boards:thread", code=thread.code)
    context = {"thread": thread, "board": thread.board, "form": form}
    return render(request, "boards/moderation/move.html", context)


@moderator_required
def board_settings(request, code):
    board = board_for_moderator(request.user, code)
    initial = {"approve_every_post": board.approve_every_post}
    form = BoardSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_approve_every_post(
                request.user, board, form.cleaned_data["approve_every_post"]
            )
        except services.BoardError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The board's settings are saved."))
            return redirect("boards:board", code=board.code)
    return render(request, "boards/moderation/settings.html", {"board": board, "form": form})


@moderator_required
def mute_member(request, code):
    board = board_for_moderator(request.user, code)
    initial = {"member": request.GET.get("member", "")}
    form = MuteForm(board, request.user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        try:
            services.mute_member(
                request.user,
                board,
                member.user,
                days=form.cleaned_data["days"],
                reason=form.cleaned_data["reason"],
            )
        except services.BoardError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(pseudonym)s cannot post on this board for a while.")
                % {"pseudonym": member.pseudonym},
            )
            return redirect("boards:board", code=board.code)
    return render(request, "boards/moderation/mute.html", {"board": board, "form": form})


# The log


@moderator_required
def log(request):
    form = LogFilterForm(request.user, request.GET or None)
    entries = services.moderation_log(request.user)
    board = None
    if form.is_valid() and form.cleaned_data["board"]:
        board = form.cleaned_data["board"]
        entries = entries.filter(board=board)
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "board": board}
    return render(request, "boards/moderation/log.html", context)


# Coordinators only


@coordinator_required
def suspend_member(request, code):
    member = get_object_or_404(
        Member.objects.select_related("user"),
        code=code,
        region=roles.coordinated_region(request.user),
    )
    form = SuspendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suspend_member(request.user, member, **form.cleaned_data)
        except services.BoardError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(pseudonym)s is suspended from the boards.") % {"pseudonym": member.pseudonym},
            )
            return redirect("boards:queue")
    return render(request, "boards/moderation/suspend.html", {"member": member, "form": form})


@coordinator_required
def watched_words(request):
    form = WatchedWordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_watched_word(request.user, **form.cleaned_data)
        except services.BoardError as error:
            form.add_error("word", str(error))
        else:
            messages.success(request, _("The word is watched from now on."))
            return redirect("boards:watched_words")
    context = {"form": form, "words": WatchedWord.objects.order_by("word", "pk")}
    return render(request, "boards/moderation/watched_words.html", context)


@coordinator_required
@require_POST
def remove_watched_word(request, code):
    word = get_object_or_404(WatchedWord, code=code)
    services.remove_watched_word(request.user, word)
    messages.success(request, _("The word is no longer watched."))
    return redirect("boards:watched_words")
