"""The dashboard, the annual report and its CSV: who sees what, hand-computed
figures, small numbers hidden in what leaves Echo, charts the CSP allows,
and a fixed number of queries."""

import csv
import io
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from echo.models import AuditEntry, Region
from growth.models import Snapshot

from ..discretion import revealing_words
from ..factories import CoordinatorFactory, UserFactory
from .conftest import snapshot

pytestmark = pytest.mark.django_db

A, L, OV, B = Region.ANTWERPEN, Region.LIMBURG, Region.OOST_VLAANDEREN, Region.BRUSSEL
DASHBOARD = reverse("growth:dashboard")
REPORT = reverse("growth:report")
CSV = reverse("growth:report_csv")


@pytest.fixture
def year_2026():
    """Hand-made daily figures for the end of 2025 and for 2026."""
    ends_2025 = {A: 40, L: 4, B: 10}
    ends_2026 = {A: 50, L: 9, B: 8}
    for region in Region.values:
        snapshot(date(2025, 12, 31), region, active_members=ends_2025.get(region, 0))
        snapshot(date(2026, 12, 31), region, active_members=ends_2026.get(region, 0))
    # Approved in 2025: not in the 2026 report.
    Snapshot.objects.filter(day=date(2025, 12, 31), region=A).update(new_members=7)
    snapshot(
        date(2026, 6, 1), A, new_members=8, applications=12, meetings_held=10, attendance_present=80
    )
    snapshot(
        date(2026, 6, 1), L, new_members=2, applications=1, meetings_held=5, attendance_present=1
    )
    snapshot(date(2026, 6, 1), B, new_members=1, applications=4)
    snapshot(date(2026, 6, 1), OV, new_members=3)
    Snapshot.objects.filter(day=date(2026, 12, 31), region=A).update(
        new_members=6, applications=8, meetings_held=14, attendance_present=100
    )
    Snapshot.objects.filter(day=date(2026, 12, 31), region=L).update(
        new_members=3, applications=2, meetings_held=7, attendance_present=2
    )
    Snapshot.objects.filter(day=date(2026, 12, 31), region=B).update(new_members=1, applications=2)


def rows_of(response):
    return {str(label): cells for label, cells in response.context["rows"]}


def test_the_annual_report_matches_the_hand_computed_figures(client, admin, year_2026):
    client.force_login(admin)

    response = client.get(REPORT, {"year": 2026})

    assert response.status_code == 200
    rows = rows_of(response)
    # members, members a year before, growth, new, applications, meetings, attendance
    assert rows["Antwerp"] == ["50", "40", "+25%", "14", "20", "24", "180"]
    # A base below 5 hides the growth.
    assert rows["Limburg"] == ["9", "<5", "–", "5", "<5", "12", "<5"]
    assert rows["Brussels"] == ["8", "10", "-20%", "<5", "6", "<5", "<5"]
    assert rows["East Flanders"] == ["<5", "<5", "–", "<5", "<5", "<5", "<5"]
    # Totals that would give away a hidden number are withheld: 54 - 50 would
    # show Limburg's 4 members, 29 - 26 its 3 applications. The hidden new
    # members (2 and 3) add up to 5, and the hidden meetings are all 0.
    assert rows["Total"] == ["67", "*", "–", "24", "*", "36", "*"]
    assert list(rows) == [
        "Antwerp",
        "Limburg",
        "East Flanders",
        "West Flanders",
        "Flemish Brabant",
        "Brussels",
        "Total",
    ]
    content = response.content.decode()
    assert "&lt;5" in content
    assert "Members at the end of 2026" in content
    assert 'href="?year=2025"' in content


def test_the_report_defaults_to_the_last_full_year(client, admin, year_2026):
    client.force_login(admin)

    response = client.get(REPORT, {"year": "x"})

    assert response.context["year"] == 2025
    assert response.context["years"] == [2025, 2026]
    assert rows_of(response)["Antwerp"][0] == "40"


def test_the_report_of_a_year_not_over_says_up_to_when(client, admin):
    client.force_login(admin)
    for region in Region.values:
        snapshot(date(2026, 3, 5), region, active_members=30)

    response = client.get(REPORT, {"year": 2026})

    assert response.context["complete"] is False
    assert rows_of(response)["Antwerp"][:3] == ["30", "–", "–"]
    assert "Members on" in response.content.decode()


