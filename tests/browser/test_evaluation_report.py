"""The evaluation as the parties' joint decision, and its report, in a real browser."""

import io
import re

from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from agreements.models import Jaarschijf
from tests.browser.helpers import assert_accessible, login_as
from tests.factories import decide_all_but, pdf_bytes

EVALUATION = reverse("evaluation:evaluation-overview", args=[2024])


def switch_to(page: Page, user) -> None:
    page.context.clear_cookies()
    login_as(page, user)
    page.goto(EVALUATION)


def approve(page: Page, user, *, function: str = "") -> None:
    """The user's party decides akkoord as the signatory the form proposes; ``function``
    where the document names none for that signatory (the form then proposes none)."""
    switch_to(page, user)
    form = page.locator("form", has=page.get_by_role("button", name="Besluit vastleggen"))
    form.get_by_label("Akkoord", exact=True).check()
    expect(form.get_by_label("Naam van wie namens de partij besluit")).not_to_have_value("")
    if function:
        field = form.get_by_label("Functie waarin hij of zij ondertekent")
        expect(field).to_have_value("")
        field.fill(function)
    form.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.locator(".utrecht-alert, [role=status]").first).to_contain_text(
        f"Het besluit van {user.party.label} is vastgelegd: akkoord."
    )


def test_the_kernteam_completes_the_parties_approve_a_tenant_view_is_given_and_all_is_reported(
    page,
    jaarschijf,
    kernteamlid,
    weller_medewerker,
    gemeente_medewerker,
    huurder,
    woonpunt_medewerker,
):
    login_as(page, kernteamlid)
    page.goto(EVALUATION)
    expect(page.locator("#beoordeeld")).to_contain_text("0 van de 67 afspraken beoordeeld")
    page.get_by_label("Toch compleet verklaren, met 67 afspraken zonder oordeel").check()
    page.get_by_role("button", name="Evaluatie compleet verklaren").click()
    expect(page.locator("main")).to_contain_text("De evaluatie is compleet verklaard.")
    expect(page.locator("main")).to_contain_text("0 van de 11 ondertekenende partijen")

    approve(page, weller_medewerker)
    approve(page, gemeente_medewerker)
    approve(page, huurder, function="Voorzitter")
    expect(page.locator("main")).to_contain_text("3 van de 11 ondertekenende partijen")

    page.get_by_role("link", name="Zienswijze van Weller - huurdersvereniging(en)").click()
    page.get_by_role("textbox", name=re.compile(r"^Zienswijze")).fill(
        "De huurders zijn positief over de renovaties.\nDe communicatie kan beter."
    )
    page.get_by_label(re.compile(r"^Bijlage \(PDF")).set_input_files(
        files=[
            {"name": "zienswijze-weller.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
        ]
    )
    page.get_by_role("button", name="Zienswijze opslaan").click()
    expect(page.locator("main")).to_contain_text("is opgeslagen")
    expect(page.locator("main")).to_contain_text("De huurders zijn positief over de renovaties.")
    with page.expect_download() as download:
        page.get_by_role("link", name="zienswijze-weller.pdf (PDF)").click()
    assert open(download.value.path(), "rb").read().startswith(b"%PDF-")

    # The remaining signing parties but one, through the service to keep the test short.
    decide_all_but(
        jaarschijf, "Weller", "Gemeente Heerlen", "Weller - huurdersvereniging(en)", "Woonpunt"
    )
    page.goto(reverse("evaluation:evaluation-report", args=[2024]))
    main = page.locator("main")
    expect(main).to_contain_text("10 van de 11 ondertekenende partijen hebben besloten")
    expect(main).to_contain_text("Dhr. B. Braeken, Bestuurder")
    expect(main).to_contain_text("Dhr. C. Gelderblom, Wethouder")
    expect(main).to_contain_text("Mevr. R. Brentjes, Voorzitter")
    expect(main).to_contain_text("De huurders zijn positief over de renovaties.")
    expect(main).to_contain_text("Oordeel van het kernteam over de 67 afspraken")
    assert_accessible(page, "het evaluatierapport")

    approve(page, woonpunt_medewerker)  # the last party
    expect(page.locator("main")).to_contain_text(
        "jaarschijf 2024 is nu geëvalueerd en alleen-lezen"
    )
    assert Jaarschijf.objects.get(year=2024).status == "geevalueerd"
    expect(page.get_by_role("button", name="Besluit vastleggen")).to_have_count(0)

    switch_to(page, kernteamlid)
    page.goto(reverse("agreements:action-detail", args=[2024, "1.8"]))
    expect(page.get_by_role("button", name="Voortgang opslaan")).to_have_count(0)
    page.goto(reverse("overview:dashboard"))
    expect(page.locator("main")).to_contain_text("Alle 11 ondertekenende partijen zijn akkoord.")
    expect(page.locator("main")).to_contain_text("De communicatie kan beter.")


def test_the_printed_report_fits_a4_without_a_table_cut_off(page, kernteamlid):
    login_as(page, kernteamlid)
    # A4 is 210 mm wide; the report prints with 14 mm margins: 182 mm of paper at 96 dpi.
    width = round(182 / 25.4 * 96)
    page.set_viewport_size({"width": width, "height": 1100})
    page.emulate_media(media="print")
    page.goto(reverse("evaluation:evaluation-report", args=[2024]))

    tables = page.evaluate(
        """() => [...document.querySelectorAll('main table')].map(t => ({
            caption: (t.caption && t.caption.innerText) || '',
            right: t.getBoundingClientRect().right,
            scroll: t.scrollWidth, client: t.clientWidth,
            cells: [...t.querySelectorAll('th, td')].filter(c => c.scrollWidth > c.clientWidth + 1)
                .map(c => c.innerText.slice(0, 40) + ' ' + c.scrollWidth + '>' + c.clientWidth),
        }))"""
    )
    page_width = page.evaluate("() => document.documentElement.clientWidth")
    assert len(tables) >= 10
    too_wide = [t for t in tables if t["right"] > page_width + 0.5 or t["scroll"] > t["client"] + 1]
    assert not too_wide, too_wide
    clipped = [cell for t in tables for cell in t["cells"]]
    assert not clipped, clipped

    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0]
    assert round(float(first.mediabox.width)) == 595  # A4: 210 mm in points
    text = re.sub(r"\s+", " ", reader.pages[1].extract_text())
    assert "Pagina 2 van" in text and "Afgedrukt op" in text


