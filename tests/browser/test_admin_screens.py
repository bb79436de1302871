"""The beheerder's screens (Django's admin with static/css/admin.css): every list passes
axe-core on a laptop and a phone, and a list of updates keeps its date and status in view."""

import pytest
from django.contrib import admin
from django.urls import reverse

from agreements.models import Action
from tests.browser.helpers import axe_violations, login_as
from tests.factories import make_progress_update

pytestmark = pytest.mark.django_db(transaction=True)


def admin_lists() -> list[str]:
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    )


def test_every_admin_list_passes_axe_on_a_laptop_and_a_phone(page, beheerder):
    make_progress_update(Action.objects.get(number="1.8"), beheerder, status="op_schema")
    login_as(page, beheerder)
    problems = []
    for width, height in ((1280, 800), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        for url in admin_lists():
            response = page.goto(url)
            assert response.status == 200, url
            problems += [
                f"{width}px {url}: {v['id']} {v['help']}\n    " + "\n    ".join(v["nodes"][:3])
                for v in axe_violations(page)
            ]
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
