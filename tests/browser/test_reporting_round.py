"""A reporting round from opening to report, in a real browser, by the kernteam and Weller."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from agreements.models import IndicatorValue
from cycle.models import ReportingRound
from tests.browser.helpers import TIMEOUT_MS, assert_accessible, login_as
from tests.factories import pdf_bytes

SHARE = "Aandeel taakstelling vergunninghouders (verdeling naar rato bezit)"
DELIVERABLE = "Cijfers vastgoedvoorraad en ontwikkeling (6.5)"


def weller_row(page):
    return page.locator("tr[data-party='weller'] td")


def test_kernteam_opens_a_round_weller_reports_on_mijn_werk_and_the_closed_report_stays(
    page, browser, app, kernteamlid, weller_medewerker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The kernteam composes and opens the round.
    login_as(page, kernteamlid)
    page.goto(reverse("cycle:round-new") + "?jaar=2024")
    main = page.locator("main")
    main.get_by_label("Naam").fill("Voortgangsrapportage 1e halfjaar 2024")
    main.get_by_label("Periode van").fill("01-01-2024")
    main.get_by_label("Periode tot en met").fill("30-06-2024")
    main.get_by_label("Uiterste aanleverdatum").fill("15-07-2024")
    main.get_by_label(re.compile(f"4.5 {re.escape(SHARE)}")).check()
    main.get_by_label("Aan te leveren stuk of cijfers").fill(DELIVERABLE)
    main.get_by_label("Aan te leveren door").select_option(label="Woningcorporaties")
    main.get_by_role("button", name="Ronde openen").click()
    # 15-07-2024 has passed: asked, at the field, before the round opens.
    expect(main.locator(".heerlen-error-summary")).to_contain_text("Deze datum is al voorbij")
    main.get_by_label("Toch openen met een verstreken aanleverdatum").check()
    main.get_by_role("button", name="Ronde openen").click()
    expect(main).to_contain_text("is geopend")
    assert_accessible(page, "rapportageronde open")
    before = weller_row(page).inner_text()
    match = re.fullmatch(r"0 van (\d+) aangeleverd", before)
    assert match, before
    asked = int(match[1])
    round_url = page.url

    # Weller finds its items on Mijn werk (its start page) and reports on two of them.
    weller_context = browser.new_context(base_url=app.url, locale="nl-NL")
    weller_context.set_default_timeout(TIMEOUT_MS)
    weller = weller_context.new_page()
    login_as(weller, weller_medewerker)
    expect(weller.get_by_role("heading", level=1)).to_have_text("Mijn werk")
    items = weller.locator("#ronde-onderdelen")
    expect(items).to_contain_text(DELIVERABLE)
    assert_accessible(weller, "mijn werk")

    items.get_by_role("link", name=DELIVERABLE).click()
    weller.locator("main").get_by_label("Cijfers of toelichting").fill(
        "Voorraad 14.012 vhe; ontwikkeling per thema in de Woonatlas"
    )
    weller.locator("main").get_by_label("Bestand", exact=True).set_input_files(
        files=[{"name": "voorraad 2024.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    weller.get_by_role("button", name="Aanleveren").click()
    expect(weller.locator("main")).to_contain_text("is aangeleverd")
    expect(weller.locator("#ronde-onderdelen")).not_to_contain_text(DELIVERABLE)

    weller.locator("#ronde-onderdelen").get_by_role("link", name=f"{SHARE} 2024").click()
    weller.locator("main").get_by_label("Realisatie", exact=True).fill("31")
    weller.get_by_role("button", name="Realisatie opslaan").click()
    expect(weller.locator("main")).to_contain_text("is opgeslagen")

    # The kernteam's overview moves from 0 to 2 of the same number.
    page.goto(round_url)
    expect(weller_row(page)).to_have_text(f"2 van {asked} aangeleverd")

    # The round is closed, after a confirmation: its report is frozen.
    page.get_by_role("button", name="Ronde sluiten en rapport vastleggen").click()
    expect(page.locator(".heerlen-error-summary")).to_be_focused()
    expect(page.locator(".heerlen-error-summary")).to_contain_text("Vink aan dat u de ronde sluit")
    page.get_by_label("Ik wil deze ronde sluiten").check()
    page.get_by_role("button", name="Ronde sluiten en rapport vastleggen").click()
    expect(page.locator("main")).to_contain_text("het rapport ligt vast")
    report = page.locator("#partij-weller").inner_text()
    assert "31" in report and "bestand: voorraad 2024.pdf" in report
    with page.expect_download() as download:
        page.locator("#partij-weller").get_by_role("link", name="Bestand downloaden").click()
    assert download.value.suggested_filename == "voorraad 2024.pdf"

    # A later edit changes the live pages but not the round's report.
    value = IndicatorValue.objects.get(indicator__name=SHARE, party__name="Weller")
    weller.goto(reverse("agreements:indicator-realisation", args=[value.pk]))
    weller.locator("main").get_by_label("Realisatie", exact=True).fill("35")
    weller.get_by_role("button", name="Realisatie opslaan").click()
    expect(weller.locator("main")).to_contain_text("is opgeslagen")
    expect(weller.locator("#kengetallen")).to_contain_text("35")

    page.goto(round_url)
    expect(weller_row(page)).to_have_text(f"2 van {asked} aangeleverd")
    assert page.locator("#partij-weller").inner_text() == report
    assert ReportingRound.objects.get().snapshot is not None
    weller_context.close()
