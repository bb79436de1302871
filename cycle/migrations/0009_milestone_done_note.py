"""The note given when a milestone was closed, kept with the milestone (until then only in
its history as the reason "Afgerond: …"): a closed milestone gets the note of its latest
closing back from that history."""

from django.conf import settings
from django.db import migrations, models


CLOSED = "Afgerond: "


def notes_from_history(apps, schema_editor):
    milestone_model = apps.get_model("cycle", "Milestone")
    history = apps.get_model("cycle", "HistoricalMilestone")
    for milestone in milestone_model.objects.filter(done_on__isnull=False).only("pk"):
        closing = (
            history.objects.filter(id=milestone.pk, history_change_reason__startswith="Afgerond")
            .order_by("-history_date", "-history_id")
            .values_list("history_change_reason", flat=True)
            .first()
        )
        if closing and closing.startswith(CLOSED):
            milestone_model.objects.filter(pk=milestone.pk).update(
                done_note=closing[len(CLOSED) :][:4000]
            )


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
