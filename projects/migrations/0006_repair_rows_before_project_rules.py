"""Rows made to hold the project rules before they become constraints (next migration): the
rules move from the form into the model: "een kwartaal vraagt een jaar" and
"vervallen vraagt een toelichting" (Project.clean() and, next migration, its constraints).

Rows stored before, through a path that did not run the form's check (the admin, the workbook
import, a command), may break them. Before the constraints are added, such rows are made to
hold, without inventing anything:

- **A quarter without a year** loses its quarter. "Q3" alone names no moment, and any year we
  filled in (the jaarschijf's, the next) would be a guess presented as the corporation's plan.
  The expected completion becomes "nog niet bekend", which is what the row really knew.
- **A lapsed project without an explanation** keeps its status (someone did decide it lapsed;
  turning it back would state something false) and gets, instead of a reason, the plain
  statement that no reason was recorded (NO_REASON). It names no cause; the corporation can
  replace it with the real reason.

Every changed row gets a new version (an open form on it is stale) and a history record with
the reason of the change, so the project's history shows the old value (a row without history
first gets its baseline record, as core.history.ensure_baseline makes). Nobody in the
application made this change: ``updated_by`` and the history user are empty. Reversing the
migration leaves the repaired values. (A migration of its own: PostgreSQL refuses to alter a
table in the transaction that just updated it with deferred foreign keys pending.)
"""

from datetime import timedelta

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

#: core.history.BASELINE_REASON at the time of this migration.
BASELINE_REASON = "Stand vóór de eerste wijziging (zoals geladen uit het document)"
NO_REASON = (
    "Reden niet vastgelegd: dit project is op vervallen gezet voordat een toelichting "
    "verplicht was."
)
QUARTER_REASON = (
    "Kwartaal van de oplevering gewist: een kwartaal zonder jaar noemt geen moment "
    "(regel 'een kwartaal vraagt een jaar')."
)
LAPSE_REASON = (
    "Toelichting aangevuld met 'reden niet vastgelegd' (regel 'vervallen vraagt een "
    "toelichting')."
)


def _record(HistoricalProject, project, reason, when):
    names = {f.attname for f in project._meta.concrete_fields}
    record = HistoricalProject(
        history_date=when, history_type="~", history_change_reason=reason, history_user=None
    )
    for field in HistoricalProject._meta.concrete_fields:
        if field.attname in names:
            setattr(record, field.attname, getattr(project, field.attname))
    record.save()


def repair_rows_that_break_the_rules(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    HistoricalProject = apps.get_model("projects", "HistoricalProject")
    quarter_alone = Q(expected_quarter__isnull=False, expected_year__isnull=True)
    lapsed_unexplained = Q(status="vervallen") & ~Q(explanation__regex=r"\S")
    now = timezone.now()
    for project in Project.objects.filter(quarter_alone | lapsed_unexplained).order_by("pk"):
        if not HistoricalProject.objects.filter(id=project.pk).exists():
            _record(HistoricalProject, project, BASELINE_REASON, now)
        reasons = []
        if project.expected_quarter is not None and project.expected_year is None:
            project.expected_quarter = None
            reasons.append(QUARTER_REASON)
        if project.status == "vervallen" and not project.explanation.strip():
            project.explanation = NO_REASON
            reasons.append(LAPSE_REASON)
        project.version += 1
        project.updated_by = None
        project.save(
            update_fields=["expected_quarter", "explanation", "version", "updated_by", "updated_at"]
        )
        _record(HistoricalProject, project, " ".join(reasons), now + timedelta(microseconds=1))



class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0005_dwellings_help_geen_is_zero'),
    ]

    operations = [
        migrations.RunPython(repair_rows_that_break_the_rules, migrations.RunPython.noop),
    ]
