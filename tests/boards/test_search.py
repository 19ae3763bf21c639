"""Search finds published posts in the boards the person may read, and only
those: access control is inside the query. On PostgreSQL it is full-text
search on a GIN index; on SQLite a simple word match."""

import pytest
from django.db import connection
from django.utils import timezone

from boards import services
from boards.models import Post

from ..factories import facilitator_of, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_first_posts_held(settings):
    settings.BOARDS_FIRST_POSTS_HELD = 0


def start(author, board, title, body):
    return services.start_thread(author, board, title=title, body=body)


def found(user, query):
    return [post.body for post in services.search(user, query)]


def test_finds_published_posts_in_boards_one_reads(member, group, facilitator):
    start(member, group.board, "Slapen", "Ik slaap slecht sinds de winter.")
    start(facilitator, group.board, "Wandelen", "Wie wandelt mee in de winter?")
    assert sorted(found(member, "winter")) == [
        "Ik slaap slecht sinds de winter.",
        "Wie wandelt mee in de winter?",
    ]
    assert found(member, "wandelt") == ["Wie wandelt mee in de winter?"]
    assert found(member, "WINTER wandelt") == ["Wie wandelt mee in de winter?"]
    assert found(member, "zomer") == []


def test_an_empty_query_finds_nothing(member, group):
    start(member, group.board, "Slapen", "Ik slaap slecht.")
    assert found(member, "") == []
    assert found(member, "   ") == []


def test_title_words_find_the_opening_post_only(member, group, facilitator):
    thread, opening = start(member, group.board, "Nachtmerries", "Hebben jullie dat ook?")
    services.reply(facilitator, thread, body="Ja, soms.")
    assert found(member, "nachtmerries") == ["Hebben jullie dat ook?"]


def test_an_edit_is_found_by_its_new_words(member, group):
    _thread, post = start(member, group.board, "Slapen", "Ik slaap slecht.")
    services.edit_post(member, post, body="Ik droom veel.")
    assert found(member, "droom") == ["Ik droom veel."]
    assert found(member, "slaap") == []
    assert found(member, "slapen") == ["Ik droom veel."]


def test_never_finds_what_one_may_not_read(
    member, other_member, group, other_group, facilitator, coordinator, other_coordinator
):
    community = services.community_board()
    staff = services.staff_room()
    start(other_member, other_group.board, "Geheim", "In een andere groep: appelboom.")
    start(facilitator, staff, "Overleg", "In de staff room: appelboom.")
    start(member, community, "Gedeeld", "Op het gemeenschapsbord: appelboom.")

    assert found(member, "appelboom") == ["Op het gemeenschapsbord: appelboom."]
    assert sorted(found(other_member, "appelboom")) == [
        "In een andere groep: appelboom.",
        "Op het gemeenschapsbord: appelboom.",
    ]
    assert len(found(facilitator, "appelboom")) == 2
    assert len(found(coordinator, "appelboom")) == 3
    # Limburg's coordinator does not read Antwerp's group boards.
    assert len(found(other_coordinator, "appelboom")) == 2


def test_never_finds_posts_that_wait_or_were_taken_away(settings, member, group, facilitator):
    thread, published = start(member, group.board, "Tuin", "Mijn tuin: tulpen.")
    pending = services.reply(member, thread, body="Bel 0470 12 34 56 over tulpen.")
    assert pending.is_pending
    hidden = services.reply(member, thread, body="Nog meer tulpen.")
    services.hide_post(facilitator, hidden, "Even weg")
    rejected = services.reply(member, thread, body="Ook tulpen.")
    services.reject_post(facilitator, rejected, "Nee")
    deleted = services.reply(member, thread, body="Weg met de tulpen.")
    services.delete_post(member, deleted)

    for user in (member, facilitator):
        assert found(user, "tulpen") == ["Mijn tuin: tulpen."]


def test_never_finds_a_thread_that_waits(settings, group, facilitator):
    settings.BOARDS_FIRST_POSTS_HELD = 3
    newcomer = member_of(group).user
    thread, opening = start(newcomer, group.board, "Eerste keer", "Hallo, ik ben nieuw: kastanje.")
    # Not even a moderator's published reply makes it findable before it is approved.
    services.reply(facilitator, thread, body="Welkom, kastanje!")
    assert found(newcomer, "kastanje") == []
    services.approve_post(facilitator, opening)
    assert len(found(newcomer, "kastanje")) == 2


def test_a_member_who_left_the_group_no_longer_finds_its_posts(member, group):
    start(member, group.board, "Slapen", "Ik slaap slecht: kamille.")
    reader = member_of(group)
    assert len(found(reader.user, "kamille")) == 1
    reader.memberships.all().delete()
    assert found(reader.user, "kamille") == []


def test_finds_posts_of_former_members(member, group):
    facilitator_of(group)
    start(member, group.board, "Slapen", "Ik slaap slecht: lavendel.")
    reader = member_of(group).user
    member.delete()
    assert found(reader, "lavendel") == ["Ik slaap slecht: lavendel."]


def test_newest_first(member, group):
    thread, _ = start(member, group.board, "Een", "Eerste rozen.")
    services.reply(member, thread, body="Tweede rozen.")
    services.reply(member, thread, body="Derde rozen.")
    assert found(member, "rozen") == ["Derde rozen.", "Tweede rozen.", "Eerste rozen."]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search on PostgreSQL")
def test_postgresql_uses_the_gin_index(member, group):
    thread, _ = start(member, group.board, "Slapen", "Ik slaap slecht.")
    # Enough posts, and fresh statistics, for an index to be worth using.
    Post.objects.bulk_create(
        Post(
            thread=thread,
            author=member,
            body=f"bericht {n}",
            body_html="",
            search_text=f"bericht nummer{n}",
            state=Post.State.PUBLISHED,
            published_at=timezone.now(),
        )
        for n in range(500)
    )
    posts = services.search(member, "slaap")
    sql, params = posts.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE boards_post")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "post_search_text_fts" in plan, plan
    assert found(member, "slaap") == ["Ik slaap slecht."]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search on PostgreSQL")
def test_postgresql_understands_web_search_syntax(member, group):
    start(member, group.board, "Een", "Slaap en dromen.")
    start(member, group.board, "Twee", "Slaap zonder iets anders.")
    assert found(member, "slaap -dromen") == ["Slaap zonder iets anders."]
    assert found(member, '"en dromen"') == ["Slaap en dromen."]
    assert found(member, "-") == []


def test_search_text_holds_title_and_body(member, group):
    _thread, post = start(member, group.board, "Titel", "Tekst")
    assert Post.objects.get(pk=post.pk).search_text == "Titel\nTekst"
