"""enrich_titles end to end against the fake services: the cases, batching, cache and resume."""

from __future__ import annotations

import io
import json
import os

import pytest
from werkzeug import Response

from enrich_fakes import case_item, load_cases, make_clients
from readinglist.enrich import (AnswerCache, Clients, Match, ServiceError, TqdmProgress,
                                enrich_titles, normalize_title)

pytest_plugins = ["enrich_fakes"]  # its fixtures: clients, clock, services

CASES = load_cases()
ITEMS = [case_item(c) for c in CASES]
FIELDS = ("arxiv_id", "published", "doi", "venue", "code_url")


@pytest.fixture
def cache(tmp_path) -> AnswerCache:
    return AnswerCache(tmp_path / ".cache" / "enrich")


def run(clients, cache=None, items=ITEMS, progress=None):
    return {o.key: o for o in enrich_titles(items, clients, cache, progress)}


def test_every_case_reaches_its_expected_outcome_and_none_is_wrong(services, clients):
    outcomes = run(clients)
    wrong, missed = [], []
    for case in CASES:
        outcome, expect = outcomes[case["key"]], case["expect"]
        if outcome.kind == "match" and expect["outcome"] != "match":
            wrong.append((case["key"], outcome.enrichment.arxiv_id))
        assert outcome.kind == expect["outcome"], (case["key"], getattr(outcome, "reason", None))
        if expect["outcome"] != "match":
            continue
        found = outcome.enrichment
        for name in FIELDS:
            value, source = expect[name]
            assert getattr(found, name) == value, (case["key"], name)
            assert found.sources.get(name) == source, (case["key"], name, dict(found.sources))
        first, source = expect["first_author"]
        assert found.authors[0] == first and found.sources["authors"] == source
        assert len(found.authors) == expect["author_count"], case["key"]
        if found.arxiv_id != expect["arxiv_id"][0]:
            missed.append(case["key"])
    assert wrong == [] and missed == []


def test_ambiguous_and_not_found_say_why_per_service(services, clients):
    outcomes = run(clients)
    assert outcomes["efficient-transformers-other-year"].reason.startswith(
        "arxiv: title matches “Efficient Transformers: A Survey” (2009.06732, 2020, score 100) but year 2020 vs 2024")
    assert outcomes["identity-disagreement"].reason == \
        "services disagree on the arXiv id: arxiv 2402.01111, hf 2402.09999"
    assert "openalex: no title close enough" in outcomes["expert-choice-near-miss"].reason
    assert set(outcomes["nothing-indexed"].decisions) == {"arxiv", "openalex", "hf"}


def test_outcomes_serialize_for_a_report(services, clients):
    import dataclasses
    for outcome in run(clients).values():
        data = dataclasses.asdict(outcome)
        assert json.loads(json.dumps(data))["key"] == outcome.key
        assert set(data["decisions"]) <= {"arxiv", "openalex", "hf"}


def test_disagreements_are_recorded_not_fatal(services, clients):
    lora = run(clients)["lora"].enrichment
    # arXiv's v2 and Hugging Face list eight authors, OpenAlex too: no disagreement there;
    # Hugging Face lists only some authors of Scaling Laws, which is recorded.
    assert not [d for d in lora.disagreements if d.field == "authors"]
    scaling = run(clients)["scaling-laws"].enrichment
    (authors,) = [d for d in scaling.disagreements if d.field == "authors"]
    assert [s for s, _ in authors.values] == ["arxiv", "openalex", "hf"]


def test_dois_from_arxiv_are_looked_up_in_one_openalex_request(services, clients):
    run(clients)
    (lookup,) = services.calls_to("openalex", "doi")
    assert sorted(lookup.query.split("|")) == ["10.1109/emc2-nips53020.2019.00016",
                                               "10.18653/v1/2020.findings-emnlp.372"]
    assert lookup.args["mailto"] == "tests@readinglist.invalid"


