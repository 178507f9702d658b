"""CloudViz's own SVG render against Graphviz `dot -Tsvg`, same estate.

Both draw the same inventory (`cloudviz demo --resources 10000`): CloudViz
with its own layout engine, Graphviz by running `dot -Tsvg` on the DOT that
CloudViz writes for that inventory (one cluster per provider, account,
region, network and subnet). CloudViz's time is the median of several
renders after a warm-up; `dot` runs once, with a generous timeout, because
it takes tens of seconds.

    .venv/bin/python benchmarks/graphviz_comparison.py
    .venv/bin/python benchmarks/graphviz_comparison.py --resources 2000 --runs 3

Writes benchmarks/results/graphviz_comparison.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.render import render
from cloudviz.sources.demo import generate_demo_inventory

RESULTS = Path(__file__).parent / "results"
GOAL_RATIO = 40.0


def time_cloudviz_svg(
    inventory: Any, view: str, runs: int
) -> tuple[list[float], list[float], int]:
    """Wall and CPU seconds of each full render (view, layout, SVG), after a
    warm-up, and the SVG's size."""
    options = RenderOptions(format="svg", view=view)
    render(inventory, options)
    walls: list[float] = []
    cpus: list[float] = []
    size = 0
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = render(inventory, options)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
        size = len(result.data)
    return walls, cpus, size


def time_graphviz(dot_source: bytes, timeout: float) -> dict[str, Any]:
    """One `dot -Tsvg` run on the DOT text; its wall time and CPU time."""
    before = os.times()
    started = time.perf_counter()
    try:
        finished = subprocess.run(
            ["dot", "-Tsvg"], input=dot_source, capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"timed_out": True, "timeout_seconds": timeout}
    wall = time.perf_counter() - started
    after = os.times()
    return {
        "timed_out": False,
        "seconds": round(wall, 3),
        "cpu_seconds": round(
            after.children_user
            - before.children_user
            + after.children_system
            - before.children_system,
            3,
        ),
        "exit_status": finished.returncode,
        "svg_bytes": len(finished.stdout),
        "warnings": len(finished.stderr.splitlines()),
    }


def dot_shape(dot_source: str) -> dict[str, int]:
    return {
        "nodes": len(re.findall(r'^\s*"n[0-9a-f]+" \[', dot_source, re.M)),
        "clusters": len(re.findall(r'^\s*subgraph "cluster_', dot_source, re.M)),
        "edges": len(re.findall(r" -> ", dot_source)),
    }


def graphviz_version() -> str:
    finished = subprocess.run(["dot", "-V"], capture_output=True, text=True)
    return finished.stderr.strip()


def compare_view(
    inventory: Any, view: str, runs: int, dot_timeout: float
) -> dict[str, Any]:
    """CloudViz's SVG against `dot -Tsvg` on CloudViz's DOT, for one view."""
    walls, cpus, svg_bytes = time_cloudviz_svg(inventory, view, runs)
    started = time.perf_counter()
    dot_source = render(inventory, RenderOptions(format="dot", view=view)).data
    dot_write_seconds = time.perf_counter() - started
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(f"{view}: CloudViz SVG median {wall:.3f}s; running dot once", file=sys.stderr)
    graphviz = time_graphviz(dot_source, dot_timeout)

    ratio = cpu_ratio = None
    if not graphviz["timed_out"]:
        ratio = round(graphviz["seconds"] / wall, 1)
        cpu_ratio = round(graphviz["cpu_seconds"] / cpu, 1)
    return {
        "view": view,
        "cloudviz_svg": {
            "runs_seconds": [round(x, 3) for x in walls],
            "median_seconds": round(wall, 3),
            "cpu_runs_seconds": [round(x, 3) for x in cpus],
            "cpu_median_seconds": round(cpu, 3),
            "svg_bytes": svg_bytes,
        },
        "cloudviz_dot": {
            "write_seconds": round(dot_write_seconds, 3),
            "dot_bytes": len(dot_source),
            "graph": dot_shape(dot_source.decode()),
        },
        "graphviz_dot_svg": graphviz,
        "ratio_graphviz_over_cloudviz": ratio,
        "cpu_ratio_graphviz_over_cloudviz": cpu_ratio,
        "goal_met": ratio is not None and ratio >= GOAL_RATIO,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--views", default="architecture,network")
    parser.add_argument("--dot-timeout", type=float, default=900.0)
    parser.add_argument("--output", type=Path, default=RESULTS / "graphviz_comparison")
    args = parser.parse_args()

    load_before = os.getloadavg()
    inventory = generate_demo_inventory(args.resources, seed=args.seed)
    comparisons = [
        compare_view(inventory, view, args.runs, args.dot_timeout)
        for view in args.views.split(",")
    ]
    load_after = os.getloadavg()

    results = {
        "benchmark": "graphviz_comparison",
        "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "inventory": {
            "generator": f"generate_demo_inventory({args.resources}, seed={args.seed})",
            "resources": len(inventory.resources),
            "relationships": len(inventory.relationships),
        },
        "goal_ratio": GOAL_RATIO,
        "runs": args.runs,
        "views": comparisons,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "graphviz": graphviz_version(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in load_after],
            "note": "A shared 2-core machine: other jobs ran at the same time, "
            "so both timings include their interference; wall times suffer "
            "most, CPU times less",
        },
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")
    args.output.with_suffix(".md").write_text(markdown(results))
    print(json.dumps(results, indent=2))


