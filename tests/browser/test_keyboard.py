"""The update flow with the keyboard only: Tab to move, Enter to follow or submit, typing to
fill in. Every element that receives focus on the way must show where the focus is."""

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from agreements.models import ProgressUpdate
from tests.factories import PASSWORD, action

MAX_TABS = 150

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== "none";
    return {
        tag: el.tagName.toLowerCase(),
        type: el.type || "",
        name: el.getAttribute("name") || "",
        label: (el.labels && el.labels[0] ? el.labels[0].innerText : "").trim(),
        text: (el.innerText || el.value || "").trim().slice(0, 60),
        visible_focus: outline || shadow,
    };
}"""


def tab_to(page: Page, matches, what: str) -> dict:
    """Press Tab until ``matches(focused)``; every stop on the way must show its focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        assert focused["visible_focus"], f"geen zichtbare focus op {focused} (op weg naar {what})"
        if matches(focused):
            return focused
    raise AssertionError(f"{what} niet bereikt met {MAX_TABS} keer Tab")


def test_updating_an_action_with_the_keyboard_only(page, weller_medewerker):
    target = action("1.8")
    count = ProgressUpdate.objects.filter(action=target).count()

    page.goto(reverse("accounts:login"))
    tab_to(page, lambda f: f["name"] == "username", "gebruikersnaam")
    page.keyboard.type("weller")
    tab_to(page, lambda f: f["name"] == "password", "wachtwoord")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("header")).to_contain_text("Ingelogd als")

    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Afspraken", "menu Afspraken")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Afspraken")

    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == target.number, "afspraak 1.8")
    page.keyboard.press("Enter")
    expect(page).to_have_url(page.url.split("/afspraken/")[0] + target.get_absolute_url())

    tab_to(page, lambda f: f["name"] == "status", "status")
    page.keyboard.type("Vertraagd")  # a closed select picks the option by typing its name
    tab_to(page, lambda f: f["name"] == "percent_done", "percentage")
    page.keyboard.press("Control+A")
    page.keyboard.type("55")
    tab_to(page, lambda f: f["name"] == "explanation", "toelichting")
    page.keyboard.type("Vergunning vertraagd; oplevering schuift naar het vierde kwartaal.")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Voortgang opslaan", "opslaan")
    page.keyboard.press("Enter")

    expect(page.locator("main")).to_contain_text(
        f"De voortgang van afspraak {target.number} is opgeslagen."
    )
    assert ProgressUpdate.objects.filter(action=target).count() == count + 1
    latest = ProgressUpdate.objects.filter(action=target).latest("created_at")
    assert (latest.status, latest.percent_done) == ("vertraagd", 55)


def test_the_skip_link_is_the_first_stop_and_jumps_to_the_content(page):
    # Not the login page: there the username field has the focus from the start.
    page.goto(reverse("accounts:accessibility"))
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["text"] == "Direct naar de inhoud" and focused["visible_focus"]
    expect(page.get_by_role("link", name="Direct naar de inhoud")).to_be_visible()
    page.keyboard.press("Enter")
    # The jump is a navigation: wait for it (reading page.url at once raced it, in CI once).
    expect(page).to_have_url(re.compile(r"#main$"))
