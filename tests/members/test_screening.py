"""Pseudonyms are screened for contact details by the rule posts follow
(members.screening), more strictly: a pseudonym needs no numbers or links."""

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse
from django.utils import translation

from boards import screening as board_screening
from members import screening
from members.models import Member

from ..factories import MemberFactory, PostFactory, ThreadFactory, member_of
from .test_signup import signup_data

pytestmark = pytest.mark.django_db

REFUSED = {
    # handles and links
    "t.me/noor": "email address or a website",
    "bit.ly/abc12": "email address or a website",
    "insta noor": "app or a social network",
    "Insta_Noor": "app or a social network",
    "snap: noor88": "app or a social network",
    "@noor_x": "email address or a website",
    "Noor @ home": "email address or a website",
    "www.noor.be": "email address or a website",
    "noor.BE": "email address or a website",
    "noor . com": "email address or a website",
    "noor at gmail dot com": "email address or a website",
    # phone numbers however they are written
    "Jan 0470 12 34 56": "phone number",
    "Jan 0470.12.34.56": "phone number",
    "Jan 0470/12.34.56": "phone number",
    "bel +32 470 123456": "phone number",
    "0 4 7 0 1 2 3": "phone number",
    # email-like
    "noor@gmail": "email address or a website",
    "noor(at)mail.be": "email address or a website",
}
ACCEPTED = ["Zonnebloem", "Stille Wind", "Noor", "Anna-Lies", "Mees 42", "Instabiel", "Wandelaar"]


@pytest.mark.parametrize(("pseudonym", "message"), REFUSED.items())
def test_contact_details_in_a_pseudonym_are_found(pseudonym, message):
    with translation.override("en"):
        assert message in str(screening.pseudonym_problem(pseudonym))


@pytest.mark.parametrize("pseudonym", ACCEPTED)
def test_ordinary_pseudonyms_pass(pseudonym):
    assert screening.pseudonym_problem(pseudonym) is None


def test_posts_use_the_same_rule():
    assert board_screening.has_contact_details is screening.has_contact_details


@pytest.mark.parametrize(("pseudonym", "message"), REFUSED.items())
def test_sign_up_refuses_them_and_keeps_everything_else_typed(client, pseudonym, message):
    data = signup_data(pseudonym=pseudonym, message="Dag coördinator")

    response = client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors["pseudonym"])
    assert list(form.errors) == ["pseudonym"]
    page = response.content.decode()
    for field in ["email", "phone", "message"]:
        assert data[field] in page, field
    assert form["region"].value() == data["region"]
    assert form["language"].value() == data["language"]
    assert not Member.objects.exists()


def test_the_admin_refuses_them_too(admin_user, rf):
    member = MemberFactory(pseudonym="Zonnebloem")
    form_class = site._registry[Member].get_form(rf.get("/"), member)
    data = {"pseudonym": "insta zonnebloem", "region": member.region, "emails": "unnamed"}

    form = form_class(data, instance=member)

    with translation.override("en"):
        assert not form.is_valid()
        assert "app or a social network" in str(form.errors["pseudonym"])


def test_a_pseudonym_from_before_the_rule_is_never_shown_with_a_post(client, group):
    group.show_attendance = True
    group.save()
    old = member_of(group, pseudonym="Noor 0470 12 34 56")
    reader = member_of(group).user
    thread = ThreadFactory(board=group.board, author=old.user, title="Hallo")
    PostFactory(thread=thread, author=old.user, body="Een bericht")
    client.force_login(reader)

    pages = [
        client.get(reverse("boards:thread", args=[thread.code])),
        client.get(reverse("boards:board", args=[group.board.code])),
        client.get(reverse("groups:group", args=[group.code])),
    ]

    assert pages[0].status_code == 200
    for page in pages:
        assert "0470" not in page.content.decode()
    with translation.override("en"):
        assert str(old.shown_pseudonym) == "member"
