"""The quick exit ends the session on the server; the pages on browsing
safely, the community guidelines and the privacy statement say what they
must, in every language, with neutral titles."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_quick_exit_signs_out_on_the_server_and_leaves(client, member):
    client.force_login(member)
    session_key = client.session.session_key
    assert client.get(reverse("members:member_home")).status_code == 200

    response = client.get(reverse("quick_exit"))

    assert response.status_code == 302
    assert response["Location"] == settings.QUICK_EXIT_URL
    assert not Session.objects.filter(session_key=session_key).exists()
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == ""
    # Back to a page of the member: the server no longer knows them.
    response = client.get(reverse("members:member_home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_quick_exit_works_without_javascript_from_every_page(client, member):
    client.force_login(member)
    html = client.get(reverse("members:member_home")).content.decode()
    # A plain link: no form, no script needed; the script only replaces the entry.
    assert f'<a class="quick-exit" href="{reverse("quick_exit")}"' in html
    assert f'href="{reverse("browsing")}"' in html


def test_the_quick_exit_is_for_leaving_only(client):
    assert client.post(reverse("quick_exit")).status_code == 405


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["Gebruik een privévenster", "Wis je geschiedenis", "Ctrl+Shift+N"]),
        ("fr", ["Utilisez une fenêtre privée", "Effacez votre historique", "Ctrl+Maj+N"]),
        ("en", ["Use a private window", "Clear your history", "Ctrl+Shift+N"]),
    ],
)
def test_the_page_on_browsing_safely_in_each_language(client, language, words):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("browsing")).content.decode()

    assert "<title>Echo</title>" in html
    for word in words:
        assert word in html
    # Reached from the help page too.
    assert f'href="{reverse("browsing")}"' in client.get(reverse("help")).content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["Afspraken voor de prikborden", "inhoudswaarschuwing", "moderatoren"]),
        ("fr", ["Règles de la communauté", "avertissement de contenu", "modérateurs"]),
        ("en", ["Community guidelines", "content warning", "moderators"]),
    ],
)
def test_the_community_guidelines_in_each_language(client, language, words):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("guidelines")).content.decode()

    assert "<title>Echo</title>" in html
    for word in words:
        assert word in html


def test_every_board_page_links_to_the_guidelines(client, member, group):
    from ..factories import ThreadFactory

    thread = ThreadFactory(board=group.board, author=member)
    client.force_login(member)
    for path in [
        reverse("boards:index"),
        reverse("boards:board", args=[group.board.code]),
        reverse("boards:thread", args=[thread.code]),
        reverse("boards:new_thread", args=[group.board.code]),
        reverse("boards:reply", args=[thread.code]),
    ]:
        html = client.get(path).content.decode()
        main = html[html.index('<main id="main"') : html.index("</main>")]
        assert f'href="{reverse("guidelines")}"' in main, path


@pytest.mark.parametrize(
    ("language", "authority", "words"),
    [
        ("nl", "https://www.gegevensbeschermingsautoriteit.be/", "recht om klacht in te dienen"),
        ("fr", "https://www.autoriteprotectiondonnees.be/", "droit d'introduire une plainte"),
        ("en", "https://www.dataprotectionauthority.be/", "right to complain"),
    ],
)
def test_the_privacy_statement_names_who_and_where_to_complain(
    client, settings, language, authority, words
):
    settings.ORGANISATION_NAME = "Stichting Voorbeeld vzw"
    settings.ORGANISATION_ADDRESS = "Voorbeeldstraat 1, 1000 Brussel"
    settings.PRIVACY_CONTACT_EMAIL = "privacy@voorbeeld.example"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    html = client.get(reverse("privacy")).content.decode()

    assert "Stichting Voorbeeld vzw" in html
    assert "Voorbeeldstraat 1, 1000 Brussel" in html
    assert 'href="mailto:privacy@voorbeeld.example"' in html
    assert f'href="{authority}" rel="noreferrer noopener"' in html
    assert words in html
