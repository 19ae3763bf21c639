"""Reading the daily figures back: per month for the dashboard, per year for
the annual report. A fixed number of aggregate queries over `Snapshot`,
however many months, regions or members there are.

Only what leaves Echo (the report page and its CSV) hides small numbers;
the dashboard inside Echo shows them as they are.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max, Min, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from echo.models import Region

from .models import Snapshot

# Counts below this are shown as "<5" in anything that leaves the system.
SMALL = 5
MONTH_FIELDS = [name for name in Snapshot.FIGURES if name != "active_members"]
YEAR_FIELDS = ["new_members", "applications", "meetings_held", "attendance_present"]


def _region_rows(regions):
    return Snapshot.objects.filter(group__isnull=True, region__in=regions).order_by()


def known_days():
    """(first, last) day with figures, or (None, None): one query."""
    span = Snapshot.objects.filter(group__isnull=True).aggregate(first=Min("day"), last=Max("day"))
    return span["first"], span["last"]


def month_end(month):
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def months_up_to(last, count):
    """The first days of the `count` months up to the month of `last`, oldest first."""
    index = last.year * 12 + last.month - 1
    return [date((index - n) // 12, (index - n) % 12 + 1, 1) for n in reversed(range(count))]


def monthly(regions, months, first, last):
    """One dict per month: `month`, `active` (at the end of the month, or at
    `last` for the current one) and the sums of MONTH_FIELDS. Months without
    any figures have None everywhere."""
    starts = months_up_to(last, months)
    ends = {start: min(month_end(start), last) for start in starts}
    rows = _region_rows(regions)
    active = dict(
        rows.filter(day__in=ends.values()).values_list("day").annotate(n=Sum("active_members"))
    )
    sums = {
        row["month"]: row
        for row in rows.filter(day__gte=starts[0], day__lte=last)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(**{name: Sum(name) for name in MONTH_FIELDS})
    }
    result = []
    for start in starts:
        known = first is not None and month_end(start) >= first
        row = sums.get(start, {})
        result.append(
            {
                "month": start,
                "active": active.get(ends[start]),
                **{name: (row.get(name) or 0) if known else None for name in MONTH_FIELDS},
            }
        )
    return result


@dataclass
class Line:
    """One line of the annual report: a region, or the total."""

    label: str
    members: int | None = None
    members_before: int | None = None
    figures: dict = field(default_factory=dict)
    # Columns whose exact value would give away a hidden small number.
    withheld: set = field(default_factory=set)

    @property
    def growth(self):
        """Percent against the end of the year before; None unless both
        counts are known, shown and at least SMALL."""
        if (
            self.members is None
            or self.members_before is None
            or {"members", "members_before"} & self.withheld
            or min(self.members, self.members_before) < SMALL
        ):
            return None
        return round((self.members - self.members_before) * 100 / self.members_before)


def annual(regions, year, last):
    """The lines of the annual report for `year`: one per region, and a total
    when there is more than one. Two queries."""
    end = min(date(year, 12, 31), last)
    before = date(year - 1, 12, 31)
    rows = _region_rows(regions)
    members = {
        (row["region"], row["day"]): row["n"]
        for row in rows.filter(day__in=[end, before])
        .values("region", "day")
        .annotate(n=Sum("active_members"))
    }
    sums = {
        row["region"]: row
        for row in rows.filter(day__year=year)
        .values("region")
        .annotate(**{name: Sum(name) for name in YEAR_FIELDS})
    }
    lines = [
        Line(
            label=Region(region).label,
            members=members.get((region, end)),
            members_before=members.get((region, before)),
            figures={name: sums[region][name] for name in YEAR_FIELDS} if region in sums else {},
        )
        for region in regions
    ]
    if len(lines) > 1:
        lines.append(_total(lines))
    return lines


def _sum(values):
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def _total(lines):
    total = Line(
        label=_("Total"),
        members=_sum(line.members for line in lines),
        members_before=_sum(line.members_before for line in lines),
        figures={name: _sum(line.figures.get(name) for line in lines) for name in YEAR_FIELDS},
    )
    columns = {
        "members": [line.members for line in lines],
        "members_before": [line.members_before for line in lines],
        **{name: [line.figures.get(name) for line in lines] for name in YEAR_FIELDS},
    }
    total.withheld = {name for name, values in columns.items() if reveals_small(values)}
    return total


def reveals_small(values):
    """Would the exact total of these region counts give away the ones shown
    as "<5"? The total minus the shown counts is the sum of the hidden ones:
    it must not be a small number itself (a single hidden count always is),
    nor pin them all at SMALL - 1. A sum of 0 only says that nothing happened
    there, which concerns nobody."""
    hidden = sum(value for value in values if value is not None and value < SMALL)
    count = sum(1 for value in values if value is not None and value < SMALL)
    return 0 < hidden < SMALL or (count > 0 and hidden == (SMALL - 1) * count)


def shown(value, *, withheld=False):
    """A count as it may leave the system."""
    if withheld:
        return "*"
    if value is None:
        return "–"
    if value < SMALL:
        return f"<{SMALL}"
    return str(value)


def shown_growth(percent):
    return "–" if percent is None else f"{percent:+d}%"
