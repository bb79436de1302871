"""A loaded jaarschijf has history from its signing on, so a round's report knows what it said.

``manage.py load_jaarschijf`` (scripts/start.sh, and the tests' own data) gives every row it
loads a first history record dated at the start of the signing day. Without it a figure that
is first changed after a round's deadline has no record from before the deadline, and the
frozen report says "onbekend" where the document stated a value.
"""

import json
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from agreements.models import IndicatorValue, Jaarschijf
from core.history import BASELINE_REASON
from cycle.models import ReportingRound
from cycle.services import close_round, open_round
from projects.models import Neighbourhood
from sustainability.models import EnergyLabelFigure
from sustainability.services import LabelRealisation, record_label_realisations

from .factories import YEAR, party

pytestmark = pytest.mark.django_db

SIGNED_ON = date(2026, 2, 20)


@pytest.fixture
def signed_document(tmp_path, jaarschijf):
    """A small signed jaarschijf whose document already states a realisation: Weller's EFG
    count of 2025 was 480 (the 2024 document states targets only)."""
    path = tmp_path / "jaarschijf-2026.json"
    path.write_text(
        json.dumps(
            [
                {
                    "model": "agreements.jaarschijf",
                    "fields": {
                        "year": 2026,
                        "title": "Testjaarschijf",
                        "municipality": ["Gemeente Heerlen"],
                        "signed_on": SIGNED_ON.isoformat(),
                        "status": "vastgesteld",
                        "previous": [YEAR],
                    },
                },
                {
                    "model": "sustainability.energylabelfigure",
                    "fields": {
                        "jaarschijf": [2026],
                        "corporation": ["Weller"],
                        "year": 2025,
                        "target": 500,
                        "realised": 480,
                        "updated_by": None,
                        "version": 1,
                    },
                },
            ]
        ),
        encoding="utf-8",
    )
    return path


def weller_2025():
    return EnergyLabelFigure.objects.get(jaarschijf__year=2026, corporation__name="Weller")


def test_every_loaded_row_has_one_record_dated_at_the_signing_by_nobody(jaarschijf):
    signed = timezone.make_aware(datetime.combine(jaarschijf.signed_on, time.min))
    for model in (Jaarschijf, IndicatorValue, EnergyLabelFigure):
        rows = model.objects.all()
        records = model.history.all()
        assert records.count() == rows.count() > 0, model.__name__
        assert set(records.values_list("history_date", flat=True)) == {signed}
        assert set(records.values_list("history_change_reason", flat=True)) == {BASELINE_REASON}
        assert not records.filter(history_user__isnull=False).exists()


def test_loading_the_same_document_again_adds_no_history(jaarschijf):
    before = IndicatorValue.history.count() + EnergyLabelFigure.history.count()
    call_command("load_jaarschijf", "jaarschijf-2024", verbosity=0)
    assert IndicatorValue.history.count() + EnergyLabelFigure.history.count() == before


def test_a_fixture_without_exactly_one_jaarschijf_is_refused_and_loads_nothing(
    tmp_path, jaarschijf
):
    path = tmp_path / "wijk.json"
    path.write_text(
        json.dumps([{"model": "projects.neighbourhood", "fields": {"name": "Nieuwe wijk"}}]),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="precies één jaarschijf"):
        call_command("load_jaarschijf", str(path), verbosity=0)
    assert not Neighbourhood.objects.filter(name="Nieuwe wijk").exists()


def test_a_figure_first_edited_after_the_deadline_keeps_the_documents_value_in_the_report(
    signed_document, kernteamlid, weller_medewerker
):
    call_command("load_jaarschijf", str(signed_document), verbosity=0)
    jaarschijf = Jaarschijf.objects.get(year=2026)
    reporting_round = open_round(
        jaarschijf=jaarschijf,
        user=kernteamlid,
        name="EFG-realisatie 2025",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        deadline=timezone.localdate(),
        items=[{"kind": "efg"}],
    )
    ReportingRound.objects.filter(pk=reporting_round.pk).update(
        opened_at=timezone.now() - timedelta(days=10),
        deadline=timezone.localdate() - timedelta(days=2),
    )
    reporting_round.refresh_from_db()
    figure = weller_2025()
    # After the deadline Weller corrects the document's figure: its first change ever.
    record_label_realisations(
        user=weller_medewerker,
        jaarschijf=jaarschijf,
        corporation=party("Weller"),
        rows=[LabelRealisation(figure_id=figure.pk, version=figure.version, realised=470)],
    )
    assert weller_2025().realised == 470

    closed = close_round(reporting_round=reporting_round, user=kernteamlid, version=1)

    asks = {row["party_slug"]: row for row in closed.snapshot["asks"]}
    assert asks["weller"]["value"] == "480"  # what the document said at the deadline
    assert asks["weller"]["delivered"] is False  # the document's value is no delivery
