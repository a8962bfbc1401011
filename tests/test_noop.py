"""A full ingest over unchanged inputs is answered from a fingerprint (noop.py):
same report, same exit code, nothing written; any changed input means a full run."""

from __future__ import annotations

import os
import shutil

from conftest import REPO, make_project, run_cli
from readinglist.ingest import noop


def full_report(root):
    """What a full run prints, with the kept state out of the way."""
    (root / "content" / noop.STATE_FILE).unlink(missing_ok=True)
    return run_cli(root, "ingest")


def test_second_run_replays_the_report_of_a_full_run(tmp_path):
    root = make_project(tmp_path / "p", copy_sources=True)
    shutil.copyfile(REPO / "site_config" / "sources.yml", root / "site_config" / "sources.yml")
    first = run_cli(root, "ingest")
    assert first.returncode == 0, first.stderr
    state = root / "content" / noop.STATE_FILE
    assert state.exists()
    before = {p.name: p.stat().st_mtime_ns for p in (root / "content" / "papers").glob("*.md")}
    replayed = run_cli(root, "ingest")
    assert {p.name: p.stat().st_mtime_ns for p in (root / "content" / "papers").glob("*.md")} == before
    full = full_report(root)
    assert (replayed.returncode, replayed.stdout, replayed.stderr) == (full.returncode, full.stdout, full.stderr)
    assert "pages new: 0, updated: 0" in replayed.stdout


def test_a_changed_input_means_a_full_run(tmp_path):
    root = make_project(tmp_path / "p", copy_sources=True)
    shutil.copyfile(REPO / "site_config" / "sources.yml", root / "site_config" / "sources.yml")
    assert run_cli(root, "ingest").returncode == 0
    page = sorted((root / "content" / "papers").glob("*.md"))[0]
    page.write_text(page.read_text(encoding="utf-8").replace("topics:", "topics_curated: true\ntopics:", 1),
                    encoding="utf-8")
    # The edited page is read again: still valid, still unchanged by ingest.
    again = run_cli(root, "ingest")
    assert again.returncode == 0 and "topics_curated: true" in page.read_text(encoding="utf-8")
    # A page deleted by hand: the fingerprint saw it go, and the full run records the removal
    # (issue 17: a person who deletes a page, even one they filed, means it) ...
    page.unlink()
    gone = run_cli(root, "ingest")
    assert gone.returncode == 0 and not page.exists() and "removed from the list: 1" in gone.stdout
    assert page.stem in (root / "content" / "removed.yml").read_text(encoding="utf-8")
    # ... and deleting that record brings the page back: the fingerprint saw that too.
    (root / "content" / "removed.yml").unlink()
    back = run_cli(root, "ingest")
    assert back.returncode == 0 and page.exists() and "pages new: 1" in back.stdout


def test_a_dry_run_or_a_single_dump_neither_uses_nor_fakes_the_state(tmp_path):
    root = make_project(tmp_path / "p", copy_sources=True)
    shutil.copyfile(REPO / "site_config" / "sources.yml", root / "site_config" / "sources.yml")
    dry = run_cli(root, "ingest", "--dry-run")
    assert dry.returncode == 0 and not (root / "content" / noop.STATE_FILE).exists()
    one = sorted(os.listdir(root / "sources"))[0]
    assert run_cli(root, "ingest", f"sources/{one}").returncode == 0
    assert not (root / "content" / noop.STATE_FILE).exists()


def test_a_single_dump_that_writes_nothing_keeps_the_state(tmp_path):
    """The record of the last full run goes only when a partial run changed pages: a
    refused dump, or one whose papers are all on their pages already, leaves it (and
    `git status` clean)."""
    root = make_project(tmp_path / "p", copy_sources=True)
    shutil.copyfile(REPO / "site_config" / "sources.yml", root / "site_config" / "sources.yml")
    assert run_cli(root, "ingest").returncode == 0
    state = root / "content" / noop.STATE_FILE
    kept = state.read_bytes()
    one = sorted(os.listdir(root / "sources"))[0]
    assert run_cli(root, "ingest", f"sources/{one}").returncode == 0
    assert state.read_bytes() == kept
    (tmp_path / "arxiv.txt").write_text("arXiv:2401.12345\nTitle: A Paper\nAuthors: A. Person\n"
                                        "Subjects: Machine Learning (cs.LG)\n\narXiv:2401.12346\n"
                                        "Title: Another\nAuthors: B. Person\n", encoding="utf-8")
    refused = run_cli(root, "ingest", str(tmp_path / "arxiv.txt"))
    assert refused.returncode == 1 and "arxiv.txt" in refused.stderr
    assert state.read_bytes() == kept
    abstract = ("We study how to make the attention of large language models sparse, keep the accuracy of "
                "the dense model, and cut the memory that long contexts need by half on common benchmarks.")
    (tmp_path / "new.txt").write_text(f"Sparse Attention for Long Contexts\n\n{abstract}\n\n"
                                      f"Block-Sparse Attention at Scale\n\n{abstract}\n", encoding="utf-8")
    added = run_cli(root, "ingest", str(tmp_path / "new.txt"))
    assert "pages new: 2" in added.stdout, added.stdout + added.stderr
    assert not state.exists()


def test_the_committed_state_is_that_of_this_code(tmp_path):
    """A fresh clone's first ingest is a no-op: the committed content/.readinglist-ingest.json
    must be the one this code and these inputs give.  (After a change to the ingest code or
    the inputs, run `readinglist ingest` and commit the file it rewrites.)"""
    root = make_project(tmp_path / "p", copy_sources=True, copy_pages=True)
    shutil.copyfile(REPO / "site_config" / "sources.yml", root / "site_config" / "sources.yml")
    for name in (noop.STATE_FILE, "removed.yml"):
        if (REPO / "content" / name).exists():
            shutil.copyfile(REPO / "content" / name, root / "content" / name)
    committed = (root / "content" / noop.STATE_FILE).read_bytes()
    result = run_cli(root, "ingest")
    assert result.returncode == 0, result.stderr
    assert (root / "content" / noop.STATE_FILE).read_bytes() == committed, \
        "content/.readinglist-ingest.json is stale: run `readinglist ingest` and commit it"
