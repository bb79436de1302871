"""The action list: sortable, filterable (also through collectives), paginated, downloadable."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agreements.models import Action, ActionParty, Theme
from agreements.sheets import ACTION_COLUMNS, plain_text

from .factories import action, login, party
from .helpers_dashboard import make_update_days_ago, page_text, records, table

pytestmark = pytest.mark.django_db

CAPTION = "Afspraken"


def numbers_on_page(response) -> list[str]:
    rows = table(response, CAPTION)
    return [row[0] for row in rows[1:] if not row[0].startswith("Geen afspraken")]


def all_numbers(client, **params) -> list[str]:
    """The numbers of every page of the list, following the pagination."""
    numbers, page = [], 1
    while True:
        response = client.get(reverse("overview:action-list"), {**params, "page": page})
        assert response.status_code == 200
        numbers += numbers_on_page(response)
        if 'rel="next"' not in response.content.decode():
            return numbers
        page += 1


def expected(queryset) -> list[str]:
    return list(queryset.numeric_order().values_list("number", flat=True))


def of_2024():
    return Action.objects.filter(jaarschijf__year=2024)


@pytest.fixture
def reader(client, kernteamlid):
    return login(client, kernteamlid)


def test_action_numbers_sort_numerically_not_as_text(reader):
    numbers = all_numbers(reader)

    assert numbers == expected(of_2024())
    assert numbers.index("1.9") < numbers.index("1.10")
    descending = all_numbers(reader, sort="-number")
    assert descending == list(reversed(numbers))


def test_the_list_is_paginated_with_25_actions_a_page(reader):
    first = reader.get(reverse("overview:action-list"))
    last = reader.get(reverse("overview:action-list"), {"page": 3})

    assert len(numbers_on_page(first)) == 25
    assert len(numbers_on_page(last)) == of_2024().count() - 50
    assert "67 afspraken gevonden." in page_text(first)
    assert "Pagina 3 van 3" in page_text(last)


def count_queries(queries) -> int:
    return sum(1 for query in queries if query["sql"].startswith("SELECT COUNT(*)"))


def test_a_page_that_is_the_last_is_counted_from_its_rows_without_a_count_query(reader):
    wanted = expected(of_2024().filter(theme__number=1))
    assert 0 < len(wanted) <= 25, "theme 1 should fit on one page"

    with CaptureQueriesContext(connection) as one_page:
        response = reader.get(reverse("overview:action-list"), {"theme": of_2024_theme(1)})
    with CaptureQueriesContext(connection) as first_of_three:
        first = reader.get(reverse("overview:action-list"))
    with CaptureQueriesContext(connection) as last_of_three:
        last = reader.get(reverse("overview:action-list"), {"page": 3})
    with CaptureQueriesContext(connection) as past_the_end:
        beyond = reader.get(reverse("overview:action-list"), {"page": 9})

    assert numbers_on_page(response) == wanted
    assert f"{len(wanted)} afspraken gevonden." in page_text(response)
    assert count_queries(one_page) == 0
    # More rows than one page: the first page counts them, the last knows from its rows.
    assert count_queries(first_of_three) == 1
    assert numbers_on_page(first) == expected(of_2024())[:25]
    assert "67 afspraken gevonden." in page_text(first)
    assert count_queries(last_of_three) == 0
    assert numbers_on_page(last) == expected(of_2024())[50:]
    assert "67 afspraken gevonden." in page_text(last)
    assert "Pagina 3 van 3" in page_text(last)
    # A page past the end shows the last one, as before.
    assert numbers_on_page(beyond) == expected(of_2024())[50:]
    assert "Pagina 3 van 3" in page_text(beyond)
    assert count_queries(past_the_end) >= 1


def of_2024_theme(number: int) -> int:
    return Theme.objects.get(jaarschijf__year=2024, number=number).pk


def test_party_filter_includes_actions_assigned_through_a_collective(reader):
    weller = party("Weller")
    via_collective = of_2024().filter(parties__members=weller).exclude(parties=weller)
    assert via_collective.exists(), "the data should assign actions to Woningcorporaties"

    numbers = all_numbers(reader, party="weller")

    assert numbers == expected(of_2024().involving(weller))
    assert set(via_collective.values_list("number", flat=True)) <= set(numbers)


def test_lead_only_keeps_the_actions_the_party_leads(reader):
    weller = party("Weller")

    numbers = all_numbers(reader, party="weller", lead_only="on")

    assert numbers == expected(of_2024().involving(weller, lead_only=True))
    assert len(numbers) < len(expected(of_2024().involving(weller)))


def test_the_party_filter_tells_trekker_from_betrokken_via_a_collective(reader):
    vincio = party("Vincio Wonen")

    involved = all_numbers(reader, party="vincio-wonen", role="betrokken")
    leading = all_numbers(reader, party="vincio-wonen", role="trekker")

    assert involved == expected(of_2024().involving(vincio))
    assert leading == expected(
        of_2024().filter(action_parties__party=vincio, action_parties__is_lead=True)
    )
    assert len(leading) < len(involved)
    html = reader.get(reverse("overview:action-list")).content.decode()
    assert ">trekker</option>" in html
    assert ">betrokken (ook via een collectief)</option>" in html


def test_an_unknown_role_is_reported_at_the_field(reader):
    response = reader.get(reverse("overview:action-list"), {"party": "weller", "role": "baas"})
    assert "Kies ‘trekker’ of ‘betrokken (ook via een collectief)’." in response.content.decode()


def test_status_filter_uses_the_latest_progress_update(reader):
    make_update_days_ago(action("2.1"), 10, status="vertraagd")
    make_update_days_ago(action("2.2"), 10, status="vertraagd")
    make_update_days_ago(action("2.2"), 1, status="op_schema")

    assert all_numbers(reader, status="vertraagd") == ["2.1"]
    assert all_numbers(reader, status="op_schema") == ["2.2"]


def test_free_text_finds_words_in_the_action_text(reader):
    numbers = all_numbers(reader, q="Vrieheide")

    assert numbers == expected(of_2024().filter(text__icontains="Vrieheide"))
    assert numbers


def test_free_text_finds_an_action_by_its_number(reader):
    assert all_numbers(reader, q="4.5") == ["4.5"]


def test_no_update_for_n_days_lists_actions_silent_that_long(reader):
    make_update_days_ago(action("3.1"), 10)
    make_update_days_ago(action("3.2"), 45)

    numbers = all_numbers(reader, stale_days=30)

    assert "3.1" not in numbers
    assert "3.2" in numbers
    assert len(numbers) == of_2024().count() - 1


def test_attention_filter_lists_late_and_silent_open_actions(reader):
    for number in expected(of_2024()):
        make_update_days_ago(action(number), 3)
    make_update_days_ago(action("5.1"), 1, status="vertraagd")
    make_update_days_ago(action("5.2"), 200, status="afgerond", percent_done=100)
    action("5.2").updates.filter(status="op_schema").delete()
    action("5.3").updates.all().delete()

    assert all_numbers(reader, attention="on") == ["5.1", "5.3"]


def test_a_wrong_filter_value_gets_a_dutch_message_at_its_field_and_is_ignored(reader):
    response = reader.get(
        reverse("overview:action-list"), {"stale_days": "negentig", "party": "niemand"}
    )

    assert response.status_code == 200
    text = page_text(response)
    assert "Vul een heel aantal dagen in, bijvoorbeeld 90." in text
    assert "Kies een partij uit de lijst." in text
    assert "Niet elk filter is gebruikt." in text
    assert "67 afspraken gevonden." in text
    html = response.content.decode()
    assert re.search(r'name="stale_days"[^>]*aria-invalid="true"', html) or re.search(
        r'aria-invalid="true"[^>]*name="stale_days"', html
    )


def test_edit_links_show_only_on_actions_the_user_may_update(client, weller_medewerker, huurder):
    weller = party("Weller")
    login(client, weller_medewerker)
    response = client.get(reverse("overview:action-list"), {"sort": "number"})

    rows = table(response, CAPTION)
    header = rows[0]
    assert header[-1] == "Bijwerken"
    editable = {row[0] for row in rows[1:] if "Voortgang melden" in row[-1]}
    on_page = {row[0] for row in rows[1:]}
    assert editable == on_page & set(of_2024().involving(weller).values_list("number", flat=True))
    assert editable

    login(client, huurder)
    rows = table(client.get(reverse("overview:action-list")), CAPTION)
    assert "Bijwerken" not in rows[0]
    assert "Voortgang melden" not in str(rows)


def test_lead_and_parties_columns_name_the_parties_as_assigned(reader):
    link = ActionParty.objects.filter(action=action("4.5"), is_lead=True).select_related("party")
    leads = ", ".join(item.party.label for item in link)

    rows = table(reader.get(reverse("overview:action-list"), {"q": "4.5"}), CAPTION)

    row = records(rows)[0]
    assert row["Trekker"] == leads
    assert row["Status"] == "Niet gestart"
    assert row["% gereed"] == "0 %"
    assert row["Laatste update"] == "nog geen"


def test_last_update_shows_a_dutch_date(reader):
    make_update_days_ago(action("4.5"), 0, percent_done=85)
    update = action("4.5").updates.first()
    day = timezone.localtime(update.created_at)

    rows = table(reader.get(reverse("overview:action-list"), {"q": "4.5"}), CAPTION)

    row = records(rows)[0]
    assert row["Laatste update"] == f"{day.day:02d}-{day.month:02d}-{day.year}"
    assert row["% gereed"] == "85 %"


# --- Excel -----------------------------------------------------------------------------------


def download(client, **params):
    response = client.get(reverse("overview:action-list-export"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_excel_download_holds_the_filtered_list_with_dutch_headers(reader):
    make_update_days_ago(action("1.10"), 1, status="vertraagd", percent_done=40)

    sheet = download(reader, party="weller")

    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [column.header for column in ACTION_COLUMNS]
    assert [row[0] for row in rows[1:]] == expected(of_2024().involving(party("Weller")))
    late = next(row for row in rows if row[0] == "1.10")
    assert late[5] == "Vertraagd"
    assert late[6] == pytest.approx(0.40)
    assert sheet["G1"].value == "% gereed"
    assert sheet.cell(rows.index(late) + 1, 7).number_format == "0%"


def test_excel_download_of_a_wrong_filter_shows_the_list_with_the_message(reader):
    response = reader.get(reverse("overview:action-list-export"), {"stale_days": "-4"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Vul minstens 1 dag in." in page_text(response)


def test_text_that_looks_like_a_formula_stays_text_in_excel(reader):
    target = action("6.7")
    target.text = '=HYPERLINK("https://elders.example","Klik")'
    target.save()

    sheet = download(reader, q="6.7")

    cell = sheet["C2"]
    assert cell.value == '=HYPERLINK("https://elders.example","Klik")'
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_the_download_holds_the_full_text_of_an_agreement_not_its_first_sentence(reader):
    sheet = download(reader, q="1.10")

    assert sheet["C2"].value == plain_text(action("1.10").text)
    assert sheet["C2"].value != action("1.10").short_text


def test_an_action_without_an_update_has_an_unknown_percentage_in_excel(reader):
    sheet = download(reader, q="6.7")

    assert sheet["F2"].value == "Niet gestart"
    assert sheet["G2"].value is None
