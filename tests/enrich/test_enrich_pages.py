"""`readinglist enrich` on pages: what is filled, what is never touched, dry runs, re-runs, failures.

The services are the local fakes of enrich_fakes.py (fixtures/cases.yml); no network."""

from __future__ import annotations

import datetime as dt

import pytest
from werkzeug import Response

from conftest import make_project, run_cli
from enrich_fakes import make_clients
from readinglist.enrich.apply import apply_enrichment, needs_enrichment
from readinglist.enrich.cache import AnswerCache
from readinglist.enrich.errors import ServiceError
from readinglist.enrich.merge import Enrichment
from readinglist.enrich.run import run_enrich
from readinglist.page.markdown import paper_from_page, render_paper_page
from readinglist.paper import Paper, Provenance
from readinglist.store import Project
from readinglist.tools.check import run_check

pytest_plugins = ["enrich_fakes"]  # its fixtures: clock, services

TODAY = dt.date(2026, 12, 6)
LORA = "lora-low-rank-adaptation-of-large-language-models"


def page(root, slug: str, **fields) -> None:
    paper = Paper(abstract=f"An abstract about {fields['title']}.", topics=["peft"], slug=slug, **fields)
    (root / "content" / "papers" / f"{slug}.md").write_text(render_paper_page(paper), encoding="utf-8")


def read(root, slug: str) -> Paper:
    path = root / "content" / "papers" / f"{slug}.md"
    return paper_from_page(path.read_text(encoding="utf-8"), str(path), slug)


@pytest.fixture
def root(tmp_path):
    root = make_project(tmp_path / "proj")
    page(root, LORA, title="LoRA: Low-Rank Adaptation of Large Language Models",
         authors=["Edward J. Hu", "Yelong Shen"], et_al=True, date=dt.date(2021, 6, 20), has_code=False)
    page(root, "scaling-laws-for-neural-language-models", title="Scaling Laws for Neural Language Models",
         arxiv_id="2001.99999", author_count=10)
    page(root, "structured-pruning-of-large-language-models", title="Structured Pruning of Large Language Models",
         date=dt.date(2019, 10, 11), authors=["Ziheng Wang"], et_al=True)
    page(root, "mixture-of-experts-with-expert-choice-routing", title="Mixture-of-Experts with Expert Choice Routing",
         date=dt.date(2022, 2, 18))
    page(root, "efficient-transformers-a-survey", title="Efficient Transformers: A Survey", date=dt.date(2024, 3, 1))
    return root


def enrich(root, services, clock, **kw):
    clients = make_clients(services, clock)
    try:
        return run_enrich(Project(root), clients, today=TODAY,
                          cache=AnswerCache(root / ".cache" / "enrich", TODAY), **kw)
    finally:
        clients.close()


def texts(root) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "content" / "papers").glob("*.md"))}


def test_a_match_fills_what_the_page_lacks_with_its_source(root, services, clock):
    summary = enrich(root, services, clock)
    lora = read(root, LORA)
    assert lora.arxiv_id == "2106.09685" and lora.published == dt.date(2021, 6, 17)
    assert lora.code_url == "https://github.com/microsoft/LoRA"
    assert lora.authors[:2] == ["Edward J. Hu", "Yelong Shen"] and len(lora.authors) == 8 and not lora.et_al
    assert lora.date == dt.date(2021, 6, 20) and lora.has_code is False      # the dump's values stay
    assert lora.enriched == {"arxiv_id": Provenance("arxiv", TODAY), "published": Provenance("arxiv", TODAY),
                             "authors": Provenance("arxiv", TODAY), "code_url": Provenance("hf", TODAY)}
    pruning = read(root, "structured-pruning-of-large-language-models")
    assert pruning.doi == "10.18653/v1/2020.emnlp-main.496" and pruning.enriched["doi"].source == "openalex"
    assert pruning.venue.startswith("Proceedings of the 2020 Conference on Empirical Methods")
    assert summary.outcomes[LORA] == "match"
    assert run_check(Project(root), []).problems == []


