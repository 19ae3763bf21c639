import json

from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress
from allauth.account.views import SignupView as AllauthSignupView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Window
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from echo import audit
from echo.kept_text import keeps_text, restore
from echo.models import AuditEntry
from echo.panels import panels

from . import inbox, roles, security, services
from .access import (
    applicant_or_member_required,
    application_for_coordinator,
    coordinator_required,
    member_required,
)
from .forms import (
    AuditFilterForm,
    ConfirmDecisionForm,
    DecisionForm,
    EmailsForm,
    EraseForm,
    IntakeMessageForm,
    IntakeNoteForm,
    ProfileForm,
    ReplyForm,
)
from .models import IntakeMessage, Member, User
from .roles import own_member


class SignupView(AllauthSignupView):
    def form_invalid(self, form):
        # Someone under 18 is pointed elsewhere, and nothing they typed is kept.
        if form.is_under_18:
            return redirect("members:too_young")
        return super().form_invalid(form)


def too_young(request):
    return render(request, "members/too_young.html")


@login_required
def home(request):
    """Send each person to where they belong."""
    member = own_member(request.user)
    if member and member.is_active_member:
        return redirect("members:member_home")
    if member:
        return redirect("members:status")
    if roles.is_coordinator_account(request.user):
        return redirect("members:intake_queue")
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("landing")


# How many unread notices the member home shows.
NOTICES_SHOWN = 3


def _unread_notices(user):
    """The newest unread notices the person may still see (the inbox's rule),
    worded for them, each with `unread` (how many there are in all)."""
    newest = inbox.notices_of(user).unread().annotate(unread=Window(Count("pk")))
    return inbox.worded(newest[:NOTICES_SHOWN], user)


def _applications_waiting(user):
    """For a coordinator: the open applications of their region (the intake
    queue's), and how many of them nobody took in yet. One query."""
    region = roles.coordinated_region(user)
    if not region:
        return None
    verified = EmailAddress.objects.filter(user=OuterRef("user"), verified=True)
    return Member.objects.filter(
        Exists(verified), region=region, status__in=Member.OPEN_APPLICATION
    ).aggregate(open=Count("pk"), new=Count("pk", filter=Q(status=Member.Status.APPLIED)))


@member_required
def member_home(request):
    """Where a member starts: what comes (meetings), what is new (notices,
    boards), what waits for them, and their groups. Each app fills its part
    through a panel, with at most one query each, whatever their number of
    groups, meetings and threads."""
    member = request.user.member
    notices = _unread_notices(request.user)
    context = {
        "member": member,
        "notices": notices,
        "unread_notices": notices[0].unread if notices else 0,
        "applications": _applications_waiting(request.user),
    } | {
        name: panels(f"member_home.{name}", request, member=member)
        for name in ("meetings", "news", "waiting", "groups")
    }
    return render(request, "members/member_home.html", context)


@keeps_text("members.reply", ["text"])
@applicant_or_member_required
def status(request):
    member = request.user.member
    if member.is_active_member:
        return redirect("members:member_home")
    form = ReplyForm(
        request.POST or None, initial=None if request.POST else restore(request, "members.reply")
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_to_coordinator(member, form.cleaned_data["text"])
        except services.InvalidTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your answer is sent to the coordinator."))
            return redirect("members:status")
    context = {
        "member": member,
        "conversation": member.messages.all(),
        "form": form,
        # A decline or a hold: the coordinator's words since, shown first.
        "decision_words": services.words_since_decision(member)
        if member.status in [Member.Status.DECLINED, Member.Status.ON_HOLD]
        else [],
    }
    return render(request, "members/status.html", context)


@applicant_or_member_required
def profile(request):
    member = request.user.member
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(member))
    if request.method == "POST" and form.is_valid():
        services.update_profile(member, **form.cleaned_data)
        messages.success(request, _("Your preferences are saved."))
        return redirect("members:profile")
    context = {"member": member, "form": form, "security": _security_check(request)}
    return render(request, "members/profile.html", context)


def _security_check(request):
    """What the short security check shows a person about their account."""
    user = request.user
    return {
        "second_factor": roles.account_has_second_factor(user),
        "devices": security.signed_in_elsewhere(request, user) + 1,
        "notices": list(security.security_notices(user)[:10]),
    }


def _back(request, fallback="members:security"):
    """Back to the page the person came from, if it is one of Echo's."""
    url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(url)
    return redirect(fallback)


@login_required
def security_check(request):
    """The security check, for everyone signed in (applicants and members
    also see it on their profile)."""
    return render(request, "members/security.html", {"security": _security_check(request)})


@login_required
@require_POST
def sign_out_everywhere(request):
    """Ends every other session of the person and keeps this one: whoever
    pressed it is here, and goes on to change their password, which needs a
    session (signing out here too is one more button: "Sign out")."""
    ended = security.sign_out_everywhere_else(request, request.user)
    if ended:
        message = ngettext(
            "You are signed out on %(count)d other device.",
            "You are signed out on %(count)d other devices.",
            ended,
        ) % {"count": ended}
    else:
        message = _("You were not signed in anywhere else.")
    messages.success(request, message)
    response = _back(request)
    security.remember_browser(request, response, request.user)
    return response


