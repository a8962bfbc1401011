"""The benchmark's throwaway workspace: the one helper through which the bench touches files.

A synthetic project and a floor project are written into a temporary
folder; phases run as child processes that write their results there.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from readinglist import store
from readinglist.bench import synth
from readinglist.text import slugify, title_key


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


def clear_build(project: Path) -> None:
    """A fresh clone: no docs tree, caches (build/) or site, and every file newly written."""
    shutil.rmtree(project / "build", ignore_errors=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    for path in project.rglob("*"):
        if path.is_file():
            os.utime(path)


def move_to_topic(project: Path) -> tuple[str, str]:
    """Edit one paper page as a contributor would: file it under a topic it is not in.
    Returns (slug, topic id)."""
    import yaml

    topics = [t["id"] for t in yaml.safe_load((project / "site_config" / "topics.yml").read_text())["topics"]]
    pages = sorted((project / "content" / "papers").glob("*.md"))
    page = pages[len(pages) // 2]
    text = page.read_text(encoding="utf-8")
    head, body = text[4:].split("\n---\n", 1)
    meta = yaml.safe_load(head)
    topic = next(t for t in topics if t not in meta.get("topics", []) and t != "other")
    lines, skipping = [], False
    for line in head.split("\n"):
        if line.startswith("topics:"):
            lines.append(f"topics:\n- {topic}")
            skipping = True
            continue
        if skipping and line.startswith("- "):
            continue
        skipping = False
        lines.append(line)
    page.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")
    return page.stem, topic


def run_phase(ws: Workspace, name: str, *args: Path) -> dict:
    """Run one phase in a child process; adds wall time and the child's peak RSS."""
    out = ws.root / "logs" / f"{name}-{time.monotonic_ns()}.json"
    log = ws.root / "logs" / f"{name}.log"
    cmd = [sys.executable, "-m", "readinglist.bench.phases", name, str(out), *map(str, args)]
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


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) of everything under `folder`."""
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            files += 1
    return total, files


def _slug_of(project: Path, paper: synth.SynthPaper) -> str:
    key = title_key(paper.title)
    for path in sorted((project / "content" / "papers").glob(f"{slugify(paper.title)}*.md")):
        text = path.read_text(encoding="utf-8")
        if key in title_key(text.split("\n", 2)[1]):
            return path.stem
    return slugify(paper.title)


def _index_entries(path: Path) -> int:
    return len(json.loads(path.read_text(encoding="utf-8"))["docs"])


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


def file_size(path: Path) -> int:
    return path.stat().st_size


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@contextlib.contextmanager
def workspace_folder(keep: Optional[Path]):
    """`keep` (which must be empty or new, and is kept), or a temporary folder (removed after)."""
    if keep is not None:
        if keep.exists() and any(keep.iterdir()):
            from readinglist.paper import InputError
            raise InputError(str(keep), "--keep needs an empty or new folder")
        keep.mkdir(parents=True, exist_ok=True)
        yield keep.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="readinglist-bench-") as tmp:
        yield Path(tmp)


def different_files(a: Path, b: Path) -> list[str]:
    """Relative paths present in only one of two folders, or with different bytes."""
    def files(folder: Path) -> dict[str, Path]:
        return {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    left, right = files(a), files(b)
    return sorted(rel for rel in left.keys() | right.keys()
                  if rel not in left or rel not in right or left[rel].read_bytes() != right[rel].read_bytes())


@contextlib.contextmanager
def checkout_of(repo: Path, rev: str):
    """A throwaway checkout (git worktree) of `rev`, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="readinglist-rev-") as tmp:
        where = Path(tmp) / "checkout"
        subprocess.run(["git", "-C", str(repo), "worktree", "add", "--quiet", "--detach", str(where), rev],
                       check=True)
        try:
            yield where
        finally:
            subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(where)], check=False)


def replace_folder(source: Path, target: Path) -> None:
    """`target` becomes a copy of `source`."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
