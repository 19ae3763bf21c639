"""Views of meetings: parse, check access, call one service, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echo.kept_text import keeps_text, restore
from groups import roles as group_roles
from groups.access import facilitator_required, group_led_by
from groups.forms import GroupMessageForm
from groups.services import GroupError
from groups.views import queued_message
from members.access import member_required
from members.roles import own_member

from . import queries, services
from .access import meeting_for_member, meeting_led_by, series_led_by
from .forms import AttendanceForm, MeetingForm, PlanForm, SeriesForm
from .models import Rsvp
from .recurrence import BRUSSELS

HISTORY_PAGE_SIZE = 50


def _back_to(meeting):
    return redirect("events:meeting", meeting.code)


@member_required
def my_meetings(request):
    member = own_member(request.user)
    return render(
        request,
        "events/my_meetings.html",
        {"meetings": queries.upcoming_meetings_of(member), "Answer": Rsvp.Answer},
    )


@member_required
def history(request):
    member = own_member(request.user)
    page = Paginator(queries.past_meetings_of(member), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "events/history.html", {"page": page})


@member_required
def meeting(request, code):
    meeting = meeting_for_member(request.user, code)
    member = own_member(request.user)
    leads = group_roles.leads(request.user, meeting.group)
    rsvp = Rsvp.objects.filter(meeting=meeting, member=member).first()
    answer = rsvp.answer if rsvp else None
    going_count = services.count_going(meeting)
    context = {
        "meeting": meeting,
        "group": meeting.group,
        "rsvp": rsvp,
        "answer": answer,
        "Answer": Rsvp.Answer,
        "waiting_position": services.waiting_position(rsvp),
        "leads": leads,
        # The place is for those going and for the group's facilitators only.
        "show_place": leads or answer == Rsvp.Answer.GOING,
        "full": going_count >= meeting.capacity,
        "accepts_answers": meeting.accepts_answers(),
        "has_started": meeting.has_started(),
        "is_past": meeting.is_past(),
        "moved": bool(
            meeting.occurrence_date
            and meeting.detached
            and timezone.localtime(meeting.starts_at, BRUSSELS).date() != meeting.occurrence_date
        ),
    }
    # Who is going, and how many, only when the facilitators let members see it.
    if leads or meeting.group.show_attendance:
        going, waiting = queries.going_and_waiting(meeting)
        context.update(show_going=True, going_count=going_count, going=going)
        if leads:
            context.update(waiting=waiting)
    return render(request, "events/meeting.html", context)


@member_required
@require_POST
def rsvp(request, code):
    meeting = meeting_for_member(request.user, code)
    if request.POST.get("going") not in ("0", "1"):
        return HttpResponseBadRequest()
    going = request.POST["going"] == "1"
    try:
        rsvp = services.answer(own_member(request.user), meeting, going)
    except services.MeetingError as error:
        messages.error(request, str(error))
        return _back_to(meeting)
    if rsvp.answer == Rsvp.Answer.GOING:
        messages.success(request, _("You are going."))
    elif rsvp.answer == Rsvp.Answer.WAITING:
        messages.success(
            request,
            _("You are on the waiting list (position %(position)s).")
            % {"position": services.waiting_position(rsvp)},
        )
    else:
        messages.success(request, _("You are not going."))
    return _back_to(meeting)


@facilitator_required
def plan_meeting(request, group_code):
    group = group_led_by(request.user, group_code)
    form = PlanForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        facilitator = own_member(request.user)
        try:
            if form.is_series:
                series = services.plan_series(facilitator, group, **form.series_fields())
                first = series.meetings.order_by("starts_at").first()
            else:
                first = services.plan_meeting(facilitator, group, **form.single_meeting_fields())
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The meetings are planned.") if form.is_series else _("The meeting is planned."),
            )
            return _back_to(first)
    return render(request, "events/plan.html", {"form": form, "group": group})


@facilitator_required
def edit_meeting(request, code):
    meeting = meeting_led_by(request.user, code)
    if meeting.is_cancelled or meeting.is_past():
        messages.error(
            request,
            _("This meeting is cancelled.") if meeting.is_cancelled else _("This meeting is over."),
        )
        return _back_to(meeting)
    form = MeetingForm(
        request.POST or None,
        group=meeting.group,
        initial=MeetingForm.initial_for(meeting),
        current_start=meeting.starts_at,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(request.user, meeting, **form.meeting_fields())
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The meeting is changed."))
            return _back_to(meeting)
    return render(request, "events/edit_meeting.html", {"form": form, "meeting": meeting})


@facilitator_required
def edit_series(request, code):
    series = series_led_by(request.user, code)
    form = SeriesForm(
        request.POST or None, group=series.group, initial=SeriesForm.initial_for(series)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_series(request.user, series, **form.series_fields())
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The coming meetings of the series are changed."))
            upcoming = series.meetings.upcoming().scheduled().first()
            if upcoming:
                return _back_to(upcoming)
            return redirect("groups:group", series.group.code)
    upcoming = series.meetings.upcoming().scheduled().first()
    return render(
        request,
        "events/edit_series.html",
        {"form": form, "series": series, "group": series.group, "next_meeting": upcoming},
    )


@facilitator_required
def cancel_meeting(request, code):
    meeting = meeting_led_by(request.user, code)
    if meeting.is_cancelled or meeting.is_past():
        messages.info(
            request,
            _("This meeting is already cancelled.")
            if meeting.is_cancelled
            else _("This meeting is over."),
        )
        return _back_to(meeting)
    if request.method == "POST":
        try:
            services.cancel_meeting(request.user, meeting)
        except services.MeetingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("The meeting is cancelled. Everyone going or waiting is told.")
            )
        return _back_to(meeting)
    going, waiting = queries.going_and_waiting(meeting)
    return render(
        request,
        "events/cancel.html",
        {"meeting": meeting, "told": len(going) + len(waiting)},
    )


@facilitator_required
def record_attendance(request, code):
    meeting = meeting_led_by(request.user, code)
    if meeting.is_cancelled or not meeting.has_started():
        messages.info(
            request,
            _("This meeting is cancelled.")
            if meeting.is_cancelled
            else _("Attendance can be recorded once the meeting has started."),
        )
        return _back_to(meeting)
    form = AttendanceForm(request.POST or None, people=queries.people_for_attendance(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(request.user, meeting, form.statuses())
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Attendance is saved."))
            return _back_to(meeting)
    return render(request, "events/attendance.html", {"form": form, "meeting": meeting})


@keeps_text("events.message_going", ["text"])
@facilitator_required
def write_to_going(request, code):
    meeting = meeting_led_by(request.user, code)
    initial = None if request.POST else restore(request, "events.message_going")
    form = GroupMessageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.write_to_those_going(
                own_member(request.user), meeting, form.cleaned_data["text"]
            )
        except (services.MeetingError, GroupError) as error:
            # The text stays in the form; nothing written is lost.
            form.add_error(None, str(error))
        else:
            messages.success(request, queued_message(message))
            return _back_to(meeting)
    return render(request, "events/write.html", {"meeting": meeting, "form": form})
