"""GCP: how fast the shared asset transform imports and discovers an estate.

Two measurements, each in a fresh process so peak memory is its own:

- import: a synthetic Cloud Asset export (NDJSON) of N assets through
  `cloudviz import` (detection, parse, transform, relationship resolution);
- extract: live discovery of an estate through the real google-cloud-asset
  REST client against the loopback fake Cloud Asset API, with one stream at a
  time and with the default parallel streams, with the fake answering each
  page at once and after 200 ms (a real ListAssets page of 1,000 resources
  takes about that long or more).

Run: .venv/bin/python benchmarks/gcp_discovery.py [--sizes 10000,100000]
Writes benchmarks/results/gcp_discovery.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "gcp_discovery.json"
PROJECT = "bench-prod"
COMPUTE = "https://www.googleapis.com/compute/v1/projects/" + PROJECT


# What a real instance carries besides what CloudViz reads: about 3.5 KB of
# JSON an instance, as the Compute API returns it.
_BOOT_DISK = {
    "kind": "compute#attachedDisk",
    "type": "PERSISTENT",
    "mode": "READ_WRITE",
    "deviceName": "persistent-disk-0",
    "boot": True,
    "autoDelete": True,
    "interface": "SCSI",
    "licenses": [
        "https://www.googleapis.com/compute/v1/projects/debian-cloud/global/"
        "licenses/debian-12-bookworm"
    ],
    "guestOsFeatures": [{"type": "UEFI_COMPATIBLE"}, {"type": "GVNIC"}],
    "diskSizeGb": "20",
    "architecture": "X86_64",
}
_INSTANCE_DETAIL = {
    "kind": "compute#instance",
    "creationTimestamp": "2026-10-01T09:00:00.000-07:00",
    "cpuPlatform": "Intel Broadwell",
    "canIpForward": False,
    "deletionProtection": False,
    "fingerprint": "k6Yd1fTq9hE=",
    "labelFingerprint": "42WmSpB8rSM=",
    "scheduling": {
        "onHostMaintenance": "MIGRATE",
        "automaticRestart": True,
        "preemptible": False,
        "provisioningModel": "STANDARD",
    },
    "serviceAccounts": [
        {
            "email": "700000001-compute@developer.gserviceaccount.com",
            "scopes": [
                "https://www.googleapis.com/auth/devstorage.read_only",
                "https://www.googleapis.com/auth/logging.write",
                "https://www.googleapis.com/auth/monitoring.write",
                "https://www.googleapis.com/auth/trace.append",
            ],
        }
    ],
    "shieldedInstanceConfig": {
        "enableSecureBoot": False,
        "enableVtpm": True,
        "enableIntegrityMonitoring": True,
    },
    "metadata": {
        "kind": "compute#metadata",
        "fingerprint": "Yx2Lbq0P1mA=",
        "items": [
            {
                "key": "startup-script",
                "value": "#!/bin/bash\napt-get update\n" + "echo provisioning\n" * 40,
            }
        ],
    },
}


def synthetic_assets(count: int) -> list[dict[str, Any]]:
    """An export of `count` assets: per 50, one network-ish block and VMs."""
    assets: list[dict[str, Any]] = []
    block = 0
    while len(assets) < count:
        region = ("europe-west1", "us-central1", "asia-east1")[block % 3]
        zone = f"{region}-b"
        net = f"net-{block // 10}"
        subnet = f"sub-{block}"
        assets.append(
            _asset(
                "Subnetwork",
                f"regions/{region}/subnetworks/{subnet}",
                {
                    "ipCidrRange": f"10.{block % 250}.0.0/24",
                    "network": f"{COMPUTE}/global/networks/{net}",
                },
                region,
            )
        )
        if block % 10 == 0:
            assets.append(
                _asset(
                    "Network",
                    f"global/networks/{net}",
                    {
                        "autoCreateSubnetworks": False,
                        "peerings": [{"network": f"{COMPUTE}/global/networks/net-0"}],
                    },
                    "global",
                )
            )
            assets.append(
                _asset(
                    "Firewall",
                    f"global/firewalls/fw-{net}",
                    {
                        "network": f"global/networks/{net}",
                        "direction": "INGRESS",
                        "targetTags": ["web"],
                    },
                    "global",
                )
            )
        for number in range(24):
            name = f"vm-{block}-{number}"
            assets.append(
                _asset(
                    "Instance",
                    f"zones/{zone}/instances/{name}",
                    {
                        "machineType": f"{COMPUTE}/zones/{zone}/machineTypes/e2-small",
                        "status": "RUNNING",
                        "tags": {"items": ["web"] if number % 2 else ["db"]},
                        "labels": {"env": "prod", "block": str(block)},
                        "networkInterfaces": [
                            {
                                "network": f"{COMPUTE}/global/networks/{net}",
                                "subnetwork": f"{COMPUTE}/regions/{region}"
                                f"/subnetworks/{subnet}",
                                "networkIP": f"10.{block % 250}.0.{number + 2}",
                            }
                        ],
                        "disks": [
                            {
                                **_BOOT_DISK,
                                "source": f"{COMPUTE}/zones/{zone}/disks/{name}",
                            }
                        ],
                        **_INSTANCE_DETAIL,
                        "selfLink": f"{COMPUTE}/zones/{zone}/instances/{name}",
                    },
                    zone,
                )
            )
            assets.append(
                _asset(
                    "Disk",
                    f"zones/{zone}/disks/{name}",
                    {
                        "sizeGb": "20",
                        "users": [f"{COMPUTE}/zones/{zone}/instances/{name}"],
                    },
                    zone,
                )
            )
        block += 1
    return assets[:count]


def _asset(kind: str, path: str, data: dict[str, Any], location: str) -> dict:
    return {
        "name": f"//compute.googleapis.com/projects/{PROJECT}/{path}",
        "asset_type": f"compute.googleapis.com/{kind}",
        "resource": {
            "version": "v1",
            "parent": "//cloudresourcemanager.googleapis.com/projects/700000001",
            "data": data,
            "location": location,
        },
        "ancestors": ["projects/700000001"],
    }


def measure_import(size: int, workdir: Path) -> dict[str, Any]:
    path = workdir / f"export-{size}.ndjson"
    with path.open("w") as handle:
        for asset in synthetic_assets(size):
            handle.write(json.dumps(asset) + "\n")
    code = (
        "import json,resource,sys,time\n"
        "from cloudviz.sources.files.registry import import_files\n"
        "t=time.perf_counter(); c=time.process_time()\n"
        "inv=import_files([sys.argv[1]])\n"
        "print(json.dumps({'seconds': round(time.perf_counter()-t, 2),"
        " 'cpu_seconds': round(time.process_time()-c, 2),"
        " 'resources': len(inv.resources), 'relationships': len(inv.relationships),"
        " 'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss//1024}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    result["file_mb"] = round(path.stat().st_size / 2**20, 1)
    path.unlink()
    return result


def measure_extract(
    size: int, projects: int, workers: int, latency: float
) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from tests.sources.gcp.fake_cloudasset import (
        FakeCloudAsset,
        FakeCloudAssetServer,
        wire_asset,
    )

    from cloudviz.config import load_settings
    from cloudviz.progress import NULL_PROGRESS
    from cloudviz.sources.gcp.collector import extract_gcp_inventory
    from cloudviz.sources.live import ExtractRequest

    # The same estate split over `projects` projects (ids need not match).
    assets = [wire_asset(a) for a in synthetic_assets(size)]
    names = [f"{PROJECT}-{n}" if n else PROJECT for n in range(projects)]
    scopes = {f"projects/{name}": assets[n::projects] for n, name in enumerate(names)}
    fake = FakeCloudAsset(scopes=scopes, page_limit=1000, latency=latency)
    with FakeCloudAssetServer(fake):
        settings = load_settings(
            environ={
                "CLOUDVIZ_PROVIDERS__GCP__ENDPOINT": fake.url,
                "CLOUDVIZ_PROVIDERS__GCP__MAX_WORKERS": str(workers),
            }
        )
        started = time.perf_counter()
        inventory = extract_gcp_inventory(
            ExtractRequest("gcp", projects=tuple(names)), settings, NULL_PROGRESS
        )
        seconds = time.perf_counter() - started
    return {
        "assets": size,
        "projects": projects,
        "workers": workers,
        "page_latency_seconds": latency,
        "seconds": round(seconds, 2),
        "api_calls": inventory.source_detail["api_calls"],
        "resources": len(inventory.resources),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--extract-size", type=int, default=10000)
    args = parser.parse_args()
    workdir = ROOT / "benchmarks" / ".work"
    workdir.mkdir(exist_ok=True)
    key = _service_account_key(workdir)
    os.environ.update(
        GOOGLE_APPLICATION_CREDENTIALS=str(key),
        NO_GCE_CHECK="true",
        GCE_METADATA_HOST="127.0.0.1:9",
        GCE_METADATA_IP="127.0.0.1:9",
    )

    imports = [measure_import(int(size), workdir) for size in args.sizes.split(",")]
    extracts = [
        measure_extract(args.extract_size, projects, workers, latency)
        for projects in (1, 4)
        for latency in (0.0, 0.2)
        for workers in (1, 8)
    ]
    report = {
        "machine": f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores (shared)",
        # Other work on the machine inflates wall times; cpu_seconds does not.
        "load_average_at_start": [round(load, 1) for load in os.getloadavg()],
        "import": imports,
        "extract": extracts,
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    key.unlink()


def _service_account_key(workdir: Path) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = workdir / "bench-key.json"
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": PROJECT,
                "private_key_id": "1",
                "private_key": pem.decode(),
                "client_email": f"bench@{PROJECT}.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": "http://127.0.0.1:9/token",
            }
        )
    )
    return path


if __name__ == "__main__":
    _ = resource
    main()
