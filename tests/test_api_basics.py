"""The API's frame by the NL API Design Rules: an OpenAPI 3 document, the API-Version
header on every response, and refusals as Dutch problem+json."""

import pytest

pytestmark = pytest.mark.django_db

OPENAPI = "/api/v1/openapi.json"


def test_the_openapi_document_is_served_as_openapi_3_with_a_dutch_title(client):
    response = client.get(OPENAPI)

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Prestatieafspraken API"
    assert response["API-Version"] == document["info"]["version"]


def test_a_method_the_api_does_not_offer_is_refused_as_dutch_problem_json(client):
    response = client.post(OPENAPI, data="{}", content_type="application/json")

    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 405
    assert body["title"] == "Methode niet toegestaan"
    assert "POST" in body["detail"]
    assert response["API-Version"]
