"""Add a synthetic data set for speed measurements: ``manage.py generate_data --scale N``.

Each unit of scale is one extra jaarschijf modelled on the newest real one: its themes,
actions (with their parties), indicators, projects (with breakdowns), EFG label figures,
notes, BAT stock and headline figures, plus several progress updates per action. Rows are
written with ``bulk_create``, so history is not recorded for them.

The synthetic jaarschijven take the highest free years counting down from 2100 (the model
allows 2000–2100), far from the years real jaarschijven get, and they stay "concept", so the
site keeps opening on the real jaarschijf. Their title starts with SYNTHETIC_TITLE; running
the command again tops the set up to N, ``--delete`` removes it. The same seed gives the same
figures (dates are relative to today).
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from agreements.models import (
    Action,
    ActionParty,
    ActionStatus,
    HeadlineFigure,
    Indicator,
    IndicatorValue,
    Jaarschijf,
    ProgressUpdate,
    Theme,
)
from projects.models import Project, ProjectBreakdown
from sustainability.models import BatStock, EnergyLabelFigure, EnergyLabelNote

SYNTHETIC_TITLE = "Synthetische testgegevens"
HIGHEST_YEAR = 2100
LOWEST_YEAR = 2000
BATCH = 1000

EXPLANATIONS = {
    ActionStatus.OP_SCHEMA: [
        "Eerste overleg gevoerd; planning ligt vast.",
        "Werkgroep is gestart en komt maandelijks bijeen.",
        "Uitvoering loopt volgens plan.",
    ],
    ActionStatus.VERTRAAGD: [
        "Vertraagd door capaciteitsgebrek bij een van de partijen.",
        "Vergunningsprocedure duurt langer dan verwacht.",
        "Wacht op landelijke regelgeving.",
    ],
    ActionStatus.AFGEROND: ["Afgerond en besproken in het kernteam."],
    ActionStatus.VERVALLEN: ["Vervallen: opgenomen in een andere afspraak."],
}


class Command(BaseCommand):
    help = "Voegt synthetische jaarschijven toe (voor snelheidsmetingen) of verwijdert ze."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Aantal synthetische jaarschijven (standaard 1)."
        )
        parser.add_argument("--seed", type=int, default=2024, help="Startwaarde van het toeval.")
        parser.add_argument(
            "--delete", action="store_true", help="Verwijder alle synthetische jaarschijven."
        )

    def handle(self, *args, scale, seed, delete, verbosity=1, **options):
        if delete:
            removed = delete_synthetic()
            self.stdout.write(f"{removed} synthetische jaarschijven verwijderd.")
            return
        if scale < 0 or scale > HIGHEST_YEAR - LOWEST_YEAR:
            raise CommandError(f"--scale moet tussen 0 en {HIGHEST_YEAR - LOWEST_YEAR} liggen.")
        template = template_jaarschijf()
        existing = synthetic_jaarschijven().count()
        years = free_years(scale - existing)
        for year in years:
            generate_jaarschijf(template, year, random.Random(f"{seed}-{year}"))
            if verbosity > 1:
                self.stdout.write(f"Jaarschijf {year} toegevoegd.")
        self.stdout.write(
            f"{len(years)} synthetische jaarschijven toegevoegd; er zijn er nu {existing + len(years)}."
        )


def synthetic_jaarschijven():
    return Jaarschijf.objects.filter(title__startswith=SYNTHETIC_TITLE)


def template_jaarschijf() -> Jaarschijf:
    template = (
        Jaarschijf.objects.exclude(title__startswith=SYNTHETIC_TITLE)
        .filter(actions__isnull=False)
        .select_related("municipality")
        .order_by("-year")
        .first()
    )
    if template is None:
        raise CommandError(
            "Er is geen jaarschijf met afspraken om na te bootsen. "
            "Laad eerst de gegevens, bijvoorbeeld: manage.py loaddata jaarschijf-2024."
        )
    return template


def free_years(count: int) -> list[int]:
    if count <= 0:
        return []
    taken = set(Jaarschijf.objects.values_list("year", flat=True))
    years = [y for y in range(HIGHEST_YEAR, LOWEST_YEAR - 1, -1) if y not in taken][:count]
    if len(years) < count:
        raise CommandError(f"Er zijn maar {len(years)} vrije jaren tussen 2000 en 2100.")
    return years


def delete_synthetic() -> int:
    with transaction.atomic():
        synthetic = synthetic_jaarschijven()
        count = synthetic.count()
        # Actions first: a theme is protected while an action still refers to it.
        Action.objects.filter(jaarschijf__in=synthetic).delete()
        synthetic.delete()
    return count


def _jitter(rng, value, spread=0.2):
    if value is None:
        return None
    return max(0, round(value * rng.uniform(1 - spread, 1 + spread)))


@transaction.atomic
def generate_jaarschijf(template: Jaarschijf, year: int, rng: random.Random) -> Jaarschijf:
    now = timezone.now()
    jaarschijf = Jaarschijf.objects.create(
        year=year,
        title=f"{SYNTHETIC_TITLE} {year}",
        municipality=template.municipality,
        status=Jaarschijf.Status.CONCEPT,
    )

    themes = {}
    for theme in Theme.objects.filter(jaarschijf=template):
        themes[theme.pk] = Theme(
            jaarschijf=jaarschijf, number=theme.number, title=theme.title, intro=theme.intro
        )
    Theme.objects.bulk_create(themes.values())

    template_actions = list(Action.objects.filter(jaarschijf=template))
    actions = {}
    for action in template_actions:
        major, minor = Action.number_parts(action.number)
        actions[action.pk] = Action(
            jaarschijf=jaarschijf,
            theme=themes[action.theme_id],
            number=action.number,
            number_major=major,
            number_minor=minor,
            text=action.text,
            note=action.note,
        )
    Action.objects.bulk_create(actions.values(), batch_size=BATCH)

    links = list(ActionParty.objects.filter(action__jaarschijf=template))
    ActionParty.objects.bulk_create(
        [
            ActionParty(
                action=actions[link.action_id],
                party_id=link.party_id,
                is_lead=link.is_lead,
                sort_order=link.sort_order,
            )
            for link in links
        ],
        batch_size=BATCH,
    )
    leads = {link.action_id: link.party_id for link in links if link.is_lead}

    updates = []
    for old_pk, action in actions.items():
        updates.extend(_progress_updates(rng, action, leads.get(old_pk), now))
    ProgressUpdate.objects.bulk_create(updates, batch_size=BATCH)

    indicators = {}
    for indicator in Indicator.objects.filter(jaarschijf=template):
        indicators[indicator.pk] = Indicator(
            jaarschijf=jaarschijf,
            action=actions[indicator.action_id],
            code=indicator.code,
            name=indicator.name,
            unit=indicator.unit,
            comparator=indicator.comparator,
            sort_order=indicator.sort_order,
            note=indicator.note,
        )
    Indicator.objects.bulk_create(indicators.values())
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                indicator=indicators[value.indicator_id],
                party_id=value.party_id,
                period=value.period,
                target=value.target,
                target_text=value.target_text,
                realised=(
                    (value.target * Decimal(rng.choice(["0.8", "0.95", "1", "1", "1.1"]))).quantize(
                        Decimal("0.01")
                    )
                    if value.target is not None and rng.random() < 0.6
                    else None
                ),
                sort_order=value.sort_order,
            )
            for value in IndicatorValue.objects.filter(indicator__jaarschijf=template)
        ]
    )

    _projects(template, jaarschijf, rng)
    _sustainability(template, jaarschijf, rng)
    HeadlineFigure.objects.bulk_create(
        [
            HeadlineFigure(
                jaarschijf=jaarschijf,
                sort_order=figure.sort_order,
                label=figure.label,
                theme_label=figure.theme_label,
                printed_value=figure.printed_value,
                source=figure.source,
                category=figure.category,
                year=figure.year,
                note=figure.note,
            )
            for figure in HeadlineFigure.objects.filter(jaarschijf=template)
        ]
    )
    return jaarschijf


def _progress_updates(rng, action, party_id, now):
    """Two to five updates spread over the last year, each a step further than the last."""
    count = rng.randint(2, 5)
    days_ago = sorted(rng.sample(range(1, 400), count), reverse=True)
    percent = 0
    status = ActionStatus.OP_SCHEMA
    updates = []
    for index, days in enumerate(days_ago):
        last = index == count - 1
        percent = min(100, percent + rng.randint(5, 40))
        if last:
            status = rng.choices(
                [
                    ActionStatus.OP_SCHEMA,
                    ActionStatus.VERTRAAGD,
                    ActionStatus.AFGEROND,
                    ActionStatus.VERVALLEN,
                ],
                weights=[55, 20, 20, 5],
            )[0]
        else:
            status = rng.choice(
                [ActionStatus.OP_SCHEMA, ActionStatus.OP_SCHEMA, ActionStatus.VERTRAAGD]
            )
        if status == ActionStatus.AFGEROND:
            percent = 100
        updates.append(
            ProgressUpdate(
                action=action,
                party_id=party_id,
                created_at=now - timedelta(days=days, minutes=rng.randint(0, 600)),
                status=status,
                percent_done=percent,
                explanation=rng.choice(EXPLANATIONS[status]),
            )
        )
    return updates


def _projects(template, jaarschijf, rng):
    template_projects = list(Project.objects.filter(jaarschijf=template))
    projects = {}
    statuses = list(Project.Status.values)
    for project in template_projects:
        dwellings = _jitter(rng, project.dwellings)
        status = rng.choice(statuses)
        realised = None
        if dwellings is not None and status == Project.Status.GEREALISEERD:
            realised = dwellings
        elif dwellings is not None and status == Project.Status.IN_UITVOERING:
            realised = rng.randint(0, dwellings)
        projects[project.pk] = Project(
            jaarschijf=jaarschijf,
            category=project.category,
            position=project.position,
            name=project.name,
            neighbourhood=project.neighbourhood,
            corporation_id=project.corporation_id,
            dwellings=dwellings,
            dwellings_text=project.dwellings_text,
            dwelling_type=project.dwelling_type,
            bat_class=project.bat_class,
            rent_class=project.rent_class,
            description=project.description,
            source_note=project.source_note,
            status=status,
            realised_dwellings=realised,
            expected_year=jaarschijf.year if rng.random() < 0.7 else None,
            expected_quarter=rng.randint(1, 4) if rng.random() < 0.5 else None,
        )
    Project.objects.bulk_create(projects.values(), batch_size=BATCH)
    duplicates = []
    for project in template_projects:
        if project.possible_duplicate_of_id in projects:
            copy = projects[project.pk]
            copy.possible_duplicate_of = projects[project.possible_duplicate_of_id]
            duplicates.append(copy)
    Project.objects.bulk_update(duplicates, ["possible_duplicate_of"])
    ProjectBreakdown.objects.bulk_create(
        [
            ProjectBreakdown(
                project=projects[row.project_id],
                kind=row.kind,
                position=row.position,
                label=row.label,
                count=row.count,
                approximate=row.approximate,
            )
            for row in ProjectBreakdown.objects.filter(project__jaarschijf=template)
        ],
        batch_size=BATCH,
    )


def _sustainability(template, jaarschijf, rng):
    figures = []
    for figure in EnergyLabelFigure.objects.filter(jaarschijf=template):
        target = _jitter(rng, figure.target, 0.1)
        reported = figure.year <= template.year or rng.random() < 0.3
        figures.append(
            EnergyLabelFigure(
                jaarschijf=jaarschijf,
                corporation_id=figure.corporation_id,
                year=figure.year,
                target=target,
                realised=_jitter(rng, target, 0.15) if reported and target is not None else None,
            )
        )
    EnergyLabelFigure.objects.bulk_create(figures, batch_size=BATCH)
    EnergyLabelNote.objects.bulk_create(
        [
            EnergyLabelNote(
                jaarschijf=jaarschijf, corporation_id=note.corporation_id, text=note.text
            )
            for note in EnergyLabelNote.objects.filter(jaarschijf=template)
        ]
    )
    BatStock.objects.bulk_create(
        [
            BatStock(
                jaarschijf=jaarschijf,
                corporation_id=row.corporation_id,
                bat_class=row.bat_class,
                reference_date=row.reference_date,
                count=_jitter(rng, row.count, 0.05),
            )
            for row in BatStock.objects.filter(jaarschijf=template)
        ]
    )
