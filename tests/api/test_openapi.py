"""The OpenAPI document at /docs describes requests and every error body."""

from __future__ import annotations


def test_every_operation_declares_the_error_envelope(sqlite_api):
    spec = sqlite_api.client.get("/openapi.json").json()
    assert "ErrorBody" in spec["components"]["schemas"]
    envelope = "#/components/schemas/ErrorBody"
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            errors = [
                response
                for status, response in operation["responses"].items()
                if status.startswith(("4", "5"))
            ]
            assert errors, f"{method.upper()} {path} declares no error response"
            for response in errors:
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": envelope}, (method, path)


def test_request_bodies_and_security_are_described(sqlite_api):
    spec = sqlite_api.client.get("/openapi.json").json()
    paths = spec["paths"]
    for path, method in (
        ("/auth/login", "post"),
        ("/api/v1/auth/api-keys", "post"),
        ("/api/v1/users/{user_id}/roles", "put"),
        ("/api/v1/extract/{provider}", "post"),
    ):
        assert "requestBody" in paths[path][method], path
    upload = paths["/api/v1/snapshots"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= upload.keys()
    schemes = spec["components"]["securitySchemes"]
    assert {"HTTPBearer", "APIKeyHeader"} <= schemes.keys()
    assert sqlite_api.client.get("/docs").status_code == 200


def test_a_role_change_applies_at_once(sqlite_api):
    viewer = sqlite_api.auth("viewer")
    body = {"name": "n", "source": {"kind": "test"}, "schema_version": 1}
    refused = sqlite_api.client.post("/api/v1/snapshots", json=body, headers=viewer)
    assert refused.status_code == 403
    promoted = sqlite_api.client.put(
        f"/api/v1/users/{sqlite_api.user_ids['viewer']}/roles",
        json={"roles": ["editor"]},
        headers=sqlite_api.auth("admin"),
    )
    assert promoted.status_code == 200
    allowed = sqlite_api.client.post("/api/v1/snapshots", json=body, headers=viewer)
    assert allowed.status_code == 201
