"""A group's name must not say what the group is about where others may read
it (emails, calendars): names with a word of the coordinators' list are
refused, and emails say "your group" unless the member chose full emails."""

import pytest
from django.core import mail
from django.urls import reverse

from echo.models import AuditEntry
from events import services as event_services
from events.calendar import feed_for
from groups import services
from groups.models import Group, RevealingWord

from ..factories import GroupFactory, MeetingFactory, member_of

pytestmark = pytest.mark.django_db


def test_the_list_starts_with_words_in_dutch_french_and_english():
    words = set(RevealingWord.objects.values_list("word", flat=True))
    assert {"misbruik", "kindermishandeling", "slachtoffer", "overlever", "incest"} <= words
    assert {"abus", "abuse", "survivor", "trauma"} <= words


@pytest.mark.parametrize(
    "name", ["Misbruik Antwerpen", "Overlevers dinsdag", "Groupe ABUS", "Survivors", "Traumagroep"]
)
def test_a_coordinator_cannot_name_a_group_so(client, coordinator, name):
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)
    data = {
        "name": name,
        "description": "We praten samen.",
        "format": "in_person",
        "cadence": "two_weekly",
        "max_size": 10,
    }

    response = client.post(reverse("groups:create_group"), data)

    assert response.status_code == 200
    assert "emails and calendars would tell" in " ".join(response.context["form"].errors["name"])
    assert "We praten samen." in response.content.decode()
    assert not Group.objects.exists()


def test_nor_rename_one_so_and_the_service_refuses_too(client, coordinator, group):
    client.force_login(coordinator)
    response = client.post(
        reverse("groups:edit_group", args=[group.code]),
        {"name": "Slachtoffers", "format": "in_person", "cadence": "weekly", "max_size": 12},
    )
    assert response.status_code == 200
    with pytest.raises(services.GroupError):
        services.update_group(coordinator, group, name="Lotgenoten")
    with pytest.raises(services.GroupError):
        services.create_group(coordinator, name="Incestgroep")
    group.refresh_from_db()
    assert group.name == "Dinsdaggroep"


def test_coordinators_of_every_region_keep_one_list(client, coordinator, other_coordinator):
    client.force_login(coordinator)
    client.post(reverse("groups:revealing_words"), {"word": "  Zelfhulp "})
    added = RevealingWord.objects.get(word="Zelfhulp")
    assert AuditEntry.objects.filter(action="groups.revealing_word.added").exists()

    client.force_login(other_coordinator)
    page = client.get(reverse("groups:revealing_words")).content.decode()
    assert "Zelfhulp" in page
    response = client.post(reverse("groups:revealing_words"), {"word": "zelfhulp"})
    assert response.status_code == 200  # already on the list
    client.post(reverse("groups:remove_revealing_word", args=[added.code]))

    assert not RevealingWord.objects.filter(word__iexact="zelfhulp").exists()
    assert services.name_problem("Zelfhulp op dinsdag") is None


def test_the_page_lists_groups_of_the_region_named_before_the_rule(client, coordinator):
    old = GroupFactory(name="Overlevers Antwerpen")
    GroupFactory(name="Misbruik Limburg", region="limburg")
    client.force_login(coordinator)

    response = client.get(reverse("groups:revealing_words"))

    assert list(response.context["named_so"]) == [old]


@pytest.mark.parametrize("full", [False, True])
def test_emails_name_a_group_only_to_members_who_chose_full_emails(
    coordinator, full, django_capture_on_commit_callbacks
):
    group = GroupFactory(name="Donderdagavond")
    member = member_of(GroupFactory(), emails="full" if full else "unnamed", user__language="en")
    leader = member_of(group, emails="full" if full else "unnamed", user__language="en")
    services.appoint_facilitator(coordinator, group, leader)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.place_member(coordinator, group, member)
        services.write_to_group(leader, group, "Tot donderdag")

    bodies = [m.subject + m.body for m in mail.outbox]
    assert len(bodies) >= 2
    for body in bodies:
        assert ("Donderdagavond" in body) is full, body
    if not full:
        assert any("placed you in a group" in body for body in bodies)
        assert any("A facilitator of your group writes" in body for body in bodies)


def test_calendar_entries_never_name_the_group_even_with_full_emails():
    group = GroupFactory(name="Donderdagavond")
    member = member_of(group, emails="full")
    event_services.answer(member, MeetingFactory(group=group), going=True)

    feed = feed_for(member).decode()

    assert "BEGIN:VEVENT" in feed
    assert "Donderdagavond" not in feed
    assert "SUMMARY:Echo" in feed