@login_required
@require_POST
def read_notice(request, code):
    if not security.mark_notice_read(request.user, code):
        raise Http404
    return _back(request)


# Notices inside Echo

NOTICES_PER_PAGE = 20


@login_required
def notices(request):
    """The inbox: every notice the person may still see, newest first."""
    page = Paginator(inbox.notices_of(request.user), NOTICES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    shown = inbox.worded(page.object_list, request.user)
    context = {"page": page, "notices": shown, "notice_days": settings.NOTICE_DAYS}
    return render(request, "members/inbox.html", context)


@login_required
def notice(request, code):
    """One notice, in full; opening it marks it read."""
    found = inbox.notice_for(request.user, code)
    shown = inbox.worded([found], request.user) if found else []
    if not shown:
        raise Http404
    inbox.mark_read(found)
    return render(request, "members/notice.html", {"notice": shown[0]})


@login_required
@require_POST
def read_all_notices(request):
    inbox.mark_all_read(request.user)
    messages.success(request, _("All notices are marked as read."))
    return redirect("members:notices")


@login_required
@require_POST
def clear_notices(request):
    cleared = inbox.clear_read(request.user)
    messages.success(
        request,
        ngettext("%(count)d read notice cleared.", "%(count)d read notices cleared.", cleared)
        % {"count": cleared},
    )
    return redirect("members:notices")


@applicant_or_member_required
def email_preference(request):
    member = request.user.member
    form = EmailsForm(request.POST or None, initial={"emails": member.emails})
    if request.method == "POST" and form.is_valid():
        services.choose_emails(member, form.cleaned_data["emails"])
        messages.success(request, _("Your choice of emails is saved."))
        return redirect("members:emails")
    return render(request, "members/emails.html", {"form": form, "member": member})


def _confirmed_change(request, action, done_message, *, then="members:home", **confirmation):
    """GET asks the question in `confirmation`; POST makes the change."""
    member = request.user.member
    if request.method == "POST":
        try:
            action(member)
        except services.InvalidTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done_message)
            if then is None:
                return _back(request, fallback="members:home")
            return redirect(then)
        return redirect("members:home")
    return render(request, confirmation.pop("template", "confirm.html"), confirmation)


@applicant_or_member_required
def withdraw(request):
    return _confirmed_change(
        request,
        services.withdraw_application,
        _("Your application is withdrawn."),
        question=_("Withdraw your application?"),
        explanation=_(
            "The coordinator will no longer contact you. Your application is erased "
            "after 90 days, or now if you erase your account."
        ),
        button=_("Withdraw"),
        danger=True,
    )


@applicant_or_member_required
def pause(request):
    # What pausing changes is said before, on its own page.
    return _confirmed_change(
        request,
        services.pause_membership,
        _("Your membership is paused. You can come back whenever you like."),
        template="members/confirm_pause.html",
    )


@applicant_or_member_required
@require_POST
def resume(request):
    # Back to the page they wanted, when they came from the paused page.
    return _confirmed_change(request, services.resume_membership, _("Welcome back."), then=None)


@applicant_or_member_required
def leave(request):
    member = request.user.member
    if request.method == "POST":
        try:
            services.leave_echo(member)
        except services.InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("members:home")
        # The session ends here: the farewell page is for nobody in particular.
        logout(request)
        messages.success(
            request,
            _(
                "You have left Echo. Your account stays until you erase it: you can sign in "
                "to download or erase your data."
            ),
        )
        return redirect("members:farewell")
    return render(
        request,
        "confirm.html",
        {
            "question": _("Leave Echo?"),
            "explanation": _(
                "You will no longer be a member. You can still sign in to download or "
                "erase your data."
            ),
            "button": _("Leave Echo"),
            "danger": True,
        },
    )


def farewell(request):
    """Where leaving and erasure end, signed out: the same page for everyone,
    so that it tells nobody who left."""
    return render(request, "members/farewell.html")


@login_required
@reauthentication_required
def export(request):
    data = services.export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"echo-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@applicant_or_member_required
@reauthentication_required
def erase(request):
    form = EraseForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.erase_account(request.user, delete_posts=form.cleaned_data["posts"] == "delete")
        logout(request)
        messages.success(request, _("Your account and all your details are erased."))
        return redirect("members:farewell")
    return render(request, "members/confirm_erase.html", {"form": form})


