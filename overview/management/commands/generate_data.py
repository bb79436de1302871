"""Add a synthetic data set for speed measurements: ``manage.py generate_data --scale N``.

Each unit of scale is one extra jaarschijf modelled on the newest real one: its themes,
actions (with their parties), indicators, projects (with breakdowns), EFG label figures,
notes, BAT stock and headline figures, plus several progress updates per action and its
milestones (dated relative to today: some done, some overdue, some due soon, so Mijn werk and
the reminders have work at every scale). Rows are written with ``bulk_create``, so history is
not recorded for them.

The synthetic jaarschijven take the free years counting down from 2100 to 2000, far from the
years real jaarschijven get, and beyond that (scale over about 100) the free years from 2101
upwards; they stay "concept", so the site keeps opening on the real jaarschijf. Their title
starts with SYNTHETIC_TITLE and ends with the (unique) year; running the command again tops the
set up to N, ``--delete`` removes it. The same seed gives the same figures (dates are relative
to today). Jaarschijven are written in batches of JAARSCHIJVEN_PER_BATCH, each kind of row with
one ``bulk_create`` per batch: scale 1000 takes minutes, not an hour.
"""

import random
from dataclasses import dataclass
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
from core.formats import nl_date
from cycle.models import Milestone
from projects.models import Project, ProjectBreakdown
from sustainability.models import BatStock, EnergyLabelFigure, EnergyLabelNote

SYNTHETIC_TITLE = "Synthetische testgegevens"
#: The synthetic years count down from here to the first year a jaarschijf may have, then up.
HIGHEST_YEAR = 2100
LOWEST_YEAR = Jaarschijf.FIRST_YEAR
MAX_SCALE = Jaarschijf.LAST_YEAR - Jaarschijf.FIRST_YEAR + 1
#: A project's expected delivery year the project form accepts.
PROJECT_LAST_YEAR = 2100
BATCH = 1000
JAARSCHIJVEN_PER_BATCH = 20

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
#: A lapsed project explains why (Project.clean()); synthetic rows say so in synthetic words.
#: A synthetic milestone falls due this many days before or after today.
MILESTONE_DAYS_BEFORE, MILESTONE_DAYS_AFTER = 730, 60
#: The share of past milestones that is done (the rest is overdue).
MILESTONE_DONE_SHARE = 0.5
PROJECT_LAPSE_EXPLANATIONS = [
    "Vervallen: de locatie is niet beschikbaar gekomen.",
    "Vervallen: het plan is opgenomen in een ander project.",
    "Vervallen: de financiering is niet rond gekomen.",
]


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
        if scale < 0 or scale > MAX_SCALE:
            raise CommandError(f"--scale moet tussen 0 en {MAX_SCALE} liggen.")
        existing = synthetic_jaarschijven().count()
        years = free_years(scale - existing)
        if years:
            template = Template.of(template_jaarschijf())
        for start in range(0, len(years), JAARSCHIJVEN_PER_BATCH):
            chunk = years[start : start + JAARSCHIJVEN_PER_BATCH]
            generate_jaarschijven(
                template, [(year, random.Random(f"{seed}-{year}")) for year in chunk]
            )
            if verbosity > 1:
                self.stdout.write(f"Jaarschijven {', '.join(map(str, chunk))} toegevoegd.")
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
    order = [
        *range(HIGHEST_YEAR, LOWEST_YEAR - 1, -1),
        *range(HIGHEST_YEAR + 1, Jaarschijf.LAST_YEAR + 1),
    ]
    years = [y for y in order if y not in taken][:count]
    if len(years) < count:
        raise CommandError(
            f"Er zijn maar {len(years)} vrije jaren tussen {Jaarschijf.FIRST_YEAR} "
            f"en {Jaarschijf.LAST_YEAR}."
        )
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


@dataclass
class Template:
    """The rows of the real jaarschijf every synthetic one copies, read once."""

    jaarschijf: Jaarschijf
    themes: list
    actions: list
    links: list
    indicators: list
    values: list
    projects: list
    breakdowns: list
    label_figures: list
    label_notes: list
    bat: list
    headlines: list
    milestones: list

    @classmethod
    def of(cls, jaarschijf):
        return cls(
            jaarschijf=jaarschijf,
            themes=list(Theme.objects.filter(jaarschijf=jaarschijf).order_by("pk")),
            actions=list(Action.objects.filter(jaarschijf=jaarschijf).order_by("pk")),
            links=list(ActionParty.objects.filter(action__jaarschijf=jaarschijf).order_by("pk")),
            indicators=list(Indicator.objects.filter(jaarschijf=jaarschijf).order_by("pk")),
            values=list(
                IndicatorValue.objects.filter(indicator__jaarschijf=jaarschijf).order_by("pk")
            ),
            projects=list(Project.objects.filter(jaarschijf=jaarschijf).order_by("pk")),
            breakdowns=list(
                ProjectBreakdown.objects.filter(project__jaarschijf=jaarschijf).order_by("pk")
            ),
            label_figures=list(
                EnergyLabelFigure.objects.filter(jaarschijf=jaarschijf).order_by("pk")
            ),
            label_notes=list(EnergyLabelNote.objects.filter(jaarschijf=jaarschijf).order_by("pk")),
            bat=list(BatStock.objects.filter(jaarschijf=jaarschijf).order_by("pk")),
            headlines=list(HeadlineFigure.objects.filter(jaarschijf=jaarschijf).order_by("pk")),
            milestones=list(Milestone.objects.filter(jaarschijf=jaarschijf).order_by("pk")),
        )


