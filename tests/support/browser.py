"""The browser verifier (resources/evidence-kit-verify.html) in headless Chromium — Debian's
chromium, driven by Playwright — opened from a file:// address as a person opens it, with the
bundle given through the page's own file pickers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evidence_kit.paths import resource_path

CHROMIUM = "/usr/bin/chromium"
# As root on this machine: no sandbox, no GPU, and no background connections (the network is
# closed; without these flags Chromium keeps trying).
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
PAGE = resource_path("evidence-kit-verify.html")


def page_url(query: str = "") -> str:
    return PAGE.as_uri() + (f"?{query}" if query else "")


def launch() -> Iterator[Any]:
    """Headless Chromium for a session of tests (a generator for a fixture)."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is missing: run packaging/install-system-deps.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class VerifierPage:
    """One tab of the verifier; `check(...)` gives the bundle to it and returns its report."""

    def __init__(self, browser: Any, query: str = "") -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.query = query
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self) -> None:
        self.page.goto(page_url(self.query))
        self.page.wait_for_function("() => document.body.dataset.state === 'ready'")

    def check(
        self, target: Path, *, sidecar: Path | None = None, expect_key: str | None = None
    ) -> dict[str, Any]:
        self.open()
        if expect_key:
            self.page.fill("#expected", expect_key)
        if target.is_dir():
            self.page.set_input_files("#pick-folder", str(target))
        else:
            files = [str(target)] + ([str(sidecar)] if sidecar is not None else [])
            self.page.set_input_files("#pick-zip", files)
        self.page.wait_for_function(
            "() => ['done', 'error'].includes(document.body.dataset.state)", timeout=600_000
        )
        report: dict[str, Any] = self.page.evaluate("() => window.EvidenceVerify.lastReport()") or {
            "error": self.page.inner_text("#result")
        }
        return report

    def close(self) -> None:
        self.context.close()


def tab(browser: Any) -> Iterator[VerifierPage]:
    """One verifier tab for a test (a generator for a fixture)."""
    page = VerifierPage(browser)
    try:
        yield page
    finally:
        page.close()
