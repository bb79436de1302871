"""Helpers of the browser tests: log in through the form, check a page with axe-core."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

#: How long a browser step may wait before the test fails (ms).
TIMEOUT_MS = 15_000

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_CANDIDATES = [
    os.environ.get("AXE_CORE_JS", ""),
    str(settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"),
    str(settings.BASE_DIR / "static" / "vendor" / "axe-core" / "axe.min.js"),
]


def axe_core_path() -> Path:
    for candidate in AXE_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    pytest.fail(
        "axe-core ontbreekt: verwacht node_modules/axe-core/axe.min.js "
        "(npm-pakket axe-core, geïnstalleerd door scripts/build-assets.sh)"
    )


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