def test_near_misses_and_conflicts_are_never_written(root, services, clock):
    before = texts(root)
    summary = enrich(root, services, clock)
    after = texts(root)
    for name in ("mixture-of-experts-with-expert-choice-routing.md", "efficient-transformers-a-survey.md"):
        assert after[name] == before[name]
    assert summary.outcomes["mixture-of-experts-with-expert-choice-routing"] == "not_found"
    assert summary.outcomes["efficient-transformers-a-survey"] == "ambiguous"
    assert any(line.startswith("ambiguous: content/papers/efficient-transformers-a-survey.md: arxiv: title matches")
               for line in summary.lines())


def test_a_persons_value_is_kept_and_the_disagreement_reported(root, services, clock):
    summary = enrich(root, services, clock)
    scaling = read(root, "scaling-laws-for-neural-language-models")
    assert scaling.arxiv_id == "2001.99999" and "arxiv_id" not in scaling.enriched
    assert scaling.published == dt.date(2020, 1, 23) and len(scaling.authors) == 10
    notes = [str(n) for n in summary.notes]
    assert ("content/papers/scaling-laws-for-neural-language-models.md: arxiv_id: the page says 2001.99999, "
            "arxiv finds 2001.08361; kept the page's") in notes
    assert any("lora" in n and "code: the listing showed no code" in n for n in notes)
    assert any("date: joined the list 2021-06-20, first version 2021-06-17 (arxiv); kept both" in n for n in notes)


def test_an_unchanged_rerun_writes_nothing_and_asks_nothing(root, services, clock):
    enrich(root, services, clock)
    stamps = {p: p.stat().st_mtime_ns for p in (root / "content" / "papers").glob("*.md")}
    calls = len(services.calls)
    summary = enrich(root, services, clock)
    assert summary.written == [] and len(services.calls) == calls
    assert {p: p.stat().st_mtime_ns for p in (root / "content" / "papers").glob("*.md")} == stamps


def test_dry_run_prints_the_diff_and_writes_nothing(root, services, clock):
    before = texts(root)
    summary = enrich(root, services, clock, dry_run=True)
    assert texts(root) == before and summary.written == []
    (lora,) = [d for d in summary.diffs if LORA in d]
    assert f"+++ b/content/papers/{LORA}.md" in lora and "+arxiv_id: '2106.09685'" in lora
    assert "+  code_url: hf 2026-12-06" in lora


def test_limit_asks_about_at_most_n_new_pages_and_resumes(root, services, clock):
    first = enrich(root, services, clock, limit=2)
    assert first.asked == 2 and first.left_for_later == 3
    second = enrich(root, services, clock, limit=2)
    assert second.from_cache == 2 and second.asked == 4 and second.left_for_later == 1


def test_a_service_failure_changes_no_page(root, services, clock, httpserver):
    before = texts(root)
    httpserver.clear_all_handlers()
    httpserver.expect_request("/arxiv/api/query").respond_with_response(Response("down", status=503))
    with pytest.raises(ServiceError) as err:
        enrich(root, services, clock)
    assert "no answer after 3 tries (HTTP 503)" in str(err.value)
    assert texts(root) == before


def test_malformed_answers_change_no_page(root, services, clock, httpserver):
    before = texts(root)
    httpserver.clear_all_handlers()
    httpserver.expect_request("/arxiv/api/query").respond_with_data("<feed", content_type="application/atom+xml")
    with pytest.raises(ServiceError, match="malformed XML"):
        enrich(root, services, clock)
    assert texts(root) == before


