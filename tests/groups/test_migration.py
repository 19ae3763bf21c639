"""Moving peer groups (and suspensions) into their own apps keeps every row:
a database at the schema before the move, with data in it, is migrated
forward and read back through the new models."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from boards.models import Board
from events.models import Meeting
from groups.models import Group, GroupMembership, GroupMessage, JoinRequest
from members.models import Suspension

# The schema as it was before the move.
BEFORE = [
    ("members", "0003_member_reminder_offsets"),
    ("events", "0002_initial"),
    ("boards", "0002_search_index_and_group_boards"),
    ("growth", "0001_initial"),
    ("groups", None),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def _old_data(apps):
    """One of everything that moves, written through the historical models."""
    now = timezone.now()
    user = apps.get_model("members", "User").objects.create(email="a@example.org", password="!")
    member = apps.get_model("members", "Member").objects.create(
        user=user,
        pseudonym="Zeewind",
        region="antwerpen",
        privacy_version="2026-01",
        privacy_agreed_at=now,
    )
    group = apps.get_model("members", "Group").objects.create(
        code="groupcode", region="antwerpen", name="Dinsdaggroep"
    )
    apps.get_model("members", "GroupMembership").objects.create(
        group=group, member=member, role="facilitator"
    )
    apps.get_model("members", "JoinRequest").objects.create(
        code="requestcode", group=group, member=member, note="Graag"
    )
    meeting = apps.get_model("events", "Meeting").objects.create(
        code="meetingcode",
        group=group,
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=2),
        rsvp_closes_at=now + timedelta(days=2),
        capacity=8,
    )
    apps.get_model("members", "GroupMessage").objects.create(
        code="messagecode", group=group, meeting=meeting, author=member, text="Tot dinsdag"
    )
    apps.get_model("boards", "Board").objects.create(code="boardcode", kind="group", group=group)
    apps.get_model("boards", "Suspension").objects.create(
        user=user, until=now + timedelta(days=3), reason="Even rust"
    )


@pytest.mark.django_db(transaction=True)
def test_groups_and_suspensions_keep_their_rows_through_the_move():
    old = migrate(BEFORE)
    try:
        _old_data(old)

        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

        group = Group.objects.get(code="groupcode")
        membership = GroupMembership.objects.get(group=group)
        assert (membership.member.pseudonym, membership.role) == ("Zeewind", "facilitator")
        assert JoinRequest.objects.get(code="requestcode").note == "Graag"
        message = GroupMessage.objects.get(code="messagecode")
        assert (message.text, message.meeting.code, message.group) == (
            "Tot dinsdag",
            "meetingcode",
            group,
        )
        assert Meeting.objects.get(code="meetingcode").group == group
        assert Board.objects.get(code="boardcode").group == group
        assert Suspension.objects.get().reason == "Even rust"
        # And the old tables are gone: nothing is left behind under the old names.
        tables = connection.introspection.table_names()
        assert "members_group" not in tables and "boards_suspension" not in tables
        assert "groups_group" in tables and "members_suspension" in tables
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
