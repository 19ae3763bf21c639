# State only: boards now points at groups.Group; the tables are unchanged.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [('boards', '0002_search_index_and_group_boards'), ('groups', '0001_initial')]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='board',
                    name='group',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='board', to='groups.group'),
                ),
                migrations.DeleteModel(name='Suspension'),
            ],
            database_operations=[],
        ),
    ]
