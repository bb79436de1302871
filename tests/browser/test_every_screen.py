"""Every list and detail page at three screen sizes, as a user sees it.

Sizes:
- 1280x800, a laptop;
- 375x812, a phone;
- 1280x800 at 200 % zoom. Browser zoom halves the CSS viewport and doubles the device pixels,
  so it is emulated as a 640x400 CSS-pixel viewport with ``device_scale_factor=2``: the layout
  (media queries, wrapping, font sizes relative to the viewport) is exactly that of the zoomed
  laptop screen, and screenshots come out at 1280x800 device pixels.

On each: the page body never scrolls horizontally; in every main list the first row's status
and action link are visible within the viewport (not cut off by a scrolling table); after a
save the confirmation is in view and has the focus; after an error the error summary has the
focus and the title starts with "Fout:"; an identical update is refused; axe-core finds no
WCAG 2.1 A/AA violation.
"""

import os
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from agreements.models import IndicatorValue, Party, ProgressUpdate
from core.formats import nl_date
from cycle import services as cycle_services
from cycle.models import RoundItemKind
from evaluation import vaststelling
from projects.models import Project
from tests.browser.helpers import TIMEOUT_MS, axe_violations, login_as
from tests.factories import action, decide, make_round, party_user

SIZES = {
    "1280x800": {"viewport": {"width": 1280, "height": 800}},
    "375x812": {"viewport": {"width": 375, "height": 812}, "has_touch": True},
    "1280x800-zoom-200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}
#: Set SCREENSHOTS=/some/dir to keep a screenshot of every page at every size.
SCREENSHOTS = os.environ.get("SCREENSHOTS", "")


@pytest.fixture(params=list(SIZES))
def screen(request, browser, app):
    """A tab of the given size on the live server; fails the test on console errors."""
    context = browser.new_context(base_url=app.url, locale="nl-NL", **SIZES[request.param])
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    problems = []
    tab.on(
        "console",
        lambda message: message.type == "error" and problems.append(f"console: {message.text}"),
    )
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.size_name = request.param
    yield tab
    context.close()
    assert not problems, "\n".join(problems)


def date_stays_whole(cell) -> bool:
    """Every date in the cell is drawn on one line, also when the cell is made narrower than
    a date (as on a phone with large text): it overflows rather than breaks. The cell gets
    its own width back afterwards."""
    cell.evaluate("cell => { cell.style.width = '6ch'; cell.style.maxWidth = '6ch'; }")
    broken = cell.evaluate(BROKEN_JS, DATE)
    cell.evaluate("cell => { cell.style.width = ''; cell.style.maxWidth = ''; }")
    return (
        cell.evaluate("(cell, date) => new RegExp(date).test(cell.textContent)", DATE)
        and not broken
    )


def page_scrolls_sideways(page: Page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
        " || document.body.scrollWidth > document.documentElement.clientWidth"
    )


def fully_visible(page: Page, locator) -> bool:
    """The element is inside the viewport and not clipped by a scrolling box around it."""
    locator.scroll_into_view_if_needed()
    return locator.evaluate(
        """element => {
            const box = element.getBoundingClientRect();
            const width = document.documentElement.clientWidth;
            const height = window.innerHeight;
            if (box.width === 0 || box.left < -0.5 || box.right > width + 0.5) return false;
            if (box.top < -0.5 || box.bottom > height + 0.5) return false;  // sub-pixel
            // Both ends must be painted: a table cut off by its scrolling box hides them.
            for (const x of [box.left + 1, box.right - 1]) {
                const hit = document.elementFromPoint(x, box.top + box.height / 2);
                if (!hit || !(element.contains(hit) || hit.contains(element))) return false;
            }
            return true;
        }"""
    )


def check_page(page: Page, what: str, url: str, problems: list[str]) -> None:
    response = page.goto(url)
    assert response.status < 400, f"{what}: {response.status}"
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{page.size_name}-{what.replace(' ', '-')}.png")
    if page_scrolls_sideways(page):
        problems.append(f"{what} ({page.size_name}): de pagina schuift horizontaal")
    for violation in axe_violations(page):
        problems.append(
            f"{what} ({page.size_name}): {violation['id']} {violation['help']} "
            + "; ".join(violation["nodes"][:3])
        )


def every_page(kernteamlid) -> list[tuple[str, str]]:
    project = Project.objects.filter(jaarschijf__year=2024).order_by("pk").first()
    value = IndicatorValue.objects.filter(indicator__jaarschijf__year=2024).order_by("pk").first()
    return [
        ("dashboard", reverse("overview:dashboard")),
        ("afspraken", reverse("overview:action-list")),
        (
            "afspraken gefilterd",
            reverse("overview:action-list") + "?party=weller&status=niet_gestart",
        ),
        ("afspraak", action("1.8").get_absolute_url()),
        ("projecten", reverse("overview:project-list")),
        ("project", project.get_absolute_url()),
        ("duurzaamheid", reverse("overview:sustainability")),
        ("partijen", reverse("overview:party-list")),
        ("partij corporatie", reverse("overview:party-detail", args=["weller"])),
        ("partij gemeente", reverse("overview:party-detail", args=["gemeente-heerlen"])),
        ("EFG invullen", reverse("sustainability:labelfigure-entry", args=["weller"])),
        ("realisatie kengetal", reverse("agreements:indicator-realisation", args=[value.pk])),
        ("jaarschijf beheren", reverse("evaluation:jaarschijf-manage", args=[2024])),
        ("jaarschijven vergelijken", reverse("evaluation:compare-years")),
        ("open data", reverse("opendata:index")),
        ("mijn werk", reverse("cycle:my-work") + "?jaar=2024"),
        ("open mijlpalen", reverse("cycle:my-milestones")),
    ]


def test_no_page_scrolls_sideways_and_axe_finds_nothing_at_any_size(screen, kernteamlid):
    login_as(screen, kernteamlid)
    problems: list[str] = []
    for what, url in every_page(kernteamlid):
        check_page(screen, what, url, problems)
    assert not problems, "\n".join(problems)


#: The main lists: the page, the table's caption, the action link's text.
MAIN_LISTS = [
    ("afspraken", lambda: reverse("overview:action-list"), "Afspraken", "Voortgang melden"),
    ("projecten", lambda: reverse("overview:project-list"), "Projecten", "Bijwerken"),
    (
        "partij",
        lambda: reverse("overview:party-detail", args=["weller"]),
        "Afspraken van deze partij",
        "Voortgang melden",
    ),
]


@pytest.mark.parametrize(("what", "url", "caption", "link"), MAIN_LISTS, ids=lambda v: v)
def test_the_first_rows_status_and_action_link_are_in_view(
    screen, kernteamlid, what, url, caption, link
):
    login_as(screen, kernteamlid)
    screen.goto(url())
    table = screen.locator("table", has=screen.locator("caption", has_text=caption)).first
    row = table.locator("tbody > tr").first
    status = row.locator(".heerlen-status").first
    action_link = row.get_by_role("link", name=link)
    expect(status).to_be_attached()
    assert fully_visible(screen, status), f"status van de eerste rij niet in beeld ({what})"
    assert fully_visible(screen, action_link), f"‘{link}’ van de eerste rij niet in beeld ({what})"
    assert not page_scrolls_sideways(screen)


def test_the_efg_entry_shows_every_year_with_its_field_and_message_without_scrolling_sideways(
    screen, weller_medewerker
):
    """A corporation types its figures on a phone too: after a refused value, every year's
    field, message and "Laatst bijgewerkt" stay in view (a card per year where the table
    does not fit)."""
    login_as(screen, weller_medewerker)
    screen.goto(reverse("sustainability:labelfigure-entry", args=["weller"]) + "?jaar=2024")
    screen.get_by_label("Realisatie 2025").fill("12,5")
    screen.get_by_role("button", name="Realisatie opslaan").click()
    expect(screen.locator(".heerlen-error-summary")).to_be_focused()
    table = screen.locator("table", has=screen.locator("caption", has_text="EFG-label, Weller"))
    for row in table.locator("tbody > tr").all():
        for cell in row.locator("td").all():
            assert fully_visible(screen, cell), (
                f"‘{cell.inner_text()[:30]}’ niet in beeld ({screen.size_name})"
            )
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1")
    assert not page_scrolls_sideways(screen)


def test_the_efg_table_scrolls_in_its_own_region_with_its_links_outside(screen, kernteamlid):
    login_as(screen, kernteamlid)
    screen.goto(reverse("overview:sustainability"))
    region = screen.get_by_role("region", name="Tabel EFG-labels per corporatie en jaar")
    assert region.get_attribute("tabindex") == "0"
    expect(screen.locator("#efg-scroll-hint")).to_be_visible()
    assert region.get_by_role("link", name="Realisatie invullen").count() == 0
    weller = screen.get_by_role("link", name="Realisatie invullen voor Weller")
    assert fully_visible(screen, weller)
    # The last year is reachable by scrolling the region, not the page.
    region.focus()
    last_year = region.get_by_role("columnheader", name="2029", exact=True)
    # Scroll the region (not the page) until the last year's header is in view; the column
    # after it ("Geen EFG-labels in 2029?") may then sit beyond the edge.
    last_year.evaluate(
        """header => {
            const region = header.closest('[role=region]');
            const sticky = region.querySelector('tbody th').getBoundingClientRect().width;
            region.scrollLeft += header.getBoundingClientRect().left
                - region.getBoundingClientRect().left - sticky;
        }"""
    )
    assert fully_visible(screen, last_year)
    assert not page_scrolls_sideways(screen)


def test_saving_shows_a_focused_confirmation_and_errors_a_focused_summary(screen, kernteamlid):
    login_as(screen, kernteamlid)
    target = action("1.9")
    screen.goto(target.get_absolute_url())
    form = screen.locator("form", has=screen.get_by_role("button", name="Voortgang opslaan"))

    # An error: the summary has the focus and the title says so.
    form.get_by_label("Status").select_option(label="Op schema")
    form.get_by_label("Percentage gereed").fill("200")
    form.get_by_role("button", name="Voortgang opslaan").click()
    summary = screen.locator(".heerlen-error-summary").first
    expect(summary).to_be_focused()
    assert screen.title().startswith("Fout:")
    assert fully_visible(screen, summary.locator("p").first)

    # A save: the confirmation is in view, has the focus; the form shows what was saved.
    form = screen.locator("form", has=screen.get_by_role("button", name="Voortgang opslaan"))
    form.get_by_label("Percentage gereed").fill("45")
    form.get_by_label("Toelichting").fill("Overleg met de corporaties gestart.")
    form.get_by_role("button", name="Voortgang opslaan").click()
    confirmation = screen.locator("#melding")
    expect(confirmation).to_be_focused()
    expect(confirmation).to_contain_text("De voortgang van afspraak 1.9 is opgeslagen.")
    assert fully_visible(screen, confirmation.locator("p").first)
    assert not screen.title().startswith("Fout:")
    form = screen.locator("form", has=screen.get_by_role("button", name="Voortgang opslaan"))
    expect(form.get_by_label("Percentage gereed")).to_have_value("45")
    expect(form.get_by_label("Status")).to_have_value("op_schema")

    # The same update again is refused; nothing is stored.
    form.get_by_label("Toelichting").fill("Overleg met de corporaties gestart.")
    form.get_by_role("button", name="Voortgang opslaan").click()
    summary = screen.locator(".heerlen-error-summary").first
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("gelijk aan de laatste")
    assert screen.title().startswith("Fout:")
    assert ProgressUpdate.objects.filter(action=target).count() == 1


def test_an_evaluation_save_is_confirmed_in_view(screen, kernteamlid):
    login_as(screen, kernteamlid)
    screen.goto(action("1.9").get_absolute_url())
    form = screen.locator("form", has=screen.get_by_role("button", name="Evaluatie opslaan"))
    form.get_by_label("Deels behaald").check()
    form.get_by_label("Toelichting").fill("Eerste stappen gezet; besluit volgt.")
    form.get_by_role("button", name="Evaluatie opslaan").click()
    confirmation = screen.locator("#melding")
    expect(confirmation).to_be_focused()
    assert fully_visible(screen, confirmation.locator("p").first)


def test_moving_and_closing_a_milestone_is_confirmed_in_view(screen, kernteamlid):
    """The action page opens at the confirmation, not at its milestones further down."""
    login_as(screen, kernteamlid)
    milestone = action("6.1").milestones.order_by("due_date", "pk").first()
    screen.goto(reverse("cycle:milestone-move", args=[milestone.pk]))
    form = screen.locator("main form", has=screen.get_by_label("Reden van verschuiven"))
    form.get_by_label("Uiterste datum").fill("31-12-2024")
    form.get_by_label("Reden van verschuiven").fill("Het kernteam schoof de planning door.")
    form.locator("[type=submit]").first.click()
    confirmation = screen.locator("#melding")
    expect(confirmation).to_be_focused()
    expect(confirmation).to_contain_text("De mijlpaal is verschoven")
    assert fully_visible(screen, confirmation.locator("p").first)

    screen.get_by_role("region", name="Gedateerde afspraken van afspraak 6.1").get_by_role(
        "link", name="Afronden"
    ).first.click()
    expect(screen.get_by_label("Afgerond op")).to_have_value(nl_date(timezone.localdate()))
    screen.get_by_label("Afgerond op").fill("28-03-2024")
    screen.get_by_label("Toelichting (niet verplicht)").fill("Besproken in het kernteam.")
    screen.locator("main form").get_by_role("button", name="Afronden").click()
    confirmation = screen.locator("#melding")
    expect(confirmation).to_be_focused()
    expect(confirmation).to_contain_text("is afgerond op 28-03-2024.")
    assert fully_visible(screen, confirmation.locator("p").first)

    # The milestone says when and how it was reached; no date breaks at its hyphens, also
    # where the table is a card (a phone, text at 200 %) and its cell narrower than a date.
    row = screen.get_by_role("row").filter(has_text="Besproken in het kernteam.")
    expect(row.locator("[data-label=Stand]")).to_contain_text("Afgerond op 28-03-2024")
    for name in ("Uiterlijk", "Stand"):
        assert date_stays_whole(row.locator(f"[data-label={name}]")), name


def test_a_milestone_card_with_text_at_200_percent_keeps_every_word_and_date_whole(
    screen, kernteamlid
):
    """On a phone with text at 200 % a card has no room for a column's name beside its value:
    the name goes above it, so that "Gemeente Heerlen" is not one letter per line and no date
    is cut off at the card's edge."""
    milestone = action("3.2").milestones.order_by("due_date", "pk").first()
    cycle_services.close_milestone(
        milestone=milestone,
        user=kernteamlid,
        version=milestone.version,
        done_on=milestone.due_date,
        note="Vastgesteld door het college.",
    )
    login_as(screen, kernteamlid)
    screen.goto(action("3.2").get_absolute_url())
    enlarge_text(screen)
    row = screen.get_by_role("row").filter(has_text="Vastgesteld door het college.")
    for cell in row.locator("td").all():
        where = f"‘{cell.inner_text()[:30]}’ ({screen.size_name})"
        assert cell.evaluate(BROKEN_JS, WORD) == [], where
        assert cell.evaluate("cell => cell.scrollWidth <= cell.clientWidth + 1"), where
    # Where the second action wraps under the first, it starts where the first starts.
    move = row.get_by_role("link", name="Verschuiven").bounding_box()
    reopen = row.locator("form", has=screen.get_by_role("button", name="Heropenen"))
    reopen = reopen.bounding_box()
    if reopen["y"] >= move["y"] + move["height"]:
        assert abs(reopen["x"] - move["x"]) < 2, screen.size_name


def test_a_date_in_a_milestones_own_text_stays_whole_in_its_card(screen, kernteamlid):
    """ "Vincio Wonen is voornemens om per 01-07-2024 …": the milestone's text is the card's
    title; a narrow card breaks it around the date, not at the date's hyphens."""
    login_as(screen, kernteamlid)
    screen.goto(reverse("cycle:milestone-list") + "?jaar=2024")
    title = screen.get_by_role("rowheader").filter(has_text="per 01-07-2024")
    assert date_stays_whole(title), screen.size_name


def test_the_parties_decisions_on_the_evaluation_are_in_view_without_scrolling_sideways(
    screen, kernteamlid, jaarschijf
):
    """Who signed, with a reason that runs long, and when: at every size, and with text at
    200 %, each party's decision and date stay in view (a card where the table does not fit)."""
    vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)
    decide(
        jaarschijf,
        party_user(Party.objects.get(name="Weller")),
        "niet_akkoord",
        "De cijfers over de verduurzaming ontbreken nog voor drie complexen in Heerlen-Noord.",
    )
    login_as(screen, kernteamlid)
    screen.goto(reverse("evaluation:evaluation-overview", args=[2024]))
    table = screen.locator("table", has=screen.locator("caption", has_text="Besluiten van"))
    weller = table.locator("tbody > tr", has=screen.get_by_role("rowheader", name="Weller"))
    for text in ["100 %", "200 %"] if screen.size_name == "1280x800" else ["100 %"]:
        if text == "200 %":
            enlarge_text(screen)
        for cell in weller.locator("td").all():
            assert fully_visible(screen, cell), (
                f"‘{cell.inner_text()[:30]}’ niet in beeld ({screen.size_name}, tekst {text})"
            )
        # The day of the decision stays whole, not broken at a hyphen.
        assert date_stays_whole(weller.locator("[data-label=Datum]").first)
        assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1")
        assert not page_scrolls_sideways(screen)


