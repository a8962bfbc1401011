"""The matcher on the decoy fixtures: pure, no HTTP.

`fixtures/decisions.golden.txt` holds every service's verdict and reason on every
case; regenerate it with READINGLIST_UPDATE_GOLDEN=1 after an intended change and
review the diff.
"""

from __future__ import annotations

import os

import pytest

from enrich_fakes import FIXTURES, case_item, fixture_answer, load_cases
from readinglist.enrich import Candidate, Item, decide
from readinglist.enrich.arxiv_api import parse_feed
from readinglist.enrich.hf_api import parse_search
from readinglist.enrich.openalex_api import parse_works

PARSE = {"arxiv": lambda b: list(parse_feed(b).candidates), "openalex": parse_works, "hf": parse_search}
GOLDEN = FIXTURES / "decisions.golden.txt"


def answered(service: str, name: str) -> list[Candidate]:
    return PARSE[service](fixture_answer(name)[0])


def verdict(item: Item, service: str, name: str):
    return decide(item, answered(service, name), service)


# ------------------------------------------------------------------ one decoy each


def test_several_versions_of_one_paper_are_one_match():
    d = verdict(Item("k", "LoRA: Low-Rank Adaptation of Large Language Models", 2021, "Edward J. Hu"),
                "arxiv", "arxiv/lora_versions.xml")
    assert d.verdict == "match"
    assert (d.candidate.arxiv_id, d.candidate.arxiv_version, d.candidate.published) == ("2106.09685", 2, "2021-06-17")
    assert d.evidence.records == 2 and d.evidence.title_score == 100
    assert d.evidence.year.verdict == d.evidence.first_author.verdict == "match"


def test_openalex_duplicates_and_preprint_are_one_paper_with_the_publisher_doi():
    d = verdict(Item("k", "MobileNetV2: Inverted Residuals and Linear Bottlenecks", 2018, "Mark Sandler"),
                "openalex", "openalex/mobilenetv2.json")
    assert d.verdict == "match" and d.evidence.records == 3
    assert d.candidate.doi == "10.1109/cvpr.2018.00474" and d.candidate.arxiv_id == "1801.04381"
    assert d.candidate.venue == "2018 IEEE/CVF Conference on Computer Vision and Pattern Recognition"
    assert d.candidate.published == "2018-01-13"        # the earliest record: the preprint


def test_revisiting_x_for_speech_is_not_x():
    d = verdict(Item("k", "Mixture-of-Experts with Expert Choice Routing", 2022), "arxiv",
                "arxiv/expert_choice_near_miss.xml")
    assert d.verdict == "not_found" and "nearest “Revisiting Mixture-of-Experts" in d.reason


def test_the_same_title_in_another_year_is_ambiguous():
    d = verdict(Item("k", "Efficient Transformers: A Survey", 2024), "arxiv", "arxiv/efficient_transformers_2020.xml")
    assert d.verdict == "ambiguous" and "year 2020 vs 2024" in d.reason
    d = verdict(Item("k", "Efficient Transformers: A Survey", 2024), "openalex", "openalex/efficient_transformers.json")
    assert d.verdict == "ambiguous" and "year 2022 vs 2024" in d.reason


def test_a_year_off_by_one_is_consistent():
    d = verdict(Item("k", "Efficient Transformers: A Survey", 2021), "arxiv", "arxiv/efficient_transformers_2020.xml")
    assert d.verdict == "match"


def test_two_papers_with_near_identical_titles():
    title = "Structured Pruning of Large Language Models"
    known = verdict(Item("k", title, 2019, "Ziheng Wang"), "arxiv", "arxiv/structured_pruning_two_papers.xml")
    assert known.verdict == "match" and known.candidate.arxiv_id == "1910.04732"
    unknown = verdict(Item("k", title), "arxiv", "arxiv/structured_pruning_two_papers.xml")
    # "for" is not "of": the rival is another paper's title, but close enough for a person to look.
    assert unknown.verdict == "ambiguous" and "is too close to “Structured Pruning for" in unknown.reason
    year_only = verdict(Item("k", title, 2019), "arxiv", "arxiv/structured_pruning_two_papers.xml")
    assert year_only.verdict == "ambiguous"         # the winner is not confirmed on both counts


def test_digits_tell_papers_apart():
    d = verdict(Item("k", "The case for 4-bit precision: k-bit Inference Scaling Laws", 2022, "Tim Dettmers"),
                "arxiv", "arxiv/kbit_numbers_differ.xml")
    assert d.verdict == "match" and d.candidate.arxiv_id == "2212.09720"


@pytest.mark.parametrize("service, name", [("arxiv", "arxiv/r3sql_tex.xml"), ("openalex", "openalex/r3sql.json"),
                                           ("hf", "hf/r3sql_search.json")])
def test_tex_titles_match_across_services(service, name):
    d = verdict(Item("k", "R$^3$-SQL: Ranking Reward and Resampling for Text-to-SQL", 2025), service, name)
    assert d.verdict == "match" and d.candidate.arxiv_id == "2503.01111"


