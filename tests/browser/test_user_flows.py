"""What the people of the kernteam do, in a real browser: update, read back, download."""

import io
import re

import openpyxl
from django.urls import reverse
from playwright.sync_api import Page, expect

from agreements.models import ProgressUpdate
from projects.models import Project
from sustainability.models import EnergyLabelFigure
from tests.browser.helpers import assert_accessible, login_as
from tests.factories import action


def progress_form(page: Page):
    return page.locator("form", has=page.get_by_role("button", name="Voortgang opslaan"))


def status_total(page: Page, status_label: str) -> int:
    """The 'Totaal' row of the dashboard's table of actions per theme and status."""
    table = page.locator("table", has=page.locator("caption", has_text="per thema en status"))
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    column = headers.index(status_label)
    cells = table.locator("tfoot tr").first.locator("th, td").all_inner_texts()
    return int(cells[column].strip().replace(".", ""))


def test_kernteamlid_posts_a_progress_update_and_sees_it_on_the_dashboard(page, kernteamlid):
    login_as(page, kernteamlid)
    page.goto(reverse("overview:dashboard"))  # a writer lands on Mijn werk
    before = status_total(page, "Vertraagd")
    target = action("2.1")

    page.goto(target.get_absolute_url())
    form = progress_form(page)
    form.get_by_label("Status").select_option(label="Vertraagd")
    form.get_by_label("Percentage gereed").fill("35")
    form.get_by_label("Toelichting").fill("Aannemer failliet; de nieuwe aanbesteding loopt.")
    form.get_by_role("button", name="Voortgang opslaan").click()
    expect(page.locator("main")).to_contain_text(
        f"De voortgang van afspraak {target.number} is opgeslagen."
    )

    page.get_by_role("link", name="Dashboard").first.click()
    assert status_total(page, "Vertraagd") == before + 1
    page.goto(reverse("overview:action-list") + "?status=vertraagd")
    expect(page.get_by_role("link", name=target.number, exact=True)).to_be_visible()


def test_weller_medewerker_updates_action_1_8_and_sees_it_in_the_timeline(page, weller_medewerker):
    login_as(page, weller_medewerker)
    target = action("1.8")
    page.goto(target.get_absolute_url())
    form = progress_form(page)
    form.get_by_label("Status").select_option(label="Op schema")
    form.get_by_label("Percentage gereed").fill("40")
    form.get_by_label("Toelichting").fill("Eerste 12 woningen opgeleverd in Hoensbroek.")
    form.get_by_role("button", name="Voortgang opslaan").click()

    timeline = page.locator("#voortgang ol.heerlen-timeline > li").first
    expect(timeline).to_contain_text("Eerste 12 woningen opgeleverd in Hoensbroek.")
    expect(timeline).to_contain_text("Medewerker Weller")
    expect(timeline).to_contain_text("40 %")
    latest = ProgressUpdate.objects.filter(action=target).latest("created_at")
    assert (latest.author, latest.percent_done) == (weller_medewerker, 40)


def test_a_refused_progress_update_shows_dutch_errors_at_the_fields_and_saves_nothing(
    page, weller_medewerker
):
    login_as(page, weller_medewerker)
    target = action("1.8")
    count = ProgressUpdate.objects.filter(action=target).count()
    page.goto(target.get_absolute_url())
    form = progress_form(page)
    form.get_by_label("Status").select_option(label="Vertraagd")
    form.get_by_label("Percentage gereed").fill("120")
    form.get_by_role("button", name="Voortgang opslaan").click()
    form = progress_form(page)
    expect(form).to_contain_text("Een percentage kan niet hoger zijn dan 100.")
    expect(form).to_contain_text("Licht toe waarom de afspraak vertraagd is")
    assert ProgressUpdate.objects.filter(action=target).count() == count
    assert_accessible(page, "voortgangsformulier met fouten")


def test_tenant_organisation_sees_no_edit_controls(page, huurder):
    login_as(page, huurder)
    expect(page.get_by_role("link", name=re.compile("^Voortgang melden"))).to_have_count(0)
    page.goto(action("1.8").get_absolute_url())
    expect(page.get_by_role("button", name="Voortgang opslaan")).to_have_count(0)
    expect(page.get_by_role("button", name="Evaluatie opslaan")).to_have_count(0)
    project = Project.objects.filter(jaarschijf__year=2024).order_by("pk").first()
    page.goto(project.get_absolute_url())
    expect(page.get_by_role("button", name="Project opslaan")).to_have_count(0)
    expect(page.locator("main form[method=post]")).to_have_count(0)


