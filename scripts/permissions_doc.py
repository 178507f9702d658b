"""Write docs/permissions.md: the three providers' permission pages in one.

The per-provider pages under docs/permissions/ are the sources (the AWS one is
itself checked against the calls the collectors make); this page gathers them
so a security reviewer reads one document. A test keeps it in step:
run `python scripts/permissions_doc.py` after editing a provider page.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"
PROVIDERS = ("aws", "azure", "gcp")
INTRO = """\
# Permissions CloudViz needs

CloudViz only reads. This page gathers, for each provider, the least privilege
that `cloudviz extract` and `cloudviz provider test` need: the exact AWS IAM
policy of the read-only actions the collectors call, the Azure role, and the
GCP roles and API. Each section is also a page of its own under
`docs/permissions/`. Check what an identity is missing with
`cloudviz provider test aws|azure|gcp`.
"""


def demote_headings(page: str) -> str:
    """Every Markdown heading one level deeper; code blocks left alone."""
    lines, in_code = [], False
    for line in page.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        lines.append("#" + line if line.startswith("#") and not in_code else line)
    return "\n".join(lines)


def permissions_document() -> str:
    sections = [INTRO]
    for provider in PROVIDERS:
        page = (DOCS / "permissions" / f"{provider}.md").read_text(encoding="utf-8")
        sections.append(demote_headings(page.strip()) + "\n")
    return "\n".join(sections)


def main() -> int:
    (DOCS / "permissions.md").write_text(permissions_document(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