def test_a_first_author_conflict_is_ambiguous():
    d = verdict(Item("k", "Attention Is All You Need", 2017, "Ashish Vaswani"), "arxiv",
                "arxiv/attention_author_conflict.xml")
    assert d.verdict == "ambiguous" and "first author Ravi Decoyan vs Ashish Vaswani" in d.reason


@pytest.mark.parametrize("known, found", [
    ("Attention Is All You Need", "Attention Is Not All You Need"),
    ("Fast Inference from Transformers via Speculative Decoding",
     "Faster Inference from Transformers via Speculative Decoding"),
    ("QLoRA: Efficient Finetuning of Quantized LLMs", "LQ-LoRA: Efficient Finetuning of Quantized LLMs"),
    ("Unsupervised Speech Recognition", "Supervised Speech Recognition"),
    ("Knowledge Distillation for Language Models", "Knowledge Distillation of Language Models"),
])
def test_a_word_more_less_or_other_is_never_a_match(known, found):
    d = decide(Item("k", known), [Candidate("arxiv", found, "x", arxiv_id="2399.00001")], "arxiv")
    assert d.verdict == "ambiguous" and d.candidate is None


@pytest.mark.parametrize("known, found", [
    ("Towards Efficient Generative LLM Inference", "Toward Efficient Generative LLM Inference"),
    ("Efficient Large Language Models: A Survey", "Efficient Large Language Model: A Survey"),
    ("Pre-training Sparse Transformers", "Pretraining Sparse Transformers"),
    ("Efficient Optimisation of Sparse Networks", "Efficient Optimization of Sparse Networks"),
    ("A Survey of Model Compression for Transformers", "Survey of Model Compression for Transformers"),
])
def test_spelling_variants_of_the_same_words_still_match(known, found):
    d = decide(Item("k", known), [Candidate("arxiv", found, "x", arxiv_id="2399.00001")], "arxiv")
    assert d.verdict == "match" and d.candidate.arxiv_id == "2399.00001"


def test_a_weak_title_match_is_ambiguous():
    d = verdict(Item("k", "Quantizing deep convolutional networks for efficient inference: A whitepaper", 2018),
                "arxiv", "arxiv/quantizing_whitepaper_weak.xml")
    assert d.verdict == "ambiguous" and d.reason.startswith("only a weak title match")


def test_empty_answers_are_not_found():
    for service, name in [("arxiv", "arxiv/empty.xml"), ("openalex", "openalex/empty.json"), ("hf", "hf/empty.json")]:
        d = verdict(Item("k", "Anything"), service, name)
        assert d.verdict == "not_found" and d.reason == "no title close enough (no results)"


def test_top_two_too_close_is_ambiguous():
    item = Item("k", "Sparse Mixture of Adapters for Vision Transformers")
    exact = Candidate("arxiv", "Sparse Mixture of Adapters for Vision Transformers", "a", arxiv_id="2401.00001")
    close = Candidate("arxiv", "Sparse Mixture of Adapters for Visual Transformers", "b", arxiv_id="2401.00002")
    d = decide(item, [exact, close], "arxiv")
    assert d.verdict == "ambiguous" and "is too close to" in d.reason


def test_records_naming_two_arxiv_ids_are_not_one_paper():
    item = Item("k", "Sparse Mixture of Adapters for Vision Transformers")
    a = Candidate("openalex", item.title, "W1", arxiv_id="2401.00001", doi="10.1/x")
    b = Candidate("openalex", item.title, "W2", arxiv_id="2401.00002", doi="10.1/x")
    d = decide(item, [a, b], "openalex")
    assert d.verdict == "ambiguous" and "several arXiv ids" in d.reason


# ------------------------------------------------------------------ all cases


def _service_fixtures(case: dict):
    for service in ("arxiv", "openalex", "hf"):
        if case.get(service):
            yield service, case[service]


def test_no_service_ever_matches_the_wrong_paper():
    for case in load_cases():
        expect = case["expect"]
        for service, name in _service_fixtures(case):
            d = verdict(case_item(case), service, name)
            if expect["outcome"] == "not_found":
                assert d.verdict == "not_found", (case["key"], service, d.reason)
            if case["key"].startswith("word-decoy"):
                assert d.verdict == "ambiguous" and "the title differs in words" in d.reason, (case["key"], d.reason)
            if d.verdict == "match" and expect["outcome"] == "match":
                assert d.candidate.arxiv_id == expect["arxiv_id"][0], (case["key"], service)


def _golden_text() -> str:
    lines = []
    for case in load_cases():
        for service, name in _service_fixtures(case):
            d = verdict(case_item(case), service, name)
            lines.append(f"{case['key']} / {service}: {d.verdict}: {d.reason}")
    return "\n".join(lines) + "\n"


def test_decisions_golden():
    text = _golden_text()
    if os.environ.get("READINGLIST_UPDATE_GOLDEN") == "1" or not GOLDEN.exists():
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
