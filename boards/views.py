"""The member-facing board pages: thin views that check access, parse a form,
call one service in `services` and redirect or render. Outsiders get a 404
(see `access`); the lists come from `queries`, one query whatever their length."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echo.kept_text import keeps_text

from . import drafts, queries, services
from .access import board_for_reader, post_for_reader, reader_required, thread_for_reader
from .forms import PostForm, PreferencesForm, ReplyForm, ReportForm, SearchForm, ThreadForm
from .models import Board, Post, Preferences

SEARCH_HITS_PER_PAGE = 20
Hold = Post.Hold


def post_url(thread_code, post_code):
    """Where a post is shown: the page of its thread that starts with it."""
    return reverse("boards:thread", args=[thread_code]) + f"?from={post_code}#post-{post_code}"


def _to_post(post):
    return redirect(post_url(post.thread.code, post.code))


def _tell_where_it_is(request, post):
    """Published, or waiting and why; contact details are explained, and the
    help lines are offered when the post raised a safety concern."""
    if post.is_published:
        messages.success(request, _("Your message is published."))
    elif post.is_pending:
        reasons = "; ".join(str(label) for label in post.hold_reason_labels())
        messages.info(
            request,
            _("Your message is waiting for approval by a moderator, because %(reasons)s.")
            % {"reasons": reasons},
        )
        if Hold.CONTACT_DETAILS in post.hold_reasons:
            messages.info(
                request,
                _(
                    "Contact details are read first to protect people from being "
                    "identified, you included. Without them your message is "
                    "published sooner."
                ),
            )
    if post.safety_concern_since:
        messages.info(
            request,
            _(
                "If you need to talk to someone now: Hulplijn 1712, Zelfmoordlijn 1813 "
                "(day and night), or 112 in an emergency."
            ),
        )


# The boards


@reader_required
def index(request):
    context = {
        "boards": queries.boards_for(request.user),
        "moderates": Board.objects.moderated_by(request.user).exists(),
    }
    return render(request, "boards/index.html", context)


@reader_required
def board(request, code):
    board = queries.board_page(request.user, code)
    moderator = services.moderates(request.user, board)
    after = queries.parse_cursor(request.GET.get("after"))
    threads, next_cursor = queries.thread_list(
        request.user, board, moderator=moderator, after=after
    )
    context = {
        "board": board,
        "threads": threads,
        "next_cursor": next_cursor,
        "later_page": after is not None,
        "moderator": moderator,
        "refusal": services.may_post(request.user, board),
    }
    return render(request, "boards/board.html", context)


@reader_required
@require_POST
def mark_board_read(request, code):
    board = board_for_reader(request.user, code)
    services.mark_board_read(request.user, board)
    messages.success(request, _("Everything on this board is marked as read."))
    return redirect("boards:board", code=board.code)


@keeps_text("boards.new_thread", ["title", "body", "content_warning"])
@reader_required
def new_thread(request, code):
    board = board_for_reader(request.user, code)
    target = {"board": board}
    if request.method == "POST" and (answer := drafts.answer_draft_post(request, target)):
        return answer
    initial = drafts.initial(request, "boards.new_thread", target) if not request.POST else None
    form = ThreadForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            thread, post = services.start_thread(request.user, board, **form.cleaned_data)
        except services.BoardError as error:
            # The form is shown again with everything typed: nothing is lost.
            messages.error(request, str(error))
        else:
            drafts.discard(request.user, **target)
            _tell_where_it_is(request, post)
            return _to_post(post)
    context = {
        "board": board,
        "form": form,
        "refusal": services.may_post(request.user, board),
        "has_draft": drafts.has_draft(request.user, **target),
    }
    return render(request, "boards/new_thread.html", context)


# A conversation


def _with_display_state(posts, user, thread, *, moderator):
    """What each post shows: a placeholder if removed, new to the person,
    folded behind its warning, the help lines for its author, where its quote is."""
    State = Post.State
    read_at = thread.read_at
    on_page = {post.code for post in posts}
    for post in posts:
        own = post.author_id == user.pk
        post.is_own = own
        post.placeholder = None
        if not moderator and (
            post.state in (State.HIDDEN, State.DELETED)
            or (post.state == State.REJECTED and not own)
        ):
            post.placeholder = "deleted" if post.state == State.DELETED else "removed"
        post.is_new = (
            not own
            and post.is_published
            and (read_at is None or (post.published_at and post.published_at > read_at))
        )
        post.folded = bool(post.content_warning) and (thread.fold_warnings or post.is_new)
        post.help_lines = services.shows_help_lines(user, post)
        post.shows_quote = post.quote is not None and post.quote.is_published
        if post.shows_quote:
            code = post.quote.code
            post.quote_url = f"#post-{code}" if code in on_page else post_url(thread.code, code)
    return posts


def _page_links(thread, posts):
    """The links between the pages of a thread (None where there is nowhere
    to go), and whether this is the last page."""
    base = reverse("boards:thread", args=[thread.code])
    first, last = thread.first_code, thread.last_code
    at_start = not posts or posts[0].code == first
    at_end = not posts or posts[-1].code == last
    unread = thread.first_unread_code
    return {
        "first": None if at_start else base,
        "previous": None if at_start else f"{base}?before={posts[0].code}",
        "next": None if at_end else f"{base}?after={posts[-1].code}",
        "last": None if at_end else f"{base}?last=1",
        "first_unread": (
            post_url(thread.code, unread)
            if unread and unread not in {post.code for post in posts}
            else None
        ),
        "is_last": at_end,
    }


@reader_required
def thread(request, code):
    thread = queries.thread_page(request.user, code)
    board = thread.board
    moderator = services.moderates(request.user, board)
    keys = {name: request.GET.get(name) or None for name in ("after", "before", "from")}
    last = request.GET.get("last") == "1"
    posts = queries.thread_page_posts(
        request.user,
        thread,
        moderator=moderator,
        after=keys["after"],
        before=keys["before"],
        start=keys["from"],
        last=last,
    )
    if not posts and any(keys.values()):
        # A link to a post that is gone, or not one's to see: the first page.
        posts = queries.thread_page_posts(request.user, thread, moderator=moderator)
    posts = _with_display_state(posts, request.user, thread, moderator=moderator)
    pages = _page_links(thread, posts)
    # Marked read only now, and only as far as this page: what was new is
    # shown as new this once, and later pages stay unread. Up to the latest
    # post shown, not "now": reading the page again writes nothing, and a
    # post published meanwhile stays unread.
    latest = max((post.published_at for post in posts if post.published_at), default=None)
    if latest is not None or pages["is_last"]:
        services.mark_thread_read(request.user, thread, up_to=latest)
    closed = thread.locked and not moderator
    refusal = services.may_post(request.user, board)
    context = {
        "board": board,
        "thread": thread,
        "posts": posts,
        "pages": pages,
        "moderator": moderator,
        "following": thread.following,
        "closed": closed,
        "refusal": refusal,
        "can_reply": not closed and not refusal,
    }
    if context["can_reply"]:
        # A draft of a reply is filled in where one replies.
        initial = drafts.reply_on_thread_page(request, thread, form_shown=pages["is_last"])
        context["form"] = ReplyForm(initial=initial)
        context["has_draft"] = bool(initial)
    return render(request, "boards/thread.html", context)


def _quoted(thread, code):
    """The published post of this thread that a reply quotes, or None."""
    if not code:
        return None
    return (
        Post.objects.filter(thread=thread, state=Post.State.PUBLISHED, code=code)
        .select_related("author__member")
        .first()
    )


@keeps_text("boards.reply", ["body", "content_warning", "quote"])
@reader_required
def reply(request, code):
    thread = thread_for_reader(request.user, code)
    target = {"thread": thread}
    if request.method == "POST" and (answer := drafts.answer_draft_post(request, target)):
        return answer
    initial = None
    if not request.POST:
        quote = {"quote": request.GET["quote"]} if request.GET.get("quote") else {}
        initial = drafts.initial(request, "boards.reply", target) | quote
    form = ReplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        try:
            post = services.reply(
                request.user,
                thread,
                body=fields["body"],
                content_warning=fields["content_warning"],
                quote=_quoted(thread, fields["quote"]),
            )
        except services.BoardError as error:
            messages.error(request, str(error))
        else:
            drafts.discard(request.user, **target)
            _tell_where_it_is(request, post)
            return _to_post(post)
    quote_code = form["quote"].value()
    context = {
        "board": thread.board,
        "thread": thread,
        "form": form,
        "quote": _quoted(thread, quote_code),
        "closed": thread.locked and not services.moderates(request.user, thread.board),
        "refusal": services.may_post(request.user, thread.board),
        "has_draft": drafts.has_draft(request.user, **target),
    }
    return render(request, "boards/reply.html", context)


@reader_required
@require_POST
def follow(request, code):
    thread = thread_for_reader(request.user, code)
    if request.POST.get("following") not in ("0", "1"):
        return HttpResponseBadRequest()
    following = request.POST["following"] == "1"
    services.follow(request.user, thread, following=following)
    if following:
        messages.success(request, _("You follow this conversation."))
    else:
        messages.success(request, _("You no longer follow this conversation."))
    return redirect("boards:thread", code=thread.code)


# One's own posts, and reports


def _own_post(user, code):
    post = post_for_reader(user, code)
    if post.author_id != user.pk:
        raise Http404
    return post


@keeps_text("boards.edit_post", ["body", "content_warning"])
@reader_required
def edit_post(request, code):
    post = _own_post(request.user, code)
    target = {"post": post}
    if request.method == "POST" and (answer := drafts.answer_draft_post(request, target)):
        return answer
    initial = None
    if not request.POST:
        current = {"body": post.body, "content_warning": post.content_warning}
        initial = drafts.initial(request, "boards.edit_post", target, base=current)
    form = PostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.edit_post(request.user, post, **form.cleaned_data)
        except services.BoardError as error:
            messages.error(request, str(error))
        else:
            drafts.discard(request.user, **target)
            if post.is_published:
                messages.success(request, _("Your message is changed."))
            else:
                _tell_where_it_is(request, post)
            return _to_post(post)
    context = {
        "board": post.thread.board,
        "thread": post.thread,
        "post": post,
        "form": form,
        "has_draft": drafts.has_draft(request.user, **target),
    }
    return render(request, "boards/edit_post.html", context)


@reader_required
def delete_post(request, code):
    post = _own_post(request.user, code)
    if request.method == "POST":
        try:
            services.delete_post(request.user, post)
        except services.BoardError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your message is deleted."))
        return redirect("boards:thread", code=post.thread.code)
    return render(
        request,
        "boards/delete_post.html",
        {"board": post.thread.board, "thread": post.thread, "post": post},
    )


@reader_required
def report_post(request, code):
    post = post_for_reader(request.user, code)
    if post.author_id == request.user.pk:
        messages.error(request, _("You cannot report your own post; you can change or delete it."))
        return redirect("boards:thread", code=post.thread.code)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_post(request.user, post, **form.cleaned_data)
        except services.BoardError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Thank you. The moderators will look at this message; "
                    "its author does not learn who reported it."
                ),
            )
            return redirect("boards:thread", code=post.thread.code)
    context = {"board": post.thread.board, "thread": post.thread, "post": post, "form": form}
    return render(request, "boards/report_post.html", context)


# Search and preferences


@reader_required
def search(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = None
    if query:
        hits = services.search(request.user, query)
        page = Paginator(hits, SEARCH_HITS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "boards/search.html", {"form": form, "query": query, "page": page})


@reader_required
def preferences(request):
    current = Preferences.of(request.user)
    initial = {"fold_warnings": current.fold_warnings, "emails": current.emails}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(request.user, **form.cleaned_data)
        messages.success(request, _("Your preferences are saved."))
        return redirect("boards:preferences")
    return render(request, "boards/preferences.html", {"form": form})
