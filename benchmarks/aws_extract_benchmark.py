"""How fast `cloudviz extract aws` reads a ~1,000-resource estate in 4 regions.

The estate is built with boto3 in a moto server started as its own process on
127.0.0.1 (so the server and CloudViz do not share one interpreter lock).
Then, for each scenario, discovery runs one call at a time
(`max_workers=1`) and in parallel (`max_workers=16`, the default):

- `moto`: straight to moto, whose CPU-bound serving is the limit;
- `moto+50ms`: through a loopback proxy adding 50 ms to every request, a
  stand-in for the round trip to a real AWS endpoint, which is where
  parallel regions × services pay off.

moto's own serving floor is measured by replaying the exact HTTP requests
one discovery made, straight to moto, one at a time and on 16 threads: no
SDK, no CloudViz, only moto answering.

    .venv/bin/python benchmarks/aws_extract_benchmark.py
    .venv/bin/python benchmarks/aws_extract_benchmark.py --instances 10 --repeat 1

Writes benchmarks/results/aws_extract.json and .md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.sources.aws.moto_estate import (  # noqa: E402
    build_estate,
    isolated_environment,
)

from cloudviz.config import Settings  # noqa: E402
from cloudviz.sources.live import ExtractRequest, extract_inventory  # noqa: E402

REGIONS = ["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"]
RESULTS = ROOT / "benchmarks" / "results"
Request = tuple[str, str, dict[str, str], bytes]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_moto() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("moto_server")),
            "-H",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/")
            return server, url
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise RuntimeError("moto_server did not start")


class DelayProxy(ThreadingHTTPServer):
    """Forwards every request to moto after a delay, recording what it forwards."""

    daemon_threads = True

    def __init__(self, upstream_port: int, delay: float, record: bool = True) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.upstream_port = upstream_port
        self.delay = delay
        self.record = record
        self.recorded: list[Request] = []
        self.lock = threading.Lock()
        self.local = threading.local()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: DelayProxy

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = dict(self.headers.items())
        if self.server.record:
            with self.server.lock:
                self.server.recorded.append((self.command, self.path, headers, body))
        if self.server.delay:
            time.sleep(self.server.delay)
        status, reply_headers, reply = send(
            self.server.local,
            self.server.upstream_port,
            self.command,
            self.path,
            headers,
            body,
        )
        self.send_response(status)
        for key, value in reply_headers:
            if key.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    # http.server dispatches on these names.
    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward  # noqa: N815


def send(
    local: threading.local,
    port: int,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes,
) -> tuple[int, list[tuple[str, str]], bytes]:
    """One request on this thread's keep-alive connection to moto."""
    connection = getattr(local, "connection", None)
    if connection is None:
        connection = local.connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.getheaders(), response.read()


def replay(requests: list[Request], port: int, workers: int) -> float:
    """Seconds moto takes to answer exactly these requests on `workers` threads."""
    local = threading.local()

    def one(request: Request) -> None:
        send(local, port, *request)

    started = time.perf_counter()
    if workers == 1:
        for request in requests:
            one(request)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(one, requests))
    return time.perf_counter() - started


def extract(endpoint: str, workers: int) -> dict[str, Any]:
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    settings = Settings.model_validate({"providers": {"aws": {"max_workers": workers}}})
    started = time.perf_counter()
    inventory = extract_inventory(
        ExtractRequest("aws", regions=tuple(REGIONS)), settings
    )
    seconds = time.perf_counter() - started
    assert not inventory.errors, inventory.errors
    return {
        "seconds": seconds,
        "resources": len(inventory.resources),
        "relationships": len(inventory.relationships),
        "api_calls": inventory.source_detail["api_calls"],
        "by_operation": inventory.source_detail["api_calls_by_operation"],
        "by_type": dict(sorted(Counter(r.type for r in inventory.resources).items())),
    }


def compare(endpoint: str, repeat: int) -> dict[str, Any]:
    """Serial and parallel discovery, alternated so both meet the same load."""
    serial: list[float] = []
    parallel: list[float] = []
    for _ in range(repeat):
        serial.append(extract(endpoint, 1)["seconds"])
        parallel.append(extract(endpoint, 16)["seconds"])
    serial_median = statistics.median(serial)
    parallel_median = statistics.median(parallel)
    return {
        "sequential_seconds": round(serial_median, 3),
        "parallel_seconds": round(parallel_median, 3),
        "speedup": round(serial_median / parallel_median, 2),
        "sequential_runs": [round(value, 3) for value in serial],
        "parallel_runs": [round(value, 3) for value in parallel],
    }


def start_delay_proxy(
    upstream_port: int, delay_ms: float
) -> tuple[subprocess.Popen[str], str]:
    proxy = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve-proxy",
            str(upstream_port),
            "--latency-ms",
            str(delay_ms),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proxy.stdout is not None
    return proxy, proxy.stdout.readline().strip()


