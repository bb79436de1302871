"""manage.py generate_data: a realistic synthetic data set for speed measurements."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from agreements.models import Action, Jaarschijf, Party, ProgressUpdate
from cycle.models import UPCOMING_DAYS, Milestone, today
from overview.jaarschijf import all_jaarschijven, select_jaarschijf
from overview.management.commands.generate_data import SYNTHETIC_TITLE
from projects.models import Project
from sustainability.models import BatStock, EnergyLabelFigure

from .factories import party

pytestmark = pytest.mark.django_db


def generate(**options):
    call_command("generate_data", verbosity=0, **options)


def synthetic():
    return Jaarschijf.objects.filter(title__startswith=SYNTHETIC_TITLE)


def test_each_unit_of_scale_adds_a_jaarschijf_modelled_on_the_real_one(jaarschijf):
    parties = Party.objects.count()

    generate(scale=3)

    assert synthetic().count() == 3
    real_actions = Action.objects.filter(jaarschijf=jaarschijf).count()
    real_projects = Project.objects.filter(jaarschijf=jaarschijf).count()
    for copy in synthetic():
        assert Action.objects.filter(jaarschijf=copy).count() == real_actions
        assert Project.objects.filter(jaarschijf=copy).count() == real_projects
        assert EnergyLabelFigure.objects.filter(jaarschijf=copy).count() == (
            EnergyLabelFigure.objects.filter(jaarschijf=jaarschijf).count()
        )
        assert BatStock.objects.filter(jaarschijf=copy).exists()
    assert Party.objects.count() == parties


def test_every_synthetic_action_gets_several_progress_updates(jaarschijf):
    generate(scale=1)

    counts = (
        Action.objects.filter(jaarschijf__in=synthetic())
        .annotate(updates_count=Count("updates"))
        .values_list("updates_count", flat=True)
    )
    assert min(counts) >= 2
    late = ProgressUpdate.objects.filter(action__jaarschijf__in=synthetic(), status="vertraagd")
    assert late.exists()
    assert not late.filter(explanation="").exists()


def test_every_synthetic_jaarschijf_gets_the_real_ones_milestones_some_done_some_overdue(
    jaarschijf,
):
    real = Milestone.objects.filter(jaarschijf=jaarschijf)

    generate(scale=3)

    on = today()
    for copy in synthetic():
        milestones = Milestone.objects.filter(jaarschijf=copy)
        assert sorted(milestones.values_list("code", "responsible")) == sorted(
            real.values_list("code", "responsible")
        )
        assert milestones.filter(action__isnull=True).count() == (
            real.filter(action__isnull=True).count()
        )
        assert milestones.exclude(done_at=None).exists()
        assert milestones.overdue(on).exists()
    # Across the set something is also due within the coming days (Mijn werk's "Binnenkort").
    every = Milestone.objects.filter(jaarschijf__in=synthetic())
    assert every.upcoming(on, UPCOMING_DAYS).exists()
    # The model's rules hold: each passes full_clean (its action in the same jaarschijf, the
    # agreed term written out as the date it names).
    for milestone in every.select_related("action", "jaarschijf"):
        milestone.full_clean()
        assert milestone.due_text == f"uiterlijk {milestone.due_date:%d-%m-%Y}"
        assert milestone.done_on is None or milestone.done_on <= milestone.due_date


def test_the_milestones_of_a_party_grow_with_the_scale(jaarschijf):
    """So the benchmark can show whether Mijn werk grows with the number of jaarschijven."""
    weller = party("Weller")
    generate(scale=1)
    one = Milestone.objects.for_party(weller).overdue().count()

    generate(scale=4)

    assert Milestone.objects.for_party(weller).overdue().count() > one > 0


def test_synthetic_years_count_down_from_2100_and_skip_years_in_use(jaarschijf):
    Jaarschijf.objects.create(
        year=2099, title="Echt", municipality=party("Gemeente Heerlen"), status="concept"
    )

    generate(scale=3)

    assert sorted(synthetic().values_list("year", flat=True)) == [2097, 2098, 2100]


def test_the_site_keeps_opening_on_the_real_jaarschijf(jaarschijf, rf):
    generate(scale=2)
    request = rf.get("/")
    request.session = {}

    assert select_jaarschijf(request, all_jaarschijven()) == jaarschijf
    assert set(synthetic().values_list("status", flat=True)) == {"concept"}


def test_running_again_tops_the_set_up_instead_of_doubling_it(jaarschijf):
    generate(scale=2)
    generate(scale=2)
    assert synthetic().count() == 2

    generate(scale=5)
    assert synthetic().count() == 5


def test_the_same_seed_gives_the_same_figures(jaarschijf):
    def figures():
        return list(
            Project.objects.filter(jaarschijf__in=synthetic())
            .order_by("jaarschijf__year", "category", "position")
            .values_list("dwellings", "status", "realised_dwellings")
        )

    generate(scale=2, seed=7)
    first = figures()
    generate(delete=True)
    generate(scale=2, seed=7)
    assert figures() == first

    generate(delete=True)
    generate(scale=2, seed=8)
    assert figures() != first


def test_delete_removes_only_the_synthetic_jaarschijven(jaarschijf):
    actions = Action.objects.filter(jaarschijf=jaarschijf).count()
    generate(scale=2)

    generate(delete=True)

    assert not synthetic().exists()
    assert Action.objects.filter(jaarschijf=jaarschijf).count() == actions


def test_past_2100_the_synthetic_years_go_on_from_2101_each_with_its_own_title(jaarschijf):
    # Every year from 2000 to 2100 taken, as after generate_data --scale 100.
    Jaarschijf.objects.bulk_create(
        Jaarschijf(year=year, title=f"Bezet {year}", municipality=jaarschijf.municipality)
        for year in range(2000, 2101)
        if year != jaarschijf.year
    )

    generate(scale=2)

    assert sorted(synthetic().values_list("year", "title")) == [
        (2101, f"{SYNTHETIC_TITLE} 2101"),
        (2102, f"{SYNTHETIC_TITLE} 2102"),
    ]
    copy = synthetic().get(year=2102)
    assert Action.objects.filter(jaarschijf=copy).count() == (
        Action.objects.filter(jaarschijf=jaarschijf).count()
    )
    # The copied projects keep a delivery year the project form accepts.
    assert not Project.objects.filter(jaarschijf=copy, expected_year__gt=2100).exists()


def test_more_jaarschijven_than_fit_a_batch_are_all_written(jaarschijf, monkeypatch):
    from overview.management.commands import generate_data

    monkeypatch.setattr(generate_data, "JAARSCHIJVEN_PER_BATCH", 2)

    generate(scale=5)

    assert sorted(synthetic().values_list("year", flat=True)) == [2096, 2097, 2098, 2099, 2100]
    per_year = (
        Action.objects.filter(jaarschijf__in=synthetic())
        .values("jaarschijf")
        .annotate(n=Count("pk"))
    )
    assert {row["n"] for row in per_year} == {Action.objects.filter(jaarschijf=jaarschijf).count()}


def test_a_scale_beyond_the_four_digit_years_is_refused_in_dutch(jaarschijf):
    with pytest.raises(CommandError, match="moet tussen 0 en 8000 liggen"):
        generate(scale=8001)
    assert not synthetic().exists()
