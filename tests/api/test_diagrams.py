"""Snapshot diagrams through the API: formats, cache, ETag and 304."""

from __future__ import annotations

import pytest

from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.render import render
from cloudviz.sources.demo import generate_demo_inventory
from tests.api.test_routes import upload
from tests.factories import small_network


@pytest.fixture
def snapshot(sqlite_api):
    return upload(sqlite_api, generate_demo_inventory(60, 11))


def diagram(api, snapshot_id, role="viewer", headers=None, **params):
    return api.client.get(
        f"/api/v1/snapshots/{snapshot_id}/diagram",
        params=params,
        headers={**api.auth(role), **(headers or {})},
    )


def test_svg_is_rendered_then_served_from_the_cache(sqlite_api, snapshot):
    first = diagram(sqlite_api, snapshot["id"])
    assert first.status_code == 200, first.text
    assert first.headers["content-type"].startswith("image/svg+xml")
    assert first.headers["x-cache"] == "MISS"
    assert first.content.lstrip().startswith(b"<")
    second = diagram(sqlite_api, snapshot["id"])
    assert second.headers["x-cache"] == "HIT"
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    metrics = sqlite_api.client.get("/metrics").text
    assert 'cloudviz_cache_lookups_total{result="hit"}' in metrics


def test_the_api_draws_what_the_cli_draws(sqlite_api):
    inventory = small_network()
    stored = upload(sqlite_api, inventory)
    response = diagram(sqlite_api, stored["id"], format="json", view="network")
    expected = render(inventory, RenderOptions(format="json", view="network"))
    assert response.headers["content-type"].startswith(expected.media_type)
    assert response.content == expected.data


def test_if_none_match_gives_304(sqlite_api, snapshot):
    etag = diagram(sqlite_api, snapshot["id"]).headers["etag"]
    revalidated = diagram(sqlite_api, snapshot["id"], headers={"If-None-Match": etag})
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    other = diagram(sqlite_api, snapshot["id"], theme="dark")
    assert other.headers["etag"] != etag


@pytest.mark.parametrize("fmt", ["png", "pdf", "html", "json"])
def test_binary_and_text_formats(sqlite_api, snapshot, fmt):
    response = diagram(sqlite_api, snapshot["id"], format=fmt)
    assert response.status_code == 200, response.text
    assert len(response.content) > 100


def test_pages_and_diff_options(sqlite_api, snapshot):
    paged = diagram(
        sqlite_api, snapshot["id"], format="json", paginate=True, max_nodes_per_page=20
    )
    assert paged.status_code == 200
    newer = upload(sqlite_api, generate_demo_inventory(70, 11))
    diffed = diagram(sqlite_api, newer["id"], diff_against=snapshot["id"])
    assert diffed.status_code == 200


def test_unknown_snapshot_and_bad_options(sqlite_api, snapshot):
    missing = diagram(sqlite_api, "no-such-snapshot")
    assert missing.status_code == 404
    assert missing.json()["cv_code"] == "CV009"
    bad = diagram(sqlite_api, snapshot["id"], format="gif")
    assert bad.status_code == 422
    assert bad.json()["cv_code"] == "CV010"


def test_deleting_a_snapshot_drops_its_cached_diagrams(sqlite_api, snapshot):
    assert diagram(sqlite_api, snapshot["id"]).status_code == 200
    sqlite_api.client.delete(
        f"/api/v1/snapshots/{snapshot['id']}", headers=sqlite_api.auth("editor")
    )
    assert diagram(sqlite_api, snapshot["id"]).status_code == 404


def test_text_formats_come_gzipped_to_clients_that_accept_it(sqlite_api, snapshot):
    import gzip

    import httpx

    plain = diagram(sqlite_api, snapshot["id"], headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    # Read the raw bytes: the test client would otherwise inflate them.
    with sqlite_api.client.stream(
        "GET",
        f"/api/v1/snapshots/{snapshot['id']}/diagram",
        headers={**sqlite_api.auth("viewer"), "Accept-Encoding": "gzip"},
    ) as response:
        raw = b"".join(response.iter_raw())
        assert response.headers["content-encoding"] == "gzip"
        assert response.headers["vary"] == "Accept-Encoding"
        assert response.headers["etag"] != plain.headers["etag"]
    assert gzip.decompress(raw) == plain.content
    assert len(raw) * 4 < len(plain.content)
    png = diagram(sqlite_api, snapshot["id"], format="png")
    assert "content-encoding" not in png.headers
    assert isinstance(png, httpx.Response)
