from django.db import migrations

from echo.models import random_code


def create_shared_boards(apps, schema_editor):
    """The community board and the staff room exist from the start: pages and
    services only look them up, and a GET never writes."""
    Board = apps.get_model("boards", "Board")
    boards = Board.objects.using(schema_editor.connection.alias)
    for kind in ("community", "staff"):
        if not boards.filter(kind=kind).exists():
            boards.create(kind=kind, code=random_code())


class Migration(migrations.Migration):
    dependencies = [("boards", "0003_groups_app")]

    operations = [
        # Not undone: by then the boards may hold conversations.
        migrations.RunPython(create_shared_boards, migrations.RunPython.noop),
    ]
