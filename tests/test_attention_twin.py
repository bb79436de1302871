"""'Aandacht nodig' is one rule in SQL (the list's filter) and its Python twin (the dashboard)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agreements.choices import ActionStatus
from agreements.filters import with_attention, with_needs_attention
from agreements.models import Action

from .factories import YEAR, make_progress_update

pytestmark = pytest.mark.django_db


def test_the_dashboard_and_the_list_agree_on_which_action_needs_attention():
    actions = list(Action.objects.filter(jaarschijf__year=YEAR).order_by("pk")[:11])
    now = timezone.now()
    cases = [(status, days) for status in ActionStatus.values for days in (3, 400)]
    for action, (status, days) in zip(actions, cases, strict=False):
        make_progress_update(
            action,
            status=status,
            percent_done={"afgerond": 100, "niet_gestart": 0}.get(status, 40),
            explanation="Toelichting van de trekker.",
            created_at=now - timedelta(days=days),
        )
    # The eleventh action has no update at all: not started and silent.
    rows = Action.objects.filter(pk__in=[a.pk for a in actions]).with_progress()

    in_sql = dict(with_attention(rows).values_list("pk", "needs_attention"))
    in_python = {a.pk: a.needs_attention for a in with_needs_attention(rows.with_staleness())}

    assert in_python == in_sql
    assert set(in_sql.values()) == {True, False}
    late_recent = actions[cases.index(("vertraagd", 3))]
    done_silent = actions[cases.index(("afgerond", 400))]
    assert in_python[late_recent.pk] and not in_python[done_silent.pk]
    assert in_python[actions[10].pk]