def test_hugging_face_is_asked_by_arxiv_id_when_its_search_misses(services, clients):
    run(clients)
    asked = [c.query for c in services.calls_to("hf", "paper")]
    assert "1910.06188" in asked                 # found: its code link is used
    assert "2106.09685" not in asked             # search already found LoRA


def test_arxiv_is_asked_once_every_three_seconds_over_a_run(services, clients):
    run(clients)
    times = [c.at for c in services.calls_to("arxiv")]
    assert len(times) == len({normalize_title(i.title) for i in ITEMS})    # one per distinct title
    assert all(b - a >= 3.0 for a, b in zip(times, times[1:]))


def test_a_second_run_asks_nothing(services, clients, cache):
    first = run(clients, cache)
    calls = len(services.calls)
    second = run(clients, cache)
    assert len(services.calls) == calls
    assert {k: o.kind for k, o in first.items()} == {k: o.kind for k, o in second.items()}
    assert second["q8bert-doi-lookup"].enrichment == first["q8bert-doi-lookup"].enrichment


def test_a_definite_empty_answer_is_cached(services, clients, cache):
    nothing = [i for i in ITEMS if i.key == "nothing-indexed"]
    run(clients, cache, nothing)
    asked = len(services.calls)
    assert asked == 3
    assert run(clients, cache, nothing)["nothing-indexed"].kind == "not_found"
    assert len(services.calls) == asked


def test_an_interrupted_run_resumes_where_it_stopped(services, clients, cache):
    def interrupt(stage, done, total):
        if stage == "search" and done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(clients, cache, progress=interrupt)
    first_queries = {(c.service, c.kind, c.query) for c in services.calls}
    assert not list(cache.folder.glob(".*.tmp"))        # nothing half-written
    before = len(services.calls)
    outcomes = run(clients, cache)
    again = {(c.service, c.kind, c.query) for c in services.calls[before:]}
    assert not (again & first_queries)                   # nothing answered is asked again
    assert outcomes["lora"].kind == "match"


def test_errors_are_not_cached(services, clock, cache, httpserver):
    for _ in range(2):
        httpserver.expect_oneshot_request("/hf/api/papers/search").respond_with_response(
            Response("unavailable", status=503))
    clients = make_clients(services, clock, attempts=2)
    slimsam = [i for i in ITEMS if i.key == "slimsam"]
    with pytest.raises(ServiceError) as err:
        run(clients, cache, slimsam)
    assert str(err.value).startswith("Hugging Face Papers: no answer after 2 tries (HTTP 503)")
    outcome = run(clients, cache, slimsam)["slimsam"]
    assert isinstance(outcome, Match) and outcome.enrichment.code_url == "https://github.com/czg1225/SlimSAM"
    assert [c.service for c in services.calls].count("arxiv") == 1       # arXiv's answer was cached
    assert [c.service for c in services.calls].count("hf") == 1          # HF asked again, now answered


def test_a_write_interrupted_before_the_rename_leaves_nothing(cache, monkeypatch):
    def interrupted(src, dst):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.put("arxiv", "title", "lora", [])
    assert list(cache.folder.iterdir()) == []


def test_cache_files_are_json_keyed_by_service_and_query(cache):
    cache.put("openalex", "doi", "10.1109/cvpr.2018.00474", [{"title": "x"}])
    (path,) = cache.folder.iterdir()
    assert path.name.startswith("openalex-doi-") and path.suffix == ".json"
    record = json.loads(path.read_text())
    assert record["query"] == "10.1109/cvpr.2018.00474" and record["answer"] == [{"title": "x"}]
    assert cache.get("openalex", "doi", "10.1109/cvpr.2018.00474") == [{"title": "x"}]
    assert cache.get("arxiv", "doi", "10.1109/cvpr.2018.00474") is None


def test_an_unreadable_cache_file_is_asked_again(cache):
    cache.put("hf", "title", "lora", [])
    cache.path("hf", "title", "lora").write_text("{not json")
    assert cache.get("hf", "title", "lora") is None