@transaction.atomic
def generate_jaarschijven(template: Template, years: list[tuple[int, random.Random]]) -> list:
    """Synthetic jaarschijven for ``years`` (each with its own random generator).

    Every kind of row is written with one ``bulk_create`` for the whole batch, so the cost
    per jaarschijf is a share of a dozen statements, not a dozen statements.
    """
    now = timezone.now()
    source = template.jaarschijf
    jaarschijven = Jaarschijf.objects.bulk_create(
        [
            Jaarschijf(
                year=year,
                title=f"{SYNTHETIC_TITLE} {year}",
                municipality_id=source.municipality_id,
                status=Jaarschijf.Status.CONCEPT,
            )
            for year, _rng in years
        ]
    )
    batch = list(zip(jaarschijven, [rng for _year, rng in years], strict=True))

    themes = {}  # (jaarschijf year, template pk) -> copy
    for jaarschijf, _rng in batch:
        for theme in template.themes:
            themes[jaarschijf.year, theme.pk] = Theme(
                jaarschijf=jaarschijf, number=theme.number, title=theme.title, intro=theme.intro
            )
    Theme.objects.bulk_create(themes.values(), batch_size=BATCH)

    actions = {}
    for jaarschijf, _rng in batch:
        for action in template.actions:
            major, minor = Action.number_parts(action.number)
            actions[jaarschijf.year, action.pk] = Action(
                jaarschijf=jaarschijf,
                theme=themes[jaarschijf.year, action.theme_id],
                number=action.number,
                number_major=major,
                number_minor=minor,
                text=action.text,
                note=action.note,
            )
    Action.objects.bulk_create(actions.values(), batch_size=BATCH)

    leads = {link.action_id: link.party_id for link in template.links if link.is_lead}
    links, updates, indicators = [], [], {}
    for jaarschijf, rng in batch:
        y = jaarschijf.year
        links += [
            ActionParty(
                action=actions[y, link.action_id],
                party_id=link.party_id,
                is_lead=link.is_lead,
                sort_order=link.sort_order,
            )
            for link in template.links
        ]
        for action in template.actions:
            updates += _progress_updates(rng, actions[y, action.pk], leads.get(action.pk), now)
        for indicator in template.indicators:
            indicators[y, indicator.pk] = Indicator(
                jaarschijf=jaarschijf,
                action=actions[y, indicator.action_id],
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                sort_order=indicator.sort_order,
                note=indicator.note,
            )
    ActionParty.objects.bulk_create(links, batch_size=BATCH)
    ProgressUpdate.objects.bulk_create(updates, batch_size=BATCH)
    Indicator.objects.bulk_create(indicators.values(), batch_size=BATCH)

    values = []
    for jaarschijf, rng in batch:
        values += [
            IndicatorValue(
                indicator=indicators[jaarschijf.year, value.indicator_id],
                party_id=value.party_id,
                period=value.period,
                target=value.target,
                target_text=value.target_text,
                target_comparator=value.target_comparator,
                target_state=value.target_state,
                target_qualifier=value.target_qualifier,
                realised=(
                    (value.target * Decimal(rng.choice(["0.8", "0.95", "1", "1", "1.1"]))).quantize(
                        Decimal("0.01")
                    )
                    if value.target is not None and rng.random() < 0.6
                    else None
                ),
                sort_order=value.sort_order,
            )
            for value in template.values
        ]
    IndicatorValue.objects.bulk_create(values, batch_size=BATCH)

    _projects(template, batch)
    _sustainability(template, batch)
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
            for jaarschijf, _rng in batch
            for figure in template.headlines
        ],
        batch_size=BATCH,
    )
    # Last, so the random draws of the other rows stay what they were for a seed.
    _milestones(template, batch, actions, now)
    return jaarschijven


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


