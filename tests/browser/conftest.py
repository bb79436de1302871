"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

They never skip: without Chromium or axe-core they fail, so CI cannot pass them silently.
The live server needs committed data, so every test runs with transactional_db (implied by
``live_server``) and gets the signed jaarschijf back through the ``jaarschijf`` fixture.

The pages keep their strict Content Security Policy here: a script or style the policy
blocks shows up as a console error, and the ``page`` fixture fails the test on it.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect, sync_playwright

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_CANDIDATES = [
    os.environ.get("AXE_CORE_JS", ""),
    str(settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"),
    str(settings.BASE_DIR / "static" / "vendor" / "axe-core" / "axe.min.js"),
]
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def axe_core_path() -> Path:
    for candidate in AXE_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    pytest.fail(
        "axe-core ontbreekt: verwacht node_modules/axe-core/axe.min.js "
        "(npm-pakket axe-core, geïnstalleerd door scripts/build-assets.sh)"
    )


@pytest.fixture(scope="session")
def _playwright():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium ontbreekt op {CHROMIUM}: installeer het Debian-pakket chromium")
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def app(live_server, jaarschijf, settings):
    """The live server with the signed jaarschijf and password-only login for the test."""
    settings.OTP_REQUIRED = False
    return live_server


@pytest.fixture
def page(browser, app):
    """A fresh browser tab on the live server; fails the test on console errors.

    Console errors include Content Security Policy violations (an inline style or script
    that slipped in) and JavaScript errors; a 404 for a missing asset shows up here too.
    """
    context = browser.new_context(
        base_url=app.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    problems = []
    allowed = set()

    def on_console(message):
        if message.type != "error":
            return
        location = (message.location or {}).get("url", "")
        # A page the test opens on purpose to see its 403 or 404 logs its status too.
        if message.text.startswith("Failed to load resource") and any(
            location.endswith(path) for path in allowed
        ):
            return
        problems.append(f"console {message.type}: {message.text} ({location})")

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.console_problems = problems
    tab.expect_error_status = allowed.add
    yield tab
    context.close()
    assert not problems, "\n".join(problems)


def login_as(page: Page, user, password: str = PASSWORD) -> None:
    """Log in through the real login form, as a person would."""
    page.goto(reverse("accounts:login"))
    main = page.locator("main")
    main.get_by_label("Gebruikersnaam").fill(user.username)
    main.get_by_label("Wachtwoord").fill(password)
    main.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    expect(page.locator("header")).to_contain_text(str(user))


def axe_violations(page: Page, include: str | None = None) -> list[dict]:
    """Run axe-core on the current page for WCAG 2.1 A and AA; return the violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's own CSP stays in force.
        page.evaluate(axe_core_path().read_text(encoding="utf-8"))
    return page.evaluate(
        """async ([tags, include]) => {
            const result = await axe.run(include ? {include: [include]} : document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary),
            }));
        }""",
        [AXE_TAGS, include],
    )


def assert_accessible(page: Page, what: str = "") -> None:
    violations = axe_violations(page)
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"WCAG 2.1 A/AA-overtredingen op {what or page.url}:\n{report}"