#: Every match of a pattern (``DATE``, ``WORD``) in the text of an element that is drawn over
#: more than one line: ``locator.evaluate(BROKEN_JS, DATE)``.
BROKEN_JS = """(start, pattern) => {
    const broken = [];
    const walker = document.createTreeWalker(start, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.textContent.matchAll(new RegExp(pattern, "g"))) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            if (tops.size > 1) broken.push(match[0]);
        }
    }
    return broken;
}"""
DATE = r"\d{2}-\d{2}-\d{4}"
WORD = r"[^\s\-–]+"


def test_a_rounds_dates_stay_whole_on_one_line_also_with_large_text(
    screen, kernteamlid, weller_medewerker
):
    """At 200 % text on a phone, "aanleveren uiterlijk 22-12-2026" must not read "22-12-" on
    one line and "2026" on the next: on the round list, the round page and Mijn werk."""
    make_round(kernteamlid, [{"kind": "open_afspraken"}])
    late = make_round(
        kernteamlid,
        [{"kind": "open_afspraken"}],
        name="Voortgangsrapportage 2e halfjaar 2024",
        period_start=date(2024, 7, 1),
        period_end=date(2024, 12, 31),
        deadline=date(2025, 1, 31),
    )
    for user, url, root in (
        (kernteamlid, reverse("cycle:round-list") + "?jaar=2024", "main"),
        (kernteamlid, late.get_absolute_url(), "main"),
        (weller_medewerker, reverse("cycle:my-work") + "?jaar=2024", "#ronde"),
    ):
        screen.context.clear_cookies()
        login_as(screen, user)
        screen.goto(url)
        enlarge_text(screen)
        broken = screen.locator(root).first.evaluate(BROKEN_JS, DATE)
        assert broken == [], f"{url} ({screen.size_name})"