def _milestones(template, batch, actions, now):
    """The template's milestones, each due on a day around today: stated to the day (the
    period a date like "Q1 2024" names would not match a moved date), done for about half of
    those in the past, so the rest is overdue. The rules of Milestone.clean() hold: the action
    is the copy in the same jaarschijf, the agreed term is written out."""
    on = timezone.localdate(now)
    milestones = []
    for jaarschijf, rng in batch:
        for milestone in template.milestones:
            due = on + timedelta(days=rng.randint(-MILESTONE_DAYS_BEFORE, MILESTONE_DAYS_AFTER))
            done = due < on and rng.random() < MILESTONE_DONE_SHARE
            days_early = rng.randint(0, 30) if done else 0
            milestones.append(
                Milestone(
                    jaarschijf=jaarschijf,
                    action=actions[jaarschijf.year, milestone.action_id]
                    if milestone.action_id
                    else None,
                    code=milestone.code,
                    description=milestone.description,
                    due_date=due,
                    due_precision=Milestone.Precision.DAY,
                    due_text=f"uiterlijk {nl_date(due)}",
                    responsible_id=milestone.responsible_id,
                    # Done on a day before it was due, recorded that day (done_by stays
                    # empty: no one did it).
                    done_on=due - timedelta(days=days_early) if done else None,
                    done_at=now - timedelta(days=(on - due).days + days_early) if done else None,
                    sort_order=milestone.sort_order,
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)


def _projects(template, batch):
    projects = {}
    statuses = list(Project.Status.values)
    for jaarschijf, rng in batch:
        for project in template.projects:
            dwellings = _jitter(rng, project.dwellings)
            status = rng.choice(statuses)
            realised = None
            if dwellings is not None and status == Project.Status.GEREALISEERD:
                realised = dwellings
            elif dwellings is not None and status == Project.Status.IN_UITVOERING:
                realised = rng.randint(0, dwellings)
            expected = rng.random() < 0.7
            # A quarter only with a year, and a lapsed project with its reason: the project
            # rules (Project.clean() and its constraints) hold for synthetic rows too.
            # (The random draws stay as they were: the same seed gives the same other figures.)
            quarter = rng.randint(1, 4) if rng.random() < 0.5 else None
            explanation = (
                PROJECT_LAPSE_EXPLANATIONS[project.position % len(PROJECT_LAPSE_EXPLANATIONS)]
                if status == Project.Status.VERVALLEN
                else ""
            )
            projects[jaarschijf.year, project.pk] = Project(
                jaarschijf=jaarschijf,
                category=project.category,
                position=project.position,
                name=project.name,
                neighbourhood=project.neighbourhood,
                corporation_id=project.corporation_id,
                dwellings=dwellings,
                dwellings_comparator=project.dwellings_comparator,
                dwellings_state=project.dwellings_state,
                dwellings_text=project.dwellings_text,
                dwelling_type=project.dwelling_type,
                bat_class=project.bat_class,
                rent_class=project.rent_class,
                description=project.description,
                source_note=project.source_note,
                status=status,
                realised_dwellings=realised,
                # A delivery year the project form accepts (up to 2100), whatever the year.
                expected_year=min(jaarschijf.year, PROJECT_LAST_YEAR) if expected else None,
                expected_quarter=quarter if expected else None,
                explanation=explanation,
            )
    Project.objects.bulk_create(projects.values(), batch_size=BATCH)
    duplicates = []
    for jaarschijf, _rng in batch:
        for project in template.projects:
            if project.possible_duplicate_of_id is not None:
                copy = projects[jaarschijf.year, project.pk]
                original = projects.get((jaarschijf.year, project.possible_duplicate_of_id))
                if original is not None:
                    copy.possible_duplicate_of = original
                    duplicates.append(copy)
    Project.objects.bulk_update(duplicates, ["possible_duplicate_of"], batch_size=BATCH)
    ProjectBreakdown.objects.bulk_create(
        [
            ProjectBreakdown(
                project=projects[jaarschijf.year, row.project_id],
                kind=row.kind,
                position=row.position,
                label=row.label,
                count=row.count,
                approximate=row.approximate,
            )
            for jaarschijf, _rng in batch
            for row in template.breakdowns
        ],
        batch_size=BATCH,
    )


def _sustainability(template, batch):
    figures, notes, stock = [], [], []
    for jaarschijf, rng in batch:
        for figure in template.label_figures:
            target = _jitter(rng, figure.target, 0.1)
            reported = figure.year <= template.jaarschijf.year or rng.random() < 0.3
            figures.append(
                EnergyLabelFigure(
                    jaarschijf=jaarschijf,
                    corporation_id=figure.corporation_id,
                    year=figure.year,
                    target=target,
                    realised=_jitter(rng, target, 0.15)
                    if reported and target is not None
                    else None,
                )
            )
        notes += [
            EnergyLabelNote(
                jaarschijf=jaarschijf, corporation_id=note.corporation_id, text=note.text
            )
            for note in template.label_notes
        ]
        stock += [
            BatStock(
                jaarschijf=jaarschijf,
                corporation_id=row.corporation_id,
                bat_class=row.bat_class,
                reference_date=row.reference_date,
                count=_jitter(rng, row.count, 0.05),
            )
            for row in template.bat
        ]
    EnergyLabelFigure.objects.bulk_create(figures, batch_size=BATCH)
    EnergyLabelNote.objects.bulk_create(notes, batch_size=BATCH)
    BatStock.objects.bulk_create(stock, batch_size=BATCH)
