"""The beheerder's screens (Django's admin with static/css/admin.css): every list and every
edit page passes axe-core on a laptop and a phone, and a list of updates keeps its date and
status in view."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from agreements.models import Action
from tests.browser.helpers import axe_violations, login_as
from tests.factories import make_progress_update

pytestmark = pytest.mark.django_db(transaction=True)


#: A laptop and a phone.
SIZES = ((1280, 800), (375, 812))


def admin_url(model, view: str, *args) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def axe_problems(tab, urls, *, under_csp=None) -> list[str]:
    """axe-core on every page at every size in ``tab``; ``under_csp``, a tab with the CSP,
    opens each page as well (its console errors fail the test)."""
    problems = []
    for width, height in SIZES:
        tab.set_viewport_size({"width": width, "height": height})
        for url in urls:
            if under_csp is not None:
                assert under_csp.goto(url).status == 200, url
            assert tab.goto(url).status == 200, url
            problems += [
                f"{width}px {url}: {v['id']} {v['help']}\n    " + "\n    ".join(v["nodes"][:3])
                for v in axe_violations(tab)
            ]
    return problems


def test_every_admin_list_passes_axe_on_a_laptop_and_a_phone(page, beheerder):
    make_progress_update(Action.objects.get(number="1.8"), beheerder, status="op_schema")
    login_as(page, beheerder)
    lists = sorted(admin_url(model, "changelist") for model in admin.site._registry)
    problems = axe_problems(page, lists)
    assert not problems, "\n".join(problems)


def test_every_admin_edit_page_passes_axe_on_a_laptop_and_a_phone(page, browser, app, beheerder):
    """Each model's edit page with its first row (inlines and widgets included); a model
    without rows in the test data has no edit page to check."""
    make_progress_update(Action.objects.get(number="1.8"), beheerder, status="op_schema")
    Group.objects.create(name="Alleen lezen")
    firsts = [model._default_manager.order_by("pk").first() for model in admin.site._registry]
    pages = sorted(admin_url(type(row), "change", row.pk) for row in firsts if row is not None)
    assert len(pages) >= 15
    login_as(page, beheerder)
    # axe-core itself sets inline styles on these pages, which the CSP blocks: it runs in a
    # tab without the CSP, while ``page`` opens each page under the CSP (console errors fail).
    audit = browser.new_context(base_url=app.url, locale="nl-NL", bypass_csp=True).new_page()
    login_as(audit, beheerder)
    problems = axe_problems(audit, pages, under_csp=page)
    audit.context.close()
    assert not problems, "\n".join(problems)


def test_the_list_of_updates_shows_date_and_status_beside_a_long_action_on_a_laptop(
    page, beheerder
):
    # The action's first sentence is long: Django kept it on one line and pushed the
    # other columns out of the list's scrolling area.
    make_progress_update(Action.objects.get(number="1.8"), beheerder)
    login_as(page, beheerder)
    page.goto(reverse("admin:agreements_progressupdate_changelist"))
    outside = page.evaluate(
        """() => {
            const box = document.querySelector('#changelist .results').getBoundingClientRect();
            return [...document.querySelectorAll('#result_list thead th')]
                .filter(th => th.getBoundingClientRect().right > box.right + 1)
                .map(th => th.innerText.trim());
        }"""
    )
    assert outside == []


def test_an_actions_long_name_does_not_run_under_the_buttons_beside_it(page, beheerder):
    login_as(page, beheerder)
    one = Action.objects.order_by("pk").first()
    for width in (1280, 800):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(reverse("admin:agreements_action_change", args=[one.pk]))
        overlap = page.evaluate(
            """() => {
                const name = document.querySelector('#content > h2');
                const range = document.createRange();
                range.selectNodeContents(name);
                const tools = document.querySelector('.object-tools').getBoundingClientRect();
                return [...range.getClientRects()].some(line =>
                    line.right > tools.left && line.left < tools.right
                    && line.bottom > tools.top && line.top < tools.bottom);
            }"""
        )
        assert not overlap, width
