"""A phone (375 px) with all text at 200 %: nothing scrolls sideways, form controls grow along.

The text is enlarged the way /work/shared/tools/screens.py does it (and a browser's text-size
setting): the root font size goes to 200 % after the page has loaded, without zooming the
page, so media queries still see a 375 px screen and only the layout has to cope.
"""

from django.urls import reverse
from playwright.sync_api import Page

from agreements.models import IndicatorValue, Party
from projects.models import Project
from tests.browser.helpers import login_as
from tests.factories import action, make_round

PHONE = {"width": 375, "height": 812}

ENLARGE_TEXT = "() => { document.documentElement.style.fontSize = '200%'; }"

#: What sticks out: the page's scroll width, elements whose right edge lies beyond the viewport
#: outside any scroll region, and links, buttons and fields pushed out of view inside one (the
#: screens tool's "out of view").
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => getComputedStyle(el).overflowX !== 'visible';
  const sticking = [], hidden = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (!box.width || box.right <= width + 1) continue;
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
      if (scrolls(a)) { clipped = true; break; }
    if (!clipped) sticking.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`
                                + ` (rechterrand ${Math.round(box.right)} px)`);
  }
  for (const el of document.querySelectorAll('main a, main button, main input, main select')) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    let limit = window.innerWidth;
    for (let a = el.parentElement; a; a = a.parentElement)
      if (scrolls(a)) limit = Math.min(limit, a.getBoundingClientRect().right);
    if (box.left >= limit - 1)
      hidden.push((el.innerText || el.name || el.tagName).replace(/\\s+/g, ' ').trim());
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, sticking, hidden};
}"""


def representative_pages(kernteamlid) -> list[tuple[str, str]]:
    project = Project.objects.filter(jaarschijf__year=2024).order_by("pk").first()
    value = IndicatorValue.objects.filter(indicator__jaarschijf__year=2024).order_by("pk").first()
    reporting_round = make_round(
        kernteamlid,
        [
            {"kind": "open_afspraken"},
            {"kind": "efg"},
            {"kind": "kengetal", "indicator": value.indicator},
            {"kind": "stuk", "label": "Cijfers", "party": Party.objects.get(name="Weller")},
        ],
    )
    return [
        ("afspraak", action("1.8").get_absolute_url()),
        ("afspraak met mijlpalen", action("4.2").get_absolute_url()),
        ("voortgang melden", reverse("agreements:action-update", args=[2024, "1.8"])),
        ("dashboard", reverse("overview:dashboard")),
        ("afspraken", reverse("overview:action-list")),
        ("projecten", reverse("overview:project-list")),
        ("project", project.get_absolute_url()),
        ("duurzaamheid", reverse("overview:sustainability")),
        ("partij", reverse("overview:party-detail", args=["weller"])),
        ("EFG invullen", reverse("sustainability:labelfigure-entry", args=["weller"])),
        ("mijlpalen", reverse("cycle:milestone-list")),
        ("rapportageronde", reverse("cycle:round-detail", args=[reporting_round.pk])),
        ("evaluatierapport", reverse("evaluation:evaluation-report", args=[2024])),
        ("jaarschijven vergelijken", reverse("evaluation:compare-years")),
    ]


def test_no_page_scrolls_sideways_on_a_phone_with_text_at_200_percent(page: Page, kernteamlid):
    """Each page at 375 px with 200 % text: the page does not scroll sideways, nothing but a
    table in its own scroll region sticks out, and no link or field hides in such a region."""
    login_as(page, kernteamlid)
    page.set_viewport_size(PHONE)
    problems = []
    for what, url in representative_pages(kernteamlid):
        response = page.goto(url)
        assert response.status < 400, f"{what}: {response.status}"
        page.evaluate(ENLARGE_TEXT)
        found = page.evaluate(OVERFLOW)
        if found["scrollWidth"] > found["width"] + 1:
            problems.append(
                f"{what}: de pagina schuift horizontaal ({found['scrollWidth']} px breed); "
                + ", ".join(found["sticking"][:5])
            )
        if found["hidden"]:
            problems.append(f"{what}: buiten beeld in een schuifgebied: {found['hidden'][:5]}")
    assert not problems, "\n".join(problems)


CONTROL_SIZES = """() => [...document.querySelectorAll(
    'main input[type=checkbox], main input[type=radio]')].map(input => {
  const box = input.getBoundingClientRect();
  const label = document.querySelector(`label[for="${input.id}"]`);
  return {type: input.type, id: input.id, width: box.width, height: box.height,
          text: parseFloat(getComputedStyle(label || input.parentElement).fontSize)};
})"""


def test_checkboxes_and_radio_buttons_grow_with_the_text(page: Page, kernteamlid):
    """The progress form has both: at 200 % text each is twice as large as at 100 %, and never
    smaller than the text of its label."""
    login_as(page, kernteamlid)
    page.goto(reverse("agreements:action-update", args=[2024, "1.8"]))
    normal = page.evaluate(CONTROL_SIZES)
    page.evaluate(ENLARGE_TEXT)
    large = page.evaluate(CONTROL_SIZES)
    assert {c["type"] for c in normal} == {"checkbox", "radio"}, normal
    for before, after in zip(normal, large, strict=True):
        assert before["width"] >= before["text"], before
        assert after["text"] == 2 * before["text"], (before, after)
        for side in ("width", "height"):
            assert after[side] >= 1.9 * before[side], (
                f"{after['type']} #{after['id']}: {side} {before[side]:.0f} px → "
                f"{after[side]:.0f} px bij tekst op 200 %"
            )
