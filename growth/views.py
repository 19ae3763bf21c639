"""Member-growth figures for coordinators (their region) and administrators
(every region): counts only, never a person."""

import csv
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from echo import audit
from echo.models import Region
from members import roles
from members.access import coordinator_or_admin_required

from . import charts, figures
from .snapshots import yesterday

MONTH_CHOICES = [12, 24]


def _regions(request):
    """The regions whose figures this person sees, and the region chosen
    ("" for all): a coordinator only ever sees their own region."""
    if roles.is_administrator(request.user):
        chosen = request.GET.get("region", "")
        if chosen in Region.values:
            return [chosen], chosen
        return list(Region.values), ""
    region = roles.coordinated_region(request.user)
    return [region], region


def _rate(present, recorded):
    if not recorded:
        return None
    return round(present * 100 / recorded)


@coordinator_or_admin_required
def dashboard(request):
    regions, chosen = _regions(request)
    months = 24 if request.GET.get("months") == "24" else 12
    first, last = figures.known_days()
    context = {
        "regions": Region.choices,
        "chosen": chosen,
        "months": months,
        "month_choices": MONTH_CHOICES,
        "first": first,
        "last": last,
        "region_label": Region(chosen).label if chosen else "",
    }
    if last is None:
        return render(request, "growth/dashboard.html", context)

    rows = figures.monthly(regions, months, first, last)
    starts = [row["month"] for row in rows]

    def column(name):
        return [row[name] for row in rows]

    period = {
        "first": date_format(starts[0], "F Y"),
        "last": date_format(starts[-1], "F Y"),
    }
    lines = _("Line chart from %(first)s to %(last)s; the numbers are in the table below it.")
    bars = _("Bar chart from %(first)s to %(last)s; the numbers are in the table below it.")
    context["charts"] = [
        charts.line_chart(
            "active",
            _("Active members at the end of each month"),
            lines % period,
            starts,
            [(_("Active members"), column("active"))],
        ),
        charts.bar_chart(
            "flow",
            _("New members and leavers per month"),
            bars % period,
            starts,
            [(_("New members"), column("new_members")), (_("Leavers"), column("leavers"))],
        ),
        charts.bar_chart(
            "applications",
            _("Applications and their outcome per month"),
            bars % period,
            starts,
            [
                (_("Applications"), column("applications")),
                (_("Approved"), column("new_members")),
                (_("Declined"), column("declined")),
                (_("Withdrawn"), column("withdrawn")),
            ],
        ),
        charts.line_chart(
            "meetings",
            _("Meetings held and attendance per month"),
            lines % period,
            starts,
            [
                (_("Meetings held"), column("meetings_held")),
                (_("Present"), column("attendance_present")),
            ],
        ),
    ]
    # Attendance as a share of those recorded, in the table only.
    meetings = context["charts"][-1].table
    meetings["headers"] = [*meetings["headers"], _("Attendance rate (%)")]
    meetings["rows"] = [
        (label, [*values, "–" if rate is None else rate])
        for (label, values), rate in zip(
            meetings["rows"],
            [_rate(r["attendance_present"], r["attendance_recorded"]) for r in rows],
            strict=True,
        )
    ]
    return render(request, "growth/dashboard.html", context)


def _year(request, first, last):
    """The year asked for (?year=2026) if it has figures; else the last full
    year with figures, or the current one. Returns (year, years with figures)."""
    if last is None:
        return yesterday().year, []
    years = list(range(first.year, last.year + 1))
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        year = last.year - 1 if last.year - 1 in years else last.year
    return year, years


def _report(request):
    regions, chosen = _regions(request)
    first, last = figures.known_days()
    year, years = _year(request, first, last)
    lines = figures.annual(regions, year, last) if last else []
    return {
        "regions": regions,
        "chosen": chosen,
        "year": year,
        "years": years,
        "last": last,
        "complete": last is not None and last >= date(year, 12, 31),
        "end": min(date(year, 12, 31), last) if last else None,
        "lines": lines,
    }


def _columns(context):
    year = context["year"]
    if context["complete"] or context["end"] is None:
        members = _("Members at the end of %(year)s") % {"year": year}
    else:
        members = _("Members on %(date)s") % {
            "date": date_format(context["end"], "SHORT_DATE_FORMAT")
        }
    return [
        members,
        _("Members at the end of %(year)s") % {"year": year - 1},
        _("Growth"),
        _("New members"),
        _("Applications"),
        _("Meetings held"),
        _("Attendance"),
    ]


def _cells(line):
    """A report line as it may leave the system: small numbers hidden."""
    withheld = line.withheld
    return [
        figures.shown(line.members, withheld="members" in withheld),
        figures.shown(line.members_before, withheld="members_before" in withheld),
        figures.shown_growth(line.growth),
        *(
            figures.shown(line.figures.get(name), withheld=name in withheld)
            for name in figures.YEAR_FIELDS
        ),
    ]


@coordinator_or_admin_required
def report(request):
    context = _report(request)
    context["columns"] = _columns(context)
    context["rows"] = [(line.label, _cells(line)) for line in context["lines"]]
    context["any_withheld"] = any(line.withheld for line in context["lines"])
    return render(request, "growth/report.html", context)


@coordinator_or_admin_required
def report_csv(request):
    context = _report(request)
    year = context["year"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="echo-{year}.csv"'
    # The byte order mark makes Excel read UTF-8; the semicolon is what Excel
    # expects as separator with Belgian (Dutch and French) settings.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Region"), *_columns(context)])
    for line in context["lines"]:
        writer.writerow([str(line.label), *_cells(line)])
    writer.writerow([])
    writer.writerow([_("<5: fewer than five.")])
    writer.writerow(
        [_("*: withheld, because with the other numbers it would reveal one below five.")]
    )
    writer.writerow([_("–: no figures.")])
    audit.record(request.user, "growth.report.exported", region=context["chosen"], year=year)
    return response
