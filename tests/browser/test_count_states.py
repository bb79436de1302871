"""Project counts that do not apply (n.v.t.) or are a floor ('+65') read as such in Chromium."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.helpers import login_as


def test_the_project_list_shows_nvt_and_a_lower_bound_in_words(page, kernteamlid):
    login_as(page, kernteamlid)
    page.goto(reverse("overview:project-list") + "?category=onderzoek")
    listing = page.locator("table", has=page.locator("caption", has_text="Projecten"))

    plot = listing.locator("tbody tr", has_text="Grondposities")
    expect(plot.locator("abbr", has_text="n.v.t.")).to_have_attribute(
        "title", "niet van toepassing"
    )
    expect(listing.locator("tfoot")).to_contain_text("(35 van 38 bekend, 1 n.v.t.)")

    page.goto(reverse("overview:dashboard"))
    categories = page.locator("table", has=page.locator("caption", has_text="per categorie"))
    expect(categories.locator("tr", has_text="Nieuwbouw")).to_contain_text("minimaal 446")
    expect(categories.locator("tr", has_text="Onderzoek")).to_contain_text(
        "1.906 (35 van 38 bekend, 1 n.v.t.)"
    )
