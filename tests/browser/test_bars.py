"""Bars are the browser's own <progress> and <meter>, styled with our tokens, and pass axe.

The figure beside a bar is what is read (the bar is aria-hidden); the bar itself must still show
the same share, so its filled part is measured against its track.
"""

from io import BytesIO

from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, login_as
from tests.factories import action, make_progress_update

#: The sum of R, G and B below which a pixel belongs to the fill rather than the track.
PAINTED_BELOW = 650


def filled_share(page, bar) -> float:
    """The share of the bar's track that is painted in the fill colour (0..1), from a
    screenshot of the bar: the browser's own drawing, not the markup."""
    image = Image.open(BytesIO(bar.screenshot())).convert("RGB")
    width, height = image.size
    row = [image.getpixel((x, height // 2)) for x in range(2, width - 2)]
    # The track is near white (the tokens' default background); every fill is darker.
    painted = sum(1 for pixel in row if sum(pixel) < PAINTED_BELOW)
    return painted / len(row)


def test_the_action_page_shows_progress_as_a_native_bar_filled_to_the_percentage(page, kernteamlid):
    target = action("1.8")
    make_progress_update(
        target, kernteamlid, status="vertraagd", percent_done=40, explanation="Wacht op de raad."
    )
    login_as(page, kernteamlid)
    page.goto(target.get_absolute_url())

    bar = page.locator("progress.heerlen-bar__track").first
    expect(bar).to_have_attribute("value", "40")
    expect(bar).to_have_attribute("max", "100")
    expect(page.locator(".heerlen-bar__label").first).to_have_text("40 %")
    assert abs(filled_share(page, bar) - 0.40) < 0.03
    assert page.locator("[class*='heerlen-w-']").count() == 0
    assert axe_violations(page) == []


def test_the_styleguide_draws_shares_as_meters_and_passes_axe(page, kernteamlid):
    login_as(page, kernteamlid)
    page.goto(reverse("styleguide"))

    meters = page.locator(".heerlen-chart-table meter.heerlen-bar__track")
    assert meters.count() >= 2
    total = meters.last
    expect(total).to_have_attribute("value", "100")
    assert filled_share(page, total) > 0.97
    assert page.locator("[class*='heerlen-w-']").count() == 0
    assert axe_violations(page) == []
