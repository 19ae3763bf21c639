"""Views of peer groups: thin, they check access, parse, call one service in
`groups`, and render. Outsiders get a 404 (see `access`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from echo.kept_text import keeps_text, restore
from echo.panels import panels, panels_for_each
from members import roles as person
from members.access import coordinator_required, member_required
from members.models import Member, User

from . import queries, roles, services
from .access import (
    facilitator_or_coordinator_required,
    facilitator_required,
    group_for_coordinator,
    group_for_member,
    group_for_roster,
    group_led_by,
    join_request_to_decide,
    support_request_for,
)
from .forms import (
    FacilitatorGroupForm,
    GroupForm,
    GroupMessageForm,
    GroupRoleForm,
    JoinDecisionForm,
    JoinRequestForm,
    PlaceMemberForm,
    RemoveFromGroupForm,
    RevealingWordForm,
    SupportRequestForm,
)
from .models import Group, GroupMembership, JoinRequest, RevealingWord

PAST_MEETINGS_SHOWN = 20
RECENT_MESSAGES_SHOWN = 20
GROUP_MESSAGES_PER_PAGE = 10
PENDING = JoinRequest.State.PENDING


def _refused(request, error):
    messages.error(request, str(error))


# Facilitators


@facilitator_required
def facilitator_home(request):
    led = list(
        roles.groups_led_by(request.user)
        .annotate(pending_requests=queries.pending_requests_count())
        .order_by("name", "pk")
    )
    # Meetings and boards add what waits for the facilitator in each group.
    found = panels_for_each("facilitated_group", request, led)
    for group in led:
        group.panels = found.get(group.pk, [])
    return render(request, "groups/facilitator_home.html", {"groups": led})


# The list of groups


@login_required
def groups(request):
    """Coordinators see their region's groups; members their own and the open ones."""
    if person.is_coordinator_account(request.user):
        return _region_groups(request)
    return _member_groups(request)


@coordinator_required
def _region_groups(request):
    region_groups = queries.groups_of_region(person.coordinated_region(request.user))
    return render(request, "groups/region_groups.html", {"groups": region_groups})


@member_required
def _member_groups(request):
    member = person.own_member(request.user)
    memberships = (
        member.memberships.filter(group__archived_at__isnull=True)
        .select_related("group")
        .order_by("group__name", "group__pk")
    )
    pending = list(
        member.join_requests.filter(state=PENDING).select_related("group").order_by("created_at")
    )
    asked = {join_request.group_id for join_request in pending}
    open_groups = [
        {"group": group, "asked": group.pk in asked}
        for group in Group.objects.open_to(member).exclude(memberships__member=member)
    ]
    context = {"memberships": memberships, "open_groups": open_groups, "pending": pending}
    return render(request, "groups/member_groups.html", context)


@coordinator_required
def create_group(request):
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(request.user, **form.cleaned_data)
        except services.GroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The group is created. Appoint a facilitator on its roster next.")
            )
            return redirect("groups:roster", code=group.code)
    return render(request, "groups/group_form.html", {"form": form, "group": None})


# One group


def _group_page(request, group, *, member=None, membership=None):
    as_coordinator = membership is None
    leads = roles.leads(request.user, group)
    # Members learn who else is in the group and how many go only if the
    # facilitators turned that on; facilitators and the coordinator always do.
    sees_people = as_coordinator or leads or group.show_attendance
    people = None
    if sees_people and not as_coordinator:
        people = (
            group.memberships.filter(member__in=roles.members_of(group))
            .select_related("member")
            .order_by("member__pseudonym")
        )
    # The facilitators' messages to the whole group, for those in it (those
    # to the people going to one meeting stay with them).
    group_messages = None
    if membership is not None:
        group_messages = Paginator(
            group.messages.filter(meeting__isnull=True).select_related("author"),
            GROUP_MESSAGES_PER_PAGE,
        ).get_page(request.GET.get("messages"))
    context = {
        "group": group,
        "membership": membership,
        "as_coordinator": as_coordinator,
        "leads": leads,
        "people": people,
        "group_messages": group_messages,
        # Its meetings, from the meetings app.
        "panels": panels(
            "group", request, group=group, member=member, leads=leads, sees_people=sees_people
        ),
    }
    return render(request, "groups/group.html", context)


@login_required
def group(request, code):
    if person.is_coordinator_account(request.user):
        return _group_for_coordinator(request, code)
    return _group_for_member(request, code)


@coordinator_required
def _group_for_coordinator(request, code):
    return _group_page(request, group_for_coordinator(request.user, code))


@member_required
def _group_for_member(request, code):
    group = group_for_member(request.user, code)
    member = person.own_member(request.user)
    membership = group.memberships.get(member=member)
    return _group_page(request, group, member=member, membership=membership)


