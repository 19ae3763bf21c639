import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from echo import audit
from echo.models import AuditEntry
from members.views import AUDIT_PAGE_SIZE

from ..factories import ApplicantFactory

pytestmark = pytest.mark.django_db


def test_audit_entries_cannot_be_changed_or_deleted_through_the_application(member):
    entry = audit.record(member, "members.test", member)

    entry.action = "members.other"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().action == "members.test"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_postgresql_refuses_changes_to_audit_entries_even_in_raw_sql(member):
    audit.record(member, "members.test", member)
    for sql in ["UPDATE echo_auditentry SET action = 'x'", "DELETE FROM echo_auditentry"]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEntry.objects.get().action == "members.test"


def test_coordinators_see_only_their_region_in_the_audit_log(client, coordinator):
    here = ApplicantFactory(pseudonym="Hier")
    there = ApplicantFactory(pseudonym="Daar", region="limburg")
    audit.record(coordinator, "members.intake.viewed", here, region=here.region)
    audit.record(coordinator, "members.intake.viewed", there, region=there.region)
    client.force_login(coordinator)

    response = client.get(reverse("members:audit_log"))

    assert [e.target_code for e in response.context["page"]] == [here.code]
    assert b"Hier" in response.content and b"Daar" not in response.content


# The audit log reads as sentences, can be filtered and is paginated.

APPS = ["members", "groups", "events", "boards", "growth", "echo"]
# Every action literal in a call that records an entry: audit.record(...),
# and the helpers that pass one on (_decide, _audit).
_CALL = re.compile(r"(?:audit\.record|_decide|_audit)\(")
_ACTION = re.compile(r'"((?:' + "|".join(APPS) + r')\.[a-z_]+(?:\.[a-z_]+)*)"')


def _calls(text):
    for match in _CALL.finditer(text):
        depth, end = 1, match.end()
        while depth and end < len(text):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        yield text[match.end() : end]


def recorded_actions():
    root = Path(settings.BASE_DIR)
    found = set()
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            text = path.read_text()
            for call in _calls(text):
                found |= set(_ACTION.findall(call))
            # events.feeds builds its action: f"events.calendar_feed.{action}".
            for prefix in re.findall(r'f"([a-z_.]+\.)\{action\}"', text):
                verbs = re.findall(r'_audit\(request, \w+, "(\w+)"(?: if \w+ else "(\w+)")?', text)
                found |= {prefix + verb for pair in verbs for verb in pair if verb}
    return found


def test_every_recorded_action_has_a_label_and_a_sentence():
    actions = recorded_actions()

    assert {
        "members.phone.viewed",
        "events.calendar_feed.renewed",
        "events.calendar_feed.stopped",
        "groups.join_request.declined",
        "echo.email.dropped",
    } <= actions
    assert sorted(actions - set(audit.ACTIONS)) == []
    for action in audit.ACTIONS:
        for language in ("nl", "fr", "en"):
            with translation.override(language):
                text = audit.sentence(action, actor="A", target="B")
                assert text.startswith("A") and action not in text
                assert str(audit.label(action))


def test_the_audit_log_reads_as_sentences_in_the_coordinators_language(client, coordinator):
    applicant = ApplicantFactory(pseudonym="Zonnebloem")
    audit.record(coordinator, "members.phone.viewed", applicant, region=applicant.region)
    coordinator.language = "nl"
    coordinator.save()
    client.force_login(coordinator)

    html = client.get(reverse("members:audit_log")).content.decode()

    assert f"Coördinator {coordinator.code} bekeek het telefoonnummer van lid Zonnebloem." in html
    assert "members.phone.viewed</" not in html and "<code>" not in html

    coordinator.language = "en"
    coordinator.save()
    html = client.get(reverse("members:audit_log")).content.decode()
    assert f"Coordinator {coordinator.code} viewed the phone number of member Zonnebloem." in html

    coordinator.language = "fr"
    coordinator.save()
    html = client.get(reverse("members:audit_log")).content.decode()
    assert "a consulté le numéro de téléphone de Zonnebloem (membre)." in html
    assert "1 entrée" in html


def test_the_audit_log_filters_by_action_and_date(client, coordinator):
    applicant = ApplicantFactory()
    region = applicant.region
    audit.record(coordinator, "members.phone.viewed", applicant, region=region)
    audit.record(coordinator, "members.intake.viewed", applicant, region=region)
    audit.record(coordinator, "members.intake.viewed", applicant, region=region)
    client.force_login(coordinator)
    url = reverse("members:audit_log")

    shown = client.get(url, {"action": "members.phone.viewed"}).context["page"]
    assert [e.action for e in shown] == ["members.phone.viewed"]

    today = timezone.localdate()
    assert len(client.get(url, {"since": today.isoformat()}).context["page"]) == 3
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert len(client.get(url, {"since": tomorrow}).context["page"]) == 0
    yesterday = (today - timedelta(days=1)).isoformat()
    assert len(client.get(url, {"until": yesterday}).context["page"]) == 0
    # A filter that makes no sense shows everything rather than an error page.
    assert len(client.get(url, {"action": "nonsense"}).context["page"]) == 3


def test_the_audit_log_is_paginated_rather_than_cut_off(client, coordinator):
    applicant = ApplicantFactory()
    for _ in range(AUDIT_PAGE_SIZE + 5):
        audit.record(coordinator, "members.intake.viewed", applicant, region=applicant.region)
    client.force_login(coordinator)
    url = reverse("members:audit_log")

    first = client.get(url)
    assert len(first.context["page"]) == AUDIT_PAGE_SIZE
    assert "page=2" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert len(second.context["page"]) == 5
