"""The pure parsers read each service's documented format into candidates."""

from __future__ import annotations

import pytest

from enrich_fakes import fixture_answer
from readinglist.enrich.arxiv_api import parse_feed
from readinglist.enrich.errors import MalformedAnswer
from readinglist.enrich.hf_api import parse_paper, parse_search
from readinglist.enrich.openalex_api import parse_works


def body(name: str) -> bytes:
    return fixture_answer(name)[0]


def test_arxiv_feed_versions_authors_dates_and_wrapped_titles():
    feed = parse_feed(body("arxiv/lora_versions.xml"))
    assert feed.total == 3 and feed.error is None
    v2, v1, other = feed.candidates
    assert (v2.arxiv_id, v2.arxiv_version, v1.arxiv_version) == ("2106.09685", 2, 1)
    assert v2.published == v1.published == "2021-06-17" and v2.year == 2021
    assert v2.authors[0] == "Edward J. Hu" and len(v2.authors) == 8
    assert other.title == "LoRA-FA: Memory-efficient Low-rank Adaptation for Large Language Models Fine-tuning"


def test_arxiv_doi_and_journal_reference():
    (q8,) = parse_feed(body("arxiv/q8bert_doi.xml")).candidates
    assert q8.doi == "10.1109/emc2-nips53020.2019.00016"
    assert q8.venue.startswith("5th Workshop on Energy Efficient Machine Learning")


def test_arxiv_empty_and_error_feeds():
    empty = parse_feed(body("arxiv/empty.xml"))
    assert empty.total == 0 and empty.candidates == ()
    error = parse_feed(body("arxiv/error_feed.xml"))
    assert error.error == "max_results must be >= 0" and error.candidates == ()


@pytest.mark.parametrize("text", [body("arxiv/malformed.xml"), b"", b"<html><body>busy</body></html>",
                                  b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>x</title></entry></feed>"])
def test_arxiv_malformed(text):
    with pytest.raises(MalformedAnswer):
        parse_feed(text)


def test_openalex_works_arxiv_ids_venues_and_dois():
    works = {w.record_id.rsplit("/", 1)[1]: w for w in parse_works(body("openalex/mobilenetv2.json"))}
    cvpr, preprint = works["W2963163009"], works["W2784121410"]
    assert cvpr.doi == "10.1109/cvpr.2018.00474" and cvpr.arxiv_id == "1801.04381"   # from its arXiv location
    assert cvpr.venue == "2018 IEEE/CVF Conference on Computer Vision and Pattern Recognition"
    assert preprint.arxiv_id == "1801.04381" and preprint.venue is None                # arXiv is a repository
    assert preprint.publisher_doi is None and cvpr.publisher_doi == cvpr.doi
    assert cvpr.authors[0] == "Mark Sandler" and cvpr.year == 2018


def test_openalex_title_with_html_is_kept_raw_for_the_report():
    (work,) = parse_works(body("openalex/r3sql.json"))
    assert work.title.startswith("R<sup>3</sup>-SQL")


@pytest.mark.parametrize("text", [body("openalex/malformed.json"), b"[]", b'{"meta": {}}', b'{"results": [3]}'])
def test_openalex_malformed(text):
    with pytest.raises(MalformedAnswer):
        parse_works(text)


def test_hf_search_reads_nested_and_flat_shapes():
    nested = parse_search(body("hf/lora_search.json"))
    assert nested[0].arxiv_id == "2106.09685" and nested[0].code_url == "https://github.com/microsoft/LoRA"
    assert nested[0].published == "2021-06-17" and nested[0].authors[0] == "Edward J. Hu"
    flat = parse_search(body("hf/r3sql_search.json"))
    assert flat[0].title == "R^3-SQL: Ranking Reward and Resampling for Text-to-SQL"
    assert flat[0].code_url == "https://gitlab.com/wliu/r3-sql"


def test_hf_code_links_must_be_https_repositories():
    (tiny,) = parse_search(body("hf/tinybert_search.json"))
    assert tiny.code_url is None


def test_hf_paper_object():
    paper = parse_paper(body("hf/q8bert_paper.json"))
    assert paper.arxiv_id == "1910.06188" and paper.code_url == "https://github.com/IntelLabs/nlp-architect"


@pytest.mark.parametrize("text", [body("hf/malformed.json"), b'{"papers": []}', b'[{"title": "no id"}]'])
def test_hf_malformed(text):
    with pytest.raises(MalformedAnswer):
        parse_search(text)


def test_every_json_fixture_names_its_documentation():
    from enrich_fakes import FIXTURES
    import json
    for path in FIXTURES.rglob("*.json"):
        assert json.loads(path.read_text())["_doc"].startswith("https://"), path
    for path in FIXTURES.rglob("*.xml"):
        assert "https://info.arxiv.org/help/api/user-manual.html" in path.read_text()[:400], path
