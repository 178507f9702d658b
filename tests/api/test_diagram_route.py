"""The diagram route's own argument resolution answers as FastAPI would."""

from __future__ import annotations

import pytest

from tests.api.test_diagrams import diagram, snapshot  # noqa: F401


@pytest.mark.parametrize(
    "query",
    [
        "format=svg&colour=red",  # unknown parameter
        "format=gif",  # not a format
        "page=0",  # out of range
    ],
)
def test_queries_it_does_not_take_get_fastapis_422(sqlite_api, snapshot, query):  # noqa: F811
    response = sqlite_api.client.get(
        f"/api/v1/snapshots/{snapshot['id']}/diagram?{query}",
        headers=sqlite_api.auth("viewer"),
    )
    assert response.status_code == 422, response.text
    assert response.json()["cv_code"] == "CV010"


def test_a_repeated_parameter_is_left_to_fastapi(sqlite_api, snapshot):  # noqa: F811
    url = f"/api/v1/snapshots/{snapshot['id']}/diagram"
    headers = sqlite_api.auth("viewer")
    repeated = sqlite_api.client.get(url + "?format=svg&format=dot", headers=headers)
    last = sqlite_api.client.get(url + "?format=dot", headers=headers)
    assert repeated.status_code == 200
    assert repeated.content == last.content


def test_credentials_are_checked_before_the_query(sqlite_api, snapshot):  # noqa: F811
    url = f"/api/v1/snapshots/{snapshot['id']}/diagram"
    assert sqlite_api.client.get(url + "?format=gif").status_code == 401
    assert sqlite_api.client.get(url).status_code == 401
    key = sqlite_api.api_key(["read"])
    refused = sqlite_api.client.get(url, headers={"X-API-Key": key})
    assert refused.status_code == 403
    allowed = sqlite_api.client.get(
        url, headers={"X-API-Key": sqlite_api.api_key(["visualize"])}
    )
    assert allowed.status_code == 200


def test_a_parsed_query_is_reused_and_same_answer(sqlite_api, snapshot):  # noqa: F811
    first = diagram(sqlite_api, snapshot["id"], format="mermaid", paginate="yes")
    second = diagram(sqlite_api, snapshot["id"], format="mermaid", paginate="yes")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert second.headers["x-cache"] == "HIT"
    assert first.headers["etag"] == second.headers["etag"]
