"""GCP test fixtures: the fake Cloud Asset API, a service-account key, and an
environment that can reach nothing but loopback."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Never let google-auth look for a metadata server off this machine; set before
# google.auth.compute_engine is imported (it reads these at import time).
os.environ.setdefault("NO_GCE_CHECK", "true")
os.environ.setdefault("GCE_METADATA_HOST", "127.0.0.1:9")
os.environ.setdefault("GCE_METADATA_IP", "127.0.0.1:9")

from tests.sources.gcp.fake_cloudasset import (
    FakeCloudAsset,
    FakeCloudAssetServer,
    shop_assets,
)

PROJECT = "acme-shop-prod"


@pytest.fixture(scope="session")
def private_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture
def fake_gcp() -> Iterator[FakeCloudAsset]:
    fake = FakeCloudAsset(scopes={f"projects/{PROJECT}": shop_assets()}, page_limit=10)
    with FakeCloudAssetServer(fake) as running:
        yield running


@pytest.fixture
def gcp_env(
    tmp_path: Path, fake_gcp: FakeCloudAsset, private_key_pem: str
) -> dict[str, str]:
    """Environment for a process that authenticates with a generated key and
    talks only to the fake."""
    key_file = tmp_path / "cloudviz-key.json"
    key_file.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": PROJECT,
                "private_key_id": "0123456789abcdef",
                "private_key": private_key_pem,
                "client_email": f"cloudviz@{PROJECT}.iam.gserviceaccount.com",
                "client_id": "100200300400500600700",
                "token_uri": f"{fake_gcp.url}/token",
            }
        )
    )
    return {
        "GOOGLE_APPLICATION_CREDENTIALS": str(key_file),
        "CLOUDSDK_CONFIG": str(tmp_path / "gcloud"),
        "CLOUDVIZ_PROVIDERS__GCP__ENDPOINT": fake_gcp.url,
        "NO_GCE_CHECK": "true",
        "GCE_METADATA_HOST": "127.0.0.1:9",
        "GCE_METADATA_IP": "127.0.0.1:9",
    }


@pytest.fixture
def gcp_environ(
    monkeypatch: pytest.MonkeyPatch, gcp_env: dict[str, str]
) -> dict[str, str]:
    """`gcp_env` applied to this process."""
    monkeypatch.delenv("GOOGLE_CLOUD_PROJECT", raising=False)
    for name, value in gcp_env.items():
        monkeypatch.setenv(name, value)
    return gcp_env
