"""Drawing up the next jaarschijf from the current one, and closing a jaarschijf."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.urls import reverse

from agreements.models import (
    Action,
    HeadlineFigure,
    Indicator,
    IndicatorValue,
    Jaarschijf,
    Party,
    ProgressUpdate,
    Theme,
)
from evaluation import vaststelling
from evaluation.services import create_next_jaarschijf, set_jaarschijf_status
from projects.models import Project, ProjectBreakdown
from sustainability.models import BatStock, EnergyLabelFigure, EnergyLabelNote

from .factories import YEAR, action, decide_all_but, login, make_progress_update
from .helpers_evaluation import label_figure, project
from .helpers_tracking import post_progress

pytestmark = pytest.mark.django_db

NEXT = YEAR + 1


def next_jaarschijf(user, **kwargs) -> Jaarschijf:
    return create_next_jaarschijf(
        source=Jaarschijf.objects.get(year=YEAR), user=user, **kwargs
    ).jaarschijf


def test_kernteam_draws_up_2025_from_2024_with_a_plain_form(client, kernteamlid, jaarschijf):
    login(client, kernteamlid)
    url = reverse("evaluation:jaarschijf-next", args=[YEAR])

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nieuwe jaarschijf 2025 op basis van 2024" in text
    assert f'<form method="post" action="{url}"' in text

    response = client.post(url, {"title": "Samen verder"})

    new = Jaarschijf.objects.get(year=NEXT)
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:jaarschijf-manage", args=[NEXT])
    assert (new.status, new.title, new.previous, new.municipality) == (
        "concept",
        "Samen verder",
        jaarschijf,
        jaarschijf.municipality,
    )
    assert new.history.first().history_user == kernteamlid
    overview = client.get(response["Location"]).content.decode()
    assert "Jaarschijf 2025 is aangemaakt als concept: 67 afspraken" in overview
    assert "doorgeschoven uit 2024 – 1.7" in overview


def test_open_actions_are_carried_forward_and_closed_ones_stay_behind(kernteamlid, jaarschijf):
    make_progress_update(action("1.7"), kernteamlid, status="afgerond", percent_done=100)
    make_progress_update(
        action("1.8"), kernteamlid, status="vervallen", percent_done=0, explanation="Geen geld"
    )
    make_progress_update(action("1.9"), kernteamlid, status="vertraagd", explanation="Later")
    # A later update reopens a closed action: the latest update counts.
    make_progress_update(action("1.10"), kernteamlid, status="afgerond", percent_done=100)
    make_progress_update(action("1.10"), kernteamlid, status="op_schema", percent_done=80)

    new = next_jaarschijf(kernteamlid)

    carried = Action.objects.filter(jaarschijf=new)
    assert carried.count() == 67 - 2
    assert not carried.filter(number__in=["1.7", "1.8"]).exists()
    moved = carried.select_related("origin__jaarschijf", "theme").get(number="1.9")
    assert moved.origin == action("1.9")
    assert moved.theme.jaarschijf == new and moved.theme.number == 1
    assert moved.text == action("1.9").text
    assert list(moved.action_parties.values_list("party__name", "is_lead")) == list(
        action("1.9").action_parties.values_list("party__name", "is_lead")
    )
    # Progress stays with the year it was reported in.
    assert not ProgressUpdate.objects.filter(action__jaarschijf=new).exists()
    rendered = Template("{% load evaluation %}{{ a|carried_from }}").render(Context({"a": moved}))
    assert rendered == "doorgeschoven uit 2024 – 1.9"
    assert carried.filter(number="1.10").exists()
    # Sorting keys are derived for the carried rows too: 1.10 after 1.9.
    numbers = list(carried.numeric_order().values_list("number", flat=True))
    assert numbers.index("1.10") == numbers.index("1.9") + 1


def test_themes_are_copied_and_parties_reused(kernteamlid, jaarschijf):
    parties = Party.objects.count()
    new = next_jaarschijf(kernteamlid)
    assert list(Theme.objects.filter(jaarschijf=new).values_list("number", "title")) == list(
        Theme.objects.filter(jaarschijf=jaarschijf).values_list("number", "title")
    )
    assert Party.objects.count() == parties


def test_projects_not_realised_are_carried_with_their_breakdowns(kernteamlid, jaarschijf):
    done = project("Slakhorst")
    done.status = "gerealiseerd"
    done.realised_dwellings = 147
    done.save()
    dropped = project("MSP")
    dropped.status = "vervallen"
    dropped.explanation = "Gaat niet door."
    dropped.save()
    busy = (
        Project.objects.filter(jaarschijf=jaarschijf, breakdowns__isnull=False)
        .exclude(pk__in=[done.pk, dropped.pk])
        .first()
    )
    busy.status = "in_uitvoering"
    busy.realised_dwellings = 4
    busy.expected_year = 2025
    busy.explanation = "Eerste fase klaar"
    busy.save()

    new = next_jaarschijf(kernteamlid)

    carried = Project.objects.filter(jaarschijf=new)
    assert carried.count() == Project.objects.filter(jaarschijf=jaarschijf).count() - 2
    assert not carried.filter(origin__in=[done, dropped]).exists()
    copy = carried.get(origin=busy)
    assert (copy.name, copy.category, copy.corporation, copy.dwellings, copy.status) == (
        busy.name,
        busy.category,
        busy.corporation,
        busy.dwellings,
        "in_uitvoering",
    )
    assert copy.expected_year == 2025
    # What was realised and explained belongs to 2024's report.
    assert (copy.realised_dwellings, copy.explanation) == (None, "")
    assert list(copy.breakdowns.values_list("kind", "label", "count")) == list(
        busy.breakdowns.values_list("kind", "label", "count")
    )
    assert ProjectBreakdown.objects.filter(project__jaarschijf=new).exists()
    # The possible duplicate points at the carried copy of its twin, not at 2024.
    flagged = carried.exclude(possible_duplicate_of=None).get()
    assert flagged.possible_duplicate_of.jaarschijf == new
    assert flagged.possible_duplicate_of.origin == flagged.origin.possible_duplicate_of


def test_efg_trajectory_carries_targets_from_the_new_year_and_leaves_realisations(
    kernteamlid, jaarschijf
):
    realised = label_figure("Weller", 2024)
    realised.realised = 470
    realised.save()
    future = label_figure("Weller", 2025)
    future.realised = 12  # entered early; it stays with 2024's jaarschijf
    future.save()

    new = next_jaarschijf(kernteamlid)

    figures = EnergyLabelFigure.objects.filter(jaarschijf=new)
    assert sorted(set(figures.values_list("year", flat=True))) == [2025, 2026, 2027, 2028, 2029]
    assert figures.count() == 5 * 5
    assert not figures.exclude(realised=None).exists()
    assert label_figure("Weller", 2025, jaarschijf_year=NEXT).target == 352
    assert label_figure("Woonpunt", 2025, jaarschijf_year=NEXT).target is None  # still "t.b."
    assert label_figure("Weller", 2024).realised == 470
    assert EnergyLabelNote.objects.filter(jaarschijf=new).count() == (
        EnergyLabelNote.objects.filter(jaarschijf=jaarschijf).count()
    )


def test_indicators_of_carried_actions_come_with_targets_but_without_realisations(
    kernteamlid, jaarschijf
):
    daeb = IndicatorValue.objects.get(
        indicator__jaarschijf=jaarschijf, indicator__code="2-4-daeb-toewijzing"
    )
    daeb.realised = 87
    daeb.realised_note = "Volgens de jaarcijfers"
    daeb.save()
    closed = daeb.indicator.action
    other = Indicator.objects.filter(jaarschijf=jaarschijf).exclude(action=closed).first()
    make_progress_update(closed, kernteamlid, status="afgerond", percent_done=100)

    new = next_jaarschijf(kernteamlid)

    carried = Indicator.objects.filter(jaarschijf=new)
    assert not carried.filter(code=daeb.indicator.code).exists()
    copy = carried.get(code=other.code)
    assert copy.action.origin == other.action
    values = IndicatorValue.objects.filter(indicator=copy)
    assert values.count() == other.values.count()
    assert not values.exclude(realised=None).exists()
    assert set(values.values_list("target", flat=True)) == set(
        other.values.values_list("target", flat=True)
    )
    # This year's targets become next year's.
    expected = {
        f"{NEXT}{p[4:]}" if p.startswith(str(YEAR)) else p
        for p in other.values.values_list("period", flat=True)
    }
    assert set(values.values_list("period", flat=True)) == expected
    assert str(NEXT) in expected


def test_bat_stock_is_not_copied_and_headline_figures_lose_their_printed_value(
    kernteamlid, jaarschijf
):
    new = next_jaarschijf(kernteamlid)
    assert BatStock.objects.filter(jaarschijf=jaarschijf).exists()
    assert not BatStock.objects.filter(jaarschijf=new).exists()
    figures = HeadlineFigure.objects.filter(jaarschijf=new)
    assert figures.count() == HeadlineFigure.objects.filter(jaarschijf=jaarschijf).count()
    assert not figures.exclude(printed_value=None).exists()
    assert figures.get(source="efg_total").year == NEXT


def test_a_jaarschijf_is_drawn_up_only_once(client, kernteamlid, jaarschijf):
    next_jaarschijf(kernteamlid)
    with pytest.raises(ValidationError, match="bestaat al"):
        next_jaarschijf(kernteamlid)

    login(client, kernteamlid)
    response = client.post(
        reverse("evaluation:jaarschijf-next", args=[YEAR]), {"title": "Nog eens"}
    )
    assert response.status_code == 200
    assert "Jaarschijf 2025 bestaat al" in response.content.decode()
    assert Jaarschijf.objects.filter(year=NEXT).count() == 1


def test_a_title_is_required(client, kernteamlid, jaarschijf):
    login(client, kernteamlid)
    response = client.post(reverse("evaluation:jaarschijf-next", args=[YEAR]), {"title": " "})
    assert response.status_code == 200
    assert "Vul een titel in." in response.content.decode()
    assert not Jaarschijf.objects.filter(year=NEXT).exists()


@pytest.mark.parametrize("persona", ["weller", "gemeente", "huurder"])
def test_only_beheerder_and_kernteam_draw_up_the_next_jaarschijf(client, personas, persona):
    login(client, personas[persona])
    url = reverse("evaluation:jaarschijf-next", args=[YEAR])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Stiekem"}).status_code == 403
    assert not Jaarschijf.objects.filter(year=NEXT).exists()
    with pytest.raises(PermissionDenied):
        next_jaarschijf(personas[persona])


def test_beheerder_draws_up_the_next_jaarschijf_too(client, beheerder, jaarschijf):
    login(client, beheerder)
    response = client.post(
        reverse("evaluation:jaarschijf-next", args=[YEAR]), {"title": "Door de beheerder"}
    )
    assert response.status_code == 302
    assert Jaarschijf.objects.get(year=NEXT).history.first().history_user == beheerder


def test_next_jaarschijf_page_needs_few_queries(
    client, kernteamlid, jaarschijf, django_assert_max_num_queries
):
    login(client, kernteamlid)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("evaluation:jaarschijf-next", args=[YEAR])).status_code == 200


# --- A jaarschijf becomes evaluated only through the vaststelling ---------------------------


def evaluate_through_the_vaststelling(jaarschijf, kernteamlid):
    vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)
    decide_all_but(jaarschijf)
    jaarschijf.refresh_from_db()
    assert jaarschijf.status == "geevalueerd"


def test_the_kernteam_cannot_mark_a_jaarschijf_evaluated_by_hand(
    client, kernteamlid, beheerder, jaarschijf
):
    for user in (kernteamlid, beheerder):
        login(client, user)
        page = client.get(reverse("evaluation:jaarschijf-manage", args=[YEAR])).content.decode()
        assert "Markeer als geëvalueerd" not in page
        assert "alleen door de" in page and "vaststelling van de evaluatie" in page
        response = client.post(
            reverse("evaluation:jaarschijf-status", args=[YEAR]),
            {"status": "geevalueerd"},
            follow=True,
        )
        assert response.status_code == 200
        assert Jaarschijf.objects.get(year=YEAR).status == "vastgesteld"
    with pytest.raises(ValidationError, match="geëvalueerd door de vaststelling"):
        set_jaarschijf_status(jaarschijf=jaarschijf, status="geevalueerd", user=beheerder)


def test_the_model_refuses_geevalueerd_until_every_signing_party_agreed(jaarschijf, kernteamlid):
    """The rule lives in the model: the admin, an import or a command get the same answer."""
    jaarschijf.status = "geevalueerd"
    with pytest.raises(ValidationError, match="elke partij die de jaarschijf ondertekende"):
        jaarschijf.full_clean()
    vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)
    decide_all_but(Jaarschijf.objects.get(pk=jaarschijf.pk), "Woonpunt")
    with pytest.raises(ValidationError, match="elke partij die de jaarschijf ondertekende"):
        jaarschijf.full_clean()
    assert Jaarschijf.objects.get(pk=jaarschijf.pk).status == "vastgesteld"


def test_the_beheerder_cannot_set_geevalueerd_in_the_admin(client, beheerder, jaarschijf):
    login(client, beheerder)
    url = reverse("admin:agreements_jaarschijf_change", args=[jaarschijf.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update(
        {
            "status": "geevalueerd",
            "signed_on": jaarschijf.signed_on.isoformat() if jaarschijf.signed_on else "",
            "municipality": jaarschijf.municipality_id,
            "signatories-TOTAL_FORMS": "0",
            "signatories-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "geëvalueerd door de vaststelling" in response.content.decode()
    assert Jaarschijf.objects.get(pk=jaarschijf.pk).status == "vastgesteld"


def test_after_the_vaststelling_kernteam_cannot_post_an_update_but_beheerder_can(
    client, kernteamlid, beheerder, jaarschijf
):
    evaluate_through_the_vaststelling(jaarschijf, kernteamlid)

    login(client, kernteamlid)
    before = ProgressUpdate.objects.count()
    assert post_progress(client, action("1.7")).status_code == 403
    assert ProgressUpdate.objects.count() == before
    assert not kernteamlid.has_perm("agreements.update_action", action("1.7"))

    login(client, beheerder)
    response = post_progress(client, action("1.7"), explanation="Correctie na de evaluatie")
    assert response.status_code == 302
    assert ProgressUpdate.objects.count() == before + 1


def test_kernteam_cannot_reopen_an_evaluated_jaarschijf_but_the_beheerder_can(
    client, kernteamlid, beheerder, jaarschijf
):
    evaluate_through_the_vaststelling(jaarschijf, kernteamlid)

    login(client, kernteamlid)
    response = client.post(
        reverse("evaluation:jaarschijf-status", args=[YEAR]), {"status": "vastgesteld"}
    )
    assert response.status_code == 403
    assert Jaarschijf.objects.get(year=YEAR).status == "geevalueerd"

    login(client, beheerder)
    client.post(reverse("evaluation:jaarschijf-status", args=[YEAR]), {"status": "vastgesteld"})
    assert Jaarschijf.objects.get(year=YEAR).status == "vastgesteld"


def test_a_concept_cannot_skip_to_evaluated(client, kernteamlid, jaarschijf):
    new = next_jaarschijf(kernteamlid)
    login(client, kernteamlid)
    response = client.post(
        reverse("evaluation:jaarschijf-status", args=[new.year]),
        {"status": "geevalueerd"},
        follow=True,
    )
    assert Jaarschijf.objects.get(year=NEXT).status == "concept"
    assert response.status_code == 200

    client.post(reverse("evaluation:jaarschijf-status", args=[NEXT]), {"status": "vastgesteld"})
    assert Jaarschijf.objects.get(year=NEXT).status == "vastgesteld"


@pytest.mark.parametrize("persona", ["weller", "gemeente", "huurder"])
def test_others_cannot_change_the_status(client, personas, persona, jaarschijf):
    login(client, personas[persona])
    assert (
        client.post(
            reverse("evaluation:jaarschijf-status", args=[YEAR]), {"status": "concept"}
        ).status_code
        == 403
    )
    assert Jaarschijf.objects.get(year=YEAR).status == "vastgesteld"


def test_status_changes_only_by_post(client, kernteamlid, jaarschijf):
    login(client, kernteamlid)
    assert client.get(reverse("evaluation:jaarschijf-status", args=[YEAR])).status_code == 405
    assert Jaarschijf.objects.get(year=YEAR).status == "vastgesteld"


def test_jaarschijf_page_needs_few_queries(
    client, kernteamlid, jaarschijf, django_assert_max_num_queries
):
    next_jaarschijf(kernteamlid)
    login(client, kernteamlid)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("evaluation:jaarschijf-manage", args=[NEXT])).status_code == 200
