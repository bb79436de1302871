"""The project list: filters (BAT classes however they are written), totals and links."""

import re

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from projects.filters import BAT_CLASSES, bat_class_regex, bat_classes
from projects.models import Project, ProjectBreakdown

from .factories import login, party
from .helpers_dashboard import page_text, records, table

pytestmark = pytest.mark.django_db

CAPTION = "Projecten"


def of_2024():
    return Project.objects.filter(jaarschijf__year=2024)


def project_name(row) -> str:
    """The project's name: the cell names the project, then its neighbourhood under it."""
    return row["Project / locatie"].split("Wijk: ")[0].strip()


def names(client, **params) -> list[str]:
    response = client.get(reverse("overview:project-list"), {**params, "per_page": 500})
    assert response.status_code == 200
    rows = records(table(response, CAPTION))
    return sorted(project_name(row) for row in rows if not row["Categorie"].startswith("Totaal"))


def dutch(number) -> str:
    return f"{number:,}".replace(",", ".")


def classes_of(project) -> set[str]:
    labels = [b.label for b in project.breakdowns.all() if b.kind == "bat"]
    return bat_classes(" ".join([project.bat_class, *labels]))


@pytest.fixture
def reader(client, kernteamlid):
    return login(client, kernteamlid)


def test_category_filter_keeps_one_category(reader):
    assert names(reader, category="sloop") == sorted(
        of_2024().filter(category="sloop").values_list("name", flat=True)
    )


def test_corporation_filter_keeps_the_projects_of_one_corporation(reader):
    expected = of_2024().filter(corporation=party("Vincio Wonen"))

    assert names(reader, corporation="vincio-wonen") == sorted(
        expected.values_list("name", flat=True)
    )


def test_neighbourhood_filter_offers_the_neighbourhoods_of_the_data(reader):
    response = reader.get(reverse("overview:project-list"))
    html = response.content.decode()
    for neighbourhood in set(
        of_2024().exclude(neighbourhood=None).values_list("neighbourhood", flat=True)
    ):
        assert f'<option value="{neighbourhood}">' in html

    assert names(reader, neighbourhood="Hoensbroek") == sorted(
        of_2024().filter(neighbourhood="Hoensbroek").values_list("name", flat=True)
    )


def test_status_filter_uses_the_tracked_status(reader):
    project = of_2024().get(category="nieuwbouw", position=3)
    project.status = "in_uitvoering"
    project.save()

    assert names(reader, status="in_uitvoering") == [project.name]


@pytest.mark.parametrize("code", [code for code, _label in BAT_CLASSES])
def test_bat_filter_reads_every_way_the_document_writes_a_class(reader, code):
    projects = of_2024().prefetch_related("breakdowns")
    expected = sorted(p.name for p in projects if code in classes_of(p))

    assert names(reader, bat=code) == expected


def test_bat_filter_understands_ranges_pairs_and_plus(reader):
    assert "Burgemeester Gijzelslaan" in names(reader, bat="BAT1")  # "BAT 0-2"
    assert "MSP" in names(reader, bat="BAT4")  # "BAT-3/4"
    assert "MSP" not in names(reader, bat="BAT2")
    assert "Geerstraat-Schakelweg" in names(reader, bat="BAT4")  # "BAT 2+"
    assert "Dr. Jaegerstraat" in names(reader, bat="BAT0")  # "BAT 0"
    assert "Mesdagstraat" in names(reader, bat="BAT0")  # "BAT-0"


def test_bat_filter_also_reads_the_breakdown_labels(reader):
    project = of_2024().get(category="nieuwbouw", position=9)
    project.bat_class = ""
    project.save()
    ProjectBreakdown.objects.create(project=project, kind="bat", position=1, label="BAT-3", count=5)

    assert project.name in names(reader, bat="BAT3")
    assert project.name not in names(reader, bat="BAT1")


ODD_WRITINGS = [
    "BAT-0",
    "BAT 0",
    "bat0",
    "BAT 0-2",
    "BAT-3/4",
    "BAT 2+",
    "88 BAT-0 59 BAT-2",
    "BAT 2 (19) BAT 0 (4)",
    "BAT 12",
    "BAT 1 - 3",
    "BAT-5",
    "nnb",
    "Onbekend",
]


def test_the_database_and_python_agree_on_every_odd_writing(reader):
    """The regular expression runs in PostgreSQL; bat_classes is its reference."""
    corporation = party("Weller")
    jaarschijf = of_2024().first().jaarschijf
    for position, text in enumerate(ODD_WRITINGS, start=100):
        Project.objects.create(
            jaarschijf=jaarschijf,
            category="onderzoek",
            position=position,
            name=f"Test {text}",
            corporation=corporation,
            bat_class=text,
        )
    for code, _label in BAT_CLASSES:
        found = set(
            Project.objects.filter(
                name__startswith="Test ", bat_class__iregex=bat_class_regex(code)
            ).values_list("bat_class", flat=True)
        )
        assert found == {text for text in ODD_WRITINGS if code in bat_classes(text)}, code


