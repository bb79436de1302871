"""The browser test harness itself: Chromium, the live server, the login helper and axe."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, axe_violations, login_as


def test_login_through_the_real_form_shows_the_user_in_the_header(page, weller_medewerker):
    login_as(page, weller_medewerker)
    expect(page.locator("header")).to_contain_text("Ingelogd als")
    assert page.url.endswith(reverse("overview:dashboard"))


def test_a_wrong_password_shows_the_dutch_message_in_the_browser(page, weller_medewerker):
    page.goto(reverse("accounts:login"))
    main = page.locator("main")
    main.get_by_label("Gebruikersnaam").fill("weller")
    main.get_by_label("Wachtwoord").fill("fout-wachtwoord")
    main.get_by_role("button", name="Inloggen").click()
    expect(main).to_contain_text("Voer een juiste gebruikersnaam en wachtwoord in")
    assert_accessible(page, "inlogformulier met fout")


def test_axe_finds_a_violation_in_a_broken_page(page):
    # Guards the harness: a check that can never fail would prove nothing.
    page.goto(reverse("accounts:login"))
    page.evaluate(
        "() => { const img = document.createElement('img'); img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';"
        " document.querySelector('main').appendChild(img); }"
    )
    ids = {violation["id"] for violation in axe_violations(page)}
    assert "image-alt" in ids


def test_login_page_has_no_accessibility_violations(page):
    page.goto(reverse("accounts:login"))
    assert_accessible(page, "inlogpagina")


def test_an_inline_style_is_blocked_by_the_csp_and_noticed(page):
    # Guards the harness: the page fixture fails a test on exactly this console error.
    page.goto(reverse("accounts:login"))
    page.evaluate(
        "() => { document.querySelector('main').insertAdjacentHTML("
        "'beforeend', '<p style=\"color: red\">x</p>'); }"
    )
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in problem for problem in page.console_problems)
    page.console_problems.clear()