def test_the_csv_hides_small_numbers_and_is_audited(client, admin, year_2026):
    client.force_login(admin)

    response = client.get(CSV, {"year": 2026})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="echo-2026.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:3] == ["Region", "Members at the end of 2026", "Members at the end of 2025"]
    table = {line[0]: line[1:] for line in lines[1:8]}
    assert table["Antwerp"] == ["50", "40", "+25%", "14", "20", "24", "180"]
    assert table["Limburg"] == ["9", "<5", "–", "5", "<5", "12", "<5"]
    assert table["Total"] == ["67", "*", "–", "24", "*", "36", "*"]
    for line in lines[1:8]:
        for cell in line[1:]:
            assert cell in ("<5", "*", "–") or cell.endswith("%") or int(cell) >= 5
    assert not revealing_words(response.content.decode("utf-8-sig"))
    export = AuditEntry.objects.get(action="growth.report.exported")
    assert export.actor_code == admin.code
    assert export.region == ""
    assert export.detail == {"year": 2026}


def test_a_coordinator_reports_and_exports_their_own_region_only(
    client, english_coordinator, year_2026
):
    client.force_login(english_coordinator)

    page = client.get(REPORT, {"year": 2026, "region": L})
    export = client.get(CSV, {"year": 2026, "region": L})

    assert rows_of(page) == {"Antwerp": ["50", "40", "+25%", "14", "20", "24", "180"]}
    lines = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert [line[0] for line in lines[1:] if line] == [
        "Antwerp",
        "<5: fewer than five.",
        "*: withheld, because with the other numbers it would reveal one below five.",
        "–: no figures.",
    ]
    for response in (page, export):
        content = response.content.decode("utf-8-sig")
        assert "Limburg" not in content
        assert "Total" not in content
        assert ";9;" not in content
    assert AuditEntry.objects.get(action="growth.report.exported").region == A


@pytest.fixture
def two_months():
    """January and February 2026: Antwerpen, and a very large Limburg."""
    snapshot(date(2026, 1, 10), A, active_members=9, new_members=1)
    snapshot(date(2026, 1, 20), A, active_members=10, new_members=2, leavers=1)
    snapshot(date(2026, 1, 31), A, active_members=10)
    snapshot(date(2026, 2, 15), A, active_members=99)
    snapshot(
        date(2026, 2, 28),
        A,
        active_members=12,
        applications=4,
        new_members=3,
        declined=1,
        withdrawn=1,
        meetings_held=2,
        attendance_present=11,
        attendance_recorded=14,
    )
    for day in (date(2026, 1, 31), date(2026, 2, 28)):
        snapshot(day, L, active_members=98765)


def table(chart):
    return {label: values for label, values in chart.table["rows"]}


def test_the_dashboard_shows_the_months_of_the_coordinators_region(
    client, english_coordinator, two_months
):
    client.force_login(english_coordinator)

    response = client.get(DASHBOARD, {"region": L})

    assert response.status_code == 200
    active, flow, applications, meetings = response.context["charts"]
    assert len(active.table["rows"]) == 12
    assert table(active)["March 2025"] == ["–"]
    assert table(active)["January 2026"] == [10]
    assert table(active)["February 2026"] == [12]
    assert table(flow)["January 2026"] == [3, 1]
    assert table(flow)["February 2026"] == [3, 0]
    assert table(applications)["February 2026"] == [4, 3, 1, 1]
    assert meetings.table["headers"][-1] == "Attendance rate (%)"
    assert table(meetings)["February 2026"] == [2, 11, 79]
    assert table(meetings)["January 2026"] == [0, 0, "–"]
    assert "98765" not in response.content.decode()
    assert "98777" not in response.content.decode()


def test_an_administrator_sees_every_region_and_can_choose_one(client, admin, two_months):
    client.force_login(admin)

    everyone = client.get(DASHBOARD, {"months": 24})
    limburg = client.get(DASHBOARD, {"region": L})

    assert len(everyone.context["charts"][0].table["rows"]) == 24
    assert table(everyone.context["charts"][0])["February 2026"] == [98777]
    assert "98777" in everyone.content.decode()
    assert table(limburg.context["charts"][0])["February 2026"] == [98765]
    assert table(limburg.context["charts"][1])["January 2026"] == [0, 0]


