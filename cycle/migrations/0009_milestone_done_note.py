"""The note given when a milestone was closed, kept with the milestone (until then only in
its history as the reason "Afgerond: …"): a closed milestone gets the note of its latest
closing back from that history."""

from django.conf import settings
from django.db import migrations, models


CLOSED = "Afgerond: "


def notes_from_history(apps, schema_editor):
    """One read of the closings in the history (not a query per milestone: a large database
    has tens of thousands of closed milestones), then an update per milestone with a note."""
    milestone_model = apps.get_model("cycle", "Milestone")
    history = apps.get_model("cycle", "HistoricalMilestone")
    latest = {}  # milestone id -> the reason of its latest closing
    closings = (
        history.objects.filter(
            history_change_reason__startswith="Afgerond",
            id__in=milestone_model.objects.filter(done_on__isnull=False).values("pk"),
        )
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_change_reason")
    )
    for pk, reason in closings.iterator(chunk_size=2000):
        latest[pk] = reason
    for pk, reason in latest.items():
        if reason.startswith(CLOSED):
            milestone_model.objects.filter(pk=pk).update(done_note=reason[len(CLOSED) :][:4000])


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0014_indicator_realised_comparator_needs_number"),
        ("cycle", "0008_milestone_done_on"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalmilestone",
            name="done_note",
            field=models.TextField(
                blank=True,
                help_text="Hoe of waar de mijlpaal is gehaald; leeg bij een open mijlpaal.",
                max_length=4000,
                verbose_name="toelichting bij de afronding",
            ),
        ),
        migrations.AddField(
            model_name="milestone",
            name="done_note",
            field=models.TextField(
                blank=True,
                help_text="Hoe of waar de mijlpaal is gehaald; leeg bij een open mijlpaal.",
                max_length=4000,
                verbose_name="toelichting bij de afronding",
            ),
        ),
        migrations.AddConstraint(
            model_name="milestone",
            constraint=models.CheckConstraint(
                condition=models.Q(("done_note", ""), ("done_on__isnull", False), _connector="OR"),
                name="milestone_done_note_only_when_done",
            ),
        ),
        migrations.RunPython(notes_from_history, migrations.RunPython.noop, elidable=True),
    ]
