"""Removing someone from a group asks first; a member tells their
facilitators or coordinator privately that they are having a hard time."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from echo.models import AuditEntry, OutgoingEmail
from groups import services
from groups.models import GroupMembership, SupportRequest
from members.models import Member, Suspension

from ..factories import CoordinatorFactory, GroupFactory, english, facilitator_of, member_of

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


# Removing someone from a group


def test_the_roster_no_longer_removes_anyone_with_one_click(client, group, facilitator):
    participant = member_of(group, pseudonym="Rustig")
    client.force_login(facilitator)
    url = reverse("groups:remove_from_group", args=[group.code, participant.code])

    roster = text(client.get(reverse("groups:roster", args=[group.code])))
    confirm = client.get(url)

    assert f'href="{url}"' in roster
    assert confirm.status_code == 200
    assert "Rustig" in text(confirm)
    assert GroupMembership.objects.filter(member=participant).exists()


def test_removal_tells_the_person_with_the_kind_words(
    client, group, facilitator, django_capture_on_commit_callbacks
):
    participant = member_of(group, emails="full")
    english(participant.user)
    client.force_login(facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups:remove_from_group", args=[group.code, participant.code]),
            {"message": "Het ga je goed, we denken aan je."},
        )

    assert response.url == reverse("groups:roster", args=[group.code])
    assert not GroupMembership.objects.filter(member=participant).exists()
    (email,) = mail.outbox
    assert email.to == [participant.user.email]
    assert "Het ga je goed" in email.body
    assert group.name in email.body
    assert AuditEntry.objects.filter(
        action="groups.member_removed", target_code=participant.code
    ).exists()


def test_a_facilitator_cannot_remove_a_fellow_facilitator(client, group, facilitator):
    fellow = facilitator_of(group)
    participant = member_of(group)
    english(facilitator)
    client.force_login(facilitator)

    refused = client.post(
        reverse("groups:remove_from_group", args=[group.code, fellow.code]), follow=True
    )
    # Without a message, the confirmation alone removes.
    client.post(reverse("groups:remove_from_group", args=[group.code, participant.code]))

    assert GroupMembership.objects.filter(member=fellow, role="facilitator").exists()
    assert "Only a coordinator can remove a facilitator" in text(refused)
    assert not GroupMembership.objects.filter(member=participant).exists()


@pytest.mark.parametrize("outsider", ["other_facilitator", "other_coordinator"])
def test_outsiders_cannot_remove_anyone(client, request, group, member, outsider):
    client.force_login(request.getfixturevalue(outsider))

    response = client.post(
        reverse("groups:remove_from_group", args=[group.code, member.member.code]), {}
    )

    assert response.status_code == 404
    assert GroupMembership.objects.filter(member=member.member).exists()


def test_someone_outside_the_group_is_not_found(client, group, facilitator, other_member):
    client.force_login(facilitator)

    response = client.get(
        reverse("groups:remove_from_group", args=[group.code, other_member.member.code])
    )

    assert response.status_code == 404


# "I'm having a hard time"


def ask(client, to, note=""):
    return client.post(reverse("groups:ask_for_support"), {"to": to, "note": note}, follow=True)


def test_the_facilitators_are_told_with_a_link_and_never_the_note(
    client, group, member, facilitator, coordinator, django_capture_on_commit_callbacks
):
    english(member)
    client.force_login(member)
    form = client.get(reverse("groups:ask_for_support"))
    assert "1813" in text(form)  # the help lines, before anything is sent

    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, group.code, "Het lukt even niet.")

    support_request = SupportRequest.objects.get()
    assert support_request.note == "Het lukt even niet."
    assert "1813" in text(response)
    assert "They are told" in text(response)
    # Only the group's facilitator: the member chose them, not the coordinator.
    (email,) = mail.outbox
    assert email.to == [facilitator.email]
    assert "lukt" not in email.body
    url = reverse("groups:support_request", args=[support_request.code])
    assert url in email.body
    assert "lukt" not in OutgoingEmail.objects.get().subject

    client.force_login(facilitator)
    page = client.get(url)
    assert "Het lukt even niet." in text(page)
    assert AuditEntry.objects.filter(action="groups.support_request.viewed").exists()
    client.force_login(coordinator)
    assert client.get(url).status_code == 404


def test_the_coordinator_of_the_region_is_told_when_chosen(
    client, group, member, coordinator, other_coordinator, django_capture_on_commit_callbacks
):
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "coordinator", "Graag een gesprek")

    (email,) = mail.outbox
    assert email.to == [coordinator.email]
    url = reverse("groups:support_request", args=[SupportRequest.objects.get().code])
    client.force_login(coordinator)
    assert "Graag een gesprek" in text(client.get(url))
    client.force_login(other_coordinator)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("state", ["paused", "suspended"])
def test_a_paused_or_suspended_facilitator_is_not_told(
    client, state, django_capture_on_commit_callbacks
):
    group = GroupFactory()
    absent = facilitator_of(group, status=Member.Status.PAUSED if state == "paused" else "active")
    if state == "suspended":
        Suspension.objects.create(
            user=absent.user, until=timezone.now() + timedelta(days=3), reason="x"
        )
    present = facilitator_of(group)
    member = member_of(group)

    with django_capture_on_commit_callbacks(execute=True):
        support_request = services.ask_for_support(member, group, "")

    assert [m.to for m in mail.outbox] == [[present.user.email]]
    client.force_login(absent.user)
    assert (
        client.get(reverse("groups:support_request", args=[support_request.code])).status_code
        == 404
    )


def test_a_group_whose_facilitators_cannot_be_reached_is_not_offered(client):
    group = GroupFactory(name="Stille groep")
    facilitator_of(group, status=Member.Status.PAUSED)
    member = member_of(group)
    client.force_login(member.user)

    form = text(client.get(reverse("groups:ask_for_support")))
    ask(client, group.code)

    assert "Stille groep" not in form
    assert not SupportRequest.objects.exists()
    with pytest.raises(services.GroupError):
        services.ask_for_support(member, group)


def test_the_only_facilitator_does_not_tell_themselves(group, facilitator):
    assert not services.groups_to_ask_for_support(facilitator.member).exists()


def test_asking_is_limited_per_day_and_free_again_the_next(client, group, member, facilitator):
    english(member)
    client.force_login(member)
    for _ in range(services.SUPPORT_REQUESTS_PER_DAY):
        ask(client, group.code)

    refused = ask(client, "coordinator")

    assert SupportRequest.objects.count() == services.SUPPORT_REQUESTS_PER_DAY
    assert "help lines are there for you" in text(refused)
    assert "1813" in text(refused)
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        services.ask_for_support(member.member, None)
    assert SupportRequest.objects.count() == services.SUPPORT_REQUESTS_PER_DAY + 1


def test_support_requests_go_with_the_members_erasure(group, member, facilitator):
    from members.services import erase_account

    services.ask_for_support(member.member, group, "Zwaar")
    erase_account(member)

    assert not SupportRequest.objects.exists()


def test_a_request_to_another_regions_coordinators_stays_theirs(client, member, group):
    services.ask_for_support(member.member, None, "")
    elsewhere = CoordinatorFactory(coordinator_region="limburg")
    client.force_login(elsewhere)

    response = client.get(
        reverse("groups:support_request", args=[SupportRequest.objects.get().code])
    )

    assert response.status_code == 404
