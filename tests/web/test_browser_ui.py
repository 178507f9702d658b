"""The browser UI driven in Debian's chromium against a real `cloudviz server`."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cloudviz.inventory.codec import dumps_inventory
from cloudviz.sources.demo import generate_demo_inventory
from tests.api.test_server_process import ADMIN_PASSWORD, server  # noqa: F401
from tests.diagram.hostile import hostile_inventory

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"
    ),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def sign_in(browser: Any, base: str) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}"))
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((base, "about:", "blob:", "data:"))
            else problems.append(f"outside request: {request.url}")
        ),
    )
    page.goto(base + "/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#app-view:not([hidden])")
    return page, problems


def upload(page: Any, path: Path) -> None:
    page.set_input_files("#upload-form input[type=file]", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_function(
        "document.querySelector('#status').textContent.startsWith('Stored')"
    )
    page.wait_for_selector("#snapshots li.selected")


def test_sign_in_upload_draw_and_search(
    browser: Any,
    server: tuple[str, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    base, _ = server
    estate = tmp_path / "estate.json"
    estate.write_bytes(dumps_inventory(generate_demo_inventory(80, seed=3)))

    page, problems = sign_in(browser, base)
    assert "admin" in page.text_content("#who")
    upload(page, estate)

    assert page.locator("#snapshots li").count() == 1
    page.wait_for_function("document.querySelector('#diagram').srcdoc.includes('<svg')")
    frame = page.frame_locator("#diagram")
    assert frame.locator("svg").count() >= 1
    assert page.is_visible("#diagram")
    assert not page.is_visible("#resources")  # other tabs stay out of sight

    page.click(".tabs button[data-tab=resources]")
    page.fill("#resource-form input[name=kind]", "compute.vm")
    page.click("#resource-form button[type=submit]")
    page.wait_for_function(
        """() => {
            const cells = [
                ...document.querySelectorAll('#resources tr td:nth-child(2)')];
            return cells.length > 0
                && cells.every(c => c.textContent === 'compute.vm');
        }"""
    )
    kinds = page.locator("#resources tr td:nth-child(2)").all_text_contents()
    assert kinds
    assert set(kinds) == {"compute.vm"}
    assert problems == []


def test_hostile_names_show_as_text(
    browser: Any,
    server: tuple[str, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    base, _ = server
    inventory = hostile_inventory()
    inventory.name = '<img src=x onerror=alert(1)>"]; end'
    path = tmp_path / "hostile.json"
    path.write_bytes(dumps_inventory(inventory))

    page, problems = sign_in(browser, base)
    upload(page, path)
    page.click(".tabs button[data-tab=resources]")
    page.wait_for_selector("#resources tr")
    names = page.locator("#resources tr td:first-child").all_text_contents()
    expected = {resource.name for resource in inventory.resources}
    assert set(names) <= expected
    assert page.locator("#snapshots li").first.text_content().startswith("<img")
    assert page.locator("img").count() == 0
    assert problems == [], json.dumps(problems)
