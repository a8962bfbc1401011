"""Headless Chromium for tests: Debian's /usr/bin/chromium driven by Playwright.

`playwright install` cannot download browsers here, so we launch the system
Chromium.  Without it the browser tests skip, unless READINGLIST_REQUIRE_BROWSER=1
(set by .ci/run), where a missing browser is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

# serve(dir) -> base URL: the benchmark serves sites the same way, so one implementation.
from readinglist.bench.browser import serve  # noqa: F401

CHROMIUM = os.environ.get("READINGLIST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def require_chromium() -> None:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    if os.environ.get("READINGLIST_REQUIRE_BROWSER") == "1":
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    pytest.skip(f"Chromium not found at {CHROMIUM}")


@contextlib.contextmanager
def chromium_browser():
    """A Playwright Browser on the system Chromium."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
