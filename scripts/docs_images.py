"""Re-create the README's example diagrams in docs/images/ (deterministic).

    .venv/bin/python scripts/docs_images.py

A 60-resource demo estate drawn three ways: the architecture view (light),
the network view (dark), and a diff against a changed copy of the estate.
"""

from __future__ import annotations

import copy
from pathlib import Path

from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.render import render
from cloudviz.inventory.model import Inventory, Relationship
from cloudviz.sources.demo import generate_demo_inventory

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"
RESOURCES, SEED = 60, 11


def changed_estate(before: Inventory) -> Inventory:
    """The same estate a day later: a VM gone, one resized, a canary added."""
    after = copy.deepcopy(before)
    vms = [r for r in after.resources if r.kind == "compute.vm"]
    gone, resized, template = vms[0], vms[1], vms[2]
    after.resources.remove(gone)
    after.relationships = [
        rel for rel in after.relationships if gone.id not in (rel.source, rel.target)
    ]
    resized.properties["instance_type"] = "n2-standard-16"
    canary = copy.deepcopy(template)
    canary.id += "-canary"
    canary.name += "-canary"
    after.resources.append(canary)
    bucket = next(r for r in after.resources if r.kind == "storage.bucket")
    after.relationships.append(Relationship(canary.id, bucket.id, "uses"))
    return after


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    estate = generate_demo_inventory(RESOURCES, SEED)
    shots = {
        "architecture-light.png": (estate, RenderOptions(format="png"), None),
        "network-dark.png": (
            estate,
            RenderOptions(format="png", view="network", theme="dark"),
            None,
        ),
        "diff.png": (changed_estate(estate), RenderOptions(format="png"), estate),
    }
    for name, (inventory, options, old) in shots.items():
        render(inventory, options, diff_against=old).write_to(IMAGES / name)
        print(f"wrote {IMAGES / name}")


if __name__ == "__main__":
    main()
