from django.db import migrations

# On PostgreSQL the database itself refuses to change or delete audit entries,
# whatever code runs. (TRUNCATE, used by test teardown, is not blocked.)
CREATE = """
CREATE FUNCTION echo_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER echo_audit_append_only
    BEFORE UPDATE OR DELETE ON echo_auditentry
    FOR EACH ROW EXECUTE FUNCTION echo_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS echo_audit_append_only ON echo_auditentry;
DROP FUNCTION IF EXISTS echo_audit_append_only();
"""


def run(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("echo", "0001_initial")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
