"""Ingest end to end: golden pages, merging, idempotence, edits that survive, warnings."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from conftest import GOLDEN, UPDATE_GOLDEN, make_project, run_cli
from readinglist.ingest.normalize import resolve_date
from readinglist.page.markdown import paper_from_page

PARSE = GOLDEN / "parse"
MANIFEST = """dumps:
  - file: org_listing.txt
    captured: 2026-05-30
  - file: daily_papers.txt
    captured: 2025-12-03
  - file: line_pairs.txt
  - file: blank_pairs.txt
"""
# One paper shared by two dumps, with different fields in each (merge test).
SHARED_ORG = """LGMar 19, 2024Code
Striped Attention: Faster Ring Attention for Causal TransformersWilliam Brandon, Aniruddha Nrusimha et al. · mit
To help address the growing demand for ever-longer sequence lengths in transformer models, we study Ring Attention for causal models and fix its imbalance here.
"""
SHARED_DAILY = """Striped Attention: Faster Ring Attention for Causal Transformers

To help address the growing demand for ever-longer sequence lengths in transformer models, we study Ring Attention for causal models and fix its imbalance; a longer abstract wins.

  • 6 authors
·
Mar 18, 2024 7
"""


def golden_project(tmp_path):
    dumps = {p.name: p.read_text(encoding="utf-8") for p in PARSE.glob("*.txt")}
    root = make_project(tmp_path / "proj", dumps=dumps, manifest=MANIFEST)
    # A frozen taxonomy, so tuning site_config/topics.yml never moves these goldens.
    shutil.copy(GOLDEN / "topics.yml", root / "site_config" / "topics.yml")
    return root


def pages(root):
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "content" / "papers").glob("*.md"))}


def test_pages_match_golden(tmp_path):
    root = golden_project(tmp_path)
    result = run_cli(root, "ingest")
    assert result.returncode == 0, result.stderr
    actual = pages(root)
    expected_dir = GOLDEN / "pages"
    if UPDATE_GOLDEN:
        shutil.rmtree(expected_dir, ignore_errors=True)
        expected_dir.mkdir()
        for name, text in actual.items():
            (expected_dir / name).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(expected_dir.glob("*.md"))}
    assert expected, "no golden pages: run with READINGLIST_UPDATE_GOLDEN=1"
    assert actual == expected


def test_summary_and_warnings_name_file_and_line(tmp_path):
    root = golden_project(tmp_path)
    result = run_cli(root, "ingest")
    assert "records read: 15; pages new: 15, updated: 0, unchanged: 0; duplicates merged: 0" in result.stdout
    assert "warning: line_pairs.txt:7: title 'A Title Whose Abstract Was Never Copied' has no abstract" in result.stderr
    assert "Traceback" not in result.stderr


def test_second_run_writes_nothing(tmp_path):
    root = golden_project(tmp_path)
    run_cli(root, "ingest")
    before = {p: p.stat().st_mtime_ns for p in (root / "content" / "papers").iterdir()}
    result = run_cli(root, "ingest")
    assert result.returncode == 0
    assert "pages new: 0, updated: 0, unchanged: 15" in result.stdout
    after = {p: p.stat().st_mtime_ns for p in (root / "content" / "papers").iterdir()}
    assert before == after


def test_output_is_byte_identical_across_fresh_runs(tmp_path):
    first = golden_project(tmp_path / "a")
    second = golden_project(tmp_path / "b")
    run_cli(first, "ingest")
    run_cli(second, "ingest")
    assert pages(first) == pages(second)


def test_same_paper_in_two_dumps_is_merged(tmp_path):
    root = make_project(tmp_path / "p", dumps={"a.txt": SHARED_ORG, "b.txt": SHARED_DAILY},
                        manifest="dumps:\n  - file: a.txt\n    captured: 2026-05-30\n"
                                 "  - file: b.txt\n    captured: 2025-12-03\n")
    result = run_cli(root, "ingest")
    assert "duplicates merged: 1" in result.stdout
    (name, text), = pages(root).items()
    paper = paper_from_page(text, name, name[:-3])
    assert paper.authors == ["William Brandon", "Aniruddha Nrusimha"] and paper.et_al
    assert paper.author_count == 6 and paper.upvotes == 7 and paper.has_code
    assert paper.organization == "mit" and paper.arxiv_category == "cs.LG"
    assert paper.abstract.endswith("a longer abstract wins.")
    assert [str(s) for s in paper.sources] == ["a.txt:2", "b.txt:1"]
    # The two printed dates disagree: the earliest wins, and it is reported.
    assert paper.date == dt.date(2024, 3, 18)
    assert "a.txt:2: date 2024-03-19 (printed) disagrees with 2024-03-18 at b.txt:1" in result.stderr


@pytest.mark.parametrize("month, day, captured, expected", [
    ("May", "30", dt.date(2026, 5, 30), dt.date(2026, 5, 30)),
    ("Dec", "9", dt.date(2025, 12, 3), dt.date(2024, 12, 9)),
    ("Dec", "3", dt.date(2025, 12, 3), dt.date(2025, 12, 3)),
    ("Jan", "2", dt.date(2026, 1, 5), dt.date(2026, 1, 2)),
    ("Feb", "29", dt.date(2025, 3, 1), dt.date(2024, 2, 29)),
])
def test_year_inference(month, day, captured, expected):
    assert resolve_date(month, day, None, captured) == (expected, True)


def test_yearless_date_without_capture_date_is_a_warning(tmp_path):
    root = make_project(tmp_path / "p", dumps={"d.txt": (PARSE / "daily_papers.txt").read_text()})
    result = run_cli(root, "ingest")
    assert result.returncode == 0
    assert "d.txt:27: 'Nov 8' has no year and the dump has no capture date" in result.stderr
    assert len(pages(root)) == 4


def test_contributor_edits_survive_reingest(tmp_path):
    root = golden_project(tmp_path)
    run_cli(root, "ingest")
    path = root / "content" / "papers" / "the-two-pass-softmax-algorithm.md"
    text = path.read_text()
    text = text.replace("author_count: 2", "author_count: 2\narxiv_id: '2001.04438'")
    text = text.replace("date: 2020-01-13", "date: 2020-01-12")
    text = text.replace("- other", "- hardware\ntopics_curated: true") if "- other" in text else text
    text += "\n## Notes\n\nRead this with the XNNPACK source open.\n"
    path.write_text(text)
    # Also delete a field: ingest may fill it again, since the page lacks it.
    run_cli(root, "ingest")
    after = path.read_text()
    assert "arxiv_id: '2001.04438'" in after
    assert "date: 2020-01-12" in after
    assert after.endswith("Read this with the XNNPACK source open.\n")
    assert run_cli(root, "ingest").stdout.count("updated: 0") == 1


def test_fixed_title_keeps_its_page(tmp_path):
    root = golden_project(tmp_path)
    run_cli(root, "ingest")
    path = root / "content" / "papers" / "sliced-recursive-transformer.md"
    path.write_text(path.read_text().replace("title: Sliced Recursive Transformer",
                                             "title: Sliced Recursive Transformers"))
    result = run_cli(root, "ingest")
    assert "pages new: 0" in result.stdout
    assert len(pages(root)) == 15


def test_new_dump_adds_papers_and_fills_missing_fields(tmp_path):
    root = make_project(tmp_path / "p", dumps={"b.txt": SHARED_DAILY, "a.txt": SHARED_ORG},
                        manifest="dumps:\n  - file: b.txt\n    captured: 2025-12-03\n")
    run_cli(root, "ingest")
    (name, text), = pages(root).items()
    assert "authors:" not in text
    result = run_cli(root, "ingest", "sources/a.txt")
    assert "updated: 1" in result.stdout
    paper = paper_from_page(pages(root)[name], name, name[:-3])
    assert paper.authors == ["William Brandon", "Aniruddha Nrusimha"]
    assert paper.date == dt.date(2024, 3, 18)  # the page's value is kept


def test_unreadable_dump_is_refused_and_nothing_written_for_it(tmp_path):
    root = make_project(tmp_path / "p", dumps={"good.txt": SHARED_DAILY, "bad.bin": b"\x00\x01\x02binary"})
    result = run_cli(root, "ingest")
    assert result.returncode == 1
    assert "error: bad.bin:1: contains NUL bytes" in result.stderr
    assert len(pages(root)) == 1


def test_interrupted_write_leaves_no_partial_page(tmp_path):
    root = golden_project(tmp_path)
    papers = root / "content" / "papers"
    (papers / ".stale.md.abc.tmp").write_text("half a pa")
    run_cli(root, "ingest")
    assert not list(papers.glob(".*.tmp"))
    assert all(p.read_text().startswith("---\ntitle:") for p in papers.glob("*.md"))


def test_every_edited_field_survives_old_and_new_dumps(tmp_path):
    """A contributor edits every field; neither the old dumps nor a new dump with
    other values for the same paper may undo any of it."""
    root = make_project(tmp_path / "p", dumps={"a.txt": SHARED_ORG},
                        manifest="dumps:\n  - file: a.txt\n    captured: 2026-05-30\n")
    run_cli(root, "ingest")
    (path,) = (root / "content" / "papers").glob("*.md")
    edited = """---
