"""axe-core on every kind of page: WCAG 2.1 A and AA, zero violations.

Each test walks the pages one persona sees, forms with and without errors included, and
reports every violation of every page at once.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from agreements.models import IndicatorValue, Jaarschijf, Party, Theme
from projects.models import Project
from sustainability.models import EnergyLabelFigure
from tests.browser.conftest import axe_violations, login_as
from tests.conftest import action
from tests.helpers_evaluation import column_of, edit, export_bytes, find_row, set_text


class Audit:
    def __init__(self, page: Page):
        self.page = page
        self.problems: list[str] = []
        self.pages = 0

    def check(self, what: str, url: str | None = None) -> None:
        if url is not None:
            response = self.page.goto(url)
            assert response.status < 500, f"{what}: {response.status}"
        self.pages += 1
        for violation in axe_violations(self.page):
            nodes = "\n      ".join(violation["nodes"][:4])
            self.problems.append(
                f"{what} ({self.page.url}): {violation['id']} ({violation['impact']}) "
                f"{violation['help']}\n      {nodes}"
            )

    def submit(self, button: str, refused: bool = True) -> None:
        """Press the button; by default the form must come back with its errors shown."""
        self.page.locator("main").get_by_role("button", name=button).first.click()
        self.page.wait_for_load_state()
        if refused:
            expect(self.page.locator("main [role=alert]").first).to_be_visible()

    def assert_clean(self) -> None:
        assert not self.problems, (
            f"{len(self.problems)} WCAG 2.1 A/AA-overtredingen op {self.pages} pagina's:\n"
            + "\n".join(self.problems)
        )


@pytest.fixture
def audit(page):
    return Audit(page)


def read_only_pages(audit: Audit) -> None:
    """The pages everybody who may read sees, lists with filters applied."""
    theme = Theme.objects.filter(jaarschijf__year=2024).order_by("number").first()
    corporation = Party.objects.filter(kind="corporatie").order_by("name").first()
    project = Project.objects.filter(jaarschijf__year=2024).order_by("pk").first()
    audit.check("dashboard", reverse("overview:dashboard"))
    audit.check("afspraken", reverse("overview:action-list"))
    audit.check(
        "afspraken met filters",
        reverse("overview:action-list")
        + f"?status=vertraagd&theme={theme.pk}&party={corporation.slug}&q=woning",
    )
    audit.check("afspraken, aandacht nodig", reverse("overview:action-list") + "?attention=on")
    audit.check("afspraken, ongeldig filter", reverse("overview:action-list") + "?stale_days=abc")
    audit.check("afspraak", action("1.8").get_absolute_url())
    audit.check("projecten", reverse("overview:project-list"))
    audit.check(
        "projecten met filters",
        reverse("overview:project-list") + f"?corporation={corporation.slug}&status=gepland&q=a",
    )
    audit.check("project", project.get_absolute_url())
    audit.check("partijen", reverse("overview:party-list"))
    audit.check("partij (corporatie)", reverse("overview:party-detail", args=[corporation.slug]))
    audit.check("duurzaamheid", reverse("overview:sustainability"))


def test_login_and_public_pages_have_no_violations(audit, page):
    audit.check("inloggen", reverse("accounts:login"))
    audit.submit("Inloggen")
    audit.check("inloggen, leeg verstuurd")
    page.locator("main").get_by_label("Gebruikersnaam").fill("iemand")
    page.locator("main").get_by_label("Wachtwoord").fill("fout")
    audit.submit("Inloggen")
    audit.check("inloggen, verkeerd wachtwoord")
    audit.check("toegankelijkheidsverklaring", reverse("accounts:accessibility"))
    page.expect_error_status("/bestaat-niet/")
    audit.check("pagina niet gevonden", "/bestaat-niet/")
    audit.assert_clean()


def test_public_dashboard_pages_have_no_violations(audit, settings):
    settings.PUBLIC_DASHBOARD = True
    read_only_pages(audit)
    audit.assert_clean()


def test_tenant_organisation_pages_have_no_violations(audit, page, huurder):
    login_as(page, huurder)
    read_only_pages(audit)
    page.expect_error_status(reverse("evaluation:jaarschijf-next", args=[2024]))
    audit.check("geen toegang", reverse("evaluation:jaarschijf-next", args=[2024]))
    audit.assert_clean()


def test_kernteam_pages_and_forms_have_no_violations(audit, page, kernteamlid):
    login_as(page, kernteamlid)
    read_only_pages(audit)

    # The action page with both forms, then each form refused.
    target = action("1.8").get_absolute_url()
    audit.check("afspraak met formulieren", target)
    audit.page.locator("main").get_by_label("Percentage gereed").fill("200")
    audit.submit("Voortgang opslaan")
    audit.check("voortgang met fouten")
    audit.page.goto(target)
    audit.submit("Evaluatie opslaan")
    audit.check("evaluatie met fouten")

    project = Project.objects.filter(jaarschijf__year=2024).order_by("pk").first()
    audit.check("project met formulier", project.get_absolute_url())
    page.locator("main").get_by_label("Verwachte oplevering: jaar").fill("1800")
    audit.submit("Project opslaan")
    audit.check("project met fouten")

    value = IndicatorValue.objects.filter(indicator__jaarschijf__year=2024).order_by("pk").first()
    audit.check("realisatie kengetal", reverse("agreements:indicator-realisation", args=[value.pk]))
    page.locator("main").get_by_label("Realisatie", exact=True).fill("veel")
    audit.submit("Realisatie opslaan")
    audit.check("realisatie kengetal met fouten")

    figure = EnergyLabelFigure.objects.order_by("pk").first()
    audit.check("EFG-labels overzicht", reverse("sustainability:labelfigure-entry-index"))
    audit.check(
        "EFG-labels invullen",
        reverse("sustainability:labelfigure-entry", args=[figure.corporation.slug]),
    )
    page.locator("main input[name$='-realised']").first.fill("-5")
    audit.submit("Realisatie opslaan")
    audit.check("EFG-labels met fouten")

    audit.check("wachtwoord wijzigen", reverse("accounts:password_change"))
    audit.submit("Wachtwoord wijzigen")
    audit.check("wachtwoord wijzigen met fouten")

    audit.check("jaarschijf beheren", reverse("evaluation:jaarschijf-manage", args=[2024]))
    audit.check("nieuwe jaarschijf", reverse("evaluation:jaarschijf-next", args=[2024]))
    page.locator("main").get_by_label("Titel van de nieuwe jaarschijf").fill("")
    audit.submit("Jaarschijf 2025 aanmaken")
    audit.check("nieuwe jaarschijf met fouten")
    audit.check("jaarschijven vergelijken", reverse("evaluation:compare-years"))
    audit.assert_clean()


def test_import_pages_have_no_violations(audit, page, kernteamlid, tmp_path):
    login_as(page, kernteamlid)
    audit.check("importeren", reverse("evaluation:evaluation-import", args=[2024]))

    junk = tmp_path / "geen-werkmap.xlsx"
    junk.write_bytes(b"dit is geen werkmap")
    page.locator("main input[type=file]").set_input_files(str(junk))
    audit.submit("Werkmap controleren")
    audit.check("importeren met fouten")

    def change_a_project(workbook):
        sheet = workbook["Projecten"]
        name = sheet.cell(2, column_of(sheet, "Project")).value
        row = find_row(sheet, Project=name)
        set_text(sheet.cell(row, column_of(sheet, "Toelichting")), "Gewijzigd via import.")

    workbook = tmp_path / "werkmap.xlsx"
    workbook.write_bytes(edit(export_bytes(Jaarschijf.objects.get(year=2024)), change_a_project))
    page.goto(reverse("evaluation:evaluation-import", args=[2024]))
    page.locator("main input[type=file]").set_input_files(str(workbook))
    audit.submit("Werkmap controleren", refused=False)
    assert "/voorbeeld/" in page.url, page.url
    audit.check("voorbeeld van de import")
    audit.assert_clean()
