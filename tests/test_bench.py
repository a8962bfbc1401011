"""`readinglist bench`: a small smoke run.  Every stage is there and every value is sane;
no timing thresholds (the machine is shared; BENCHMARKS.md holds the real figures)."""

from __future__ import annotations

import json

import pytest

from conftest import REPO, run_cli
from readinglist.bench import synth
from readinglist.ingest.parse import parse_dump

pytestmark = pytest.mark.slow

INGEST_STAGES = ("read dumps", "parse", "normalize", "merge", "classify", "render", "write")


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    result = run_cli(REPO, "bench", "--papers", "40", "--no-browser", "--json", str(out / "b.json"),
                     "--keep", str(out / "work"))
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, json.loads((out / "b.json").read_text(encoding="utf-8")), out / "work"


def test_the_table_names_every_stage(bench):
    table, _, _ = bench
    for label in ("first ingest", *INGEST_STAGES, "build", "cold build", "warm build", "load site data",
                  "tree: listing pages", "tree: paper pages", "tree: write", "engine build", "floor",
                  "cold pipeline", "warm pipeline", "x the floor", "no-op ingest", "changed dump",
                  "edit one page -> preview", "peak memory", "search index", "not measured"):
        assert label in table, label


def test_the_json_has_sane_values(bench):
    _, result, _ = bench
    assert result["papers"] == 40 and result["records"] >= 40 and result["dumps"] == 4
    phases = result["phases"]
    first = phases["first ingest"]
    assert first["new"] == 40 and first["errors"] == 0 and first["warnings"] == 0
    assert first["duplicates_merged"] == result["repeated"]
    assert all(stage in first["timers"] for stage in INGEST_STAGES)
    assert all(v["seconds"] >= 0 for phase in phases.values() for v in phase.get("timers", {}).values())
    for build in ("build", "cold build", "warm build"):
        assert phases[build]["status"] == 0
        assert phases[build]["timers"]["load site data"]["calls"] == 1  # pages are read once per build
    # A fresh clone has the pages and the ingest state: its ingest writes nothing.
    assert phases["cold ingest"]["written"] == 0 and phases["no-op ingest"]["written"] == 0
    # Filled caches: the related papers are not computed again.
    assert "SiteData.related_slugs_cached" not in phases["warm build"]["timers"] or \
        phases["warm build"]["timers"]["SiteData.related_slugs_cached"]["seconds"] < \
        phases["cold build"]["timers"]["SiteData.related_slugs_cached"]["seconds"]
    changes = [p for k, p in phases.items() if k.startswith("changed dump")]
    assert len(changes) == 3 and changes[0]["fresh_clone"]
    for changed in changes:
        assert changed["written"] == changed["added"] == changed["new"]
    for changed in changes[1:]:  # with build/cache/ filled, only the new records are filed
        assert changed["timers"]["classify"]["calls"] == changed["added"]
    assert phases["preview"]["seconds"] > 0 and phases["preview"]["slug"]
    summary = result["summary"]
    assert summary["ratio_cold_to_floor"] > 0 and summary["ratio_warm_to_floor"] > 0 and summary["floor_s"] > 0
    assert summary["ratio_edit_to_floor"] > 0
    assert 10 < summary["peak_mb"] < 2000
    sizes = result["sizes"]
    assert 0 < sizes["search_index_bytes"] < sizes["site_bytes"]
    assert result["search_entries"] >= 40 and result["floor_search_entries"] == 41
    assert "search" not in phases and "search_first_results_s" not in summary


def test_the_workspace_is_kept_and_complete(bench):
    _, _, work = bench
    assert len(list((work / "project" / "content" / "papers").glob("*.md"))) == 40 + 5 + 5 + 20  # + three changed dumps
    assert len(list((work / "floor" / "docs" / "papers").glob("*.md"))) == 40
    assert (work / "project" / "site" / "index.html").exists()
    assert (work / "floor" / "site" / "search" / "search_index.json").exists()


def test_synthetic_dumps_cover_every_format_and_parse_cleanly():
    papers = synth.make_papers(200, seed=5)
    dumps = synth.make_dumps(papers, seed=5)
    assert sorted(set(dumps.formats.values())) == sorted(synth.FORMATS)
    assert 10 <= dumps.repeated <= 40
    for name, text in dumps.files.items():
        parsed = parse_dump(text, name)
        assert parsed.format == dumps.formats[name]
        assert not parsed.problems, parsed.problems[:3]
    assert synth.make_papers(50, seed=5) == papers[:50]  # deterministic
    text = " ".join(p.abstract for p in papers)
    for latexism in ("\\%", "$", "\\textit{", "{\\tt "):
        assert latexism in text, latexism
    assert any(p.date.year == synth.CAPTURED.year for p in papers) and any(p.upvotes for p in papers)