def test_an_interrupted_run_writes_nothing_and_resumes_from_the_cache(root, services, clock):
    before = texts(root)

    def stop(stage, done, total):
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        enrich(root, services, clock, progress=stop)
    assert texts(root) == before
    assert not [p for p in (root / "content" / "papers").iterdir() if p.name.endswith(".tmp")]
    asked = len(services.calls)
    summary = enrich(root, services, clock)
    assert summary.from_cache == 2 and summary.written
    assert len(services.calls) > asked


def test_the_command_line_against_local_services(root, services, monkeypatch):
    for key, value in services.env().items():
        monkeypatch.setenv(key, value)
    before = texts(root)
    result = run_cli(root, "enrich", "--dry-run", "--limit", "1", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "dry run: nothing written" in result.stdout and texts(root) == before
    assert "+++ b/content/papers/efficient-transformers-a-survey.md" not in result.stdout
    monkeypatch.setenv("READINGLIST_ARXIV_API", "not a url")
    bad = run_cli(root, "enrich")
    assert bad.returncode == 2 and "READINGLIST_ARXIV_API='not a url' is not an http(s) URL" in bad.stderr
    assert "Traceback" not in bad.stderr and texts(root) == before


def test_a_dead_service_is_one_line_and_exit_2(root, monkeypatch):
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("READINGLIST_ARXIV_API", f"http://127.0.0.1:{port}/api/query")
    monkeypatch.setenv("READINGLIST_OPENALEX_API", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("READINGLIST_HF_API", f"http://127.0.0.1:{port}/api")
    before = texts(root)
    result = run_cli(root, "enrich", "--limit", "1", "--quiet")
    assert result.returncode == 2
    assert f"could not connect to 127.0.0.1:{port}" in result.stderr and "no page was changed" in result.stderr
    assert "Traceback" not in result.stderr and texts(root) == before


# ------------------------------------------------------------------ the fill rule, pure


def test_fill_never_changes_a_value_and_completes_only_a_cut_list():
    paper = Paper(title="T", authors=["Ann Lee", "Bo Li"], et_al=True, doi="10.1/Mine", venue="Mine")
    found = Enrichment(arxiv_id="2401.00001", doi="10.1/theirs", venue="Theirs", published="2024-01-02",
                       authors=("Ann Lee", "Bo Li", "Cy Wu"),
                       sources={"arxiv_id": "arxiv", "doi": "openalex", "venue": "openalex",
                                "published": "arxiv", "authors": "arxiv"})
    applied = apply_enrichment(paper, found, TODAY)
    assert applied.paper.doi == "10.1/Mine" and applied.paper.venue == "Mine"
    assert applied.paper.authors == ["Ann Lee", "Bo Li", "Cy Wu"] and not applied.paper.et_al
    assert applied.filled == ["arxiv_id", "published", "authors"]
    assert any(n.startswith("doi: the page says 10.1/Mine") for n in applied.notes)
    other = apply_enrichment(Paper(title="T", authors=["Zed Zee"], et_al=True), found, TODAY)
    assert other.paper.authors == ["Zed Zee"] and other.paper.et_al and "authors" not in other.filled
    assert paper.authors == ["Ann Lee", "Bo Li"] and paper.enriched == {}      # the input is not changed
    done = applied.paper
    assert apply_enrichment(done, found, TODAY).filled == []


def test_a_page_with_everything_is_not_asked_about():
    full = Paper(title="T", authors=["A"], arxiv_id="1", published=TODAY, doi="10.1/x", venue="V",
                 code_url="https://github.com/a/b")
    assert not needs_enrichment(full)
    assert needs_enrichment(Paper(title="T", authors=["A"], et_al=True, arxiv_id="1", published=TODAY,
                                  doi="10.1/x", venue="V", code_url="https://github.com/a/b"))


def test_equal_dates_are_written_as_dates_not_yaml_aliases():
    text = render_paper_page(Paper(title="T", abstract="A.", date=TODAY, published=TODAY))
    assert "date: 2026-12-06\npublished: 2026-12-06\n" in text and "&id" not in text