def enlarge_text(page: Page) -> None:
    """All text at 200 % (WCAG 1.4.4 resize text) without zooming the page: the root font size,
    as a browser's text-size setting does. A media query would not notice; the lists must."""
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")


#: Lists whose rows end in an action: the page, the table's caption, the rows' action.
ROW_ACTION_LISTS = [
    ("mijlpalen", lambda: reverse("cycle:milestone-list"), "Mijlpalen op datum", "Verschuiven"),
    ("mijlpalen", lambda: reverse("cycle:milestone-list"), "Mijlpalen op datum", "Afronden"),
    (
        "afspraak",
        lambda: action("4.2").get_absolute_url(),
        "Gedateerde afspraken van afspraak 4.2",
        "Verschuiven",
    ),
    (
        "kengetallen",
        lambda: action("4.5").get_absolute_url(),
        "Doelen en realisaties van afspraak 4.5",
        "Realisatie invullen",
    ),
    # 2.5: targets in words ("maximaal -0,5 %-punt t.o.v. CAO-index …") wrap, also at 1280 px.
    (
        "kengetallen in woorden",
        lambda: action("2.5").get_absolute_url(),
        "Doelen en realisaties van afspraak 2.5",
        "Realisatie invullen",
    ),
    *MAIN_LISTS,
]


