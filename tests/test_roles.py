"""One rule per role, proved across features: a facilitator without a second
factor, a paused facilitator and a suspended one are not facilitators
anywhere (boards, meetings, recipient lists, navigation), and a coordinator
without a second factor is no coordinator."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from boards import services as boards
from boards.models import Post
from echo.models import OutgoingEmail, Region
from events import reminders
from groups import roles, services
from members import roles as person
from members.models import Member, Suspension

from .factories import (
    CoordinatorFactory,
    MeetingFactory,
    PostFactory,
    ThreadFactory,
    facilitator_of,
    member_of,
)

pytestmark = pytest.mark.django_db


def suspend(user):
    Suspension.objects.create(user=user, until=timezone.now() + timedelta(days=3), reason="Rust")


@pytest.fixture
def not_facilitating(group):
    """Everyone appointed to lead `group` who may not act as its facilitator."""
    no_second_factor = facilitator_of(group, user__second_factor=False)
    paused = facilitator_of(group, status=Member.Status.PAUSED)
    suspended = facilitator_of(group)
    suspend(suspended.user)
    return {"no_2fa": no_second_factor, "paused": paused, "suspended": suspended}


def test_only_a_facilitator_with_a_second_factor_who_is_active_and_not_suspended_counts(
    group, facilitator, not_facilitating
):
    assert list(roles.facilitators_of(group)) == [facilitator.member]
    assert roles.leads(facilitator, group)
    for leader in not_facilitating.values():
        assert not roles.leads(leader.user, group)
        assert not roles.is_facilitator(leader.user)
        assert not roles.groups_led_by(leader.user).exists()
    # Only the one without a second factor is shown the way to set one up.
    assert roles.appointed_facilitator(not_facilitating["no_2fa"].user)
    assert not roles.appointed_facilitator(not_facilitating["paused"].user)


def test_an_archived_group_has_no_facilitators(group, facilitator):
    group.archived_at = timezone.now()
    group.save()

    assert not roles.facilitators_of(group).exists()
    assert not roles.is_facilitator(facilitator)


def test_a_facilitator_without_a_second_factor_is_a_plain_reader_of_the_board(
    client, group, member, not_facilitating
):
    leader = not_facilitating["no_2fa"].user
    thread = ThreadFactory(board=group.board, author=member)
    PostFactory(thread=thread, body="Zichtbaar voor iedereen")
    PostFactory(thread=thread, body="Verborgen door een moderator", state=Post.State.HIDDEN)
    PostFactory(thread=thread, body="Wacht op goedkeuring", state=Post.State.PENDING)
    waiting = ThreadFactory(board=group.board, author=member, published=False)
    thread.locked = True
    thread.save()
    client.force_login(leader)

    page = client.get(reverse("boards:thread", args=[thread.code])).content.decode()

    assert "Zichtbaar voor iedereen" in page
    assert "Verborgen door een moderator" not in page
    assert "Wacht op goedkeuring" not in page
    assert client.get(reverse("boards:thread", args=[waiting.code])).status_code == 404
    assert not boards.moderates(leader, group.board)
    with pytest.raises(boards.BoardError):
        boards.reply(leader, thread, body="Toch nog iets")
    # Their own first posts are screened like any member's.
    _thread, post = boards.start_thread(leader, group.board, title="Hallo", body="Ik ben er")
    assert post.state == Post.State.PENDING


def test_join_requests_reach_only_facilitators_who_may_act(
    group, facilitator, not_facilitating, other_member
):
    services.ask_to_join(other_member.member, group)

    told = set(
        OutgoingEmail.objects.filter(kind="groups.join_request").values_list("to", flat=True)
    )
    assert told == {facilitator.email}


def test_safety_concerns_reach_only_facilitators_and_coordinators_who_may_act(
    group, member, facilitator, not_facilitating, coordinator
):
    CoordinatorFactory(second_factor=False)
    CoordinatorFactory(coordinator_region=Region.LIMBURG)
    post = PostFactory(thread=ThreadFactory(board=group.board, author=member))

    boards.flag_safety_concern(post)

    told = set(OutgoingEmail.objects.values_list("to", flat=True))
    assert told == {facilitator.email, coordinator.email}


def test_the_day_before_list_goes_only_to_facilitators_who_may_act(
    group, facilitator, not_facilitating, time_machine
):
    meeting = MeetingFactory(group=group)
    time_machine.move_to(meeting.starts_at - timedelta(hours=20))

    reminders.queue_due_reminders()

    told = set(OutgoingEmail.objects.values_list("to", flat=True))
    assert told == {facilitator.email}


def test_facilitator_tools_are_closed_to_those_who_may_not_act(
    client, group, member, not_facilitating
):
    post = PostFactory(thread=ThreadFactory(board=group.board, author=member))
    tools = [
        reverse("groups:roster", args=[group.code]),
        reverse("events:plan_meeting", args=[group.code]),
        reverse("boards:review", args=[post.code]),
    ]
    for name, leader in not_facilitating.items():
        client.force_login(leader.user)
        for url in tools:
            response = client.get(url)
            if name == "no_2fa":
                assert response.url == reverse("second_factor_required"), url
            else:
                assert response.status_code == 404, (name, url)


def test_the_navigation_shows_facilitation_to_an_appointed_facilitator_only(
    client, group, facilitator, not_facilitating, member
):
    facilitation = reverse("groups:facilitator_home")
    for user, shown in [
        (facilitator, True),
        (not_facilitating["no_2fa"].user, True),
        (not_facilitating["paused"].user, False),
        (member, False),
    ]:
        client.force_login(user)
        home = reverse("members:profile")
        assert (facilitation in client.get(home).content.decode()) == shown, user


def test_a_coordinator_without_a_second_factor_coordinates_nothing(group):
    coordinator = CoordinatorFactory(second_factor=False)

    assert person.is_coordinator_account(coordinator)
    assert not person.is_coordinator(coordinator)
    assert person.coordinated_region(coordinator) == ""
    assert not person.coordinators_of(Region.ANTWERPEN).filter(pk=coordinator.pk).exists()
    assert not boards.moderates(coordinator, group.board)


def test_a_suspended_member_keeps_groups_and_meetings_but_does_not_write(client, group, member):
    suspend(member)
    meeting = MeetingFactory(group=group)
    thread = ThreadFactory(board=group.board, author=member)
    client.force_login(member)

    assert client.get(reverse("events:meeting", args=[meeting.code])).status_code == 200
    assert client.get(reverse("boards:thread", args=[thread.code])).status_code == 200
    with pytest.raises(boards.BoardError):
        boards.reply(member, thread, body="Toch")
    assert roles.is_in_group(member, group)


def test_a_paused_member_is_in_no_group_until_they_come_back(group, member):
    other = member_of(group)
    member.member.status = Member.Status.PAUSED
    member.member.save()

    assert not roles.is_in_group(member, group)
    assert list(roles.members_of(group)) == [other]
