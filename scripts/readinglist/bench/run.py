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
import json
import os
import platform
import subprocess
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Optional

from readinglist import store
from readinglist.bench.browser import chromium_available
from readinglist.bench.workspace import (Workspace, _index_entries, _slug_of, change_one_dump, clear_build, file_size,
                                          folder_size, machine_info, make_workspace, run_phase, workspace_folder)


DEFAULT_SEED = 20251203


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


def run_bench(source: store.Project, n: int, root: Path, browser: bool = True, seed: int = DEFAULT_SEED,
              progress: Callable[[str], None] = lambda s: None, preview: bool = True) -> dict:
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
             ("floor", "floor build", (ws.floor,)),
             # A fresh clone: the pages and the ingest state are committed; build/ and site/ are not.
             ("clear", "", ()), ("ingest", "cold ingest", (ws.project,)), ("build", "cold build", (ws.project,)),
             # Nothing changed, caches filled.
             ("ingest", "no-op ingest", (ws.project,)), ("build", "warm build", (ws.project,))]
    for name, label, args in steps:
        if name == "clear":
            clear_build(ws.project)
            continue
        progress(f"{label}...")
        phases[label] = run_phase(ws, name, *args)
    small = max(5, n // 200)
    # The first change after a fresh clone finds build/cache/ empty (the no-op ingest
    # stops before filling it), so it is a full run; then two sizes of change, whose
    # cost should follow k.
    for step, k in enumerate((small, small, 4 * small)):
        changed = change_one_dump(ws, k, seed + k + step)
        label = f"changed dump +{k}" + (" (first, fresh clone)" if step == 0 else f" (#{step})")
        progress(f"changed dump ({changed}, +{k} papers){' after a fresh clone' if step == 0 else ''}...")
        phases[label] = run_phase(ws, "ingest", ws.project)
        phases[label].update(added=k, dump=changed, fresh_clone=step == 0)
    if preview:  # last: the edit it makes is a person's filing, which later ingests keep
        progress("live preview: one paper re-filed...")
        phases["preview"] = run_phase(ws, "preview", ws.project)
    site_bytes, site_files = folder_size(ws.project / "site")
    floor_bytes, floor_files = folder_size(ws.floor / "site")
    result["sizes"] = {
        "site_bytes": site_bytes, "site_files": site_files,
        "search_index_bytes": file_size(ws.project / "site" / "search" / "search_index.json"),
        "floor_bytes": floor_bytes, "floor_files": floor_files,
        "floor_search_index_bytes": file_size(ws.floor / "site" / "search" / "search_index.json"),
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


def summarize(result: dict) -> dict:
    ph = result["phases"]
    first, build, floor = ph["first ingest"], ph["build"], ph["floor build"]
    floor_s = floor["wall_s"]
    cold = ph["cold ingest"]["wall_s"] + ph["cold build"]["wall_s"]
    warm = ph["no-op ingest"]["wall_s"] + ph["warm build"]["wall_s"]
    changes = [(p["added"], p["wall_s"], p["written"], p.get("fresh_clone", False))
               for k, p in ph.items() if k.startswith("changed dump")]
    peaks = {k: max(p.get("peak_mb", 0), p.get("engine_peak_mb", 0)) for k, p in ph.items() if k != "search"}
    summary = {
        "floor_s": floor_s,
        "first_pipeline_s": round(first["wall_s"] + build["wall_s"], 3),
        "ratio_first_to_floor": round((first["wall_s"] + build["wall_s"]) / floor_s, 3),
        "cold_pipeline_s": round(cold, 3),
        "ratio_cold_to_floor": round(cold / floor_s, 3),
        "warm_pipeline_s": round(warm, 3),
        "ratio_warm_to_floor": round(warm / floor_s, 3),
        "engine_build_s": round(_t(ph["cold build"], "engine build"), 3),
        "peak_mb": max(peaks.values()),
        "peak_phase": max(peaks, key=peaks.get),
        "noop_ingest_s": ph["no-op ingest"]["wall_s"],
        "noop_ingest_written": ph["no-op ingest"]["written"],
        "changed_dumps": [{"added": k, "seconds": s, "written": w, "fresh_clone": f} for k, s, w, f in changes],
    }
    if "preview" in ph:
        summary["edit_to_preview_s"] = ph["preview"]["seconds"]
        summary["ratio_edit_to_floor"] = round(ph["preview"]["seconds"] / floor_s, 3)
    if "search" in ph:
        summary["search_first_results_s"] = ph["search"]["site"]["first_results_s"]
        summary["floor_search_first_results_s"] = ph["search"]["floor"]["first_results_s"]
        summary["ratio_search_to_floor"] = round(summary["search_first_results_s"]
                                                 / summary["floor_search_first_results_s"], 3)
        summary["search_checks_passed"] = all(c["found"] for c in ph["search"]["site"]["checks"].values())
    return summary


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
    first, floor = ph["first ingest"], ph["floor build"]
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
    for label in ("build", "cold build", "warm build"):
        build = ph[label]
        lines.append(_row(f"{label} (wall)", build["wall_s"],
                          f"peak {build['peak_mb']:.0f} MB, engine {build.get('engine_peak_mb', 0):.0f} MB"))
        for key in ("load site data", "tree: listing pages", "tree: paper pages", "tree: feeds, BibTeX, JSON, CSV",
                    "tree: write", "engine build", "search index"):
            lines.append(_row(f"  {key}", _t(build, key)))
        for key, value in sorted(build["timers"].items()):
            if key.startswith("SiteData.") and value["calls"] and value["seconds"] >= 0.01:
                lines.append(_row(f"    {key} (inclusive)", value["seconds"], f"{value['calls']} calls"))
    lines += [
        _row("floor: MkDocs + Material, N minimal pages", floor["wall_s"], f"peak {floor['peak_mb']:.0f} MB"),
        _row("first pipeline: first ingest + build", s["first_pipeline_s"], f"{s['ratio_first_to_floor']:.2f}x the floor"),
        _row("cold pipeline: ingest + build, fresh clone", s["cold_pipeline_s"],
             f"{s['ratio_cold_to_floor']:.2f}x the floor (target <= 1.6x)"),
        _row("warm pipeline: ingest + build, no change", s["warm_pipeline_s"],
             f"{s['ratio_warm_to_floor']:.2f}x the floor (target <= 1.25x)"),
        _row("no-op ingest", s["noop_ingest_s"], f"{s['noop_ingest_written']} pages written"),
    ]
    for change in s["changed_dumps"]:
        when = " (first after a fresh clone)" if change.get("fresh_clone") else ""
        lines.append(_row(f"changed dump (+{change['added']} papers) ingest{when}", change["seconds"],
                          f"{change['written']} pages written"))
    if "edit_to_preview_s" in s:
        lines.append(_row("edit one page -> preview shows its new topic", s["edit_to_preview_s"],
                          f"{s['ratio_edit_to_floor']:.2f}x the floor (target <= 0.25x); serve's first build "
                          f"{ph['preview']['first_build_s']:.1f} s"))
    lines += [
        f"  peak memory (largest process, {s['peak_phase']}): {s['peak_mb']:.0f} MB (target < 1024 MB)",
        f"  site: {sz['site_bytes'] / mb:.1f} MB in {sz['site_files']:,} files (target < 1024 MB); search index "
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
                     f"floor {fl['first_results_s']:.2f} s ({s['ratio_search_to_floor']:.2f}x); {checks}")
    else:
        lines.append("  search in Chromium: not measured (--no-browser or no Chromium)")
    return "\n".join(lines)


def bench(source: store.Project, n: int, keep: Optional[Path] = None, browser: bool = True,
          seed: int = DEFAULT_SEED, progress: Callable[[str], None] = lambda s: None, preview: bool = True) -> dict:
    """run_bench in `keep` (kept) or in a temporary folder (removed)."""
    with workspace_folder(keep) as root:
        return run_bench(source, n, root, browser, seed, progress, preview)