@facilitator_or_coordinator_required
def edit_group(request, code):
    group = group_for_roster(request.user, code)
    if group.is_archived:
        messages.error(request, _("An archived group cannot be changed."))
        return redirect("groups:group", code=code)
    form_class = GroupForm if services.coordinates(request.user, group) else FacilitatorGroupForm
    form = form_class(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.update_group(request.user, Group.objects.get(pk=group.pk), **changes)
        except services.GroupError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The group's settings are saved."))
            return redirect("groups:group", code=code)
    context = {"form": form, "group": group, "limited": form_class is FacilitatorGroupForm}
    return render(request, "groups/group_form.html", context)


@coordinator_required
def archive_group(request, code):
    group = group_for_coordinator(request.user, code)
    if group.is_archived:
        messages.info(request, _("This group is already archived."))
        return redirect("groups:group", code=code)
    if request.method == "POST":
        services.archive_group(request.user, group)
        messages.success(
            request,
            _("The group is archived. Its future meetings are cancelled and those going are told."),
        )
        return redirect("groups:groups")
    return render(
        request,
        "confirm.html",
        {
            "group": group,
            "question": _("Archive this group?"),
            "explanation": _(
                "The group stops: it takes no new members and plans no meetings. Its "
                "future meetings are cancelled and everyone going is told. This cannot be undone."
            ),
            "button": _("Archive the group"),
            "danger": True,
        },
    )


# Joining and leaving


@member_required
def join_group(request, code):
    member = person.own_member(request.user)
    if roles.groups_of(request.user).filter(code=code).exists():
        return redirect("groups:group", code=code)
    group = get_object_or_404(Group.objects.open_to(member), code=code)
    pending = group.join_requests.filter(member=member, state=PENDING).first()
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_to_join(member, group, form.cleaned_data["note"])
        except services.GroupError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _(
                    "Your request is sent to the group's facilitators. "
                    "Echo lets you know their answer."
                ),
            )
            return redirect("groups:groups")
    context = {"group": group, "form": form, "pending": pending}
    return render(request, "groups/join.html", context)


@member_required
@require_POST
def withdraw_join_request(request, code):
    member = person.own_member(request.user)
    join_request = get_object_or_404(JoinRequest, code=code, member=member, state=PENDING)
    services.withdraw_join_request(member, join_request)
    messages.success(request, _("Your request to join is withdrawn."))
    return redirect("groups:groups")


@member_required
def leave_group(request, code):
    group = group_for_member(request.user, code)
    member = person.own_member(request.user)
    if request.method == "POST":
        try:
            services.leave_group(request.user, group, member)
        except services.GroupError as error:
            _refused(request, error)
            return redirect("groups:group", code=code)
        messages.success(
            request,
            _("You have left the group. Your places at its meetings are given to others."),
        )
        return redirect("groups:groups")
    leads = roles.leads(request.user, group)
    explanation = _(
        "You will no longer see its meetings, and your places at its coming meetings go to "
        "whoever is waiting. You can ask to join again later."
    )
    if leads:
        explanation += " " + _("You lead this group: tell your coordinator before you leave.")
    return render(
        request,
        "confirm.html",
        {
            "group": group,
            "question": _("Leave this group?"),
            "explanation": explanation,
            "button": _("Leave the group"),
            "danger": True,
        },
    )


# The roster and what is done from it


@facilitator_or_coordinator_required
def roster(request, code):
    group = group_for_roster(request.user, code)
    as_coordinator = services.coordinates(request.user, group)
    memberships = (
        group.memberships.select_related("member")
        .annotate(
            # Facilitators need a second factor before they can act.
            has_second_factor=Exists(
                person.with_second_factor(User.objects.all()).filter(pk=OuterRef("member__user_id"))
            )
        )
        # "facilitator" sorts before "member": those who lead come first.
        .order_by("role", "member__pseudonym")
    )
    join_requests = group.join_requests.filter(state=PENDING).select_related("member")
    context = {
        "group": group,
        "as_coordinator": as_coordinator,
        "memberships": memberships,
        "join_requests": join_requests,
        "place_form": (
            PlaceMemberForm(group) if as_coordinator and not group.is_archived else None
        ),
        "roles": GroupMembership.Role,
        "statuses": Member.Status,
    }
    return render(request, "groups/roster.html", context)


def _act_on_roster(request, group, form, act, done):
    """Validate one roster form and call the service; report either way."""
    if not form.is_valid():
        messages.error(request, _("Choose someone from the list."))
    else:
        try:
            act(form)
        except services.GroupError as error:
            _refused(request, error)
        else:
            messages.success(request, done(form))
    return redirect("groups:roster", code=group.code)


@coordinator_required
@require_POST
def place_member(request, code):
    group = group_for_coordinator(request.user, code)
    return _act_on_roster(
        request,
        group,
        PlaceMemberForm(group, request.POST),
        lambda form: services.place_member(request.user, group, form.cleaned_data["member"]),
        lambda form: (
            _("%(name)s is placed in the group and told by email.")
            % {"name": form.cleaned_data["member"].pseudonym}
        ),
    )