@pytest.mark.parametrize(("what", "url", "caption", "name"), ROW_ACTION_LISTS, ids=lambda v: v)
def test_every_rows_action_is_in_view_without_scrolling_sideways(
    screen, kernteamlid, what, url, caption, name
):
    """At every size, and on the laptop also with all text at 200 %."""
    login_as(screen, kernteamlid)
    screen.goto(url())
    table = screen.locator("table", has=screen.locator("caption", has_text=caption)).first
    rows = table.locator("tbody > tr")
    for text in ["100 %", "200 %"] if screen.size_name == "1280x800" else ["100 %"]:
        if text == "200 %":
            enlarge_text(screen)
        for index in (0, rows.count() - 1):
            control = rows.nth(index).get_by_role("link", name=name)
            expect(control).to_be_attached()
            assert fully_visible(screen, control), (
                f"‘{name}’ van rij {index + 1} niet in beeld ({what}, {screen.size_name}, "
                f"tekst {text})"
            )
        # Nothing in the list's region lies beyond its edge: the table does not scroll sideways.
        assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1")
        assert not page_scrolls_sideways(screen)


def test_on_a_round_page_the_own_asks_can_be_answered_without_scrolling_sideways(
    screen, kernteamlid
):
    """The kernteam member's party (Wonen Zuid) is asked for its open actions and its EFG
    figures; each ask's "Aanleveren" is in view at every size, also with text at 200 %."""
    reporting_round = make_round(
        kernteamlid, [{"kind": RoundItemKind.OPEN_ACTIONS}, {"kind": RoundItemKind.EFG}]
    )
    login_as(screen, kernteamlid)
    screen.goto(reverse("cycle:round-detail", args=[reporting_round.pk]))
    table = screen.locator("#partij-wonen-zuid table")
    rows = table.locator("tbody > tr")
    assert rows.count() > 2
    for text in ["100 %", "200 %"] if screen.size_name == "1280x800" else ["100 %"]:
        if text == "200 %":
            enlarge_text(screen)
        for index in (0, rows.count() - 1):
            control = rows.nth(index).get_by_role("link", name="Aanleveren")
            expect(control).to_be_attached()
            assert fully_visible(screen, control), (
                f"‘Aanleveren’ van rij {index + 1} niet in beeld ({screen.size_name}, tekst {text})"
            )
        assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1")
        assert not page_scrolls_sideways(screen)


