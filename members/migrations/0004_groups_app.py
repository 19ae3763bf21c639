# State only: peer groups now belong to the `groups` app, and suspensions to
# `members` (the roles need them); no table changes here.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0003_member_reminder_offsets'),
        ('groups', '0001_initial'),
        ('events', '0003_groups_app'),
        ('boards', '0003_groups_app'),
        ('growth', '0002_groups_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='GroupMessage'),
                migrations.DeleteModel(name='JoinRequest'),
                migrations.DeleteModel(name='GroupMembership'),
                migrations.DeleteModel(name='Group'),
                migrations.CreateModel(
                    name='Suspension',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('until', models.DateTimeField()),
                        ('reason', models.TextField()),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={'db_table': 'boards_suspension'},
                ),
            ],
            database_operations=[],
        ),
    ]
