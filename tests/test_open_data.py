"""The open-data page and its downloads: the API's datasets as CSV (Dutch spreadsheet style)
and JSON, with a data dictionary and the licence, public by the same policy as the pages."""

import csv
import io
import json

import pytest

from agreements.models import Action, IndicatorValue

from .factories import action, login, make_progress_update

pytestmark = pytest.mark.django_db

DATASETS = [
    "afspraken",
    "voortgangsupdates",
    "projecten",
    "efg-labelcijfers",
    "efg-totalen",
    "bat-voorraad",
    "kengetallen",
    "kerncijfers",
    "partijen",
    "themas",
    "jaarschijven",
]


def downloaded(response) -> bytes:
    """A download streams (flat memory however many rows): its bytes, read to the end."""
    assert response.streaming, "a download streams"
    return b"".join(response.streaming_content)


def read_csv(response) -> list[dict]:
    text = downloaded(response).decode("utf-8")
    assert text.startswith("\ufeff"), "a BOM, so Excel reads UTF-8"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_without_the_public_dashboard_a_visitor_is_sent_to_the_login(client, jaarschijf, settings):
    settings.PUBLIC_DASHBOARD = False

    for url in ("/open-data/", "/open-data/afspraken.csv", "/open-data/afspraken.json"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/inloggen" in response["Location"] or "login" in response["Location"]


def test_the_page_lists_every_dataset_with_both_files_its_dictionary_and_the_licence(
    client, jaarschijf, settings
):
    settings.PUBLIC_DASHBOARD = True

    page = client.get("/open-data/").content.decode()

    for slug in DATASETS:
        assert f'href="/open-data/{slug}.csv"' in page
        assert f'href="/open-data/{slug}.json"' in page
        assert f'id="dataset-{slug}"' in page
    assert "CC0 1.0 Universeel" in page
    assert "Gegevenswoordenboek: Projecten" in page
    assert "<code>realised_dwellings</code>" in page
    assert "onbekend (niet 0)" in page


def test_the_footer_links_to_open_data_for_readers_only(client, jaarschijf, settings):
    settings.PUBLIC_DASHBOARD = True
    assert 'href="/open-data/"' in client.get("/toegankelijkheidsverklaring/").content.decode()

    settings.PUBLIC_DASHBOARD = False
    assert 'href="/open-data/"' not in client.get("/toegankelijkheidsverklaring/").content.decode()


@pytest.mark.parametrize("slug", DATASETS)
def test_every_csv_has_the_dictionarys_columns_and_the_apis_rows(
    client, jaarschijf, settings, slug
):
    settings.PUBLIC_DASHBOARD = True

    response = client.get(f"/open-data/{slug}.csv")
    rows = read_csv(response)
    data = json.loads(downloaded(client.get(f"/open-data/{slug}.json")))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{slug}.csv"'
    assert data["licence"]["spdx"] == "CC0-1.0"
    api = client.get(f"/api/v1/{slug}", {"page_size": 200}).json()
    if slug == "kengetallen":
        assert len(rows) == sum(len(i["values"]) for i in data["results"])
    else:
        assert len(rows) == len(data["results"])
    if slug not in ("kerncijfers", "efg-totalen"):  # the API answers those per jaarschijf
        assert json.loads(json.dumps(data["results"])) == api["results"]


def test_the_afspraken_csv_holds_the_lead_and_the_latest_status(
    client, jaarschijf, settings, weller_medewerker
):
    settings.PUBLIC_DASHBOARD = True
    make_progress_update(action("1.8"), weller_medewerker, status="op_schema", percent_done=35)

    rows = {r["number"]: r for r in read_csv(client.get("/open-data/afspraken.csv"))}

    assert len(rows) == Action.objects.count()
    assert rows["1.8"]["status"] == "op_schema"
    assert rows["1.8"]["percent_done"] == "35"
    assert rows["1.8"]["leads"] == "weller"
    assert "weller" in rows["1.8"]["parties"].split(", ")


def test_kengetallen_use_a_decimal_comma_and_leave_unknown_empty(client, jaarschijf, settings):
    settings.PUBLIC_DASHBOARD = True
    value = IndicatorValue.objects.filter(indicator__jaarschijf=jaarschijf, target__isnull=False)
    value = value.select_related("indicator").first()

    rows = read_csv(client.get("/open-data/kengetallen.csv"))

    row = next(r for r in rows if r["code"] == value.indicator.code and r["period"] == value.period)
    assert row["target"] == format(value.target, "f").replace(".", ",")
    assert row["realised"] == "", "not yet reported is unknown, not 0"
    assert row["is_met"] == ""


def test_a_visitor_downloads_no_private_note_a_logged_in_user_does(
    client, jaarschijf, settings, weller_medewerker
):
    settings.PUBLIC_DASHBOARD = True
    make_progress_update(action("1.7"), weller_medewerker, explanation="Intern overleg loopt")

    assert (
        "Intern overleg loopt"
        not in downloaded(client.get("/open-data/voortgangsupdates.csv")).decode()
    )
    assert (
        "Intern overleg loopt"
        not in downloaded(client.get("/open-data/voortgangsupdates.json")).decode()
    )

    login(client, weller_medewerker)
    assert (
        "Intern overleg loopt"
        in downloaded(client.get("/open-data/voortgangsupdates.csv")).decode()
    )


def test_an_unknown_dataset_or_format_is_not_found(client, jaarschijf, settings):
    settings.PUBLIC_DASHBOARD = True

    assert client.get("/open-data/geheim.csv").status_code == 404
    assert client.get("/open-data/afspraken.xlsx").status_code == 404


@pytest.mark.parametrize("slug", DATASETS)
def test_a_download_in_chunks_holds_exactly_the_rows_read_at_once(
    client, jaarschijf, settings, weller_medewerker, monkeypatch, slug
):
    from django.test import RequestFactory
    from rest_framework.renderers import JSONRenderer

    from api import opendata

    monkeypatch.setattr(opendata, "CHUNK_ROWS", 7)
    login(client, weller_medewerker)
    request = RequestFactory().get("/")
    request.user = weller_medewerker
    dataset = opendata.BY_SLUG[slug]
    # Every row serialised at once, as the download did before it streamed.
    rows = dataset.serializer(
        dataset.rows(weller_medewerker), many=True, context={"request": request}
    )
    everything = json.loads(JSONRenderer().render(rows.data))

    json_response = client.get(f"/open-data/{slug}.json")
    pieces = list(json_response.streaming_content)
    data = json.loads(b"".join(pieces))
    rows = read_csv(client.get(f"/open-data/{slug}.csv"))

    assert data["results"] == everything
    if len(everything) > 7:
        assert len(pieces) > 3, "the rows stream out a chunk at a time"
    if slug == "kengetallen":
        assert len(rows) == sum(len(item["values"]) for item in everything)
    else:
        assert len(rows) == len(everything)
