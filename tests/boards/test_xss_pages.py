"""The XSS corpus, typed into posts, titles, content warnings and pseudonyms,
comes out inert on every page that shows them: readers' and moderators'."""

import html
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from boards import services
from boards.models import Report
from members.models import Member

from ..factories import PostFactory, ThreadFactory, member_of
from .xss_corpus import PAYLOADS

pytestmark = pytest.mark.django_db

# What a page of Echo itself may contain; the payloads add nothing to it.
DANGEROUS_TAGS = {
    "iframe", "object", "embed", "svg", "math", "img", "video", "audio", "source",
    "style", "base", "meta", "link", "frame", "frameset", "applet", "marquee", "body",
}  # fmt: skip
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:", "/", "#", "?")


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []
        self.in_head = False
        self.seen_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self.in_head = True
        attrs = dict(attrs)
        if tag == "script" and not (attrs.get("src") or "").startswith("/static/"):
            self.problems.append(f"script {attrs}")
        if tag == "body" and not self.seen_body:
            self.seen_body = True  # the page's own
        elif tag in DANGEROUS_TAGS and not self.in_head:
            self.problems.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action") and value:
                squashed = "".join(value.split()).lower()
                if not squashed.startswith(SAFE_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def assert_inert(response):
    assert response.status_code == 200
    inspector = _Inspector()
    inspector.feed(response.content.decode())
    assert not inspector.problems, inspector.problems


@pytest.fixture
def poisoned(group, facilitator, coordinator, settings):
    """Every payload as a title, a post, a content warning and a pseudonym,
    some published, some waiting and reported, so that the queue shows them."""
    board = group.board
    threads = []
    for number, payload in enumerate(PAYLOADS):
        author = member_of(group, pseudonym=f"p{number}{payload}"[:40]).user
        thread = ThreadFactory(board=board, author=author, title=payload[:120])
        PostFactory(thread=thread, body=payload, content_warning=payload[:100])
        threads.append(thread)
    reporter = member_of(group).user
    for thread in threads[:10]:
        post = thread.posts.first()
        Report.objects.create(post=post, reporter=reporter, reason="safety", note=PAYLOADS[0])
        services.flag_safety_concern(post)
        services.hide_post(facilitator, post, reason=PAYLOADS[1])
    return threads


def test_the_corpus_is_inert_on_readers_pages(client, group, poisoned):
    reader = member_of(group).user
    client.force_login(reader)

    assert_inert(client.get(reverse("boards:index")))
    assert_inert(client.get(reverse("boards:board", args=[group.board.code])))
    for thread in poisoned[::7]:
        assert_inert(client.get(reverse("boards:thread", args=[thread.code])))
    assert_inert(client.get(reverse("boards:search"), {"q": "alert"}))
    assert_inert(client.get(reverse("boards:search"), {"q": PAYLOADS[0]}))


def test_the_corpus_is_inert_on_moderators_pages(client, group, facilitator, poisoned):
    client.force_login(facilitator)

    assert_inert(client.get(reverse("boards:board", args=[group.board.code])))
    assert_inert(client.get(reverse("boards:queue")))
    assert_inert(client.get(reverse("boards:log")))
    for thread in poisoned[:12:3]:
        post = thread.posts.first()
        assert_inert(client.get(reverse("boards:thread", args=[thread.code])))
        assert_inert(client.get(reverse("boards:review", args=[post.code])))


def test_the_corpus_is_inert_where_the_author_writes_again(client, group, poisoned):
    thread = poisoned[0]
    post = thread.posts.first()
    client.force_login(post.author)

    assert_inert(client.get(reverse("boards:edit_post", args=[post.code])))
    assert_inert(client.get(reverse("boards:reply", args=[poisoned[20].code]),
                            {"quote": poisoned[20].posts.first().code}))  # fmt: skip


def test_payloads_in_pseudonyms_survive_as_text(client, group, poisoned):
    """Escaped, not stripped: the name still reads as its author typed it."""
    client.force_login(member_of(group).user)
    # The first ten were hidden: their authors' names are not shown to readers.
    thread = next(t for t in poisoned[10:] if "<" in t.author.member.pseudonym)
    pseudonym = Member.objects.get(user=thread.author).pseudonym

    response = client.get(reverse("boards:thread", args=[thread.code]))

    assert pseudonym not in response.content.decode()
    assert pseudonym in html.unescape(response.content.decode())
