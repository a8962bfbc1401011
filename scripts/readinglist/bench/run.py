"""Benchmark: the whole pipeline on N synthetic papers, against the MkDocs floor.

`readinglist bench --papers N` writes N synthetic papers (synth.py) as dumps of
all four formats into a throwaway project (this checkout's mkdocs.yml and
site_config/, a manifest with capture dates), then runs, each phase in its own
process so that its peak memory can be read from the kernel:

1. a first ingest, timed stage by stage;
2. `readinglist build`, timed by part (loading pages, generated pages, the
   MkDocs build and, inside it, our hooks, Material's search plugin, Markdown
   and templates);
3. the floor: the same N papers as minimal pages (title and abstract) built by
   MkDocs + Material with search and no nav of pages, from a minimal mkdocs.yml;
4. a second ingest, which must write nothing;
5. one dump changed (k papers appended) and ingested again: k pages written;
6. with Chromium present, the time from the first keystroke in Material's
   search box to the first result, for our site and for the floor.

This module is a harness: it works only inside its own temporary folder and
leaves the checkout untouched.  Timing hooks wrap the stage functions in the
child process; no stage knows it is measured.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from readinglist import store
from readinglist.bench import synth
from readinglist.text import slugify, title_key

DEFAULT_SEED = 20251203
TYPING_DELAY_MS = 100  # a fast typist: one character every 100 ms
SEARCH_TIMEOUT_S = 300
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

FLOOR_MKDOCS = """\
# The floor: what MkDocs + Material need for N minimal pages with search,
# the pages kept out of the nav.  Written by `readinglist bench`.
site_name: Floor
docs_dir: docs
site_dir: site
theme:
  name: material
plugins:
  - search
nav:
  - Home: index.md
not_in_nav: |
  /papers/
