"""The interactive HTML page in a real browser: search, details, pages, zoom."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cloudviz.diagram.options import RenderOptions
from cloudviz.diagram.render import render
from cloudviz.sources.demo import generate_demo_inventory
from tests.diagram.hostile import hostile_inventory

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


def open_page(browser: Any, tmp_path: Path, html: bytes) -> tuple[Any, list[str]]:
    path = tmp_path / "diagram.html"
    path.write_bytes(html)
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    assert [url for url in requests if not url.startswith("file:")] == []
    return page, errors


def test_search_finds_and_the_details_panel_shows(browser: Any, tmp_path: Path) -> None:
    html = render(generate_demo_inventory(150, 2), RenderOptions(format="html")).data
    page, errors = open_page(browser, tmp_path, html)

    page.fill("#cv-search", "-vm-")
    hits = int(page.inner_text("#cv-hits").split()[0])
    page.press("#cv-search", "Enter")

    assert hits > 5
    assert page.is_visible("#cv-details")
    assert "-vm-" in page.inner_text("#cv-details-title")
    assert "instance_type" in page.inner_text("#cv-details-list")
    before = page.eval_on_selector("#cv-canvas", "e => e.style.transform")
    page.click('[data-zoom="in"]')
    assert page.eval_on_selector("#cv-canvas", "e => e.style.transform") != before
    assert errors == []


def test_pages_can_be_switched(browser: Any, tmp_path: Path) -> None:
    options = RenderOptions(format="html", paginate=True, max_nodes_per_page=40)
    html = render(generate_demo_inventory(300, 2), options).data
    page, errors = open_page(browser, tmp_path, html)

    page.select_option("#cv-pages select", "3")

    visible = page.eval_on_selector_all(
        ".cv-page", "els => els.filter(e => !e.hidden).map(e => e.dataset.page)"
    )
    assert visible == ["3"]
    assert errors == []


def test_hostile_names_run_no_script(browser: Any, tmp_path: Path) -> None:
    html = render(hostile_inventory(), RenderOptions(format="html")).data
    page, errors = open_page(browser, tmp_path, html)

    page.fill("#cv-search", "script")
    page.press("#cv-search", "Enter")

    assert "<script>" in page.inner_text("#cv-details-title")  # shown as text
    assert errors == []  # no alert() dialog, no script error
