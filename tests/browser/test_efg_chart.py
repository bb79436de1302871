"""The dashboard's EFG chart with partial realisations, as a reader sees it in Chromium."""

from django.urls import reverse
from playwright.sync_api import expect

from sustainability.models import EnergyLabelFigure
from tests.browser.helpers import login_as
from tests.factories import party


def test_the_efg_chart_compares_like_with_like_and_says_how_complete_it_is(page, kernteamlid):
    for year, realised in ((2024, 590), (2025, 541), (2026, 468)):
        EnergyLabelFigure.objects.filter(
            jaarschijf__year=2024, corporation=party("Weller"), year=year
        ).update(realised=realised)

    login_as(page, kernteamlid)
    page.goto(reverse("overview:dashboard"))  # a writer lands on Mijn werk
    section = page.locator("section", has=page.get_by_role("heading", name="EFG-labels"))

    chart = section.locator("svg.heerlen-chart__svg").first
    expect(chart).to_be_visible()
    # The legend names the stand, the target, the target of the same corporations and the
    # realisation; under each year the chart says how many corporations a column covers.
    for words in (
        "Stand op peildatum (gemeten)",
        "Doel van dezelfde corporaties",
        "Gerealiseerd",
        "stand 5 van 5",
        "doel 4 van 5",
        "gemeld 1 van 5",
    ):
        expect(chart).to_contain_text(words)
    assert chart.bounding_box()["height"] > 100

    comparison = section.locator(
        "table", has=page.locator("caption", has_text="Gemelde realisatie")
    )
    expect(comparison).to_be_visible()
    row = comparison.locator("tbody tr", has=page.locator("th", has_text="2025"))
    expect(row).to_contain_text("1 van 5 corporaties")
    expect(row).to_contain_text("Weller: 541 / 352")
    expect(row.locator("td").nth(2)).to_have_text("352")  # Weller's own target, not 3.063

    totals = section.locator("tfoot tr").first
    expect(totals).to_contain_text("1.581")
    expect(totals).to_contain_text("4 van 5 bekend")
    expect(totals).to_contain_text("1 van 5 gemeld")

    # One small chart per corporation, beside each other on a wide screen.
    multiples = section.locator(".heerlen-small-multiple")
    expect(multiples).to_have_count(5)
    first, second = multiples.nth(0).bounding_box(), multiples.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 5 and second["x"] > first["x"]


def test_the_headline_cards_say_their_completeness_in_words(page, kernteamlid):
    login_as(page, kernteamlid)
    page.goto(reverse("overview:dashboard"))
    cards = page.locator("section", has=page.get_by_role("heading", name="Kerncijfers"))

    efg = cards.locator("li", has_text="Te verbeteren energielabels")
    expect(efg.locator(".heerlen-card__figure")).to_have_text("1.581")  # no asterisk
    completeness = efg.get_by_text("Onvolledig: 4 van 5 corporaties bekend")
    expect(completeness).to_be_visible()
    expect(completeness).to_contain_text("het werkelijke aantal kan hoger zijn")

    sale = cards.locator("li", has_text="Woningen verkoop")
    expect(sale.get_by_text("Volledig: 5 van 5 projecten bekend")).to_be_visible()
    expect(sale).to_contain_text("1 aantal bij benadering (circa)")
    expect(cards).not_to_contain_text("*")