title: 'Striped Attention: Faster Ring Attention for Causal Transformers'
authors:
- William Brandon
- Aniruddha Nrusimha
- Kevin Qian
et_al: true
organization: MIT CSAIL
date: 2023-11-15
arxiv_category: cs.CL
arxiv_id: '2311.09431'
upvotes: 40
has_code: false
topics:
- efficient-attention
- distributed-training
topics_curated: true
sources:
- file: a.txt
  line: 2
---

A corrected abstract, written by a contributor.

## Notes

Compare with Ring Attention; the load imbalance is the whole point.
"""
    path.write_text(edited)
    (root / "sources" / "b.txt").write_text(SHARED_DAILY)
    (root / "site_config" / "sources.yml").write_text(
        "dumps:\n  - file: a.txt\n    captured: 2026-05-30\n  - file: b.txt\n    captured: 2025-12-03\n")
    result = run_cli(root, "ingest")
    assert result.returncode == 0
    after = path.read_text()
    # Every value and the whole body are as edited; the new dump only added its
    # source and the one field the page lacked (author_count).
    assert after == edited.replace("  line: 2\n---", "  line: 2\n- file: b.txt\n  line: 1\n---").replace(
        "et_al: true\n", "et_al: true\nauthor_count: 6\n")
    assert run_cli(root, "ingest").stdout.count("updated: 0") == 1
