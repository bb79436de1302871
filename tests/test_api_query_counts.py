"""Every collection of the API runs a fixed number of SQL queries, however much data there is.

Measured like the pages (tests/test_query_counts.py): at scale 1 and 10 of ``generate_data``,
under the same bound, and the counts must be equal. A logged-in caller pays the session and
the user with its party (2 queries) on top.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import action, login, make_api_token, make_progress_update

pytestmark = pytest.mark.django_db

SYNTHETIC_YEAR = 2100
LOGIN_OVERHEAD = 2

#: collection -> queries for an anonymous caller (PUBLIC_DASHBOARD on)
COLLECTIONS = {
    "jaarschijven": 2,
    "themas": 2,
    "partijen": 4,
    "afspraken": 4,
    "voortgangsupdates": 2,
    "projecten": 3,
    "efg-labelcijfers": 2,
    "efg-totalen": 2,
    "bat-voorraad": 2,
    "kengetallen": 3,
    "kerncijfers": 4,
}
FILTERED = {
    "afspraken": {"partij": "weller", "status": "niet_gestart", "thema": "1"},
    "projecten": {"corporatie": "weller", "categorie": "nieuwbouw"},
    "voortgangsupdates": {"partij": "weller"},
}


def load(client, name, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/{name}", params)
    assert response.status_code == 200, (name, response.content)
    assert response.json()["results"] or name in FILTERED, f"{name}: nothing to measure"
    return len(queries.captured_queries)


def counts_at_scale_1_and_10(client, name, params, bound, django_assert_max_num_queries):
    counts = []
    for scale in (1, 10):
        call_command("generate_data", scale=scale, verbosity=0)
        load(client, name, params)  # warm up caches such as the content types
        with django_assert_max_num_queries(bound):
            counts.append(load(client, name, params))
    return counts


@pytest.mark.parametrize("filtered", [False, True])
@pytest.mark.parametrize("name", list(COLLECTIONS))
def test_a_logged_in_caller_runs_the_same_number_of_queries_at_scale_1_and_10(
    client, weller_medewerker, django_assert_max_num_queries, name, filtered
):
    login(client, weller_medewerker)
    client.get("/ping/")  # the first request after login renews the session
    params = {"jaarschijf": SYNTHETIC_YEAR, **(FILTERED.get(name, {}) if filtered else {})}
    # A filter on a party or corporation looks its slug up: one query more.
    bound = COLLECTIONS[name] + LOGIN_OVERHEAD + (1 if filtered and name in FILTERED else 0)

    counts = counts_at_scale_1_and_10(client, name, params, bound, django_assert_max_num_queries)

    assert counts[0] == counts[1], f"{name}: {counts[0]} queries at scale 1, {counts[1]} at 10"


@pytest.mark.parametrize("name", list(COLLECTIONS))
def test_an_anonymous_caller_runs_the_same_number_of_queries_at_scale_1_and_10(
    client, jaarschijf, settings, django_assert_max_num_queries, name
):
    settings.PUBLIC_DASHBOARD = True

    counts = counts_at_scale_1_and_10(
        client, name, {}, COLLECTIONS[name], django_assert_max_num_queries
    )

    assert counts[0] == counts[1], f"{name}: {counts[0]} queries at scale 1, {counts[1]} at 10"


#: detail endpoint -> queries for an anonymous caller (PUBLIC_DASHBOARD on): the collection's
#: query without the count, one object.
DETAILS = {
    "afspraken": 3,
    "projecten": 2,
    "voortgangsupdates": 1,
    "partijen": 3,
}
#: A token caller pays the token with its account and party (1 query) and its rate-limit
#: count in the database cache (read; then in a savepoint: size for culling, find, write).
TOKEN_OVERHEAD = 7


def load_detail(client, name, headers, visitor: bool) -> int:
    """GET the first item's own link: of the synthetic jaarschijf for a logged-in caller or a
    token, of 2024 for a visitor (the synthetic one is a concept)."""
    params = {} if name == "partijen" or visitor else {"jaarschijf": SYNTHETIC_YEAR}
    listed = client.get(f"/api/v1/{name}", params, headers=headers).json()["results"]
    href = listed[0]["_links"]["self"]["href"]
    client.get(href, headers=headers)  # warm up caches such as the content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(href, headers=headers)
    assert response.status_code == 200, (href, response.content)
    assert response.json() == listed[0]
    return len(queries.captured_queries)


def detail_counts(client, name, bound, headers, visitor: bool) -> list:
    counts = []
    for scale in (1, 10):
        call_command("generate_data", scale=scale, verbosity=0)
        count = load_detail(client, name, headers, visitor)
        assert count <= bound, f"{name}: {count} queries, at most {bound}"
        counts.append(count)
    return counts


@pytest.mark.parametrize("caller", ["bezoeker", "ingelogd", "token"])
@pytest.mark.parametrize("name", list(DETAILS))
def test_one_object_runs_the_same_number_of_queries_at_scale_1_and_10(
    client, jaarschijf, weller_medewerker, settings, name, caller
):
    settings.PUBLIC_DASHBOARD = caller == "bezoeker"
    settings.API_TOKEN_RATE = "10000/minute"
    headers, bound = {}, DETAILS[name]
    if caller == "bezoeker":  # the synthetic jaarschijf is a concept: a public update of 2024
        make_progress_update(action("1.8"), weller_medewerker, explanation="Open", is_public=True)
    elif caller == "ingelogd":
        login(client, weller_medewerker)
        client.get("/ping/")  # the first request after login renews the session
        bound += LOGIN_OVERHEAD
    elif caller == "token":
        headers = {"Authorization": f"Bearer {make_api_token('Weller')[1]}"}
        bound += TOKEN_OVERHEAD

    counts = detail_counts(client, name, bound, headers, visitor=caller == "bezoeker")

    assert counts[0] == counts[1], f"{name}: {counts[0]} queries at scale 1, {counts[1]} at 10"
