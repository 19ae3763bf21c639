"""The figures pages in Debian's Chromium: axe-core finds nothing, and the
Content-Security-Policy refuses nothing (a refused style or script is a
console error, which fails the test)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from echo.models import Region
from growth.models import Snapshot

from ..factories import CoordinatorFactory, UserFactory
from .conftest import check_accessibility
from .test_accessibility import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_figures_pages_pass_axe_and_the_csp(page, live_server, language):
    first = date(2025, 1, 1)
    Snapshot.objects.bulk_create(
        Snapshot(
            day=first + timedelta(days=n),
            region=region,
            active_members=10 + n // 20,
            new_members=n % 9 == 0,
            leavers=n % 31 == 0,
            applications=n % 7 == 0,
            declined=n % 40 == 0,
            withdrawn=n % 50 == 0,
            meetings_held=n % 14 == 0,
            attendance_present=6 * (n % 14 == 0),
            attendance_recorded=8 * (n % 14 == 0),
        )
        for region in Region.values
        for n in range(500)
    )
    coordinator = CoordinatorFactory(language=language)
    admin = UserFactory(is_staff=True, is_superuser=True, second_factor=True, language=language)

    for user in (coordinator, admin):
        sign_in_as(page.context, user, live_server)
        for url in [
            reverse("growth:dashboard"),
            reverse("growth:dashboard") + "?months=24&region=limburg",
            reverse("growth:report") + "?year=2025",
            reverse("growth:report") + "?year=2026",
        ]:
            response = page.goto(live_server.url + url)
            assert response.status == 200, url
            check_accessibility(page)
        page.goto(live_server.url + reverse("growth:dashboard"))
        page.locator("details.chart-numbers summary").first.click()
        assert page.locator("details.chart-numbers table").first.is_visible()
        check_accessibility(page)
        # The charts are drawn: the width comes from the stylesheet.
        box = page.locator("svg.chart-svg").first.bounding_box()
        assert box["width"] > 300
        assert box["height"] > 100
