"""docs/permissions.md gathers the provider pages; it must not drift."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_permissions_page_matches_the_provider_pages():
    spec = importlib.util.spec_from_file_location(
        "permissions_doc", ROOT / "scripts" / "permissions_doc.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert written == module.permissions_document(), (
        "run `python scripts/permissions_doc.py` to refresh docs/permissions.md"
    )
