"""What the main pages cost in SQL statements, pinned: the same for a few
items as for many, so that a page never costs a query per row. The
benchmark (bench/) measures the time; these only count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import MeetingFactory, PostFactory, ThreadFactory, member_of

pytestmark = pytest.mark.django_db


def cost(client, path):
    """Statements of one GET, after a first one that writes the session."""
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def grow_thread(thread, author, count):
    for _ in range(count):
        PostFactory(thread=thread, author=author)


def test_a_long_thread_costs_what_a_short_one_costs_on_its_first_and_last_page(
    client, member, group
):
    thread = ThreadFactory(board=group.board, author=member)
    grow_thread(thread, member, 20)
    client.force_login(member)
    first = reverse("boards:thread", args=[thread.code])
    last = first + "?last=1"
    short = (cost(client, first), cost(client, last))

    grow_thread(thread, member, 100)

    # No more than the short thread (reading an early page again moves no read mark).
    long = (cost(client, first), cost(client, last))
    assert all(n <= m for n, m in zip(long, short, strict=True)), (long, short)
    assert max(short) <= 7  # besides the session: see tests/boards/test_views.py
    # A page shows at most 20 posts, whatever the thread's length.
    assert len(client.get(last).context["posts"]) <= 20


def test_the_thread_list_costs_the_same_on_its_first_and_a_later_page_for_few_or_many_threads(
    client, member, group
):
    friend = member_of(group).user
    board = group.board

    def add(count):
        for _ in range(count):
            thread = ThreadFactory(board=board, author=friend, published=True)
            PostFactory(thread=thread, author=friend)

    client.force_login(member)
    first = reverse("boards:board", args=[board.code])
    add(30)
    # Half of them read, so that both ways of the unread marker are counted.
    for thread in board.threads.all()[:15]:
        client.get(reverse("boards:thread", args=[thread.code]))
    later = first + "?after=" + client.get(first).context["next_cursor"]
    few = (cost(client, first), cost(client, later))

    add(120)

    assert (cost(client, first), cost(client, later)) == few
    assert max(few) <= 6  # the session read included (see tests/boards/test_views.py)


def test_the_meetings_page_costs_the_same_for_1_or_12_meetings(client, member, group):
    MeetingFactory(group=group)
    client.force_login(member)
    path = reverse("events:my_meetings")
    few = cost(client, path)

    for _ in range(11):
        MeetingFactory(group=group)

    assert cost(client, path) == few


def test_the_member_home_costs_the_same_for_1_or_8_groups(client, member, group):
    from .factories import GroupFactory

    client.force_login(member)
    path = reverse("members:member_home")
    few = cost(client, path)

    for _ in range(7):
        other = GroupFactory()
        from groups.models import GroupMembership

        GroupMembership.objects.create(group=other, member=member.member)
        member_of(other)

    assert cost(client, path) == few


def _a_busy_group(facilitator_member, now):
    """A group the facilitator leads, with everything the member home shows:
    meetings going and to answer, a past one to record, a thread with news,
    a request to join and a post to review."""
    from datetime import timedelta

    from boards.models import Post
    from events import services
    from groups.models import GroupMembership

    from .factories import GroupFactory, JoinRequestFactory

    group = GroupFactory()
    GroupMembership.objects.create(
        group=group, member=facilitator_member, role=GroupMembership.Role.FACILITATOR
    )
    going = MeetingFactory(group=group)
    services.answer(facilitator_member, going, going=True)
    MeetingFactory(
        group=group,
        starts_at=going.starts_at + timedelta(days=1),
        ends_at=going.ends_at + timedelta(days=1),
    )
    MeetingFactory(
        group=group, starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=3, hours=-2)
    )
    someone = member_of(group).user
    thread = ThreadFactory(board=group.board, author=someone)
    PostFactory(thread=thread, author=someone)
    PostFactory(
        thread=thread, author=someone, state=Post.State.PENDING, published_at=None, review_since=now
    )
    JoinRequestFactory(group=group)


def test_the_member_home_costs_the_same_however_much_waits(client, facilitator):
    """Meetings, notices, threads and what waits for a facilitator: one
    query per part of the page, for one group as for six."""
    from django.utils import timezone

    from members.models import Notice

    now = timezone.now()
    _a_busy_group(facilitator.member, now)
    Notice.objects.create(user=facilitator, kind=Notice.Kind.NEW_SIGN_IN)
    client.force_login(facilitator)
    path = reverse("members:member_home")
    few = cost(client, path)

    for _ in range(5):
        _a_busy_group(facilitator.member, now)
        Notice.objects.create(user=facilitator, kind=Notice.Kind.NEW_SIGN_IN)

    assert cost(client, path) == few
    assert few <= 10, few  # session, person, nav roles; notices; 6 panels