"""


# --------------------------------------------------------------------------- timing (child side)


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
    from readinglist.site import build

    timer = Timer()
    for owner, attr, key in [
        (build, "load_site_data", "load site data"), (store, "read_pages", "load: read pages"),
        (catalog, "read_page", "load: check+parse pages"),
        (build, "write_generated_pages", "generated pages"), (build, "run_mkdocs", "mkdocs build"),
    ]:
        timer.wrap(owner, attr, key)
    for name, value in list(vars(build.SiteData).items()):  # related papers, bibtex, ... (inclusive)
        if callable(value) and not name.startswith("_"):
            timer.wrap(build.SiteData, name, f"SiteData.{name}")
    _instrument_mkdocs(timer)
    start = time.perf_counter()
    status = build.run_build(store.Project(root), strict=True)
    total = time.perf_counter() - start
    return {"seconds": round(total, 4), "status": status, "timers": timer.report()}


def phase_floor(root: Path) -> dict:
    from mkdocs.commands import build as mk_build
    from mkdocs.config import load_config

    timer = Timer()
    _instrument_mkdocs(timer)
    start = time.perf_counter()
    mk_build.build(load_config(config_file=str(root / "mkdocs.yml"), strict=True))
    return {"seconds": round(time.perf_counter() - start, 4), "status": 0, "timers": timer.report()}


def phase_search(site: Path, floor: Path, queries_file: Path) -> dict:
    queries = json.loads(queries_file.read_text(encoding="utf-8"))
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
}


def _phase_main(argv: list[str]) -> int:
    """`python -m readinglist.bench.run PHASE OUT.json ARGS...`: one phase, result as JSON."""
    name, out, args = argv[0], Path(argv[1]), [Path(a) for a in argv[2:]]
    result = PHASES[name](*args)
    result["peak_mb_self"] = round(_peak_mb_self(), 1)
    store.write_text(out, json.dumps(result, indent=1))
    return 0


# --------------------------------------------------------------------------- browser


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


# Counts the queries Material's page sends its search worker and the results that come
# back: each keystroke is a query, and on a large index the worker lags behind typing.
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
            _type_and_wait(page, check["query"])
            links = _settled_results(page)
            found[kind] = {"query": check["query"], "expected": check["expect"],
                           "found": any(check["expect"] in (href or "") for href in links),
                           "results_shown": len(links)}
        return {"query": query, "first_results_s": round(first, 3), "typing_delay_ms": TYPING_DELAY_MS,
                "checks": found}
    finally:
        page.close()


# --------------------------------------------------------------------------- project setup (parent side)


@dataclass
class Workspace:
    root: Path  # holds project/, floor/, logs/
    project: Path
    floor: Path
    dumps: synth.SynthDumps
    papers: list[synth.SynthPaper]
    buckets: dict[str, list[synth.SynthPaper]] = field(default_factory=dict)


def _copy_config(source: store.Project, project: Path) -> None:
    project.mkdir(parents=True)
    shutil.copy(source.root / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(source.config, project / "site_config", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (project / "content" / "papers").mkdir(parents=True)
    (project / "sources").mkdir()
    # Hand-written pages and assets come along; generated pages and papers do not.
    for path in sorted(source.content.rglob("*")):
        rel = path.relative_to(source.content)
        if not path.is_file() or rel.parts[0] == "papers" or path.name.startswith("."):
            continue
        if path.suffix == ".md" and "generated: readinglist" in path.read_text(encoding="utf-8", errors="replace"):
            continue
        (project / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, project / "content" / rel)


def make_workspace(source: store.Project, root: Path, n: int, seed: int) -> Workspace:
    papers = synth.make_papers(n, seed=seed)
    dumps = synth.make_dumps(papers, seed=seed)
    project, floor = root / "project", root / "floor"
    _copy_config(source, project)
    for name, text in dumps.files.items():
        store.write_text(project / "sources" / name, text)
    store.write_text(project / "site_config" / "sources.yml", dumps.manifest)
    write_floor(floor, papers)
    (root / "logs").mkdir()
    return Workspace(root, project, floor, dumps, papers)


def write_floor(floor: Path, papers: list[synth.SynthPaper]) -> None:
    """N minimal pages: a title and the abstract, nothing else."""
    store.write_text(floor / "mkdocs.yml", FLOOR_MKDOCS)
    store.write_text(floor / "docs" / "index.md", f"# Floor\n\n{len(papers)} minimal pages.\n")
    taken: set[str] = set()
    for p in papers:
        slug, k = slugify(p.title), 2
        while slug in taken:
            slug, k = f"{slugify(p.title)}-{k}", k + 1
        taken.add(slug)
        store.write_text(floor / "docs" / "papers" / f"{slug}.md", f"# {p.title}\n\n{p.abstract}\n")


def change_one_dump(ws: Workspace, k: int, seed: int) -> str:
    """Append `k` new papers to the first daily-papers dump; returns its name."""
    name = next(n for n, f in ws.dumps.formats.items() if f == "daily-papers")
    extra = synth.extra_papers(k, seed=seed + 7, avoid={title_key(p.title) for p in ws.papers})
    text = synth.RENDERERS["daily-papers"](extra, synth.CAPTURED)
    body = text.split("\n\n", len(synth.DAILY_CHROME) + 1)[-1]  # drop the chrome: this is more of the same page
    path = ws.project / "sources" / name
    store.write_text(path, path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + body)
    return name


def run_phase(ws: Workspace, name: str, *args: Path) -> dict:
    """Run one phase in a child process; adds wall time and the child's peak RSS."""
    out = ws.root / "logs" / f"{name}-{time.monotonic_ns()}.json"
    log = ws.root / "logs" / f"{name}.log"
    cmd = [sys.executable, "-m", "readinglist.bench.run", name, str(out), *map(str, args)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    load = _loadavg()
    start = time.perf_counter()
    with open(log, "ab") as handle:
        proc = subprocess.Popen(cmd, stdout=handle, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0 or not out.exists():
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise RuntimeError(f"bench phase {name} failed (exit {proc.returncode}); log {log}:\n{tail}")
    result = json.loads(out.read_text(encoding="utf-8"))
    result["wall_s"] = round(wall, 3)
    result["peak_mb"] = round(usage.ru_maxrss / 1024, 1)
    result["loadavg_before"] = load  # other work on the machine skews a phase: this shows it
    return result


def _loadavg() -> Optional[float]:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


# --------------------------------------------------------------------------- measurements


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) of everything under `folder`."""
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            files += 1
    return total, files


def _t(phase: dict, key: str) -> float:
    return phase["timers"].get(key, {}).get("seconds", 0.0)


def _events(phase: dict, owner: str) -> float:
    return sum(v["seconds"] for k, v in phase["timers"].items() if k.startswith(f"event {owner} "))


def search_queries(ws: Workspace) -> dict:
    """A timing query and three checks (title, author, abstract word) on one paper."""
    # A paper from an org listing (the only format that names authors) whose
    # first author is nobody else's name, from the middle of the list.
    names: dict[str, int] = defaultdict(int)
    for p in ws.papers:
        for a in p.authors:
            names[a] += 1
    order = list(range(len(ws.papers) // 2, len(ws.papers))) + list(range(len(ws.papers) // 2))
    families: dict[str, int] = defaultdict(int)
    for p in ws.papers:
        for a in p.authors:
            families[a.split()[-1]] += 1

    def findable(i: int) -> bool:  # a name a visitor would type: unique, no short parts
        first = ws.papers[i].authors[0]
        # No hyphen: Material reads `Jean-Luc` as `jean -luc*`, "without luc" (a Material quirk).
        return (names[first] == 1 and families[first.split()[-1]] == 1 and "-" not in first
                and all(len(x) >= 4 for x in first.split()))

    org = [i for i in order if ws.dumps.home_formats[i] == "org-listing"]
    pick = next((i for i in org if findable(i)), org[0])
    target = ws.papers[pick]
    slug = _slug_of(ws.project, target)
    # The abstract word found in the fewest papers (not in the title).
    def words(text: str) -> set[str]:
        return {w.strip(".,;:()").lower() for w in text.split() if w.strip(".,;:()").isalpha()}
    frequency: dict[str, int] = defaultdict(int)
    for p in ws.papers:
        for w in words(p.abstract):
            frequency[w] += 1
    rare = min(words(target.abstract) - words(target.title), key=lambda w: (frequency[w], -len(w), w))
    return {
        "timing": rare[:8],
        "checks": {"title": {"query": target.title, "expect": f"papers/{slug}/"},
                   "author": {"query": target.authors[0], "expect": f"papers/{slug}/"},
                   "abstract": {"query": rare, "expect": f"papers/{slug}/"}},
    }


def _slug_of(project: Path, paper: synth.SynthPaper) -> str:
    key = title_key(paper.title)
    for path in sorted((project / "content" / "papers").glob(f"{slugify(paper.title)}*.md")):
        text = path.read_text(encoding="utf-8")
        if key in title_key(text.split("\n", 2)[1]):
            return path.stem
    return slugify(paper.title)


def run_bench(source: store.Project, n: int, root: Path, browser: bool = True, seed: int = DEFAULT_SEED,
              progress: Callable[[str], None] = lambda s: None) -> dict:
    """Every measurement for `n` papers, in the (empty) folder `root`."""
    t0 = time.perf_counter()
    ws = make_workspace(source, root, n, seed)
    progress(f"wrote {ws.dumps.records} records of {n} papers into {len(ws.dumps.files)} dumps "
             f"({time.perf_counter() - t0:.1f} s)")
    result: dict[str, Any] = {
        "papers": n, "seed": seed, "records": ws.dumps.records, "repeated": ws.dumps.repeated,
        "dumps": len(ws.dumps.files), "machine": machine_info(), "versions": versions(source),
    }
    phases = result["phases"] = {}
    steps = [("ingest", "first ingest", (ws.project,)), ("build", "build", (ws.project,)),
             ("floor", "floor build", (ws.floor,)), ("ingest", "no-op ingest", (ws.project,))]
    for name, label, args in steps:
        progress(f"{label}...")
        phases[label] = run_phase(ws, name, *args)
    k = max(5, n // 200)
    changed = change_one_dump(ws, k, seed)
    progress(f"changed dump ({changed}, +{k} papers)...")
    phases["changed-dump ingest"] = run_phase(ws, "ingest", ws.project)
    phases["changed-dump ingest"].update(added=k, dump=changed)
    site_bytes, site_files = folder_size(ws.project / "site")
    floor_bytes, floor_files = folder_size(ws.floor / "site")
    result["sizes"] = {
        "site_bytes": site_bytes, "site_files": site_files,
        "search_index_bytes": (ws.project / "site" / "search" / "search_index.json").stat().st_size,
        "floor_bytes": floor_bytes, "floor_files": floor_files,
        "floor_search_index_bytes": (ws.floor / "site" / "search" / "search_index.json").stat().st_size,
        "content_bytes": folder_size(ws.project / "content")[0],
        "dump_bytes": folder_size(ws.project / "sources")[0],
    }
    result["search_entries"] = _index_entries(ws.project / "site" / "search" / "search_index.json")
    result["floor_search_entries"] = _index_entries(ws.floor / "site" / "search" / "search_index.json")
    if browser and chromium_available():
        progress("search in headless Chromium...")
        queries = search_queries(ws)
        qfile = ws.root / "logs" / "queries.json"
        store.write_text(qfile, json.dumps(queries))
        phases["search"] = run_phase(ws, "search", ws.project / "site", ws.floor / "site", qfile)
    result["summary"] = summarize(result)
    result["total_bench_s"] = round(time.perf_counter() - t0, 1)
    return result


def _index_entries(path: Path) -> int:
    return len(json.loads(path.read_text(encoding="utf-8"))["docs"])


def summarize(result: dict) -> dict:
    ph = result["phases"]
    first, build, floor = ph["first ingest"], ph["build"], ph["floor build"]
    full = first["wall_s"] + build["wall_s"]
    hooks = _events(build, "hooks")
    ours = first["seconds"] + _t(build, "load site data") + _t(build, "generated pages") + hooks
    mkdocs = _t(build, "mkdocs build")
    summary = {
        "full_pipeline_s": round(full, 3),
        "floor_s": floor["wall_s"],
        "ratio_full_to_floor": round(full / floor["wall_s"], 3),
        "ratio_build_to_floor": round(build["wall_s"] / floor["wall_s"], 3),
        "our_work_s": round(ours, 3),
        "our_work_us_per_paper": round(ours / result["papers"] * 1e6, 1),
        "mkdocs_s": round(mkdocs, 3),
        "mkdocs_without_hooks_s": round(mkdocs - hooks, 3),
        "hooks_s": round(hooks, 3),
        "search_plugin_s": round(_events(build, "search"), 3),
        "floor_search_plugin_s": round(_events(floor, "search"), 3),
        "peak_mb": max(p["peak_mb"] for k, p in ph.items() if k != "search"),
        "noop_ingest_s": ph["no-op ingest"]["wall_s"],
        "noop_ingest_written": ph["no-op ingest"]["written"],
        "changed_ingest_s": ph["changed-dump ingest"]["wall_s"],
        "changed_written": ph["changed-dump ingest"]["written"],
        "changed_added": ph["changed-dump ingest"]["added"],
    }
    if "search" in ph:
        summary["search_first_results_s"] = ph["search"]["site"]["first_results_s"]
        summary["floor_search_first_results_s"] = ph["search"]["floor"]["first_results_s"]
        summary["search_checks_passed"] = all(c["found"] for c in ph["search"]["site"]["checks"].values())
    return summary


# --------------------------------------------------------------------------- report


def machine_info() -> dict:
    info: dict[str, Any] = {"cpus": os.cpu_count(), "platform": platform.platform()}
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_mb"] = int(line.split()[1]) // 1024
    return info


def versions(source: Optional[store.Project] = None) -> dict:
    from importlib import metadata

    out = {"python": platform.python_version()}
    if source is not None:  # which code was measured: the commit, and whether files differed from it
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            git = ["git", "-C", str(source.root)]
            head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10)
            dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"],
                                   capture_output=True, text=True, timeout=10)
            if head.returncode == 0:
                out["commit"] = head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")
    for dist in ("mkdocs", "mkdocs-material", "Markdown", "PyYAML", "readinglist"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[dist] = metadata.version(dist)
    return out


def _row(label: str, seconds: Optional[float], note: str = "") -> str:
    value = "" if seconds is None else f"{seconds:9.2f}"
    return f"  {label:<44}{value:>9}  {note}"


def format_table(result: dict) -> str:
    ph, s, n = result["phases"], result["summary"], result["papers"]
    first, build, floor = ph["first ingest"], ph["build"], ph["floor build"]
    sz = result["sizes"]
    mb = 1024 * 1024
    lines = [
        f"readinglist bench: {n:,} papers ({result['records']:,} records in {result['dumps']} dumps, "
        f"{result['repeated']:,} repeated), seed {result['seed']}, code {result['versions'].get('commit', '?')}",
        f"  {'stage':<44}{'seconds':>9}",
        _row("first ingest (wall)", first["wall_s"], f"peak {first['peak_mb']:.0f} MB; "
             f"{first['new']:,} pages new, {first['duplicates_merged']:,} duplicates merged, "
             f"{first['warnings']} warnings, {first['errors']} errors"),
    ]
    for key in ("read dumps", "parse", "normalize", "merge", "load pages", "classify", "render", "write"):
        lines.append(_row(f"  {key}", _t(first, key)))
    staged = sum(_t(first, k) for k in ("read dumps", "parse", "normalize", "merge", "load pages",
                                         "classify", "render", "write"))
    lines.append(_row("  other (matching pages, summary)", first["seconds"] - staged))
    lines.append(_row("build (wall)", build["wall_s"], f"peak {build['peak_mb']:.0f} MB"))
    lines.append(_row("  load site data", _t(build, "load site data"),
                      f"{build['timers'].get('load site data', {}).get('calls', 0)} call(s)"))
    for key in ("load: read pages", "load: check+parse pages"):
        lines.append(_row(f"    {key[6:]}", _t(build, key)))
    lines.append(_row("  generated pages", _t(build, "generated pages")))
    lines.append(_row("  MkDocs build", s["mkdocs_s"]))
    lines.append(_row("    our hooks (all events)", s["hooks_s"]))
    for key, value in sorted(build["timers"].items()):
        if key.startswith("event hooks ") and value["seconds"] >= 0.01:
            lines.append(_row(f"      {key[12:]}", value["seconds"], f"{value['calls']} calls"))
    for key, value in sorted(build["timers"].items()):
        if key.startswith("SiteData.") and value["calls"]:
            lines.append(_row(f"      {key} (inclusive)", value["seconds"], f"{value['calls']} calls"))
    lines.append(_row("    search plugin", s["search_plugin_s"]))
    lines.append(_row("    Markdown per page (incl. page hooks)", _t(build, "mkdocs read+markdown (per page)")))
    lines.append(_row("    templates per page (incl. search)", _t(build, "mkdocs template+write (per page)")))
    lines.append(_row("floor: MkDocs + Material, N minimal pages", floor["wall_s"],
                      f"peak {floor['peak_mb']:.0f} MB; search plugin {s['floor_search_plugin_s']:.2f} s"))
    lines += [
        _row("full pipeline: first ingest + build", s["full_pipeline_s"],
             f"{s['ratio_full_to_floor']:.2f}x the floor (build alone {s['ratio_build_to_floor']:.2f}x)"),
        _row("our work without MkDocs", s["our_work_s"],
             f"{s['our_work_us_per_paper']:.0f} us per paper (ingest, load, generated pages, hooks)"),
        _row("no-op re-ingest", s["noop_ingest_s"], f"{s['noop_ingest_written']} pages written"),
        _row(f"changed dump (+{s['changed_added']} papers) re-ingest", s["changed_ingest_s"],
             f"{s['changed_written']} pages written"),
        f"  peak memory (largest phase): {s['peak_mb']:.0f} MB",
        f"  site: {sz['site_bytes'] / mb:.1f} MB in {sz['site_files']:,} files; search index "
        f"{sz['search_index_bytes'] / mb:.1f} MB ({result['search_entries']:,} entries)",
        f"  floor: {sz['floor_bytes'] / mb:.1f} MB in {sz['floor_files']:,} files; search index "
        f"{sz['floor_search_index_bytes'] / mb:.1f} MB ({result['floor_search_entries']:,} entries)",
    ]
    loads = ", ".join(f"{k} {v['loadavg_before']:.1f}" for k, v in ph.items() if v.get("loadavg_before") is not None)
    if loads:
        lines.append(f"  load average before each phase ({os.cpu_count()} CPUs; above that, phases shared the "
                     f"machine): {loads}")
    if "search" in ph:
        site, fl = ph["search"]["site"], ph["search"]["floor"]
        checks = ", ".join(f"{k} {'found' if v['found'] else 'NOT FOUND'}" for k, v in site["checks"].items())
        lines.append(f"  search, first keystroke to first result (Chromium, {site['typing_delay_ms']} ms/key, "
                     f"query {site['query']!r}): ours {site['first_results_s']:.2f} s, "
                     f"floor {fl['first_results_s']:.2f} s; {checks}")
    else:
        lines.append("  search in Chromium: not measured (--no-browser or no Chromium)")
    return "\n".join(lines)


def bench(source: store.Project, n: int, keep: Optional[Path] = None, browser: bool = True,
          seed: int = DEFAULT_SEED, progress: Callable[[str], None] = lambda s: None) -> dict:
    """run_bench in `keep` (kept) or in a temporary folder (removed)."""
    if keep is not None:
        if keep.exists() and any(keep.iterdir()):
            from readinglist.paper import InputError
            raise InputError(str(keep), "--keep needs an empty or new folder")
        keep.mkdir(parents=True, exist_ok=True)
        return run_bench(source, n, keep.resolve(), browser, seed, progress)
    with tempfile.TemporaryDirectory(prefix="readinglist-bench-") as tmp:
        return run_bench(source, n, Path(tmp), browser, seed, progress)


if __name__ == "__main__":  # a phase in a child process
    sys.exit(_phase_main(sys.argv[1:]))
