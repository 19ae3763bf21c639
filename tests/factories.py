from datetime import datetime, time, timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.db import models
from django.utils import timezone

from boards.markdown import render
from boards.models import Post, Thread
from echo.models import Region
from events.models import Meeting, Series
from events.recurrence import BRUSSELS
from groups.models import Group, GroupMembership, JoinRequest
from members.models import Member, User

PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    language = "nl"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        user.save()

    @factory.post_generation
    def second_factor(user, create, extracted, **kwargs):
        if create and extracted:
            TOTP.activate(user, TOTP_SECRET)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)
    pseudonym = factory.Sequence(lambda n: f"Pseudo{n}")
    region = Region.ANTWERPEN
    status = Member.Status.ACTIVE
    privacy_version = settings.PRIVACY_STATEMENT_VERSION
    privacy_agreed_at = factory.LazyFunction(timezone.now)
    # Emails with details, groups unnamed: what members had before choosing
    # (a new member starts discreet, see tests/members/test_inbox.py).
    emails = Member.Emails.UNNAMED


class ApplicantFactory(MemberFactory):
    status = Member.Status.APPLIED
    message_to_coordinator = "Ik wil graag praten."


class CoordinatorFactory(UserFactory):
    """A coordinator of Antwerpen who has set up TOTP (pass second_factor=False not to)."""

    coordinator_region = Region.ANTWERPEN

    @factory.post_generation
    def second_factor(user, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(user, TOTP_SECRET)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Groep {n}")
    region = Region.ANTWERPEN
    description = "We komen samen en praten."


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    member = factory.SubFactory(MemberFactory, region=factory.SelfAttribute("..group.region"))


def english(*users):
    """Assertions that read page text read English, whatever the translations say."""
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def facilitator_of(group, **member_fields):
    """A member with a second factor who leads `group`."""
    member_fields.setdefault("user__second_factor", True)
    member = MemberFactory(region=group.region, **member_fields)
    GroupMembership.objects.create(group=group, member=member, role="facilitator")
    return member


def member_of(group, **member_fields):
    member = MemberFactory(region=group.region, **member_fields)
    GroupMembership.objects.create(group=group, member=member)
    return member


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting two days from now, 19:00-21:00 Brussels time, in person."""

    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    starts_at = factory.LazyFunction(
        lambda: datetime.combine(
            timezone.localdate() + timedelta(days=2), time(19), tzinfo=BRUSSELS
        )
    )
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(hours=2))
    rsvp_closes_at = factory.SelfAttribute("starts_at")
    capacity = 12
    address = "Kerkstraat 1, 2000 Antwerpen"
    practical_notes = "Bel aan bij de blauwe deur."


class SeriesFactory(factory.django.DjangoModelFactory):
    """Every two weeks on Tuesday evening, ten times, starting next week.

    Only the series row: plan it with `events.services.plan_series` to get
    its meetings.
    """

    class Meta:
        model = Series

    group = factory.SubFactory(GroupFactory)
    frequency = "two_weekly"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    start_time = time(19)
    duration = timedelta(hours=2)
    count = 10
    capacity = 12
    rsvp_closes_before = timedelta(0)
    address = "Kerkstraat 1, 2000 Antwerpen"


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    group = factory.SubFactory(GroupFactory)
    member = factory.SubFactory(MemberFactory, region=factory.SelfAttribute("..group.region"))
    note = "Ik zou graag aansluiten."


class ThreadFactory(factory.django.DjangoModelFactory):
    """A published thread; give it a `board` (e.g. `group.board`) and posts."""

    class Meta:
        model = Thread

    title = factory.Sequence(lambda n: f"Gesprek {n}")
    published = True


class PostFactory(factory.django.DjangoModelFactory):
    """A published post, rendered as the services would render it. Tests of
    screening and holding go through boards.services instead."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    thread = factory.SubFactory(ThreadFactory)
    author = factory.LazyAttribute(lambda post: post.thread.author)
    body = factory.Sequence(lambda n: f"Bericht {n}: *dank* voor het luisteren.")
    body_html = factory.LazyAttribute(lambda post: render(post.body))
    search_text = factory.LazyAttribute(lambda post: post.body)
    state = Post.State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def counted(post, create, extracted, **kwargs):
        if create and post.state == Post.State.PUBLISHED:
            Thread.objects.filter(pk=post.thread_id).update(
                post_count=models.F("post_count") + 1, last_activity_at=post.published_at
            )
