"""The hard moments in a real browser: a declined applicant reads the
coordinator's words and answers, and the coordinator sees the answer; every
page of these moments passes axe and does not scroll sideways on a phone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from groups import services as groups
from members import services as members
from members.models import IntakeMessage

from ..factories import (
    ApplicantFactory,
    CoordinatorFactory,
    GroupFactory,
    facilitator_of,
    member_of,
)
from .conftest import check_accessibility
from .test_accessibility import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits_the_phone(page):
    """Nothing sticks out sideways at 390 px."""
    page.set_viewport_size(PHONE)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def heading(page):
    return page.get_by_role("heading", level=1)


def test_a_declined_applicant_reads_the_words_and_answers(browser, live_server, open_browser):
    coordinator = CoordinatorFactory(language="en")
    applicant = ApplicantFactory(pseudonym="Zeester", user__language="en")

    # The coordinator declines, after a page that asks first.
    desk = open_browser()
    sign_in_as(desk.context, coordinator, live_server)
    desk.goto(reverse("members:application", args=[applicant.code]))
    desk.get_by_role("link", name="Decline", exact=True).click()
    expect(heading(desk)).to_have_text("Decline this application?")
    check_accessibility(desk)
    desk.get_by_label("A few kind words to them (optional)").fill(
        "Dank je voor het gesprek. Een groep past nu niet; je huisarts kan verder helpen."
    )
    desk.get_by_role("button", name="Decline the application").click()
    expect(desk.get_by_role("status")).to_have_text("The application is updated.")
    expect(desk.get_by_role("main").locator(".status")).to_have_text("declined")

    # The applicant reads it with the help lines, and answers.
    home = open_browser()
    home.set_viewport_size(PHONE)
    sign_in_as(home.context, applicant.user, live_server)
    home.goto(reverse("members:home"))
    main = home.get_by_role("main")
    expect(heading(home)).to_have_text("Your application")
    expect(main).to_contain_text("cannot offer you a place")
    expect(main.get_by_role("region", name="The coordinator wrote to you")).to_contain_text(
        "je huisarts kan verder helpen"
    )
    expect(main.get_by_role("complementary", name="Help now")).to_contain_text("1813")
    expect(main.get_by_role("heading", name="Other places to turn to")).to_be_visible()
    check_accessibility(home)
    fits_the_phone(home)
    main.get_by_label("Your answer to the coordinator").fill(
        "Dank je. Mag ik het later opnieuw vragen?"
    )
    main.get_by_role("button", name="Send").click()
    expect(home.get_by_role("status")).to_have_text("Your answer is sent to the coordinator.")
    assert IntakeMessage.objects.filter(from_applicant=True).count() == 1

    # The coordinator finds the answer from the intake queue.
    desk.goto(reverse("members:intake_queue"))
    expect(desk.get_by_role("heading", name="Answers after a decline")).to_be_visible()
    desk.get_by_role("link", name="Zeester").first.click()
    expect(desk.get_by_role("main")).to_contain_text("Mag ik het later opnieuw vragen?")
    check_accessibility(desk)


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_pages_of_the_hard_moments_pass_axe_and_fit_a_phone(browser, live_server, language):
    context = browser.new_context(base_url=live_server.url, locale=language, viewport=PHONE)
    page = context.new_page()

    def visit(url, status=200):
        response = page.goto(url)
        assert response.status == status, url
        check_accessibility(page)
        fits_the_phone(page)

    coordinator = CoordinatorFactory(language=language)
    group = GroupFactory()
    facilitator = facilitator_of(group, user__language=language)
    participant = member_of(group, user__language=language)
    applicant = ApplicantFactory(user__language=language)
    declined = ApplicantFactory(user__language=language)
    members.decline_application(coordinator, declined, message="Het spijt ons.")
    to_group = groups.ask_for_support(participant, group, "Het is zwaar.")
    to_coordinator = groups.ask_for_support(participant, None, "")

    visit(reverse("members:farewell"))

    sign_in_as(context, declined.user, live_server)
    visit(reverse("members:status"))

    sign_in_as(context, participant.user, live_server)
    visit(reverse("members:pause"))
    visit(reverse("groups:ask_for_support"))

    sign_in_as(context, coordinator, live_server)
    visit(reverse("members:decline", args=[applicant.code]))
    visit(reverse("members:hold", args=[applicant.code]))
    visit(reverse("members:intake_queue"))
    visit(reverse("groups:remove_from_group", args=[group.code, participant.code]))
    visit(reverse("groups:support_request", args=[to_coordinator.code]))

    sign_in_as(context, facilitator.user, live_server)
    visit(reverse("groups:roster", args=[group.code]))
    visit(reverse("groups:support_request", args=[to_group.code]))

    members.pause_membership(participant)
    sign_in_as(context, participant.user, live_server)
    visit(reverse("members:status"))
    visit(reverse("groups:group", args=[group.code]), status=404)
    resume = reverse("members:resume")
    expect(page.locator(f"main form[action='{resume}'] button")).to_be_visible()
    context.close()
