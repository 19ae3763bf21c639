"""Forms of meetings. Dates and times are entered on the wall clock of
Europe/Brussels, whatever the facilitator's own time zone."""

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Attendance, Place, Series
from .recurrence import BRUSSELS, MAX_OCCURRENCES, local_instant

HOURS, DAYS = "hours", "days"
LONGEST_CLOSING = timedelta(days=14)
ANY_DAY = date(2000, 1, 1)


def date_input():
    # A date input takes ISO dates only, whatever the language's date format.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(label, *, max_length, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def closing_initial(before):
    """The closing time as (number, unit) for the form."""
    if before and before % timedelta(days=1) == timedelta(0):
        return before // timedelta(days=1), DAYS
    return round(before / timedelta(hours=1)), HOURS


class MeetingForm(forms.Form):
    """One meeting: when, for how many, until when people can answer, where."""

    check_past = True

    date = forms.DateField(label=_("Date"), widget=date_input())
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=200,
        help_text=_("When every place is taken, people can join the waiting list."),
    )
    closes_before = forms.IntegerField(
        label=_("How long before the start"),
        min_value=0,
        max_value=336,
        initial=0,
        help_text=_("0 means: when the meeting starts."),
    )
    closes_unit = forms.ChoiceField(
        label=_("Hours or days"),
        choices=[(HOURS, _("hours")), (DAYS, _("days"))],
        initial=HOURS,
    )
    place_kind = forms.ChoiceField(
        label=_("Where"), choices=Place.Kind.choices, widget=forms.RadioSelect
    )
    address = _textarea(
        _("Address"), max_length=500, help_text=_("Needed for a meeting in person.")
    )
    practical_notes = _textarea(
        _("Practical notes"),
        max_length=1000,
        help_text=_("For example: which door, which bell, parking, accessibility."),
    )
    online_link = forms.URLField(
        label=_("Link to the online meeting"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Needed for an online meeting. It starts with https://"),
    )

    # Shown as a group on the form; the template walks these.
    WHEN = ["date", "start_time", "end_time"]
    CLOSING = ["closes_before", "closes_unit"]
    PLACE = ["place_kind", "address", "practical_notes", "online_link"]

    def __init__(self, *args, group, current_start=None, **kwargs):
        self.group = group
        # A meeting under way may still be changed (a new link), if it is not moved.
        self.current_start = current_start
        super().__init__(*args, **kwargs)
        self.fields["capacity"].initial = group.max_size
        self.fields["place_kind"].initial = group.format

    def clean_online_link(self):
        link = self.cleaned_data["online_link"]
        if link and urlsplit(link).scheme != "https":
            raise forms.ValidationError(_("The link must start with https://"))
        return link

    def clean(self):
        cleaned = super().clean()
        day, start, end = (cleaned.get(name) for name in self.WHEN)
        if day and start:
            cleaned["starts_at"] = local_instant(day, start)
            moved = cleaned["starts_at"] != self.current_start
            if self.check_past and moved and cleaned["starts_at"] <= timezone.now():
                self.add_error(
                    "date", _("This date and time have passed. Choose a moment in the future.")
                )
        if start and end:
            if end <= start:
                self.add_error("end_time", _("The meeting must end after it starts."))
            else:
                # Wall-clock length; a meeting does not run past midnight.
                cleaned["duration"] = datetime.combine(ANY_DAY, end) - datetime.combine(
                    ANY_DAY, start
                )
        if cleaned.get("closes_before") is not None:
            unit = timedelta(days=1) if cleaned.get("closes_unit") == DAYS else timedelta(hours=1)
            cleaned["rsvp_closes_before"] = cleaned["closes_before"] * unit
            if cleaned["rsvp_closes_before"] > LONGEST_CLOSING:
                self.add_error("closes_before", _("Answers can close at most 14 days before."))
        self._clean_place(cleaned)
        return cleaned

    def _clean_place(self, cleaned):
        kind = cleaned.get("place_kind")
        address = (cleaned.get("address") or "").strip()
        if kind == Place.Kind.IN_PERSON:
            if not address:
                self.add_error("address", _("Enter the address of a meeting in person."))
            # A link left over from switching between the two is not kept.
            cleaned["online_link"] = ""
        elif kind == Place.Kind.ONLINE:
            if not cleaned.get("online_link") and "online_link" not in self.errors:
                self.add_error("online_link", _("Enter the link of an online meeting."))
            cleaned["address"] = ""

    def place(self):
        return {name: self.cleaned_data[name] for name in Place.PLACE_FIELDS}

    def meeting_fields(self):
        """What `update_meeting` takes."""
        starts_at = self.cleaned_data["starts_at"]
        return {
            "starts_at": starts_at,
            "ends_at": starts_at + self.cleaned_data["duration"],
            "capacity": self.cleaned_data["capacity"],
            "rsvp_closes_at": starts_at - self.cleaned_data["rsvp_closes_before"],
            **self.place(),
        }

    @classmethod
    def initial_for(cls, meeting):
        starts_at = timezone.localtime(meeting.starts_at, BRUSSELS)
        number, unit = closing_initial(meeting.starts_at - meeting.rsvp_closes_at)
        return {
            "date": starts_at.date(),
            "start_time": starts_at.time(),
            "end_time": timezone.localtime(meeting.ends_at, BRUSSELS).time(),
            "capacity": meeting.capacity,
            "closes_before": number,
            "closes_unit": unit,
            **{name: getattr(meeting, name) for name in Place.PLACE_FIELDS},
        }


class PlanForm(MeetingForm):
    """A single meeting, or the first of a series."""

    repeat = forms.ChoiceField(
        label=_("Repeats"),
        choices=[("", _("no, a single meeting")), *Series.Frequency.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Every month: on the same weekday as the first date, for example the second "
            "Tuesday. A fifth weekday means the last one of the month."
        ),
    )
    ends_on = forms.DateField(label=_("Last date"), required=False, widget=date_input())
    count = forms.IntegerField(
        label=_("Number of meetings"), required=False, min_value=1, max_value=MAX_OCCURRENCES
    )

    SERIES_END = ["ends_on", "count"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.group.cadence in Series.Frequency.values:
            self.fields["repeat"].initial = self.group.cadence

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("repeat"):
            cleaned["ends_on"] = cleaned["count"] = None
            return cleaned
        ends_on, count = cleaned.get("ends_on"), cleaned.get("count")
        unfinished = self.has_error("ends_on") or self.has_error("count")
        if ends_on is None and not count and not unfinished:
            self.add_error(
                "ends_on", _("A repeating meeting needs a last date or a number of meetings.")
            )
        if ends_on and cleaned.get("date") and ends_on < cleaned["date"]:
            self.add_error("ends_on", _("The last date is before the first date."))
        return cleaned

    @property
    def is_series(self):
        return bool(self.cleaned_data.get("repeat"))

    def series_fields(self):
        """What `plan_series` and `update_series` take."""
        data = self.cleaned_data
        return {
            "frequency": data["repeat"],
            "starts_on": data["date"],
            "start_time": data["start_time"],
            "duration": data["duration"],
            "ends_on": data["ends_on"],
            "count": data["count"],
            "capacity": data["capacity"],
            "rsvp_closes_before": data["rsvp_closes_before"],
            **self.place(),
        }

    def single_meeting_fields(self):
        """What `plan_meeting` takes."""
        fields = self.meeting_fields()
        fields["duration"] = fields.pop("ends_at") - fields["starts_at"]
        return fields


class SeriesForm(PlanForm):
    """A series from now on. Its first date may have passed."""

    check_past = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["repeat"].required = True
        self.fields["repeat"].choices = Series.Frequency.choices
        self.fields["date"].label = _("First date")

    @classmethod
    def initial_for(cls, series):
        number, unit = closing_initial(series.rsvp_closes_before)
        end = datetime.combine(series.starts_on, series.start_time) + series.duration
        return {
            "repeat": series.frequency,
            "date": series.starts_on,
            "start_time": series.start_time,
            "end_time": end.time(),
            "ends_on": series.ends_on,
            "count": series.count,
            "capacity": series.capacity,
            "closes_before": number,
            "closes_unit": unit,
            **{name: getattr(series, name) for name in Place.PLACE_FIELDS},
        }


class AttendanceForm(forms.Form):
    """Present, absent or excused, for each person; left empty, nothing is
    recorded for them."""

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {}
        for person in people:
            name = f"person_{person.code}"
            self.people[name] = person
            self.fields[name] = forms.ChoiceField(
                label=person.pseudonym,
                choices=Attendance.Status.choices,
                required=False,
                widget=forms.RadioSelect,
                help_text=_answer_hint(person.rsvp_answer),
                initial=person.attendance_status
                or (Attendance.Status.PRESENT if person.rsvp_answer == "going" else None),
            )

    def statuses(self):
        return {self.people[name]: status for name, status in self.cleaned_data.items() if status}


def _answer_hint(answer):
    return {
        "going": _("Said they were going."),
        "waiting": _("Was on the waiting list."),
        "not_going": _("Said they were not going."),
    }.get(answer, _("Did not answer."))
