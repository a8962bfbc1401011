"""Headless Chromium for the benchmark and the browser tests: a loopback server and search timing."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
from pathlib import Path



TYPING_DELAY_MS = 100  # a fast typist: one character every 100 ms


SEARCH_TIMEOUT_S = 300


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    return os.environ.get("READINGLIST_CHROMIUM", "/usr/bin/chromium")


def chromium_available() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    path = chromium_path()
    return Path(path).exists() or shutil.which(path) is not None


@contextlib.contextmanager
def serve(directory: Path):
    """Serve `directory` on a free loopback port; yields the base URL."""
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


_PROBE_JS = """() => {
  window.__rl = {t0: null, t1: null};
  document.addEventListener('keydown', () => { if (window.__rl.t0 === null) window.__rl.t0 = performance.now(); }, true);
  const seen = () => document.querySelector('.md-search-result__item');
  new MutationObserver(() => {
    if (window.__rl.t0 !== null && window.__rl.t1 === null && seen()) window.__rl.t1 = performance.now();
  }).observe(document.body, {childList: true, subtree: true});
}"""


_RESULT_LINKS_JS = """() => Array.from(document.querySelectorAll('.md-search-result__item > a'))
  .map(a => a.getAttribute('href'))"""


def _fresh_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(_WORKER_PROBE_JS)
    page.goto(url, wait_until="load")
    page.evaluate(_PROBE_JS)
    page.click("input.md-search__input", timeout=10_000)
    return page


def _type_and_wait(page, query: str) -> float:
    page.fill("input.md-search__input", "")
    page.evaluate("() => { window.__rl.t0 = null; window.__rl.t1 = null; }")
    page.keyboard.type(query, delay=TYPING_DELAY_MS)
    page.wait_for_function("() => window.__rl.t1 !== null", timeout=SEARCH_TIMEOUT_S * 1000, polling=20)
    return page.evaluate("() => (window.__rl.t1 - window.__rl.t0) / 1000")


_WORKER_PROBE_JS = """(() => {
  const Original = window.Worker;
  window.__rlQueries = {sent: 0, done: 0};
  window.Worker = function (url, options) {
    const worker = new Original(url, options);
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message, ...rest) => {
      if (message && message.type === 2) window.__rlQueries.sent++;
      return post(message, ...rest);
    };
    worker.addEventListener('message', e => { if (e.data && e.data.type === 3) window.__rlQueries.done++; });
    return worker;
  };
  window.Worker.prototype = Original.prototype;
})();"""


def _settled_results(page, timeout_s: float = 120) -> list[str]:
    """Result links once the worker has answered every query typed (then a moment to render)."""
    page.wait_for_function("() => window.__rlQueries && window.__rlQueries.sent > 0 "
                           "&& window.__rlQueries.sent === window.__rlQueries.done",
                           timeout=timeout_s * 1000, polling=100)
    page.wait_for_timeout(500)
    return page.evaluate(_RESULT_LINKS_JS) or []


def search_timing(browser, url: str, query: str, checks: dict[str, dict]) -> dict:
    """Seconds from the first keystroke to the first result, right after the page loads."""
    page = _fresh_page(browser, url)
    try:
        first = _type_and_wait(page, query)
        found = {}
        for kind, check in checks.items():  # later queries: the index is ready by now
            # Pasted, not typed: typed, a 40-letter title is 40 queries, which on a loaded
            # machine take minutes at 10,000 papers; this check is about what is found.
            page.fill("input.md-search__input", check["query"])
            links = _settled_results(page)
            found[kind] = {"query": check["query"], "expected": check["expect"],
                           "found": any(check["expect"] in (href or "") for href in links),
                           "results_shown": len(links)}
        return {"query": query, "first_results_s": round(first, 3), "typing_delay_ms": TYPING_DELAY_MS,
                "checks": found}
    finally:
        page.close()
