"""Every date shown to a person carries its weekday, in their language
(echo/formats), and pages print dates through those formats."""

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from events.recurrence import BRUSSELS

from ..factories import MeetingFactory

MONDAY_EVENING = datetime(2026, 11, 30, 19, tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "maandag 30 november 2026, 19:00"),
        ("fr", "lundi 30 novembre 2026 à 19:00"),
        ("en", "Monday 30 November 2026, 19:00"),
    ],
)
def test_a_moment_reads_with_its_weekday(language, expected):
    with translation.override(language):
        assert date_format(MONDAY_EVENING, "DATETIME_FORMAT") == expected


@pytest.mark.parametrize(
    ("language", "expected", "short"),
    [
        ("nl", "maandag 30 november 2026", "ma 30-11-2026"),
        ("fr", "lundi 30 novembre 2026", "lun 30/11/2026"),
        ("en", "Monday 30 November 2026", "Mon 30/11/2026"),
    ],
)
def test_a_day_reads_with_its_weekday_in_full_and_in_tables(language, expected, short):
    with translation.override(language):
        assert date_format(date(2026, 11, 30), "DATE_FORMAT") == expected
        assert date_format(date(2026, 11, 30), "SHORT_DATE_FORMAT") == short


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "maandag 30 november 2026, 19:00"), ("fr", "lundi 30 novembre 2026 à 19:00")],
)
def test_the_meeting_page_shows_the_weekday_in_the_person_s_language(
    client, member, group, language, expected
):
    meeting = MeetingFactory(
        group=group,
        starts_at=MONDAY_EVENING,
        ends_at=MONDAY_EVENING + timedelta(hours=2),
        rsvp_closes_at=MONDAY_EVENING,
    )
    member.language = language
    member.save(update_fields=["language"])
    client.force_login(member)

    page = client.get(reverse("events:meeting", args=[meeting.code])).content.decode()

    assert expected in page


def test_templates_print_dates_only_through_the_named_formats():
    """A pattern written into a template ("j F Y") would skip the weekday and
    the language's order; `c` (machine-readable, for <time datetime>) and
    `Ymd` (to compare two days) are not shown to anyone."""
    templates = Path(settings.BASE_DIR) / "templates"
    allowed = {"c", "Ymd"}
    found = {
        (path.relative_to(templates).as_posix(), pattern)
        for path in templates.rglob("*.*")
        if path.suffix in {".html", ".txt"}
        for pattern in re.findall(r"\|(?:date|time):[\"']([^\"']*)[\"']", path.read_text())
        if not pattern.endswith("_FORMAT") and pattern not in allowed
    }
    assert not found
