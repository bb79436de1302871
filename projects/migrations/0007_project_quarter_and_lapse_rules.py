"""The project rules in the database: "een kwartaal vraagt een jaar" and "vervallen vraagt een
toelichting" (Project.clean() gives the same messages at the field). The rows that broke them
were repaired by the previous migration, without inventing a year or a reason.

The expected year loses its fixed validators (2000-2100): its range depends on the jaarschijf
(2000 up to 30 years after it) and is checked by Project.clean() (no change in the database).
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0009_widen_jaarschijf_year_to_four_digits'),
        ('projects', '0006_repair_rows_before_project_rules'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='project',
            constraint=models.CheckConstraint(condition=models.Q(('expected_quarter__isnull', True), ('expected_year__isnull', False), _connector='OR'), name='project_quarter_needs_year', violation_error_message='Vul ook het jaar in bij het kwartaal van de oplevering.'),
        ),
        migrations.AddConstraint(
            model_name='project',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'vervallen'), _negated=True), ('explanation__regex', '\\S'), _connector='OR'), name='project_vervallen_needs_explanation', violation_error_message='Licht toe waarom het project vervalt.'),
        ),
        migrations.AlterField(
            model_name='historicalproject',
            name='expected_year',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='verwachte oplevering (jaar)'),
        ),
        migrations.AlterField(
            model_name='project',
            name='expected_year',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='verwachte oplevering (jaar)'),
        ),
    ]
