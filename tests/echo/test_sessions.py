import pytest
from allauth.usersessions.models import UserSession
from django.urls import reverse

from echo.signals import coarse_ip, coarse_user_agent

from ..factories import PASSWORD, MemberFactory

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


def test_only_a_coarse_network_and_browser_family_are_kept():
    assert coarse_ip("81.82.83.84") == "81.82.83.0"
    assert coarse_ip("2a02:1810:4d02:1:abcd::1") == "2a02:1810:4d02::"
    assert coarse_ip("not an address") == "0.0.0.0"  # noqa: S104
    assert coarse_user_agent(FIREFOX) == "Firefox / Linux"


@pytest.mark.django_db
def test_the_sessions_page_lists_sessions_without_the_full_address(client):
    member = MemberFactory().user
    client.post(
        reverse("account_login"),
        {"login": member.email, "password": PASSWORD},
        HTTP_USER_AGENT=FIREFOX,
        REMOTE_ADDR="81.82.83.84",
    )

    session = UserSession.objects.get(user=member)
    assert (session.ip, session.user_agent) == ("81.82.83.0", "Firefox / Linux")