@coordinator_required
@require_POST
def set_group_role(request, code):
    group = group_for_coordinator(request.user, code)

    def act(form):
        member = form.cleaned_data["member"]
        if form.cleaned_data["role"] == GroupRoleForm.FACILITATOR:
            services.appoint_facilitator(request.user, group, member)
        else:
            services.remove_facilitator(request.user, group, member)

    def done(form):
        name = form.cleaned_data["member"].pseudonym
        if form.cleaned_data["role"] == GroupRoleForm.FACILITATOR:
            return _("%(name)s now leads this group.") % {"name": name}
        return _("%(name)s no longer leads this group.") % {"name": name}

    return _act_on_roster(request, group, GroupRoleForm(group, request.POST), act, done)


@facilitator_or_coordinator_required
def remove_from_group(request, code, member_code):
    """Asked first, on a page of its own, with optional words to the person."""
    group = group_for_roster(request.user, code)
    member = get_object_or_404(Member, code=member_code, memberships__group=group)
    if group.is_archived:
        messages.error(request, _("An archived group cannot be changed."))
        return redirect("groups:roster", code=code)
    # Every field is optional: an empty POST is a confirmation too.
    form = RemoveFromGroupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_from_group(request.user, group, member, form.cleaned_data["message"])
        except services.GroupError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("%(name)s is no longer in this group and is told so.")
                % {"name": member.shown_pseudonym},
            )
        return redirect("groups:roster", code=code)
    context = {"group": group, "member": member, "form": form}
    return render(request, "groups/confirm_remove.html", context)


@facilitator_or_coordinator_required
@require_POST
def decide_join_request(request, code):
    join_request = join_request_to_decide(request.user, code)
    form = JoinDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline."))
    else:
        try:
            services.decide_join_request(request.user, join_request, form.accepted)
        except services.GroupError as error:
            _refused(request, error)
        else:
            name = join_request.member.pseudonym
            messages.success(
                request,
                (
                    _("%(name)s is now in the group and is told by email.")
                    if form.accepted
                    else _("The request of %(name)s is declined; they are told by email.")
                )
                % {"name": name},
            )
    return redirect("groups:roster", code=join_request.group.code)


# Writing to the group


@keeps_text("groups.message", ["text"])
@facilitator_required
def write_to_group(request, code):
    group = group_led_by(request.user, code)
    initial = None if request.POST else restore(request, "groups.message")
    form = GroupMessageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.write_to_group(
                person.own_member(request.user), group, form.cleaned_data["text"]
            )
        except services.GroupError as error:
            _refused(request, error)
        else:
            messages.success(request, queued_message(message))
            return redirect(reverse("groups:write_to_group", args=[code]))
    sent = group.messages.select_related("author", "meeting")[:RECENT_MESSAGES_SHOWN]
    return render(request, "groups/write.html", {"group": group, "form": form, "sent": sent})


def queued_message(message):
    return ngettext(
        "Your message is queued for %(count)d person.",
        "Your message is queued for %(count)d people.",
        message.recipients,
    ) % {"count": message.recipients}


# Words a group's name may not hold: one list, kept by the coordinators of every region


@coordinator_required
def revealing_words(request):
    form = RevealingWordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_revealing_word(request.user, form.cleaned_data["word"])
        except services.GroupError as error:
            form.add_error("word", str(error))
        else:
            messages.success(request, _("The word is on the list from now on."))
            return redirect("groups:revealing_words")
    context = {
        "form": form,
        "words": RevealingWord.objects.all(),
        "named_so": services.groups_with_revealing_names(person.coordinated_region(request.user)),
    }
    return render(request, "groups/revealing_words.html", context)


@coordinator_required
@require_POST
def remove_revealing_word(request, code):
    word = get_object_or_404(RevealingWord, code=code)
    services.remove_revealing_word(request.user, word)
    messages.success(request, _("The word is no longer on the list."))
    return redirect("groups:revealing_words")


# Asking for support privately


@member_required
def ask_for_support(request):
    member = person.own_member(request.user)
    groups = list(services.groups_to_ask_for_support(member).order_by("name", "pk"))
    form = SupportRequestForm(groups, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_for_support(member, form.group, form.cleaned_data["note"])
        except services.GroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("They are told, and will get back to you. You did well to ask."),
            )
            return redirect("groups:ask_for_support")
    return render(request, "groups/ask_for_support.html", {"form": form})


@facilitator_or_coordinator_required
def support_request(request, code):
    support_request = support_request_for(request.user, code)
    services.read_support_request(request.user, support_request)
    context = {
        "support_request": support_request,
        "as_coordinator": support_request.group is None,
    }
    return render(request, "groups/support_request.html", context)
