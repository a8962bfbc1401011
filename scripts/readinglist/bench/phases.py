"""Benchmark phases, each run in a child process (`python -m readinglist.bench.phases`).

Timing hooks wrap the stage functions in the child; no stage knows it is measured.
"""

from __future__ import annotations

import functools
import json
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

from readinglist import store
from readinglist.bench.browser import CHROMIUM_ARGS, chromium_path, search_timing, serve
from readinglist.bench.workspace import read_json


class Timer:
    """Seconds and calls per key, from wrapped functions."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def add(self, key: str, seconds: float) -> None:
        self.seconds[key] += seconds
        self.calls[key] += 1

    def wrap(self, owner: Any, attr: str, key: str) -> None:
        """Replace `owner.attr` by a timed version.  A stage that was renamed
        fails loudly here rather than silently timing nothing."""
        original = getattr(owner, attr, None)
        if not callable(original):
            raise AttributeError(f"bench: nothing to time at {getattr(owner, '__name__', owner)}.{attr} "
                                 f"(for {key!r}): was it renamed?")

        @functools.wraps(original)
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.add(key, time.perf_counter() - start)

        setattr(owner, attr, timed)

    def report(self) -> dict[str, dict[str, float]]:
        return {k: {"seconds": round(self.seconds[k], 4), "calls": self.calls[k]} for k in sorted(self.seconds)}


def _instrument_mkdocs(timer: Timer) -> None:
    """Time every plugin event by its owner, and Markdown vs template work per page."""
    from mkdocs.commands import build as mk_build
    from mkdocs.plugins import PluginCollection

    def run_event(self, name, item=None, **kwargs):
        pass_item = item is not None
        for method in self.events[name]:
            origin = str(self._event_origins.get(method, "<unknown>"))
            self._current_plugin = origin
            start = time.perf_counter()
            result = method(item, **kwargs) if pass_item else method(**kwargs)
            timer.add(f"event {_owner(origin)} {name}", time.perf_counter() - start)
            if result is not None:
                item = result
        self._current_plugin = None
        return item

    PluginCollection.run_event = run_event
    timer.wrap(mk_build, "_populate_page", "mkdocs read+markdown (per page)")
    timer.wrap(mk_build, "_build_page", "mkdocs template+write (per page)")


def _owner(origin: str) -> str:
    if "hooks" in origin or origin.endswith(".py"):
        return "hooks"
    if "search" in origin:
        return "search"
    return origin.replace(" ", "_")


def _peak_mb_self() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_ingest(root: Path) -> dict:
    from readinglist import catalog
    from readinglist.curate import classify
    from readinglist.ingest import pipeline as ingest

    timer = Timer()
    for owner, attr, key in [
        (store, "read_dump", "read dumps"), (ingest, "parse_dump", "parse"),
        (ingest, "record_from_raw", "normalize"), (ingest, "merge_records", "merge"),
        (ingest, "assign_slugs", "merge"), (store, "read_pages", "load pages"),
        (catalog, "read_page", "load pages"),
        (classify, "classify", "classify"), (ingest, "render_paper_page", "render"),
        (store, "write_text", "write"), (store, "write_texts", "write"),
    ]:
        timer.wrap(owner, attr, key)
    start = time.perf_counter()
    summary = ingest.run_ingest(store.Project(root))
    total = time.perf_counter() - start
    if timer.calls.get("write"):  # pages are rendered as write_texts takes them: count that once
        timer.seconds["write"] = max(0.0, timer.seconds["write"] - timer.seconds.get("render", 0.0))
    return {
        "seconds": round(total, 4), "timers": timer.report(),
        "records": summary.records_read, "new": len(summary.new), "updated": len(summary.updated),
        "unchanged": summary.unchanged, "duplicates_merged": summary.duplicates_merged,
        "warnings": len(summary.warnings), "errors": len(summary.errors),
        "written": len(summary.new) + len(summary.updated),
        "first_problems": [str(p) for p in (summary.errors + summary.warnings)[:5]],
    }


def phase_build(root: Path) -> dict:
    from readinglist import catalog
    from readinglist.site import build, engines, tree

    timer = Timer()
    for owner, attr, key in [
        (build, "load_site_data", "load site data"), (store, "read_pages", "load: read pages"),
        (catalog, "read_page", "load: check+parse pages"),
        (tree, "generated_pages", "tree: listing pages"), (tree, "paper_pages", "tree: paper pages"),
        (tree, "site_files", "tree: feeds, BibTeX, JSON, CSV"), (store, "write_tree", "tree: write"),
        (engines, "build", "engine build"), (build, "finish_site", "search index"),
    ]:
        timer.wrap(owner, attr, key)
    for name, value in list(vars(build.SiteData).items()):  # related papers, bibtex, ... (inclusive)
        if callable(value) and not name.startswith("_") and name != "reuse":
            timer.wrap(build.SiteData, name, f"SiteData.{name}")
    start = time.perf_counter()
    status = build.run_build(store.Project(root), strict=True)
    total = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": round(total, 4), "status": status, "timers": timer.report(),
            "engine_peak_mb": round(children, 1)}


def phase_preview(root: Path) -> dict:
    """`readinglist serve` on the project: the time from saving one paper page with a new
    topic to the server answering with that topic's page listing the paper."""
    import socket
    import subprocess
    import urllib.request

    from readinglist.bench.workspace import move_to_topic

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, "-m", "readinglist", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def fetch(path: str) -> str:
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                return response.read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    try:
        start = time.perf_counter()
        while "</html>" not in fetch(""):
            if server.poll() is not None or time.perf_counter() - start > 1800:
                raise RuntimeError("bench: readinglist serve did not start")
            time.sleep(0.2)
        first_build = time.perf_counter() - start
        time.sleep(3)  # let the server settle (its watcher starts after the first build)
        slug, topic = move_to_topic(root)
        saved = time.perf_counter()
        while f"papers/{slug}/" not in fetch(f"topics/{topic}/"):
            if time.perf_counter() - saved > 600:
                raise RuntimeError("bench: the preview never showed the edit")
            time.sleep(0.05)
        seconds = time.perf_counter() - saved
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"seconds": round(seconds, 4), "first_build_s": round(first_build, 2), "slug": slug, "topic": topic}


def phase_floor(root: Path) -> dict:
    from mkdocs.commands import build as mk_build
    from mkdocs.config import load_config

    timer = Timer()
    _instrument_mkdocs(timer)
    start = time.perf_counter()
    mk_build.build(load_config(config_file=str(root / "mkdocs.yml"), strict=True))
    return {"seconds": round(time.perf_counter() - start, 4), "status": 0, "timers": timer.report()}


def phase_search(site: Path, floor: Path, queries_file: Path) -> dict:
    queries = read_json(queries_file)
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            for label, folder in (("site", site), ("floor", floor)):
                with serve(folder) as url:
                    out[label] = search_timing(browser, url, queries["timing"],
                                               queries["checks"] if label == "site" else {})
        finally:
            browser.close()
    return out


PHASES: dict[str, Callable[..., dict]] = {
    "ingest": phase_ingest, "build": phase_build, "floor": phase_floor, "search": phase_search,
    "preview": phase_preview,
}


def _phase_main(argv: list[str]) -> int:
    """`python -m readinglist.bench.phases PHASE OUT.json ARGS...`: one phase, result as JSON."""
    name, out, args = argv[0], Path(argv[1]), [Path(a) for a in argv[2:]]
    result = PHASES[name](*args)
    result["peak_mb_self"] = round(_peak_mb_self(), 1)
    store.write_text(out, json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":  # a phase in a child process
    sys.exit(_phase_main(sys.argv[1:]))
