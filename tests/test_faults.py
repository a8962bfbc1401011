"""No loss under faults: an ingest killed (SIGKILL) at random moments leaves
every page as it was or as it should be, never truncated, and a re-run ends
exactly where an uninterrupted run does.  Two ingests at once: the second
refuses with one clear line (exit 2)."""

from __future__ import annotations

import fcntl
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import make_project, run_cli

WORDS = ("sparse attention quantized kernels mixture experts routing pruning distillation serving cache "
         "decoding speculative low rank adapters").split()
MANIFEST = "dumps:\n  - file: one.txt\n  - file: two.txt\n    captured: 2025-12-03\n"


def dumps() -> dict[str, str]:
    """one.txt: 2,000 papers.  two.txt: 1,000 of them again with more fields, and 1,000 new ones.

    Ingesting one.txt, then both, updates 1,000 pages and writes 1,000 new ones:
    several seconds of writing to interrupt.
    """
    rng = random.Random(3)
    titles = [" ".join(rng.choice(WORDS).capitalize() for _ in range(5)) + f" Study {i}" for i in range(3000)]
    abstracts = [f"We present study {i} on " + " ".join(rng.choice(WORDS) for _ in range(30)) + "."
                 for i in range(3000)]
    one = "".join(f"{titles[i]}\n{abstracts[i]}\n" for i in range(2000))
    two = "".join(f"{titles[i]}\n\n{abstracts[i]} Longer.\n\n  • {i % 7 + 1} authors\n·\nMar {i % 28 + 1}, 2025 {i % 50}\n\n"
                  for i in range(1000, 3000))
    return {"one.txt": one, "two.txt": two}


def pages(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (root / "content" / "papers").glob("*.md")}


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """(project after ingesting one.txt, its pages, the pages after a full uninterrupted ingest, seconds)."""
    base = make_project(tmp_path_factory.mktemp("faults") / "base", dumps=dumps(), manifest=MANIFEST)
    first = run_cli(base, "ingest", "sources/one.txt")
    assert first.returncode == 0, first.stderr
    before = pages(base)
    reference = tmp_path_factory.mktemp("faults") / "reference"
    shutil.copytree(base, reference)
    start = time.perf_counter()
    full = run_cli(reference, "ingest")
    seconds = time.perf_counter() - start
    assert full.returncode == 0, full.stderr
    assert "pages new: 1000, updated: 1000, unchanged: 1000" in full.stdout
    return base, before, pages(reference), seconds


def start_ingest(root: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "readinglist", "ingest"], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_ingest_killed_at_random_moments_loses_nothing(states, tmp_path):
    base, before, after, seconds = states
    root = tmp_path / "proj"
    shutil.copytree(base, root)
    papers = root / "content" / "papers"
    rng = random.Random(20251203)
    mid_write = 0
    # Odd attempts aim at the writing itself: they wait until temporary files
    # appear (the last few tenths of a second of a run), then kill soon after.
    for attempt in range(8):
        proc = start_ingest(root)
        if attempt % 2 and _wait_for_temp_files(papers, proc):
            time.sleep(rng.choice([0, 0.005, 0.02, 0.05, 0.1]))
        else:
            time.sleep(rng.uniform(0.2, seconds * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        now = pages(root)
        assert set(before) <= set(now) <= set(after), f"kill {attempt}: pages lost or unexpected"
        for name, data in now.items():
            assert data in (before.get(name), after[name]), f"kill {attempt}: {name} is neither old nor new"
        mid_write += bool(list(papers.glob(".*.tmp"))) or now not in (before, after)
    print(f"{mid_write} of 8 kills landed while pages were being written")
    assert mid_write >= 1, "no kill landed while pages were being written"
    result = run_cli(root, "ingest")
    assert result.returncode == 0, result.stderr
    assert pages(root) == after
    assert [p.name for p in papers.iterdir() if p.suffix != ".md"] == []
    again = run_cli(root, "ingest")
    assert "pages new: 0, updated: 0" in again.stdout


def _wait_for_temp_files(folder: Path, proc: subprocess.Popen) -> bool:
    while proc.poll() is None:
        with os.scandir(folder) as entries:
            if any(e.name.endswith(".tmp") for e in entries):
                return True
        time.sleep(0.002)
    return False


@pytest.mark.slow
def test_second_ingest_at_once_refuses_and_the_first_completes(states, tmp_path):
    base, _, after, _ = states
    root = tmp_path / "proj"
    shutil.copytree(base, root)
    lock = root / "content" / ".readinglist.lock"
    first = start_ingest(root)
    try:
        deadline = time.monotonic() + 30
        while not _locked(lock):
            assert first.poll() is None and time.monotonic() < deadline, "the first ingest never took the lock"
            time.sleep(0.02)
        second = run_cli(root, "ingest")
    finally:
        out, err = first.communicate(timeout=600)
    assert second.returncode == 2
    assert second.stderr == ("error: content/.readinglist.lock: another readinglist command is writing pages; "
                             "wait for it to finish, then run `readinglist ingest` again\n")
    assert second.stdout == ""
    assert first.returncode == 0, err
    assert pages(root) == after


def _locked(path: Path) -> bool:
    """Whether another process holds the flock on `path` (without keeping it)."""
    if not path.exists():
        return False
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def test_a_killed_run_leaves_the_project_unlocked(tmp_path):
    """The OS releases a dead process's lock: no stale lock file to delete by hand."""
    root = make_project(tmp_path / "proj", dumps={"one.txt": "A Title\nAn abstract that is long enough to "
                                                               "count as one, ending in a full stop.\n"})
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, time, sys; h = open(sys.argv[1], 'a+'); fcntl.flock(h, fcntl.LOCK_EX); "
        "print('locked', flush=True); time.sleep(60)"), str(root / "content" / ".readinglist.lock")],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    assert run_cli(root, "ingest").returncode == 2
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert run_cli(root, "ingest").returncode == 0
