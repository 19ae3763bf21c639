"""Peer groups through the browser's eyes: creating, joining, the roster,
writing to the group, leaving and archiving."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards import services as boards
from echo.models import AuditEntry, OutgoingEmail, Region
from events.models import Meeting, Rsvp
from groups import services
from groups.models import Group, GroupMembership, GroupMessage, JoinRequest
from members.models import Member

from ..factories import (
    GroupFactory,
    JoinRequestFactory,
    MeetingFactory,
    MemberFactory,
    PostFactory,
    ThreadFactory,
    english,
    facilitator_of,
    member_of,
)

pytestmark = pytest.mark.django_db


def page(response):
    return response.content.decode()


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# Creating and changing groups


def test_a_coordinator_creates_a_group_in_their_own_region(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("groups:create_group"),
        {
            "name": "Woensdaggroep",
            "description": "Elke twee weken.",
            "format": "online",
            "cadence": "two_weekly",
            "max_size": "10",
            "accepts_members": "on",
        },
    )

    group = Group.objects.get(name="Woensdaggroep")
    assert response.url == reverse("groups:roster", args=[group.code])
    assert (group.region, group.format, group.max_size) == (Region.ANTWERPEN, "online", 10)
    assert group.accepts_members and not group.show_attendance
    assert AuditEntry.objects.filter(action="groups.created", target_code=group.code).exists()


def test_a_refused_group_comes_back_with_what_was_typed(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("groups:create_group"),
        {"name": "Kleine groep", "format": "in_person", "cadence": "weekly", "max_size": "1"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "max_size" in form.errors
    assert form["name"].value() == "Kleine groep"
    assert not Group.objects.filter(name="Kleine groep").exists()


def test_a_facilitator_changes_only_what_members_read(client, group, facilitator):
    client.force_login(facilitator)
    url = reverse("groups:edit_group", args=[group.code])

    assert "name" not in client.get(url).context["form"].fields
    response = client.post(
        url,
        {"name": "Andere naam", "max_size": "50", "description": "Nieuw", "show_attendance": "on"},
    )

    assert response.url == reverse("groups:group", args=[group.code])
    group.refresh_from_db()
    assert (group.name, group.max_size) == ("Dinsdaggroep", 12)
    assert (group.description, group.show_attendance, group.accepts_members) == (
        "Nieuw",
        True,
        False,
    )
    with pytest.raises(services.GroupError):
        services.update_group(facilitator, group, name="Andere naam")


def test_a_coordinator_changes_everything(client, group, coordinator):
    client.force_login(coordinator)

    client.post(
        reverse("groups:edit_group", args=[group.code]),
        {
            "name": "Avondgroep",
            "format": "online",
            "cadence": "weekly",
            "max_size": "8",
            "description": "",
        },
    )

    group.refresh_from_db()
    assert (group.name, group.format, group.max_size) == ("Avondgroep", "online", 8)


# Lists


def test_a_member_sees_their_groups_and_the_open_groups_of_their_region(
    client, group, member, facilitator
):
    open_group = GroupFactory(name="Open groep", description="Welkom")
    member_of(open_group, pseudonym="Buur")
    GroupFactory(name="Gesloten groep", accepts_members=False)
    GroupFactory(name="Limburgse groep", region=Region.LIMBURG)
    GroupFactory(name="Oude groep", archived_at=timezone.now())
    client.force_login(member)

    response = client.get(reverse("groups:groups"))

    assert [m.group for m in response.context["memberships"]] == [group]
    assert [item["group"] for item in response.context["open_groups"]] == [open_group]
    content = page(response)
    assert "Welkom" in content
    # Who is in another group, and how many, stays with its facilitators.
    assert "Buur" not in content
    for hidden in ["Gesloten groep", "Limburgse groep", "Oude groep"]:
        assert hidden not in content


def test_a_coordinator_sees_every_group_of_their_region_archived_ones_marked(
    client, group, coordinator
):
    archived = GroupFactory(name="Oude groep", archived_at=timezone.now())
    GroupFactory(name="Limburgse groep", region=Region.LIMBURG)
    client.force_login(coordinator)

    response = client.get(reverse("groups:groups"))

    assert list(response.context["groups"]) == [group, archived]
    assert "Limburgse groep" not in page(response)
    assert reverse("groups:create_group") in page(response)


# Joining


def test_asking_to_join_notifies_the_facilitators_without_the_note(
    client, group, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    leader = facilitator_of(group, user__language="nl")
    client.force_login(other_member)
    url = reverse("groups:join_group", args=[group.code])
    assert client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"note": "Ik kom graag eens kijken."})

    assert response.url == reverse("groups:groups")
    join_request = JoinRequest.objects.get(group=group, member=other_member.member)
    assert (join_request.state, join_request.note) == ("pending", "Ik kom graag eens kijken.")
    assert [m.to for m in mailoutbox] == [[leader.user.email]]
    email = mailoutbox[0]
    # Named only to a facilitator who chose full emails (tests/groups/test_group_names.py).
    assert "Dinsdaggroep" not in email.body
    assert "Hallo," in email.body
    assert "Ik kom graag eens kijken." not in email.body
    assert other_member.email not in email.body


def test_asking_twice_is_refused_with_a_message(client, group, other_member):
    JoinRequestFactory(group=group, member=other_member.member)
    english(other_member)
    client.force_login(other_member)

    response = client.post(
        reverse("groups:join_group", args=[group.code]), {"note": "Nog eens"}, follow=True
    )

    assert response.status_code == 200
    assert messages_of(response) == ["You have already asked to join this group."]
    assert JoinRequest.objects.filter(group=group).count() == 1


def test_a_group_closed_to_requests_cannot_be_joined(client, group, other_member):
    group.accepts_members = False
    group.save()
    client.force_login(other_member)

    url = reverse("groups:join_group", args=[group.code])

    assert client.get(url).status_code == 404
    assert client.post(url, {"note": ""}).status_code == 404
    assert not JoinRequest.objects.exists()


def test_a_member_withdraws_their_own_request_only(client, group, other_member, member):
    join_request = JoinRequestFactory(group=group, member=other_member.member)
    url = reverse("groups:withdraw_join_request", args=[join_request.code])

    client.force_login(member)
    assert client.post(url).status_code == 404
    client.force_login(other_member)
    assert client.post(url).url == reverse("groups:groups")

    join_request.refresh_from_db()
    assert join_request.state == "withdrawn"


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_the_member_is_told_the_decision_in_their_language(
    client, group, facilitator, decision, mailoutbox, django_capture_on_commit_callbacks
):
    asking = MemberFactory(user__language="fr")
    join_request = JoinRequestFactory(group=group, member=asking)
    client.force_login(facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups:decide_join_request", args=[join_request.code]),
            {"decision": decision},
        )

    assert response.url == reverse("groups:roster", args=[group.code])
    join_request.refresh_from_db()
    assert join_request.state == ("accepted" if decision == "accept" else "declined")
    assert join_request.decided_by == facilitator
    assert GroupMembership.objects.filter(group=group, member=asking).exists() == (
        decision == "accept"
    )
    assert [m.to for m in mailoutbox] == [[asking.user.email]]
    assert "Bonjour," in mailoutbox[0].body
    assert facilitator.email not in mailoutbox[0].body
    action = "accepted" if decision == "accept" else "declined"
    assert AuditEntry.objects.filter(action=f"groups.join_request.{action}").exists()


def test_an_answered_request_cannot_be_answered_again(client, group, facilitator):
    join_request = JoinRequestFactory(group=group, state="declined")
    client.force_login(facilitator)

    response = client.post(
        reverse("groups:decide_join_request", args=[join_request.code]), {"decision": "accept"}
    )

    assert response.status_code == 404
    assert not GroupMembership.objects.filter(member=join_request.member).exists()


# The roster


def test_the_roster_shows_pseudonyms_and_requests_never_addresses(client, group, facilitator):
    quiet = member_of(group, pseudonym="Stilte", phone="+32470999888")
    paused = member_of(group, pseudonym="Rustpunt", status=Member.Status.PAUSED)
    JoinRequestFactory(group=group, member=MemberFactory(pseudonym="Nieuweling"), note="Hallo")
    english(facilitator)
    client.force_login(facilitator)

    response = client.get(reverse("groups:roster", args=[group.code]))

    content = page(response)
    for name in ["Stilte", "Rustpunt", "Nieuweling", facilitator.member.pseudonym]:
        assert name in content
    assert "Hallo" in content
    assert "paused" in content
    assert "@" not in content.split("<main", 1)[1]
    for person in [quiet, paused, facilitator.member]:
        assert person.user.email not in content
    assert "+32470999888" not in content
    # Only coordinators place members and change roles.
    assert response.context["place_form"] is None
    assert reverse("groups:set_group_role", args=[group.code]) not in content


def test_the_coordinator_places_a_member_and_appoints_a_facilitator_without_2fa(
    client, group, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    newcomer = MemberFactory(pseudonym="Nieuw")
    MemberFactory(pseudonym="Elders", region=Region.LIMBURG)
    english(coordinator)
    client.force_login(coordinator)
    roster = reverse("groups:roster", args=[group.code])
    choices = [label for _value, label in response_choices(client.get(roster))]
    assert "Nieuw" in choices and "Elders" not in choices

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("groups:place_member", args=[group.code]), {"member": newcomer.code})
    response = client.post(
        reverse("groups:set_group_role", args=[group.code]),
        {"member": newcomer.code, "role": "facilitator"},
        follow=True,
    )

    membership = GroupMembership.objects.get(group=group, member=newcomer)
    assert membership.is_facilitator
    assert [m.to for m in mailoutbox] == [[newcomer.user.email]]
    assert "No second factor yet" in page(response)
    assert {"groups.member_placed", "groups.facilitator_appointed"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )

    client.post(
        reverse("groups:set_group_role", args=[group.code]),
        {"member": newcomer.code, "role": "member"},
    )
    membership.refresh_from_db()
    assert not membership.is_facilitator


def response_choices(response):
    return list(response.context["place_form"].fields["member"].choices)[1:]


def test_a_member_cannot_see_the_roster(client, group, member):
    client.force_login(member)

    assert client.get(reverse("groups:roster", args=[group.code])).status_code == 404


def test_a_facilitator_removes_a_member_but_not_a_fellow_facilitator(client, group, facilitator):
    participant = member_of(group)
    fellow = facilitator_of(group)
    english(facilitator)
    client.force_login(facilitator)
    client.post(reverse("groups:remove_from_group", args=[group.code, participant.code]))
    response = client.post(
        reverse("groups:remove_from_group", args=[group.code, fellow.code]), follow=True
    )

    assert not GroupMembership.objects.filter(member=participant).exists()
    assert GroupMembership.objects.filter(member=fellow, role="facilitator").exists()
    assert messages_of(response)[-1] == "Only a coordinator can remove a facilitator from a group."
    assert AuditEntry.objects.filter(
        action="groups.member_removed", target_code=participant.code
    ).exists()


@pytest.mark.parametrize("outsider", ["other_facilitator", "other_coordinator"])
@pytest.mark.parametrize("action", ["place", "role", "remove", "decide"])
def test_outsiders_cannot_act_on_the_group(client, request, group, member, outsider, action):
    stranger = MemberFactory()
    join_request = JoinRequestFactory(group=group)
    target = member.member
    url, data = {
        "place": (reverse("groups:place_member", args=[group.code]), {"member": stranger.code}),
        "role": (
            reverse("groups:set_group_role", args=[group.code]),
            {"member": target.code, "role": "facilitator"},
        ),
        "remove": (reverse("groups:remove_from_group", args=[group.code, target.code]), {}),
        "decide": (
            reverse("groups:decide_join_request", args=[join_request.code]),
            {"decision": "accept"},
        ),
    }[action]
    client.force_login(request.getfixturevalue(outsider))

    response = client.post(url, data)

    assert response.status_code == 404
    assert list(group.memberships.values_list("member", "role")) == [(target.pk, "member")]
    join_request.refresh_from_db()
    assert join_request.state == "pending"


# The group page


def test_members_see_neither_each_other_nor_counts_unless_the_group_shows_them(
    client, group, member, facilitator
):
    member_of(group, pseudonym="Zeewind")
    meeting = MeetingFactory(group=group)
    Rsvp.objects.create(meeting=meeting, member=facilitator.member, answer="going")
    client.force_login(member)
    url = reverse("groups:group", args=[group.code])

    hidden = client.get(url)
    group.show_attendance = True
    group.save()
    shown = client.get(url)

    assert "Zeewind" not in page(hidden)
    assert "1 / 12" not in page(hidden)
    assert "Zeewind" in page(shown)
    assert "1 / 12" in page(shown)


def test_the_group_page_shows_my_answers_and_cancelled_meetings(client, group, member):
    going = MeetingFactory(group=group)
    cancelled = MeetingFactory(
        group=group, starts_at=going.starts_at + timedelta(days=7), cancelled_at=timezone.now()
    )
    past = MeetingFactory(
        group=group,
        starts_at=timezone.now() - timedelta(days=7),
        ends_at=timezone.now() - timedelta(days=7, hours=-2),
    )
    Rsvp.objects.create(meeting=going, member=member.member, answer="going")
    english(member)
    client.force_login(member)

    response = client.get(reverse("groups:group", args=[group.code]))

    upcoming = list(response.context["upcoming"])
    assert upcoming == [going, cancelled]
    assert [m.my_answer for m in upcoming] == ["going", None]
    assert list(response.context["past"]) == [past]
    content = page(response)
    assert reverse("events:meeting", args=[going.code]) in content
    assert "cancelled" in content
    assert reverse("groups:leave_group", args=[group.code]) in content


def test_the_coordinator_sees_the_group_without_links_to_meetings(client, group, coordinator):
    meeting = MeetingFactory(group=group)
    client.force_login(coordinator)

    response = client.get(reverse("groups:group", args=[group.code]))

    content = page(response)
    assert response.status_code == 200
    assert reverse("events:meeting", args=[meeting.code]) not in content
    assert meeting.address not in content
    assert reverse("groups:roster", args=[group.code]) in content


def test_the_group_page_costs_the_same_for_1_or_100_meetings(
    client, group, member, django_assert_num_queries
):
    group.show_attendance = True
    group.save()
    MeetingFactory(group=group)
    MeetingFactory(group=group, starts_at=timezone.now() - timedelta(days=3))
    client.force_login(member)
    url = reverse("groups:group", args=[group.code])
    client.get(url)  # the session notes its first activity
    with CaptureQueriesContext(connection) as one:
        client.get(url)

    for day in range(99):
        meeting = MeetingFactory(group=group, starts_at=timezone.now() + timedelta(days=day + 3))
        Rsvp.objects.create(meeting=meeting, member=member.member, answer="going")
        MeetingFactory(group=group, starts_at=timezone.now() - timedelta(days=day + 5))
    member_of(group)

    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert len(response.context["upcoming"]) == 100
    assert len(response.context["past"]) == 20


def test_the_roster_costs_the_same_for_1_or_100_members(
    client, group, coordinator, django_assert_num_queries
):
    client.force_login(coordinator)
    url = reverse("groups:roster", args=[group.code])
    member_of(group)
    JoinRequestFactory(group=group)
    MemberFactory()
    client.get(url)  # the session notes its first activity
    with CaptureQueriesContext(connection) as one:
        client.get(url)

    # No password: hashing 300 of them would only slow the test down.
    for _ in range(99):
        member_of(group, user__password=None)
        facilitator_of(group, user__password=None, user__second_factor=False)
        JoinRequestFactory(group=group, member__user__password=None)
        MemberFactory(user__password=None)

    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert len(response.context["memberships"]) == 199
    assert len(response.context["join_requests"]) == 100


def test_facilitator_home_costs_the_same_for_1_or_20_groups(
    client, group, facilitator, django_assert_num_queries
):
    client.force_login(facilitator)
    MeetingFactory(group=group)
    JoinRequestFactory(group=group)
    url = reverse("groups:facilitator_home")
    client.get(url)  # the session notes its first activity
    with CaptureQueriesContext(connection) as one:
        client.get(url)

    for _ in range(19):
        other = GroupFactory()
        GroupMembership.objects.create(group=other, member=facilitator.member, role="facilitator")
        MeetingFactory(group=other)
        JoinRequestFactory.create_batch(2, group=other, member__user__password=None)

    with django_assert_num_queries(len(one)):
        response = client.get(url)
    led = list(response.context["groups"])
    assert len(led) == 20
    assert {g.pending_requests for g in led} == {1, 2}
    # Each group's next meeting, from the meetings app.
    assert all(
        reverse("events:meeting", args=[g.meetings.get().code]) in page(response) for g in led
    )


# Leaving and archiving


def test_leaving_a_group_frees_the_member_s_seat(client, group, member):
    meeting = MeetingFactory(group=group)
    Rsvp.objects.create(meeting=meeting, member=member.member, answer="going")
    client.force_login(member)
    url = reverse("groups:leave_group", args=[group.code])
    assert client.get(url).status_code == 200

    response = client.post(url)

    assert response.url == reverse("groups:groups")
    assert not GroupMembership.objects.filter(member=member.member).exists()
    assert Rsvp.objects.get(member=member.member).answer == "not_going"
    assert client.get(reverse("groups:group", args=[group.code])).status_code == 404


def test_archiving_cancels_future_meetings_and_makes_the_group_read_only(
    client, group, coordinator, other_member
):
    meeting = MeetingFactory(group=group)
    join_request = JoinRequestFactory(group=group)
    client.force_login(coordinator)
    url = reverse("groups:archive_group", args=[group.code])
    assert client.get(url).status_code == 200

    client.post(url)

    group.refresh_from_db()
    meeting.refresh_from_db()
    join_request.refresh_from_db()
    assert group.is_archived
    assert meeting.is_cancelled
    assert join_request.state == "withdrawn"
    edit = client.get(reverse("groups:edit_group", args=[group.code]))
    assert edit.url == reverse("groups:group", args=[group.code])
    client.force_login(other_member)
    assert client.get(reverse("groups:join_group", args=[group.code])).status_code == 404


# Second factor


@pytest.mark.parametrize("name", ["facilitator_home", "roster", "write_to_group", "edit_group"])
def test_a_facilitator_without_a_second_factor_is_sent_to_set_one_up(client, group, name):
    leader = facilitator_of(group, user__second_factor=False)
    client.force_login(leader.user)
    args = [] if name == "facilitator_home" else [group.code]

    response = client.get(reverse(f"groups:{name}", args=args))

    assert response.url == reverse("second_factor_required")


# Writing to the group


def test_writing_to_the_group_queues_one_email_per_recipient(
    client, group, facilitator, member, mailoutbox, django_capture_on_commit_callbacks
):
    others = [member.member, member_of(group), facilitator_of(group)]
    member_of(group, status=Member.Status.PAUSED)
    everyone = [m.user.email for m in [*others, facilitator.member]]
    english(facilitator)
    client.force_login(facilitator)
    url = reverse("groups:write_to_group", args=[group.code])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "Volgende week is de zaal dicht."}, follow=True)

    assert messages_of(response) == ["Your message is queued for 3 people."]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(m.user.email for m in others)
    for email in mailoutbox:
        assert len(email.to) == 1
        assert "Volgende week is de zaal dicht." in email.body
        for address in everyone:
            assert address not in email.body
            assert all(address not in html for html, _type in email.alternatives)
    assert OutgoingEmail.objects.filter(kind="groups.message").count() == 3
    assert "Volgende week is de zaal dicht." in page(response)


def test_writing_to_those_going_to_one_meeting(client, group, facilitator, member):
    meeting = MeetingFactory(group=group)
    Rsvp.objects.create(meeting=meeting, member=member.member, answer="going")
    Rsvp.objects.create(meeting=meeting, member=member_of(group), answer="not_going")
    member_of(group)
    client.force_login(facilitator)
    url = reverse("events:write_to_going", args=[meeting.code])
    assert client.get(url).status_code == 200

    response = client.post(url, {"text": "Tot morgen."})

    assert response.url == reverse("events:meeting", args=[meeting.code])
    message = GroupMessage.objects.get()
    assert (message.meeting, message.recipients) == (meeting, 1)
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [member.email]


def test_only_upcoming_meetings_of_ones_own_group_take_a_message(client, group, facilitator):
    elsewhere = MeetingFactory()
    cancelled = MeetingFactory(group=group, cancelled_at=timezone.now())
    client.force_login(facilitator)

    outside = client.post(
        reverse("events:write_to_going", args=[elsewhere.code]), {"text": "Hallo"}
    )
    refused = client.post(
        reverse("events:write_to_going", args=[cancelled.code]), {"text": "Hallo"}
    )

    assert outside.status_code == 404
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors()
    assert "Hallo" in page(refused)
    assert not GroupMessage.objects.exists()
    assert not Meeting.objects.filter(messages__isnull=False).exists()


def test_a_message_to_the_group_stays_in_echo_for_members_with_discreet_emails(
    client, group, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    discreet = member_of(group, emails="discreet")
    client.force_login(facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("groups:write_to_group", args=[group.code]), {"text": "Tot dinsdag."})

    assert [m.to for m in mailoutbox] == [[discreet.user.email]]
    assert "Tot dinsdag." not in mailoutbox[0].body
    assert "Dinsdaggroep" not in mailoutbox[0].body + mailoutbox[0].subject


def test_facilitator_home_says_how_many_posts_of_each_board_wait(client, group, facilitator):
    newcomer = member_of(group).user
    thread, _ = boards.start_thread(newcomer, group.board, title="Hallo", body="Nieuw hier")
    boards.reply(newcomer, thread, body="Nog iets")
    PostFactory(thread=ThreadFactory(board=group.board, author=newcomer))
    facilitator.language = "en"
    facilitator.save(update_fields=["language"])
    client.force_login(facilitator)

    home = page(client.get(reverse("groups:facilitator_home")))

    assert "2 posts on the board wait for you" in home
    assert reverse("boards:board", args=[group.board.code]) in home
