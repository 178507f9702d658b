"""The API's routes end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from cloudviz.sources.demo import generate_demo_inventory
from tests.factories import make_inventory, make_resource, small_network


def upload(api, inventory, role="editor"):
    response = api.client.post(
        "/api/v1/snapshots", json=inventory.to_dict(), headers=api.auth(role)
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_login_verify_refresh_logout(api):
    tokens = api.login("viewer")
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    verify = api.client.get("/auth/verify", headers=bearer).json()
    assert verify["username"] == "viewer"
    assert verify["valid"] is True

    refreshed = api.client.post(
        "/auth/refresh",
        headers={"Authorization": f"Bearer {tokens['refresh_token']}"},
    )
    assert refreshed.status_code == 200
    again = api.client.post(
        "/auth/refresh",
        headers={"Authorization": f"Bearer {tokens['refresh_token']}"},
    )
    assert again.status_code == 401  # a refresh token works once

    assert api.client.post("/auth/logout", headers=bearer).status_code == 204
    after = api.client.get("/auth/verify", headers=bearer)
    assert after.status_code == 401
    assert after.json()["cv_code"] == "CV001"


def test_bad_password_is_401_with_the_envelope(api):
    response = api.client.post(
        "/auth/login", json={"username": "admin", "password": "wrong-password"}
    )
    assert response.status_code == 401
    assert response.json()["cv_code"] == "CV001"


def test_api_keys_created_the_guides_way_without_content_type(api):
    response = api.client.post(
        "/api/v1/auth/api-keys",
        headers={
            **api.auth("admin"),
            "Content-Type": "application/x-www-form-urlencoded",
        },
        content=json.dumps({"name": "my-api-key", "permissions": ["read", "write"]}),
    )
    assert response.status_code == 201, response.text
    created = response.json()
    key = created["key"]
    health = api.client.get("/api/v1/health", headers={"X-API-Key": key})
    assert health.status_code == 200

    listed = api.client.get("/api/v1/auth/api-keys", headers=api.auth("admin"))
    assert "key" not in listed.json()["items"][0]
    revoked = api.client.delete(
        f"/api/v1/auth/api-keys/{created['id']}", headers=api.auth("admin")
    )
    assert revoked.json()["revoked_at"] is not None
    after = api.client.get("/api/v1/health", headers={"X-API-Key": key})
    assert after.status_code == 403
    assert after.json()["error"] == "Invalid API key"


def test_a_viewer_cannot_mint_a_key_with_write(api):
    response = api.client.post(
        "/api/v1/auth/api-keys",
        headers=api.auth("viewer"),
        json={"name": "k", "permissions": ["write"]},
    )
    assert response.status_code == 403
    assert response.json()["error"] == "Insufficient permissions"


def test_permissions_and_roles(api):
    mine = api.client.get("/api/v1/auth/permissions", headers=api.auth("viewer"))
    assert mine.json()["permissions"] == ["read", "visualize"]
    roles = api.client.get("/api/v1/auth/roles", headers=api.auth("viewer")).json()
    assert roles["roles"] == ["viewer"]
    assert {"admin", "editor", "viewer"} <= {r["name"] for r in roles["available"]}


def test_users_admin_the_guides_way(api):
    admin = api.auth("admin")
    created = api.client.post(
        "/api/v1/users",
        headers=admin,
        json={"username": "carol", "password": "carol-password", "roles": ["viewer"]},
    )
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    roles = api.client.put(
        f"/api/v1/users/{user_id}/roles",
        headers=admin,
        content=json.dumps({"roles": ["admin", "user"]}),
    )
    assert roles.json()["roles"] == ["admin", "user"]
    granted = api.client.post(
        f"/api/v1/users/{user_id}/permissions",
        headers=admin,
        content=json.dumps({"permissions": ["extract", "visualize"]}),
    )
    assert granted.json()["permissions"] == ["extract", "visualize"]
    assert api.client.get("/api/v1/users", headers=admin).json()["total"] == 4
    assert api.client.get(f"/api/v1/users/{user_id}", headers=admin).status_code == 200
    gone = api.client.delete(f"/api/v1/users/{user_id}", headers=admin)
    assert gone.status_code == 204
    missing = api.client.get(f"/api/v1/users/{user_id}", headers=admin)
    assert missing.status_code == 404
    assert missing.json()["cv_code"] == "CV009"


def test_snapshot_lifecycle(api):
    snapshot = upload(api, small_network())
    reader = api.auth("viewer")
    listed = api.client.get("/api/v1/snapshots", headers=reader).json()
    assert [item["id"] for item in listed["items"]] == [snapshot["id"]]
    got = api.client.get(f"/api/v1/snapshots/{snapshot['id']}", headers=reader)
    assert got.json()["resource_count"] == snapshot["resource_count"]

    vms = api.client.get(
        f"/api/v1/snapshots/{snapshot['id']}/resources",
        params={"kind": "compute.*"},
        headers=reader,
    ).json()
    assert [r["id"] for r in vms["items"]] == ["i-1"]
    tagged = api.client.get(
        f"/api/v1/snapshots/{snapshot['id']}/resources",
        params={"tag": "env=prod", "limit": 2},
        headers=reader,
    ).json()
    assert tagged["total"] == snapshot["resource_count"]
    assert len(tagged["items"]) == 2

    deleted = api.client.delete(
        f"/api/v1/snapshots/{snapshot['id']}", headers=api.auth("editor")
    )
    assert deleted.status_code == 204
    gone = api.client.get(f"/api/v1/snapshots/{snapshot['id']}", headers=reader)
    assert gone.status_code == 404


def test_upload_an_export_as_a_multipart_file(api):
    inventory = generate_demo_inventory(40, 3)
    response = api.client.post(
        "/api/v1/snapshots",
        headers=api.auth("editor"),
        files={"file": ("estate.json", json.dumps(inventory.to_dict()).encode())},
        data={"name": "from-upload"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "from-upload"
    assert response.json()["resource_count"] == len(inventory.resources)


def test_a_bad_inventory_is_refused_and_stores_nothing(api):
    document = make_inventory().to_dict()
    document["resources"][0]["kind"] = "no.such.kind"
    response = api.client.post(
        "/api/v1/snapshots", json=document, headers=api.auth("editor")
    )
    assert response.status_code == 400
    assert "resources[0].kind" in response.json()["error"]
    listed = api.client.get("/api/v1/snapshots", headers=api.auth("viewer"))
    assert listed.json()["total"] == 0


def test_diff_two_snapshots_both_ways_of_asking(api):
    old = upload(api, make_inventory([make_resource(tags={"env": "dev"})]))
    new = upload(api, make_inventory([make_resource(), make_resource(id="i-2")]))
    reader = api.auth("viewer")
    by_path = api.client.get(
        f"/api/v1/snapshots/{new['id']}/diff/{old['id']}", headers=reader
    ).json()
    by_query = api.client.get(
        f"/api/v1/snapshots/{new['id']}/diff",
        params={"against": old["id"]},
        headers=reader,
    ).json()
    assert by_path == by_query
    assert by_path["old"] == old["id"]
    assert by_path["summary"]["added"] == 1
    assert by_path["summary"]["changed"] == 1


def test_status_needs_credentials(api):
    anonymous = api.client.get("/api/v1/status")
    assert anonymous.status_code == 401
    status = api.client.get("/api/v1/status", headers=api.auth("viewer")).json()
    assert status["principal"] == "viewer"


def test_an_expired_token_says_so(sqlite_api):
    from datetime import UTC, datetime, timedelta

    from cloudviz.auth.tokens import ACCESS, TokenCodec
    from cloudviz.config import AuthSettings

    codec = TokenCodec(AuthSettings())
    expired = codec.issue(
        user_id=sqlite_api.user_ids["viewer"],
        username="viewer",
        roles=["viewer"],
        permissions={"read"},
        token_type=ACCESS,
        now=datetime.now(UTC) - timedelta(days=1),
    )
    response = sqlite_api.client.get(
        "/api/v1/snapshots", headers={"Authorization": f"Bearer {expired}"}
    )
    assert response.status_code == 401
    assert response.json()["error"] == "Token has expired"
    assert response.json()["cv_code"] == "CV001"
