"""The API against its own OpenAPI document, with schemathesis: every GET route, over the
seeds store (five real articles, analysed and linked), called in-process (ASGI) with
generated parameters, valid and not; each answer must be documented (status, content type)
and match its schema, and none may be a server error. Then every record route is called with
real ids (generated ids only reach the 404s) and its answer validated against the schema.

POST is left out: every generated article would run the analyzer and the linker; the POST
route has its own tests (test_api.py, test_hostile_web.py)."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402

from helpers import copy_store  # noqa: E402
from storyline.web.api import create_app  # noqa: E402

HOST = {"Host": "127.0.0.1:8000"}  # the loopback guard answers only to a loopback Host


@pytest.fixture(scope="module")
def api_app(seeds_store, tmp_path_factory):
    db = copy_store(seeds_store, tmp_path_factory.mktemp("schema") / "seeds.db")
    return create_app(str(db))


@pytest.fixture(scope="module")
def api_schema(api_app):
    return schemathesis.openapi.from_asgi("/openapi.json", api_app, headers=HOST).include(method="GET")


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_every_get_route_keeps_to_its_schema(api_schema, mode):
    # Each operation's strategy run by hypothesis directly (schemathesis' own pytest plugin
    # does not load under pytest 9: it sets a node attribute pytest no longer has).
    from hypothesis import given

    from schemathesis.generation.modes import GenerationMode

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20, [op.path for op in operations]
    for operation in operations:
        if mode == "negative" and not len(operation.path_parameters) + len(operation.query):
            continue  # nothing to get wrong

        @given(case=operation.as_strategy(GenerationMode(mode)))
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=HOST)

        check()


@pytest.mark.slow
def test_record_routes_with_real_ids_keep_to_their_schema(api_app, api_schema):
    from fastapi.testclient import TestClient

    with TestClient(api_app, base_url="http://127.0.0.1:8000") as client:
        stories = client.get("/api/v1/stories").json()["items"]
        articles = client.get("/api/v1/articles").json()["items"]
        people = client.get("/api/v1/people").json()["items"]
        outlets = client.get("/api/v1/outlets").json()["items"]
        assert stories and len(articles) == 5 and people and outlets
        a, b = articles[0]["id"], articles[1]["id"]
        calls = {
            "/api/v1/articles/{article_id}": f"/api/v1/articles/{a}?raw=true",
            "/api/v1/stories/{story_id}": f"/api/v1/stories/{stories[0]['id']}",
            "/api/v1/stories/{story_id}/brief": f"/api/v1/stories/{stories[0]['id']}/brief",
            "/api/v1/people/{person_id}": f"/api/v1/people/{people[0]['id']}",
            "/api/v1/outlets/{name}": f"/api/v1/outlets/{outlets[0]['outlet']}",
            "/api/v1/diff/{a}/{b}": f"/api/v1/diff/{a}/{b}",
            "/api/v1/quotes": "/api/v1/quotes?limit=5",
            "/api/v1/reuse": "/api/v1/reuse?all=true",
            "/api/v1/search": "/api/v1/search?q=Starmer&limit=3",
        }
        for path, url in calls.items():
            response = client.get(url)
            assert response.status_code == 200, (url, response.text[:300])
            api_schema[path]["GET"].validate_response(response)
