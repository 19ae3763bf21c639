# State only: events now points at groups.Group; the tables are unchanged.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [('events', '0002_initial'), ('groups', '0001_initial')]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='meeting',
                    name='group',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='groups.group'),
                ),
                migrations.AlterField(
                    model_name='series',
                    name='group',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='series', to='groups.group'),
                ),
            ],
            database_operations=[],
        ),
    ]
