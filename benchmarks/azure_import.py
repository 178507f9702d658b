"""Azure at scale: importing `az graph query` exports, and live discovery.

    .venv/bin/python benchmarks/azure_import.py [--sizes 10000,100000]

For each size it writes a synthetic Resource Graph export (VNets with
subnets and peerings, NSGs, VMs with NICs and disks, load balancers with
back-end pools and public IPs, in 4 subscriptions), then imports it in a
fresh process and records wall time and peak resident memory. It also runs
`extract_azure_inventory` against the test suite's Resource Graph server on
127.0.0.1 (1,000 rows a page, TLS, the real SDK) to show what paging costs.
Results go to benchmarks/results/azure_import.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "azure_import.json"
SUBSCRIPTIONS = [f"{n:08x}-aaaa-4bbb-8ccc-{n:012x}" for n in range(1, 5)]


def _row(rid: str, rtype: str, sub: str, rg: str, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": rid,
        "name": rid.rsplit("/", 1)[1],
        "type": rtype,
        "location": "westeurope",
        "resourceGroup": rg,
        "subscriptionId": sub,
        "tenantId": "00000000-0000-4000-8000-000000000000",
        "tags": {"env": "prod", "block": rg},
        "kind": "",
        "sku": None,
        "zones": None,
        "managedBy": "",
        "properties": {"provisioningState": "Succeeded"},
    }
    row.update(extra)
    return row


def estate_rows(resources: int) -> list[dict[str, Any]]:
    """Rows describing about `resources` resources (subnets included)."""
    rows: list[dict[str, Any]] = []
    count = 0
    block = 0
    previous_vnet: str | None = None
    while count < resources:
        sub = SUBSCRIPTIONS[block % len(SUBSCRIPTIONS)]
        rg = f"app-{block}-rg"
        base = f"/subscriptions/{sub}/resourceGroups/{rg}/providers"
        vnet = f"{base}/Microsoft.Network/virtualNetworks/vnet-{block}"
        nsg = f"{base}/Microsoft.Network/networkSecurityGroups/nsg-{block}"
        subnets = [f"{vnet}/subnets/s{i}" for i in range(3)]
        peerings = []
        if previous_vnet:
            peerings.append(
                {
                    "name": "peer",
                    "properties": {"remoteVirtualNetwork": {"id": previous_vnet}},
                }
            )
        rows.append(
            _row(
                vnet,
                "microsoft.network/virtualnetworks",
                sub,
                rg,
                properties={
                    "addressSpace": {"addressPrefixes": [f"10.{block % 250}.0.0/16"]},
                    "subnets": [
                        {
                            "id": subnet,
                            "name": subnet.rsplit("/", 1)[1],
                            "properties": {
                                "addressPrefix": f"10.{block % 250}.{i}.0/24",
                                "networkSecurityGroup": {"id": nsg},
                            },
                        }
                        for i, subnet in enumerate(subnets)
                    ],
                    "virtualNetworkPeerings": peerings,
                },
            )
        )
        rows.append(_row(nsg, "microsoft.network/networksecuritygroups", sub, rg))
        lb = f"{base}/Microsoft.Network/loadBalancers/lb-{block}"
        pip = f"{base}/Microsoft.Network/publicIPAddresses/lb-{block}-pip"
        configs = []
        for v in range(6):
            vm = f"{base}/Microsoft.Compute/virtualMachines/vm-{block}-{v}"
            nic = f"{base}/Microsoft.Network/networkInterfaces/vm-{block}-{v}-nic"
            disk = f"{base}/Microsoft.Compute/disks/vm-{block}-{v}-os"
            configs.append({"id": f"{nic}/ipConfigurations/ipconfig1"})
            rows.append(
                _row(
                    vm,
                    "microsoft.compute/virtualmachines",
                    sub,
                    rg,
                    properties={
                        "hardwareProfile": {"vmSize": "Standard_D2s_v5"},
                        "networkProfile": {"networkInterfaces": [{"id": nic}]},
                        "storageProfile": {"osDisk": {"managedDisk": {"id": disk}}},
                    },
                )
            )
            rows.append(
                _row(
                    nic,
                    "microsoft.network/networkinterfaces",
                    sub,
                    rg,
                    properties={
                        "ipConfigurations": [
                            {
                                "id": f"{nic}/ipConfigurations/ipconfig1",
                                "properties": {
                                    "primary": True,
                                    "privateIPAddress": f"10.0.{v}.4",
                                    "subnet": {"id": subnets[v % 3]},
                                },
                            }
                        ],
                        "virtualMachine": {"id": vm},
                    },
                )
            )
            rows.append(_row(disk, "microsoft.compute/disks", sub, rg, managedBy=vm))
        rows.append(
            _row(
                lb,
                "microsoft.network/loadbalancers",
                sub,
                rg,
                properties={
                    "frontendIPConfigurations": [
                        {"properties": {"publicIPAddress": {"id": pip}}}
                    ],
                    "backendAddressPools": [
                        {"properties": {"backendIPConfigurations": configs}}
                    ],
                },
            )
        )
        rows.append(_row(pip, "microsoft.network/publicipaddresses", sub, rg))
        count += 4 + 1 + 18 + 2
        previous_vnet = vnet
        block += 1
    return rows


def measure_import(path: Path) -> dict[str, Any]:
    """Import in a fresh process: wall time and peak RSS of that process."""
    code = (
        "import json, resource, sys, time\n"
        "from cloudviz.sources.files import import_files\n"
        "t = time.perf_counter()\n"
        "inv = import_files([sys.argv[1]])\n"
        "s = time.perf_counter() - t\n"
        "print(json.dumps({'seconds': round(s, 2), 'resources': len(inv.resources),"
        " 'relationships': len(inv.relationships),"
        " 'peak_rss_mb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss"
        " / 1024)}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    measured: dict[str, Any] = json.loads(result.stdout)
    return measured


def measure_live(rows: list[dict[str, Any]], workdir: Path) -> dict[str, Any]:
    """`extract_azure_inventory` against the loopback Resource Graph server."""
    sys.path.insert(0, str(ROOT))
    from tests.sources.azure.conftest import StaticTokenCredential
    from tests.sources.azure.fake_arm import ArmState, FakeArm

    from cloudviz.config import load_settings
    from cloudviz.sources.azure.collector import extract_azure_inventory
    from cloudviz.sources.live import ExtractRequest

    by_sub: dict[str, list[dict[str, Any]]] = {sub: [] for sub in SUBSCRIPTIONS}
    for row in rows:
        by_sub[row["subscriptionId"]].append(row)
    state = ArmState(
        subscriptions=[{"subscriptionId": s, "name": s} for s in SUBSCRIPTIONS],
        rows=by_sub,
    )
    with FakeArm(state, workdir) as arm:
        os.environ["REQUESTS_CA_BUNDLE"] = str(arm.ca_bundle)
        os.environ["NO_PROXY"] = "127.0.0.1"
        os.environ["CLOUDVIZ_PROVIDERS__AZURE__ENDPOINT"] = arm.url
        started = time.perf_counter()
        inventory = extract_azure_inventory(
            ExtractRequest("azure"),
            load_settings(environ=os.environ),
            credential=StaticTokenCredential(),
        )
        seconds = time.perf_counter() - started
    return {
        "rows": len(rows),
        "resources": len(inventory.resources),
        "relationships": len(inventory.relationships),
        "api_calls": inventory.source_detail["api_calls"],
        "seconds": round(seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--live-size", type=int, default=10000)
    args = parser.parse_args()

    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            # The machine is shared: a high load average means slower numbers.
            "load_average_1m_at_start": round(os.getloadavg()[0], 1),
        },
        "import": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for size in (int(value) for value in args.sizes.split(",")):
            path = workdir / f"graph-{size}.json"
            rows = estate_rows(size)
            path.write_text(json.dumps({"count": len(rows), "data": rows}))
            measured = measure_import(path)
            measured.update(
                rows=len(rows), file_mb=round(path.stat().st_size / 2**20, 1)
            )
            print(f"import {size}: {measured}", file=sys.stderr)
            results["import"].append(measured)
        results["live"] = measure_live(estate_rows(args.live_size), workdir)
        print(f"live: {results['live']}", file=sys.stderr)

    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