@coordinator_required
def intake_queue(request):
    applications = (
        Member.objects.filter(
            region=roles.coordinated_region(request.user),
            status__in=Member.OPEN_APPLICATION,
            user__emailaddress__verified=True,
        )
        .distinct()
        .order_by("applied_at")
        .only("code", "pseudonym", "status", "applied_at", "contact_preference")
    )
    members = Member.objects.filter(
        region=roles.coordinated_region(request.user),
        status__in=[Member.Status.ACTIVE, Member.Status.PAUSED],
    ).order_by("pseudonym")
    # Declined applicants who answered: the last word in their conversation is theirs.
    last_from_applicant = (
        IntakeMessage.objects.filter(member=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("from_applicant")[:1]
    )
    answers = (
        Member.objects.filter(
            region=roles.coordinated_region(request.user), status=Member.Status.DECLINED
        )
        .annotate(answered=Subquery(last_from_applicant))
        .filter(answered=True)
        .order_by("pseudonym")
        .only("code", "pseudonym")
    )
    return render(
        request,
        "members/intake_queue.html",
        {"applications": applications, "members": members, "answers": answers},
    )


def _application_page(request, member, **bound_forms):
    """The intake page; a form that failed comes back bound, with its errors."""
    services.show_confidential_intake(request.user, member)
    forms = {
        "note_form": IntakeNoteForm(),
        "message_form": IntakeMessageForm(initial=restore(request, "members.intake_message")),
        "decision_form": DecisionForm(),
    } | bound_forms
    context = {
        "member": member,
        "notes": member.intake_notes.all(),
        "history": member.history.all(),
        "conversation": member.messages.all(),
        **forms,
    }
    return render(request, "members/application_detail.html", context)


@coordinator_required
def application_detail(request, code):
    return _application_page(request, application_for_coordinator(request.user, code))


def _post_to_application(request, code, form_name, form_class, act, done_message):
    """Validate one form of the intake page and act on it; on bad input show
    the page again with what was typed and why it was refused."""
    member = application_for_coordinator(request.user, code)
    form = form_class(request.POST)
    if not form.is_valid():
        return _application_page(request, member, **{form_name: form})
    try:
        act(member, form.cleaned_data)
    except services.InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done_message)
    return redirect("members:application", code=code)


@coordinator_required
@require_POST
def add_note(request, code):
    return _post_to_application(
        request,
        code,
        "note_form",
        IntakeNoteForm,
        lambda member, data: services.add_intake_note(request.user, member, data["text"]),
        _("The note is saved."),
    )


@keeps_text(
    "members.intake_message",
    ["text"],
    page=lambda request, code: reverse("members:application", args=[code]),
)
@coordinator_required
@require_POST
def send_message(request, code):
    return _post_to_application(
        request,
        code,
        "message_form",
        IntakeMessageForm,
        lambda member, data: services.message_applicant(request.user, member, data["text"]),
        _("The message is on its way."),
    )


@coordinator_required
@require_POST
def decide(request, code):
    def act(member, data):
        decide_by = DecisionForm.ACTIONS[data["action"]]
        decide_by(request.user, member, data["reason"])

    return _post_to_application(
        request, code, "decision_form", DecisionForm, act, _("The application is updated.")
    )


AUDIT_PAGE_SIZE = 50


@coordinator_required
def confirm_decision(request, code, action):
    """Declining or putting on hold: asked first, on a page of its own (no
    script needed), with optional words for the person."""
    member = application_for_coordinator(request.user, code)
    if not member.is_applicant:
        return redirect("members:application", code=code)
    # Every field is optional: an empty POST is a confirmation too.
    form = ConfirmDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        decide_by = ConfirmDecisionForm.ACTIONS[action]
        try:
            decide_by(
                request.user, member, form.cleaned_data["reason"], form.cleaned_data["message"]
            )
        except services.InvalidTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The application is updated."))
        return redirect("members:application", code=code)
    context = {"member": member, "form": form, "action": action}
    return render(request, "members/confirm_decision.html", context)


@coordinator_required
def audit_log(request):
    """The region's audit log as sentences, newest first, a page at a time."""
    form = AuditFilterForm(request.GET or None)
    entries = form.filter(AuditEntry.objects.filter(region=roles.coordinated_region(request.user)))
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    names = _people_in_audit({e.actor_code for e in page} | {e.target_code for e in page} - {""})
    for entry in page:
        entry.sentence = audit.sentence(
            entry.action,
            actor=names.get(entry.actor_code) or entry.actor_code or _("Echo itself"),
            target=names.get(entry.target_code) or entry.target_code or "—",
        )
    return render(request, "members/audit_log.html", {"page": page, "form": form})


def _people_in_audit(codes):
    """How the audit log names each person among `codes`: a member by their
    pseudonym, staff by their role and code. Groups, meetings and erased
    accounts keep their bare code."""
    names = {}
    for member_code, user_code, pseudonym in Member.objects.filter(
        Q(code__in=codes) | Q(user__code__in=codes)
    ).values_list("code", "user__code", "pseudonym"):
        names[member_code] = names[user_code] = _("member %(name)s") % {"name": pseudonym}
    for user in User.objects.filter(code__in=codes - names.keys(), member__isnull=True):
        if roles.is_coordinator_account(user):
            names[user.code] = _("coordinator %(code)s") % {"code": user.code}
        elif roles.is_administrator(user):
            names[user.code] = _("administrator %(code)s") % {"code": user.code}
    return names
