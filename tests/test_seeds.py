"""The bundled dumps: every record ends up on exactly one page with every field it shows."""

from __future__ import annotations

import shutil

import pytest

from conftest import REPO, make_project, run_cli
from readinglist import store
from readinglist.text import title_key
from readinglist.ingest.normalize import record_from_raw
from readinglist.ingest.parse import parse_dump
from readinglist.page.markdown import paper_from_page

EXPECTED_PAPERS = 406  # counted by hand from the four dumps: 435 records, 29 repeats


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("seeds") / "p", copy_sources=True)
    shutil.copyfile(REPO / "site_config" / "sources.yml", root / "site_config" / "sources.yml")
    result = run_cli(root, "ingest")
    assert result.returncode == 0, result.stderr
    pages = {}
    for path in (root / "content" / "papers").glob("*.md"):
        pages[path.stem] = paper_from_page(path.read_text(), path.name, path.stem)
    return root, result, pages


def records():
    project = store.Project(REPO)
    for entry in store.read_manifest(project):
        text, _ = store.read_dump(project.sources / entry.file)
        for raw in parse_dump(text, entry.file).records:
            yield record_from_raw(raw, entry.file, entry.captured)[0]


def test_one_page_per_distinct_paper(ingested):
    _, result, pages = ingested
    assert len(pages) == EXPECTED_PAPERS
    assert "records read: 435; pages new: 406" in result.stdout
    assert "duplicates merged: 29" in result.stdout


def test_every_record_is_on_a_page_with_every_field_it_shows(ingested):
    _, _, pages = ingested
    by_source = {src: p for p in pages.values() for src in p.sources}
    count = 0
    for record in records():
        count += 1
        page = by_source[record.source]
        assert title_key(page.title) == title_key(record.title)
        if record.authors:
            assert page.authors
        for attr in ("author_count", "organization", "arxiv_category", "upvotes", "date"):
            if getattr(record, attr) is not None:
                assert getattr(page, attr) is not None, (record.source, attr)
        if record.has_code:
            assert page.has_code
        assert len(page.abstract) >= len(record.abstract) * 0.9
    assert count == 435


def test_the_only_warning_is_the_reported_date_conflict(ingested):
    _, result, _ = ingested
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning:")]
    assert warnings == ["warning: 000_98e4cc73dde93020.txt:107: date 2021-04-16 (printed) disagrees with "
                        "2021-04-15 at 001_8da6609e6b3b0752.txt:377; kept 2021-04-15 (printed years win over "
                        "inferred ones, then the earliest date)"]


def test_committed_pages_are_what_ingest_makes(ingested):
    """content/papers/ in the repo is the ingest of sources/ plus curated edits: no page missing."""
    _, _, pages = ingested
    committed = {p.stem for p in (REPO / "content" / "papers").glob("*.md")}
    assert set(pages) <= committed