#: Per cell shown as a card row (its label, then its value): the parts of the value that lie
#: left of where the value's column starts, under or beside the label.
PARTS_UNDER_THE_LABEL = """() => {
  const out = [];
  for (const td of document.querySelectorAll('.heerlen-table-cards > table > * > tr > td')) {
    const style = getComputedStyle(td);
    if (style.display !== 'grid' || !td.dataset.label) continue;
    const columns = style.gridTemplateColumns.split(' ').map(parseFloat);
    const valueStart = td.getBoundingClientRect().left + parseFloat(style.paddingLeft)
      + columns[0] + parseFloat(style.columnGap || 0) - 1;
    const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim() || node.parentElement.closest('.visually-hidden')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const box of range.getClientRects()) {
        if (box.width && box.left < valueStart) {
          out.push(`${td.dataset.label}: ‘${node.textContent.trim().slice(0, 40)}’`);
          break;
        }
      }
    }
  }
  return {cells: document.querySelectorAll('.heerlen-table-cards td[data-label]').length, out};
}"""


@pytest.mark.parametrize(
    ("what", "url"),
    [
        # a project's wijk under its name, the totals with what they are over (tfoot)
        ("projecten", lambda: reverse("overview:project-list")),
        ("afspraken", lambda: reverse("overview:action-list")),
        ("kengetallen", lambda: action("4.5").get_absolute_url()),
        ("mijlpalen", lambda: reverse("cycle:milestone-list")),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_in_a_card_every_part_of_a_value_stands_beside_its_label_not_under_it(
    screen, kernteamlid, what, url
):
    login_as(screen, kernteamlid)
    screen.goto(url())
    if screen.size_name == "1280x800":
        enlarge_text(screen)  # at 1280 px the cards come with enlarged text
    found = screen.evaluate(PARTS_UNDER_THE_LABEL)
    assert found["cells"] > 0
    assert not found["out"], f"{what} ({screen.size_name}): onder het label: {found['out'][:5]}"


def test_where_rows_are_cards_the_sortable_headers_are_a_row_of_sort_links(screen, kernteamlid):
    login_as(screen, kernteamlid)
    screen.goto(reverse("overview:action-list"))
    if screen.size_name == "1280x800":
        enlarge_text(screen)  # at 1280 px the cards come with enlarged text
    table = screen.locator("table", has=screen.locator("caption", has_text="Afspraken")).first
    status = table.locator("thead").get_by_role("link", name="Status")
    assert fully_visible(screen, status), f"sorteerlink ‘Status’ niet in beeld ({screen.size_name})"
    status.click()
    screen.wait_for_load_state()
    assert "sort=current_status" in screen.url
    header = screen.locator("table thead th", has=screen.get_by_role("link", name="Status"))
    expect(header).to_have_attribute("aria-sort", "ascending")


def test_the_only_late_checkbox_label_reads_on_one_line(screen, kernteamlid):
    login_as(screen, kernteamlid)
    screen.goto(reverse("cycle:milestone-list"))
    expect(
        screen.locator("nav.heerlen-breadcrumbs").get_by_role("link", name="Dashboard")
    ).to_be_visible()
    label = screen.locator("main label", has_text="Alleen te laat")
    box = label.bounding_box()
    line = label.evaluate("l => parseFloat(getComputedStyle(l).lineHeight)")
    assert box["width"] > 80, f"label ‘Alleen te laat’ maar {box['width']:.0f} px breed"
    assert box["height"] < 2 * line, "label ‘Alleen te laat’ breekt over meerdere regels"
    checkbox = screen.get_by_label("Alleen te laat")
    checkbox.check()
    screen.get_by_role("search", name="Mijlpalen filteren").get_by_role(
        "button", name="Toon"
    ).click()
    screen.wait_for_load_state()
    assert "te_laat=on" in screen.url
    expect(screen.get_by_label("Alleen te laat")).to_be_checked()


CAPTIONS_OUT_OF_VIEW = """(atEnd) => [...document.querySelectorAll('.heerlen-table-scroll caption')]
    .filter(caption => caption.getClientRects().length)
    .map(caption => {
        const region = caption.closest('.heerlen-table-scroll');
        region.scrollLeft = atEnd ? region.scrollWidth : 0;
        const box = caption.getBoundingClientRect(), seen = region.getBoundingClientRect();
        return box.left < seen.left - 1 || box.right > seen.right + 1
            ? caption.textContent.trim().slice(0, 60) : null;
    })
    .filter(Boolean)"""


@pytest.mark.parametrize("text", ["normal", "200%"])
def test_the_caption_of_a_table_that_scrolls_sideways_stays_whole_in_view(
    screen, kernteamlid, text
):
    """A table wider than its region (the EFG table on a laptop, most figure tables on a phone)
    scrolls in its region; its caption wraps within the part in view and stays there while the
    table scrolls, instead of running on beyond the edge with the table."""
    login_as(screen, kernteamlid)
    pages = [
        *every_page(kernteamlid),
        ("evaluatierapport", reverse("evaluation:evaluation-report", args=[2024])),
    ]
    cut: list[str] = []
    scrolling = 0
    for what, url in pages:
        screen.goto(url)
        if text == "200%":
            enlarge_text(screen)
        scrolling += screen.evaluate(
            "() => [...document.querySelectorAll('.heerlen-table-scroll')]"
            ".filter(r => r.querySelector('caption') && r.scrollWidth > r.clientWidth).length"
        )
        for at_end in (False, True):
            cut += [f"{what}: ‘{c}’" for c in screen.evaluate(CAPTIONS_OUT_OF_VIEW, at_end)]
    assert scrolling, "geen enkele tabel met bijschrift schuift: de test toetst niets"
    assert not cut, f"{screen.size_name}, tekst {text}: " + "; ".join(cut)


@pytest.mark.parametrize(
    "url",
    [
        ("overview:dashboard", ()),
        ("overview:sustainability", ()),
        ("evaluation:evaluation-report", (2024,)),
    ],
    ids=lambda url: url[0],
)
def test_a_chart_fits_its_region_on_a_phone_and_with_large_text(screen, kernteamlid, url):
    """Where the wide chart (labels beside the bars, or columns per year) would scroll
    sideways, the narrow one (bars with their label above them) is shown instead, whole; on a
    laptop the wide one, except the small EFG charts side by side."""
    login_as(screen, kernteamlid)
    screen.goto(reverse(url[0], args=url[1]))
    charts = screen.locator(".heerlen-chart:has(.heerlen-chart__wide)")
    assert charts.count() >= 1
    for index in range(charts.count()):
        chart = charts.nth(index)
        name = chart.get_attribute("aria-label")
        shown = chart.locator("svg").evaluate_all(
            "svgs => svgs.filter(s => s.getClientRects().length)"
            ".map(s => s.parentElement.className)"
        )
        assert len(shown) == 1, f"{name}: {shown}"
        if screen.size_name == "1280x800" and "--60em" in chart.inner_html():
            assert "heerlen-chart__wide" in shown[0], name
        elif screen.size_name != "1280x800":
            assert shown == ["heerlen-chart__narrow"], name
        assert chart.evaluate("r => r.scrollWidth <= r.clientWidth + 1"), (
            f"{name} schuift opzij ({screen.size_name})"
        )
        # The screen reader gets one picture with its title, not two.
        assert chart.get_by_role("img").count() == 1
