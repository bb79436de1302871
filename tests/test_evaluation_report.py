"""The evaluation report: the PDF the council receives, and the same report as a page."""

import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from agreements.models import Action, Evaluation, Party, Theme
from evaluation import vaststelling
from evaluation.report import VERDICT_SERIES

from .factories import action, decide, login, party_user, pdf_upload

pytestmark = pytest.mark.django_db

VERDICTS = {
    "1.7": "behaald",
    "1.10": "deels_behaald",
    "2.1": "niet_behaald",
    "3.1": "doorgeschoven",
    "3.2": "behaald",
}


def judge(kernteamlid):
    for number, assessment in VERDICTS.items():
        Evaluation.objects.create(
            action=action(number),
            author=kernteamlid,
            assessment="niet_behaald",
            explanation="Eerste oordeel",
        )
        # The latest evaluation counts: the first one above is overruled.
        Evaluation.objects.create(
            action=action(number),
            author=kernteamlid,
            assessment=assessment,
            explanation=f"Toelichting bij {number}",
        )


def tally_from_database(jaarschijf) -> Counter:
    counts = Counter()
    for act in Action.objects.filter(jaarschijf=jaarschijf):
        latest = act.evaluations.order_by("-created_at", "-pk").first()
        counts[latest.assessment if latest else "nog_niet_beoordeeld"] += 1
    return counts


def pdf_text(path) -> str:
    reader = PdfReader(path)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def decided(jaarschijf, kernteamlid):
    judge(kernteamlid)
    vaststelling.complete_evaluation(jaarschijf=jaarschijf, user=kernteamlid)
    decide(jaarschijf, party_user(Party.objects.get(name="Weller")))
    decide(
        jaarschijf,
        party_user(Party.objects.get(name="Gemeente Heerlen")),
        "niet_akkoord",
        reason="De BAT-cijfers van 2024 ontbreken nog.",
    )
    tenant = party_user(Party.objects.get(name="Woonpunt huurdersvereniging"))
    vaststelling.save_tenant_view(
        jaarschijf=jaarschijf,
        user=tenant,
        theme=None,
        text="Wij zijn tevreden over de samenwerking,\nmaar de betaalbaarheid blijft zorgelijk.",
        attachment=pdf_upload(),
        version=None,
    )
    return jaarschijf


def test_evaluation_report_writes_a_tagged_dutch_pdf_with_tally_themes_actions_and_approvals(
    decided, tmp_path
):
    output = tmp_path / "evaluatie.pdf"
    call_command("evaluation_report", "2024", "--output", str(output))

    reader = PdfReader(output)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("Evaluatie jaarschijf 2024")
    text = pdf_text(output)

    counts = tally_from_database(decided)
    assert counts["behaald"] == 2 and counts["nog_niet_beoordeeld"] == 62
    listed = [f"{counts[s.key]} {s.label.lower()}" for s in VERDICT_SERIES if counts.get(s.key)]
    sentence = ", ".join(listed[:-1]) + " en " + listed[-1]
    assert f"Oordeel van het kernteam over de 67 afspraken: {sentence}." in text
    totals = " ".join(str(counts.get(s.key, 0)) for s in VERDICT_SERIES)
    assert f"Totaal {totals} 67" in text
    for theme in Theme.objects.filter(jaarschijf=decided):
        assert f"Thema {theme.number}. {theme.title}" in text
    numbers = set(re.findall(r"(?<![\d.,])(\d{1,2}\.\d{1,2})(?![\d.,])", text))
    expected = set(Action.objects.filter(jaarschijf=decided).values_list("number", flat=True))
    assert expected <= numbers, sorted(expected - numbers)
    assert "Toelichting bij 3.1" in text
    assert "Dhr. B. Braeken, Bestuurder" in text
    assert "Niet akkoord Reden: De BAT-cijfers van 2024 ontbreken nog." in text
    assert "2 van de 11 ondertekenende partijen hebben besloten" in text
    assert "Woonpunt huurdersvereniging over Evaluatie als geheel" in text
    assert "maar de betaalbaarheid blijft zorgelijk." in text


def test_the_pdf_gives_its_charts_alternative_text(decided, tmp_path):
    output = tmp_path / "evaluatie.pdf"
    call_command("evaluation_report", "2024", "--output", str(output))

    alts = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                alts.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(PdfReader(output).trailer["/Root"]["/StructTreeRoot"])
    assert alts and all(alts)
    assert any(alt.startswith("Oordeel van het kernteam over de 67 afspraken") for alt in alts)


def test_the_report_page_shows_the_same_report_and_offers_the_pdf_to_who_may_export(
    client, decided, kernteamlid, huurder
):
    login(client, kernteamlid)
    page = client.get(reverse("evaluation:evaluation-report", args=[2024])).content.decode()
    assert "Oordeel van het kernteam over de 67 afspraken" in page
    assert reverse("evaluation:evaluation-report-pdf", args=[2024]) in page
    assert "De BAT-cijfers van 2024 ontbreken nog." in page
    # The headline figures say their completeness in words, as on the dashboard.
    assert "Onvolledig: 4 van 5 corporaties bekend;" in page
    assert "Volledig: 10 van 10 projecten bekend. Gelijk aan het document." in page

    response = client.get(reverse("evaluation:evaluation-report-pdf", args=[2024]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF-")

    login(client, huurder)
    page = client.get(reverse("evaluation:evaluation-report", args=[2024])).content.decode()
    assert reverse("evaluation:evaluation-report-pdf", args=[2024]) not in page
    assert client.get(reverse("evaluation:evaluation-report-pdf", args=[2024])).status_code == 403


def test_the_command_refuses_a_year_without_a_jaarschijf(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Jaarschijf 1999 bestaat niet."):
        call_command("evaluation_report", "1999", "--output", str(tmp_path / "x.pdf"))


def test_the_report_says_per_theme_which_milestones_were_met_and_which_were_missed(
    client, jaarschijf, kernteamlid
):
    from datetime import datetime, time

    from django.utils import timezone

    from cycle.models import Milestone

    on_time = Milestone.objects.filter(jaarschijf=jaarschijf, action__number="3.2").first()
    on_time.done_on = on_time.due_date
    on_time.done_at = timezone.make_aware(datetime.combine(on_time.due_date, time(12)))
    on_time.save()
    still_open = Milestone.objects.filter(
        jaarschijf=jaarschijf, action__isnull=False, done_at__isnull=True
    ).first()

    login(client, kernteamlid)
    page = client.get(reverse("evaluation:evaluation-report", args=[2024])).content.decode()

    assert "Mijlpalen bij de afspraken van thema 3: gehaald of gemist" in page
    assert "Gehaald op " in page
    # 2024's deadlines have passed: an open milestone is missed, not "nog open".
    assert still_open.due_date < timezone.localdate()
    assert "Gemist: termijn verstreken, niet afgerond" in page
    assert "Mijlpalen van de jaarschijf als geheel" in page
