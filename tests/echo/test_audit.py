import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from echo import audit
from echo.models import AuditEntry

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

    assert [e.target_code for e in response.context["entries"]] == [here.code]
    assert b"Hier" in response.content and b"Daar" not in response.content
