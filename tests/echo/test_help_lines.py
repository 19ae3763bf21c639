"""Help lines: data an administrator corrects, shown as links to call, in the
person's language and region, the same on every page; and the defaults
when the database cannot give them."""

import importlib
import re

import pytest
from django.apps import apps
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import get_resolver, reverse

from echo import help_lines
from echo.models import HelpLine, Region

from ..factories import CoordinatorFactory, MemberFactory

pytestmark = pytest.mark.django_db

DUTCH_LINES = ["tel:1712", "tel:1813", "https://www.nupraatikerover.be/"]
FRENCH_LINES = ["tel:103", "tel:080032123", "tel:080098100"]


def seed():
    """The lines as the data migration leaves them (transactional tests empty
    the table, so each test seeds it itself)."""
    HelpLine.objects.all().delete()
    migration = importlib.import_module("echo.migrations.0005_help_lines")
    migration.seed(apps, None)


def links_on(html):
    """The call and website links of the help-lines list, in order."""
    (listed,) = re.findall(r'<ul class="help-lines">(.*?)</ul>', html, re.S)
    return re.findall(r'href="((?:tel:|https?://)[^"]+)"', listed)


def help_page(client, language=None, user=None):
    if user is not None:
        user.language = language or user.language
        user.save()
        client.force_login(user)
    elif language:
        client.cookies["django_language"] = language
    return client.get(reverse("help")).content.decode()


def test_the_seeded_lines_are_the_defaults():
    seed()
    assert [row.as_line() for row in HelpLine.objects.all()] == list(help_lines.DEFAULTS)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_dutch_and_english_pages_show_the_dutch_lines_and_112(client, language):
    seed()
    links = links_on(help_page(client, language))

    assert [link for link in links if link.startswith("tel:")] == [
        "tel:1712",
        "tel:1813",
        "tel:112",
    ]
    assert "https://www.nupraatikerover.be/" in links
    assert not set(FRENCH_LINES) & set(links)


def test_french_pages_show_the_french_lines_and_112(client):
    seed()
    html = help_page(client, "fr")
    links = links_on(html)

    assert [link for link in links if link.startswith("tel:")] == [*FRENCH_LINES, "tel:112"]
    assert not set(DUTCH_LINES) & set(links)
    # Described in French, with the number to tap.
    assert "Jour et nuit, gratuit, si vous pensez au suicide." in html
    assert "Appeler le 0800 32 123" in html


def test_a_french_speaking_member_in_brussels_sees_both_their_own_first(client):
    seed()
    member = MemberFactory(region=Region.BRUSSEL).user
    links = links_on(help_page(client, "fr", member))

    calls = [link for link in links if link.startswith("tel:")]
    assert calls == [*FRENCH_LINES, "tel:1712", "tel:1813", "tel:112"]


def test_a_dutch_speaking_member_in_brussels_sees_both_their_own_first(client):
    seed()
    member = MemberFactory(region=Region.BRUSSEL).user
    calls = [link for link in links_on(help_page(client, "nl", member)) if "tel:" in link]
    assert calls == ["tel:1712", "tel:1813", *FRENCH_LINES, "tel:112"]


def test_a_french_speaking_member_in_flanders_sees_the_french_lines(client):
    seed()
    member = MemberFactory(region=Region.ANTWERPEN).user
    calls = [link for link in links_on(help_page(client, "fr", member)) if "tel:" in link]
    assert calls == [*FRENCH_LINES, "tel:112"]


def test_a_brussels_coordinator_sees_both(client):
    seed()
    coordinator = CoordinatorFactory(coordinator_region=Region.BRUSSEL)
    calls = [link for link in links_on(help_page(client, "nl", coordinator)) if "tel:" in link]
    assert "tel:103" in calls and "tel:1712" in calls


def test_an_administrator_corrects_a_line_without_a_release(client):
    seed()
    assert "tel:1813" in links_on(help_page(client, "nl"))

    line = HelpLine.objects.get(phone="1813")
    line.phone = "0800 18 13"
    line.description_nl = "Dag en nacht, gratis."
    line.save()
    HelpLine.objects.filter(phone="1712").update(active=False)
    help_lines.forget()  # what the admin's save does in its own process

    html = help_page(client, "nl")
    links = links_on(html)
    assert "tel:08001813" in links and "tel:1813" not in links
    assert "tel:1712" not in links
    assert "Dag en nacht, gratis." in html


def test_saving_a_line_shows_it_at_once(client):
    seed()
    help_page(client, "nl")  # read and kept for a minute
    HelpLine.objects.create(
        name="Luisterlijn",
        phone="106",
        language="nl",
        description_nl="Om te praten.",
        description_fr="Pour parler.",
        description_en="To talk.",
        order=35,
    )
    assert "tel:106" in links_on(help_page(client, "nl"))


def test_without_any_line_in_the_database_the_defaults_are_shown(client):
    HelpLine.objects.all().delete()
    assert links_on(help_page(client, "nl"))[:2] == ["tel:1712", "https://www.1712.be/"]


def test_when_the_database_cannot_be_asked_the_defaults_are_shown(client, monkeypatch):
    HelpLine.objects.all().delete()
    HelpLine.objects.create(
        name="Only in the database",
        phone="999",
        language="nl",
        description_nl="-",
        description_fr="-",
        description_en="-",
    )

    def unavailable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(help_lines, "_stored_lines", unavailable)
    links = links_on(help_page(client, "nl"))
    assert "tel:1712" in links and "tel:999" not in links


def test_every_page_shows_the_lines_as_links_to_call(client):
    seed()
    for name in ["landing", "privacy", "browsing", "guidelines", "members:too_young"]:
        html = client.get(reverse(name)).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert 'href="tel:1712"' in footer and 'href="tel:112"' in footer, name
        assert 'href="https://www.nupraatikerover.be/" rel="noreferrer noopener"' in footer


def test_the_report_page_shows_the_same_lines(client, member, group):
    from ..factories import PostFactory, ThreadFactory, member_of

    seed()
    author = member_of(group).user
    thread = ThreadFactory(board=group.board, author=author)
    post = PostFactory(thread=thread, author=author)
    client.force_login(member)
    response = client.get(reverse("boards:report_post", args=[post.code]))
    html = response.content.decode()
    assert response.status_code == 200
    main = html[: html.index('<footer class="site-footer">')]
    assert 'href="tel:1813"' in main and 'href="tel:112"' in main


def test_the_error_page_shows_the_default_lines_of_both_languages():
    seed()
    handler = get_resolver().resolve_error_handler(500)
    response = handler(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "<title>Echo</title>" in html
    assert 'href="/help/"' in html
    for link in ["tel:1712", "tel:1813", "tel:103", "tel:080032123", "tel:112"]:
        assert f'href="{link}"' in html
