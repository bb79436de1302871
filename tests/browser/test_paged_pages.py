"""The paginated pages in a real browser: they page without JavaScript and pass axe."""

from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, login_as
from tests.factories import action, make_progress_update


def add_steps(user, count=23):
    subject = action("2.5")
    for index in range(1, count + 1):
        make_progress_update(subject, user, percent_done=index, explanation=f"Stap {index}.")
    return subject


def test_without_javascript_a_writer_pages_back_through_the_updates_and_the_years(
    browser, app, weller_medewerker
):
    subject = add_steps(weller_medewerker)
    call_command("generate_data", scale=6, verbosity=0)
    context = browser.new_context(base_url=app.url, locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    try:
        login_as(page, weller_medewerker)
        page.goto(subject.get_absolute_url())
        updates = page.get_by_role("navigation", name="Paginering updates")
        expect(page.locator("#updates")).to_contain_text("23, nieuwste eerst")
        expect(page.locator("main")).to_contain_text("Stap 23.")
        updates.get_by_role("link", name="Volgende").click()
        expect(page).to_have_url(f"{app.url}{subject.get_absolute_url()}?pagina=2#updates")
        expect(page.locator("main")).to_contain_text("Stap 13.")
        expect(page.locator("main")).not_to_contain_text("Stap 23.")
        expect(page.get_by_role("navigation", name="Paginering updates")).to_contain_text(
            "Pagina 2 van 3"
        )

        page.goto(reverse("evaluation:compare-years"))
        expect(page.locator("main")).to_contain_text("Jaarschijf 2096 tot en met 2100")
        years = page.get_by_role("navigation", name="Paginering jaarschijven")
        years.get_by_role("link", name="Eerdere jaarschijven").click()
        expect(page.locator("main")).to_contain_text("Jaarschijf 2024 tot en met 2095")

        page.get_by_role("link", name="Alle jaarschijven").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Alle jaarschijven")
        page.get_by_role("link", name="2097", exact=True).click()
        expect(page.locator("#jaarschijf-keuze")).to_have_value("2097")
    finally:
        context.close()


def test_the_paginated_action_page_and_the_list_of_jaarschijven_pass_axe(page, weller_medewerker):
    subject = add_steps(weller_medewerker, count=12)
    login_as(page, weller_medewerker)

    page.goto(subject.get_absolute_url())
    assert_accessible(page, "afspraakpagina met gepagineerde updates")
    page.goto(reverse("overview:jaarschijf-list"))
    assert_accessible(page, "alle jaarschijven")