def test_without_figures_the_pages_say_so(client, english_coordinator):
    client.force_login(english_coordinator)

    for url in (DASHBOARD, REPORT):
        response = client.get(url)
        assert response.status_code == 200
        assert "There are no figures yet" in response.content.decode()
    export = client.get(CSV)
    assert export.status_code == 200
    header, empty, *notes = export.content.decode("utf-8-sig").splitlines()
    assert header.startswith("Region;")
    assert empty == ""
    assert len(notes) == 3


@pytest.mark.parametrize("who", ["coordinator", "administrator"])
def test_figures_ask_for_a_second_factor_first(client, who):
    user = {
        "coordinator": lambda: CoordinatorFactory(second_factor=False),
        "administrator": lambda: UserFactory(is_staff=True),
    }[who]()
    client.force_login(user)

    for url in (DASHBOARD, REPORT, CSV):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("second_factor_required")
    assert not AuditEntry.objects.filter(action="growth.report.exported").exists()


class Markup(HTMLParser):
    """Every start tag of a page, with its attributes, in order."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_charts_are_accessible_svg_without_inline_style_or_script(client, admin, two_months):
    client.force_login(admin)

    response = client.get(DASHBOARD)

    content = response.content.decode()
    page = Markup()
    page.feed(content)
    tags = [tag for tag, _ in page.tags]
    assert "style" not in tags
    for tag, attributes in page.tags:
        assert "style" not in attributes, tag
        assert not any(name.startswith("on") for name in attributes), tag
        if tag == "script":
            assert attributes.get("src", "").startswith("/static/")
    ids = {attributes.get("id") for _, attributes in page.tags}
    svgs = [attributes for tag, attributes in page.tags if tag == "svg"]
    assert len(svgs) == 4
    for svg in svgs:
        assert svg["role"] == "img"
        title, desc = svg["aria-labelledby"].split()
        assert {title, desc} <= ids
    for _tag, attributes in page.tags:
        fill = attributes.get("fill", "")
        if fill.startswith("url(#"):
            assert fill[5:-1] in ids
    # Each chart is followed by its numbers as a table, with a caption and headers.
    assert tags.count("table") == 4
    assert tags.count("caption") == 4
    headers = [attributes.get("scope") for tag, attributes in page.tags if tag == "th"]
    assert set(headers) == {"col", "row"}
    for index, tag in enumerate(tags):
        if tag == "figure":
            following = [t for t in tags[index + 1 :] if t in ("details", "figure")]
            assert following[0] == "details"
    # Told apart without colour: shapes, dashes and patterns, and a legend.
    active, flow, applications, meetings = response.context["charts"]
    assert len({s["marker"] for s in meetings.series}) == 2
    assert len({s["dash"] for s in meetings.series}) == 2
    assert len({s["fill"] for s in applications.series}) == 4
    assert [item["name"] for item in flow.legend] == ["New members", "Leavers"]
    assert "Meetings held: 2" in content
    assert "Present: 11" in content
    assert "Bar chart from March 2025 to February 2026" in content


def _daily(regions, first, last):
    Snapshot.objects.bulk_create(
        Snapshot(day=first + timedelta(days=n), region=region, active_members=n, new_members=1)
        for region in regions
        for n in range((last - first).days + 1)
    )


@pytest.mark.parametrize(
    ("url", "params"),
    [(DASHBOARD, {"months": 24}), (REPORT, {"year": 2026}), (CSV, {"year": 2026})],
)
def test_figures_cost_the_same_queries_for_1_month_of_1_region_or_24_months_of_6(
    client, admin, url, params, django_assert_num_queries
):
    client.force_login(admin)
    _daily([A], date(2026, 2, 1), date(2026, 2, 28))
    client.get(url, params)  # the session notes its first activity
    with CaptureQueriesContext(connection) as one:
        small = client.get(url, params)

    _daily(Region.values, date(2024, 3, 1), date(2026, 1, 31))
    _daily(Region.values[1:], date(2026, 2, 1), date(2026, 2, 28))
    with django_assert_num_queries(len(one)):
        large = client.get(url, params)

    assert small.status_code == large.status_code == 200
    assert Snapshot.objects.count() == 6 * 730
    if url == DASHBOARD:
        assert table(small.context["charts"][1])["February 2026"] == [28, 0]
        assert table(large.context["charts"][1])["February 2026"] == [6 * 28, 0]
        assert table(large.context["charts"][1])["March 2024"] == [6 * 31, 0]
    print(f"{url}: {len(one)} queries for 1 month of 1 region and for 24 months of 6")