def _seconds(wall: float, cpu: float, digits: int) -> str:
    return f"{wall:.{digits}f} s (CPU {cpu:.{digits}f} s)"


def markdown(results: dict[str, Any]) -> str:
    rows = [
        "| view | graph Graphviz lays out | CloudViz SVG | `dot -Tsvg` "
        "| ratio (wall) | ratio (CPU) |",
        "|---|---|---|---|---|---|",
    ]
    for item in results["views"]:
        cloudviz = item["cloudviz_svg"]
        graph = item["cloudviz_dot"]["graph"]
        graphviz = item["graphviz_dot_svg"]
        if graphviz["timed_out"]:
            dot_cell = f"timed out after {graphviz['timeout_seconds']:g} s"
        else:
            dot_cell = (
                f"{graphviz['seconds']:.1f} s (CPU {graphviz['cpu_seconds']:.1f} s)"
            )
        cloudviz_cell = _seconds(
            cloudviz["median_seconds"], cloudviz["cpu_median_seconds"], 3
        )
        rows.append(
            f"| {item['view']} | {graph['nodes']:,} nodes, {graph['clusters']:,} "
            f"clusters, {graph['edges']:,} edges "
            f"| {cloudviz_cell} "
            f"| {dot_cell} | **{item['ratio_graphviz_over_cloudviz']}×** "
            f"| {item['cpu_ratio_graphviz_over_cloudviz']}× |"
        )
    runs = "\n".join(
        f"- {item['view']}: CloudViz runs "
        + ", ".join(f"{x:.3f}" for x in item["cloudviz_svg"]["runs_seconds"])
        + f" s; writing the DOT took {item['cloudviz_dot']['write_seconds']:.3f} s"
        for item in results["views"]
    )
    machine = results["machine"]
    inventory = results["inventory"]
    table = "\n".join(rows)
    return f"""# CloudViz layout vs Graphviz `dot`

Run `{results["date"]}` with `benchmarks/graphviz_comparison.py` on
`{inventory["generator"]}`: {inventory["resources"]:,} resources,
{inventory["relationships"]:,} relationships. CloudViz's time is the median of
{results["runs"]} full renders to SVG (view, layout, writer) after a warm-up;
`dot -Tsvg` runs once on the DOT CloudViz writes for the same view (one cluster per
provider, account, region, network and subnet). Goal: CloudViz at least
{results["goal_ratio"]:g}× faster.

{table}

{runs}

Machine: {machine["cpus"]} CPUs, Python {machine["python"]}, {machine["graphviz"]};
load average {machine["load_average_before"][0]} before and
{machine["load_average_after"][0]} after. {machine["note"]}.
"""


if __name__ == "__main__":
    main()
