# Peer groups move out of `members` into their own app. Their tables stay
# where they are here (only Django's idea of which app owns them changes);
# 0002 renames them. No row is copied, so no row can be lost.

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import echo.fields
import echo.models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('members', '0003_member_reminder_offsets'),
        ('events', '0002_initial'),
        ('boards', '0002_search_index_and_group_boards'),
        ('growth', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Group',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(default=echo.models.random_code, editable=False, max_length=32, unique=True)),
                        ('region', models.CharField(choices=[('antwerpen', 'Antwerp'), ('limburg', 'Limburg'), ('oost-vlaanderen', 'East Flanders'), ('west-vlaanderen', 'West Flanders'), ('vlaams-brabant', 'Flemish Brabant'), ('brussel', 'Brussels')], max_length=20, verbose_name='region')),
                        ('name', models.CharField(max_length=80, verbose_name='name')),
                        ('description', models.TextField(blank=True, verbose_name='description for members')),
                        ('format', models.CharField(choices=[('in_person', 'in person'), ('online', 'online')], default='in_person', max_length=10, verbose_name='format')),
                        ('cadence', models.CharField(choices=[('weekly', 'every week'), ('two_weekly', 'every two weeks'), ('four_weekly', 'every four weeks'), ('monthly', 'once a month'), ('irregular', 'irregularly')], default='two_weekly', max_length=12, verbose_name='meets')),
                        ('max_size', models.PositiveSmallIntegerField(default=12, validators=[django.core.validators.MinValueValidator(2), django.core.validators.MaxValueValidator(100)], verbose_name='maximum size')),
                        ('accepts_members', models.BooleanField(default=True, help_text='Members of the region see the group and can ask to join.', verbose_name='open to requests to join')),
                        ('show_attendance', models.BooleanField(default=False, help_text='Off: members see neither the other members nor how many are going.', verbose_name='members see who is in the group and who is going')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('archived_at', models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        'db_table': 'members_group',
                        'ordering': ['name', 'pk'],
                        'indexes': [models.Index(fields=['region', 'archived_at'], name='members_gro_region_9d500e_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='GroupMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(default=echo.models.random_code, editable=False, max_length=32, unique=True)),
                        ('text', echo.fields.EncryptedTextField(verbose_name='message')),
                        ('recipients', models.PositiveIntegerField(default=0)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.member')),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='groups.group')),
                        ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='events.meeting')),
                    ],
                    options={
                        'db_table': 'members_groupmessage',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='GroupMembership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('member', 'member'), ('facilitator', 'facilitator')], default='member', max_length=12)),
                        ('joined_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='groups.group')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='members.member')),
                    ],
                    options={
                        'db_table': 'members_groupmembership',
                        'constraints': [models.UniqueConstraint(fields=('group', 'member'), name='one_membership_per_group')],
                    },
                ),
                migrations.CreateModel(
                    name='JoinRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(default=echo.models.random_code, editable=False, max_length=32, unique=True)),
                        ('note', echo.fields.EncryptedTextField(blank=True, verbose_name='a few words for the facilitators')),
                        ('state', models.CharField(choices=[('pending', 'waiting for an answer'), ('accepted', 'accepted'), ('declined', 'declined'), ('withdrawn', 'withdrawn')], default='pending', max_length=10)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='join_requests', to='groups.group')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='join_requests', to='members.member')),
                    ],
                    options={
                        'db_table': 'members_joinrequest',
                        'ordering': ['created_at', 'pk'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('state', 'pending')), fields=('group', 'member'), name='one_pending_request_per_group')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