def test_a_forged_post_by_a_tenant_organisation_is_refused_and_changes_nothing(page, app, huurder):
    login_as(page, huurder)
    # A valid CSRF token, taken from the logout form on the dashboard.
    token = page.locator("form[action='/uitloggen/'] input[name=csrfmiddlewaretoken]").input_value()
    target = action("1.8")
    project = Project.objects.filter(jaarschijf__year=2024).order_by("pk").first()
    figure = EnergyLabelFigure.objects.order_by("pk").first()
    before = (
        ProgressUpdate.objects.count(),
        Project.objects.get(pk=project.pk).version,
        EnergyLabelFigure.objects.get(pk=figure.pk).version,
    )
    forged = [
        (
            reverse("agreements:action-update", args=[2024, target.number]),
            {"status": "afgerond", "percent_done": "100", "explanation": "vervalst"},
        ),
        (
            reverse("agreements:action-evaluate", args=[2024, target.number]),
            {"assessment": "behaald", "explanation": "vervalst"},
        ),
        (
            reverse("projects:project-update", args=[project.pk]),
            {"status": "opgeleverd", "version": str(project.version)},
        ),
        (
            reverse("sustainability:labelfigure-entry", args=[figure.corporation.slug]),
            {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-0-figure_id": str(figure.pk),
                "form-0-version": str(figure.version),
                "form-0-realised": "1",
            },
        ),
    ]
    for url, data in forged:
        response = page.request.post(
            app.url + url,
            form={"csrfmiddlewaretoken": token, **data},
            headers={"Referer": app.url + "/"},
            max_redirects=0,
        )
        assert response.status == 403, (url, response.status)
        assert "Geen toegang" in response.text()
    after = (
        ProgressUpdate.objects.count(),
        Project.objects.get(pk=project.pk).version,
        EnergyLabelFigure.objects.get(pk=figure.pk).version,
    )
    assert after == before


def test_the_evaluation_workbook_downloads_and_opens(page, kernteamlid):
    login_as(page, kernteamlid)
    page.goto(reverse("evaluation:jaarschijf-manage", args=[2024]))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Evaluatiewerkmap downloaden (Excel)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert {"Samenvatting", "Afspraken", "Projecten", "EFG-labels"} <= set(workbook.sheetnames)
    summary = workbook["Samenvatting"]
    assert summary["A1"].value == "Evaluatie jaarschijf 2024"


def test_public_dashboard_opens_the_read_only_pages_to_visitors(page, settings):
    settings.PUBLIC_DASHBOARD = True
    page.goto(reverse("overview:dashboard"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jaarschijf 2024")
    expect(page.locator("header")).to_contain_text("Inloggen")
    assert_accessible(page, "openbaar dashboard")
    page.goto(reverse("overview:action-list"))
    page.get_by_role("link", name="1.8", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Voortgang opslaan")).to_have_count(0)
    assert_accessible(page, "openbare afspraakpagina")


def test_without_public_dashboard_visitors_are_sent_to_the_login(page, settings):
    settings.PUBLIC_DASHBOARD = False
    page.goto(reverse("overview:dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.locator("main")).to_contain_text("Log in om deze pagina te bekijken.")


def test_kernteamlid_draws_up_2025_from_2024_in_the_browser(page, kernteamlid):
    from agreements.models import Action, Jaarschijf
    from tests.factories import make_progress_update

    make_progress_update(action("1.7"), kernteamlid, status="afgerond", percent_done=100)
    login_as(page, kernteamlid)
    page.goto(reverse("evaluation:jaarschijf-next", args=[2024]))
    main = page.locator("main")
    main.get_by_label("Titel van de nieuwe jaarschijf").fill("Samen verder")
    main.get_by_role("button", name="Jaarschijf 2025 aanmaken").click()
    expect(main).to_contain_text("2025")

    new = Jaarschijf.objects.get(year=2025)
    assert (new.status, new.title, new.previous.year) == ("concept", "Samen verder", 2024)
    carried = Action.objects.filter(jaarschijf=new)
    assert carried.count() == 66  # every action but the one that was afgerond
    assert not carried.filter(number="1.7").exists()

    page.goto(reverse("agreements:action-detail", args=[2025, "3.2"]))
    expect(main).to_contain_text("Doorgeschoven uit 2024 – 3.2")
    assert_accessible(page)