@given(st.text(alphabet="BATbat -/+0123456789() x", max_size=14))
def test_the_regular_expression_matches_exactly_what_bat_classes_reads(text):
    for code, _label in BAT_CLASSES:
        matched = re.search(bat_class_regex(code), text, flags=re.IGNORECASE) is not None
        assert matched == (code in bat_classes(text)), (code, text)


def test_totals_row_counts_a_possible_duplicate_once_and_says_so(reader):
    renovation = of_2024().filter(category="renovatie")
    counted = renovation.filter(possible_duplicate_of__isnull=True)
    assert renovation.count() - counted.count() == 1
    planned = sum(project.counted_dwellings or 0 for project in counted)  # Paadweg counts 9

    response = reader.get(reverse("overview:project-list"), {"category": "renovatie"})

    rows = table(response, CAPTION)
    total = rows[-1]
    assert total[0] == f"Totaal ({counted.count()} projecten)"
    assert dutch(planned) in total
    text = page_text(response)
    assert f"{renovation.count()} projecten gevonden" in text
    assert "1 rij staat mogelijk dubbel in het document en telt niet mee in de totalen." in text
    assert "(mogelijk dubbel, niet in het totaal)" in text


def test_totals_follow_the_filters_and_include_realised_dwellings(reader):
    project = of_2024().get(category="nieuwbouw", position=1)
    project.realised_dwellings = 40
    project.save()
    woonpunt = of_2024().filter(category="nieuwbouw", corporation=party("Woonpunt"))
    planned = woonpunt.aggregate(total=Sum("dwellings"))["total"]

    response = reader.get(
        reverse("overview:project-list"), {"category": "nieuwbouw", "corporation": "woonpunt"}
    )

    total = table(response, CAPTION)[-1]
    assert total[0] == f"Totaal ({woonpunt.count()} projecten)"
    assert dutch(planned) in total
    assert "40 (1 van 2 gemeld)" in total  # only one of the two reported


def test_totals_take_one_aggregate_query(reader):
    with CaptureQueriesContext(connection) as queries:
        reader.get(reverse("overview:project-list"), {"category": "renovatie"})

    sums = [q["sql"] for q in queries.captured_queries if "SUM(" in q["sql"].upper()]
    assert len(sums) == 1


def test_project_names_link_to_the_project_page(reader):
    html = reader.get(reverse("overview:project-list"), {"category": "sloop"}).content.decode()

    for project in of_2024().filter(category="sloop"):
        assert f'href="{project.get_absolute_url()}"' in html


def test_edit_links_show_only_on_the_projects_of_ones_own_corporation(
    client, weller_medewerker, huurder
):
    login(client, weller_medewerker)
    rows = records(table(client.get(reverse("overview:project-list"), {"per_page": 500}), CAPTION))

    editable = {project_name(row) for row in rows if row["Bijwerken"].startswith("Bijwerken")}
    assert editable == set(
        of_2024().filter(corporation=party("Weller")).values_list("name", flat=True)
    )

    login(client, huurder)
    rows = table(client.get(reverse("overview:project-list")), CAPTION)
    assert "Bijwerken" not in rows[0]


def test_unknown_dwellings_show_the_documents_words_not_zero(reader):
    rows = records(
        table(reader.get(reverse("overview:project-list"), {"category": "sloop"}), CAPTION)
    )

    unknown = next(row for row in rows if project_name(row) == "Onbekend")
    assert unknown["Woningen"] == "Onbekend"


def test_a_wrong_filter_value_gets_a_dutch_message_at_its_field(reader):
    response = reader.get(reverse("overview:project-list"), {"bat": "BAT9", "category": "kasteel"})

    assert response.status_code == 200
    text = page_text(response)
    assert "Kies een BAT-klasse uit de lijst." in text
    assert "Kies een categorie uit de lijst." in text
    assert f"{of_2024().count()} projecten gevonden" in text


def test_status_badges_carry_the_status_itself_not_its_label(reader):
    project = of_2024().get(category="nieuwbouw", position=3)
    project.status = "in_uitvoering"
    project.save()

    html = reader.get(
        reverse("overview:project-list"), {"status": "in_uitvoering"}
    ).content.decode()

    assert 'data-status="in_uitvoering"' in html
    assert "heerlen-status--shape-dot" in html  # the shape of 'in uitvoering', not a default


def test_projects_are_listed_by_category_in_the_documents_order(client, kernteamlid):
    login(client, kernteamlid)
    response = client.get(reverse("overview:project-list"), {"per_page": 100})
    categories = [row.record.category for row in response.context["table"].paginated_rows]
    first_seen = list(dict.fromkeys(categories))
    assert first_seen == ["nieuwbouw", "sloop", "renovatie", "verkoop", "aankoop", "onderzoek"]
