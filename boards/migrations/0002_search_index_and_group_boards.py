from django.db import migrations

# Same expression as SearchVector("search_text", config="simple") in
# boards.services.search, so that PostgreSQL uses the index. "simple": posts
# are in Dutch, French and English, often mixed.
CREATE_INDEX = """
CREATE INDEX IF NOT EXISTS post_search_text_fts ON boards_post
USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))
"""


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS post_search_text_fts")


def give_groups_boards(apps, schema_editor):
    Group = apps.get_model("members", "Group")
    Board = apps.get_model("boards", "Board")
    from echo.models import random_code

    for group in Group.objects.filter(board__isnull=True):
        Board.objects.create(kind="group", group=group, code=random_code())


class Migration(migrations.Migration):
    dependencies = [("boards", "0001_boards")]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(give_groups_boards, migrations.RunPython.noop),
    ]
