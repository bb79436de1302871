"""Printing a page: logo, print date, jaarschijf and address on paper, whole tables, figures
instead of bars, evidence addresses written out (print media emulated on an A4-wide page)."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.helpers import login_as
from tests.factories import action, make_progress_update


def printed(page, url):
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(url)
    page.emulate_media(media="print")


def test_a_printed_page_names_date_jaarschijf_and_address_and_keeps_the_logo(page, kernteamlid):
    login_as(page, kernteamlid)
    printed(page, reverse("overview:sustainability"))
    footer = page.locator(".heerlen-print-only")
    expect(footer).to_be_visible()
    expect(footer).to_contain_text("Afgedrukt op")
    expect(footer).to_contain_text("Jaarschijf 2024")
    expect(footer).to_contain_text(page.url)
    expect(page.locator(".heerlen-brand__mark")).to_be_visible()
    expect(page.locator("nav.heerlen-nav")).to_be_hidden()


def test_the_efg_table_prints_whole_up_to_2029(page, kernteamlid):
    login_as(page, kernteamlid)
    printed(page, reverse("overview:sustainability"))
    region = page.get_by_role("region", name="Tabel EFG-labels per corporatie en jaar")
    widths = region.evaluate("element => [element.scrollWidth, element.clientWidth]")
    assert widths[0] <= widths[1] + 1, widths
    last = region.get_by_role("columnheader", name="2029", exact=True).bounding_box()
    assert last["x"] + last["width"] <= 794


def test_bars_print_as_figures_and_evidence_links_with_their_address(page, kernteamlid):
    target = action("1.8")
    make_progress_update(
        target, kernteamlid, percent_done=40, evidence_url="https://www.example.nl/besluit-raad"
    )
    login_as(page, kernteamlid)
    printed(page, target.get_absolute_url())
    expect(page.locator(".heerlen-bar__track").first).to_be_hidden()
    expect(page.locator(".heerlen-bar__label").first).to_have_text("40 %")
    after = page.locator(".heerlen-evidence-link").first.evaluate(
        "element => getComputedStyle(element, '::after').content"
    )
    assert "https://www.example.nl/besluit-raad" in after