def test_only_the_services_given_are_asked(services, clock):
    full = make_clients(services, clock)
    only_arxiv = Clients(arxiv=full.arxiv)
    outcome = run(only_arxiv, items=[i for i in ITEMS if i.key == "lora"])["lora"]
    assert outcome.kind == "match" and outcome.enrichment.code_url is None
    assert {c.service for c in services.calls} == {"arxiv"}
    full.close()


def test_items_may_be_plain_tuples_and_keys_must_be_unique(services, clients):
    (outcome,) = enrich_titles([("k", "Scaling Laws for Neural Language Models", "2020", None)], clients)
    assert outcome.kind == "match"
    with pytest.raises(ValueError):
        enrich_titles([("k", "A"), ("k", "B")], clients)


def test_progress_is_reported_per_stage(services, clients):
    seen = []
    run(clients, progress=lambda stage, done, total: seen.append((stage, done, total)))
    searches = [s for s in seen if s[0] == "search"]
    assert searches[-1] == ("search", len(ITEMS), len(ITEMS))
    assert any(s[0] == "lookup" for s in seen)


def test_tqdm_progress_bar(services, clients):
    out = io.StringIO()
    with TqdmProgress(file=out, disable=False) as bar:
        run(clients, items=ITEMS[:2], progress=bar)
    assert "searching titles" in out.getvalue()


def test_field_authority_and_disagreements_when_merging():
    from readinglist.enrich import Candidate
    from readinglist.enrich.merge import merge_matches
    arxiv = Candidate("arxiv", "T", "a", arxiv_id="2401.00001", doi="10.1/journal-a", authors=("Ann Lee", "Bo Li"),
                      published="2024-01-02", venue="J. Made Up 1 (2024)")
    openalex = Candidate("openalex", "T", "W1", arxiv_id="2401.00001", doi="10.1/journal-b",
                         authors=("Ann Lee", "Bo Li"), published="2024-06-01", venue="Journal of Made Up Things")
    hf = Candidate("hf", "T", "2401.00001", arxiv_id="2401.00001", published="2024-01-03",
                   code_url="https://github.com/ann/t")
    merged = merge_matches({"arxiv": arxiv, "openalex": openalex, "hf": hf})
    assert (merged.doi, merged.sources["doi"]) == ("10.1/journal-b", "openalex")
    assert (merged.venue, merged.sources["venue"]) == ("Journal of Made Up Things", "openalex")
    assert (merged.published, merged.sources["published"]) == ("2024-01-02", "arxiv")
    assert (merged.code_url, merged.sources["code_url"]) == ("https://github.com/ann/t", "hf")
    assert {d.field: d.values for d in merged.disagreements} == {
        "published": (("arxiv", "2024-01-02"), ("hf", "2024-01-03")),
        "doi": (("openalex", "10.1/journal-b"), ("arxiv", "10.1/journal-a")),
    }
    only_hf = merge_matches({"hf": hf})
    assert (only_hf.arxiv_id, only_hf.published, only_hf.sources["published"]) == ("2401.00001", "2024-01-03", "hf")


def test_an_old_answer_is_asked_again(tmp_path):
    import datetime as dt
    folder = tmp_path / ".cache" / "enrich"
    AnswerCache(folder, today=dt.date(2026, 1, 1)).put("arxiv", "title", "lora", [])
    assert AnswerCache(folder, today=dt.date(2026, 3, 1)).get("arxiv", "title", "lora") == []
    assert AnswerCache(folder, today=dt.date(2026, 6, 1)).get("arxiv", "title", "lora") is None


def test_the_cache_writes_through_the_store(cache, monkeypatch):
    from readinglist import store
    written = []
    original = store.write_text
    monkeypatch.setattr(store, "write_text", lambda path, text: written.append(path) or original(path, text))
    cache.put("hf", "title", "lora", [])
    assert written == [cache.path("hf", "title", "lora")]
