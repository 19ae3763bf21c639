from datetime import datetime

import pytest

from events.recurrence import BRUSSELS
from growth.models import Snapshot
from members.models import StatusChange

from ..factories import MemberFactory, UserFactory


def brussels(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


def member_with_history(region, *changes):
    """A member whose history is `changes`: (to_status, moment) in order.
    Their current status is the last one."""
    member = MemberFactory(region=region, status=changes[-1][0])
    before = ""
    for to_status, at in changes:
        StatusChange.objects.create(member=member, from_status=before, to_status=to_status, at=at)
        before = to_status
    return member


def snapshot(day, region, group=None, **figures):
    return Snapshot.objects.create(day=day, region=region, group=group, **figures)


def region_rows(**filters):
    """{(day, region): {figure: value}} of the region rows."""
    fields = Snapshot.FIGURES
    return {
        (row["day"], row["region"]): {name: row[name] for name in fields}
        for row in Snapshot.objects.filter(group__isnull=True, **filters).values(
            "day", "region", *fields
        )
    }


@pytest.fixture
def admin(db):
    return UserFactory(is_staff=True, is_superuser=True, second_factor=True, language="en")


@pytest.fixture
def english_coordinator(coordinator):
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    return coordinator