def serve_proxy(upstream_port: int, delay_ms: float) -> None:
    proxy = DelayProxy(upstream_port, delay_ms / 1000, record=False)
    print(proxy.url, flush=True)
    proxy.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", type=int, default=70, help="per region")
    parser.add_argument("--queues", type=int, default=40, help="per region")
    parser.add_argument("--extra-vpcs", type=int, default=12, help="per region")
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--serve-proxy", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_proxy:
        serve_proxy(args.serve_proxy, args.latency_ms)
        return

    server, moto_url = start_moto()
    port = int(moto_url.rsplit(":", 1)[1])
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ.update(isolated_environment(moto_url, tmp))
            started = time.perf_counter()
            build_estate(
                moto_url,
                REGIONS,
                instances=args.instances,
                queues=args.queues,
                extra_vpcs=args.extra_vpcs,
            )
            build_seconds = time.perf_counter() - started
            results = run_scenarios(moto_url, port, args)
    finally:
        server.terminate()
        server.wait(timeout=10)

    results["estate_build_seconds"] = round(build_seconds, 1)
    results["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "note": "2 cores shared with seven other engineers' builds and tests; "
        "timings are noisy, ratios more trustworthy than absolute seconds",
    }
    print(json.dumps({k: v for k, v in results.items() if k != "profile"}, indent=2))
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "aws_extract.json").write_text(json.dumps(results, indent=2) + "\n")
        (RESULTS / "aws_extract.md").write_text(markdown(results))


def run_scenarios(moto_url: str, port: int, args: argparse.Namespace) -> dict[str, Any]:
    scenarios: dict[str, Any] = {}

    # Record one discovery's HTTP requests (through a no-delay proxy) for the floor.
    recorder = DelayProxy(port, 0)
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    profile = extract(recorder.url, 16)
    recorder.shutdown()
    requests = recorder.recorded
    floor = {
        "requests": len(requests),
        "sequential_seconds": round(replay(requests, port, 1), 3),
        "parallel16_seconds": round(replay(requests, port, 16), 3),
    }

    # The delay proxy runs as its own process, like moto, so its threads do
    # not compete with CloudViz's for one interpreter lock.
    proxy, proxy_url = start_delay_proxy(port, args.latency_ms)
    try:
        for name, endpoint in (
            ("moto", moto_url),
            (f"moto+{args.latency_ms:g}ms", proxy_url),
        ):
            scenarios[name] = compare(endpoint, args.repeat)
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
    return {
        "regions": REGIONS,
        "resources": profile["resources"],
        "relationships": profile["relationships"],
        "api_calls": profile["api_calls"],
        "moto_floor": floor,
        "scenarios": scenarios,
        "resources_by_type": profile["by_type"],
        "api_calls_by_operation": profile["by_operation"],
    }


def markdown(results: dict[str, Any]) -> str:
    floor = results["moto_floor"]
    lines = [
        "# `cloudviz extract aws` against moto: 4 regions, parallel vs serial",
        "",
        f"Estate: {results['resources']} resources and {results['relationships']} "
        f"relationships in {', '.join(results['regions'])}, read with "
        f"{results['api_calls']} API calls. Produced by "
        "`benchmarks/aws_extract_benchmark.py`; raw numbers in `aws_extract.json`.",
        "",
        f"Machine: {results['machine']['note']} (load average at the end "
        f"{results['machine']['load_average_at_end']}).",
        "",
        "| scenario | max_workers=1 | max_workers=16 | speed-up |",
        "|---|---:|---:|---:|",
    ]
    for name, row in results["scenarios"].items():
        lines.append(
            f"| {name} | {row['sequential_seconds']:.2f} s | "
            f"{row['parallel_seconds']:.2f} s | {row['speedup']:.1f}× |"
        )
    lines += [
        "",
        f"moto's serving floor (replaying the same {floor['requests']} HTTP requests "
        f"straight to moto, no SDK): {floor['sequential_seconds']:.2f} s one at a "
        f"time, {floor['parallel16_seconds']:.2f} s on 16 threads.",
        "",
        "Reading the numbers: straight to moto, every call costs CPU only (moto's "
        "and botocore's, on the same two cores), so parallel discovery is bounded "
        "by moto's own parallel floor and lands about on it (the floor is one "
        "measurement; single runs here vary up to 2× with the load). With 50 ms added "
        "per request, as on a real AWS endpoint, waiting dominates and running "
        "regions × services (and per-item calls) side by side hides it. "
        "Each figure is the median of the runs listed in the JSON.",
        "",
        "## API calls per operation (one discovery)",
        "",
        "The calls each resource family costs, in general, are tabled in "
        "`docs/aws.md` (Speed); here is what this estate cost.",
        "",
        "| operation | calls |",
        "|---|---:|",
    ]
    lines += [f"| {op} | {n} |" for op, n in results["api_calls_by_operation"].items()]
    lines += ["", "## Resources by type", "", "| type | count |", "|---|---:|"]
    lines += [f"| {t} | {n} |" for t, n in results["resources_by_type"].items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