def test_the_evaluation_page_and_its_forms_are_accessible_also_when_refused(
    page, jaarschijf, kernteamlid, huurder
):
    from evaluation.vaststelling import complete_evaluation

    complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)
    login_as(page, huurder)
    page.goto(EVALUATION)
    assert_accessible(page, "evaluatie en vaststelling met besluitformulier")

    form = page.locator("form", has=page.get_by_role("button", name="Besluit vastleggen"))
    form.get_by_label("Niet akkoord", exact=True).check()
    page.expect_error_status(reverse("evaluation:evaluation-decision", args=[2024]))
    form.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.locator("main")).to_contain_text(
        "Geef de reden waarom uw partij niet akkoord gaat."
    )
    assert_accessible(page, "besluit met fouten")

    page.goto(reverse("evaluation:evaluation-tenant-view", args=[2024]))
    assert_accessible(page, "zienswijze geven")
    page.expect_error_status(reverse("evaluation:evaluation-tenant-view", args=[2024]))
    page.get_by_role("button", name="Zienswijze opslaan").click()
    expect(page.locator("main")).to_contain_text("Schrijf de zienswijze van uw organisatie.")
    assert_accessible(page, "zienswijze met fouten")


def test_on_a_phone_the_reports_chart_fits_and_with_large_text_scrolls_in_a_region_the_keyboard_reaches(
    page, kernteamlid
):
    """On a phone the chart of verdicts per theme takes its narrow layout (labels above the
    bars) and fits; with text at 200 % even that is wider than the phone: it scrolls inside
    its own region, which the keyboard can reach and a screen reader names (axe: no
    violations)."""
    login_as(page, kernteamlid)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(reverse("evaluation:evaluation-report", args=[2024]))
    chart = page.get_by_role("region", name="Grafiek oordeel van het kernteam per thema")
    assert chart.evaluate("c => c.scrollWidth <= c.clientWidth")
    expect(chart.locator(".heerlen-chart__narrow svg")).to_be_visible()
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    assert chart.evaluate("c => c.scrollWidth > c.clientWidth")  # it does scroll here
    chart.focus()
    expect(chart).to_be_focused()
    assert_accessible(page, "het evaluatierapport op een telefoon")
