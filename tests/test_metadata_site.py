"""The site uses what enrich (or a person) adds: names, direct links, code links, BibTeX, feeds, exports.

One small project with an enriched page, a page filed under `other` (To review) and a plain page,
built once with the real engine."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import bibtexparser
import feedparser
import pytest

from conftest import make_project, run_cli
from readinglist.paper import Paper, Provenance
from readinglist.page.markdown import render_paper_page
from readinglist.site.citations import bibtex_entry
from test_site import article, parse_html

DAY = dt.date(2026, 12, 6)
LORA = Paper(
    title="LoRA: Low-Rank Adaptation of Large Language Models", slug="lora",
    abstract="We propose Low-Rank Adaptation, which freezes the pretrained weights and trains rank decompositions.",
    authors=["Edward J. Hu", "Yelong Shen", "Phillip Wallis"], date=dt.date(2025, 11, 20),
    published=dt.date(2021, 6, 17), venue="International Conference on Learning Representations",
    arxiv_id="2106.09685", doi="10.48550/example.2106", code_url="https://github.com/microsoft/LoRA",
    has_code=True, topics=["peft"],
    enriched={"published": Provenance("arxiv", DAY), "code_url": Provenance("hf", DAY),
              "authors": Provenance("arxiv", DAY)})
PLAIN = Paper(title="A Plain Paper About Sparse Attention", slug="plain", date=dt.date(2025, 11, 21),
              abstract="We make attention sparse and fast on long inputs.", topics=["peft"],
              paper_url="https://example.org/plain.pdf", year=2024)
ROBOT = Paper(title="A Robot That Folds Laundry", slug="robot", date=dt.date(2025, 11, 22),
              abstract="A robot folds laundry.", topics=["other"])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("meta") / "proj")
    for paper in (LORA, PLAIN, ROBOT):
        (root / "content" / "papers" / f"{paper.slug}.md").write_text(render_paper_page(paper), encoding="utf-8")
    assert run_cli(root, "check").returncode == 0
    result = run_cli(root, "build")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    return root / "site"


def links(node) -> list[tuple[str, str]]:
    return [(a.clean_text(), a.attrs.get("href", "")) for a in node.find_all("a")]


def test_a_paper_page_shows_names_venue_and_direct_links(site):
    art = article(parse_html(site / "papers" / "lora" / "index.html"))
    meta = art.find("p", cls="rl-meta")
    assert "Edward J. Hu, Yelong Shen, Phillip Wallis" in meta.clean_text() and "et al." not in meta.clean_text()
    assert "Jun 17, 2021" in meta.clean_text()           # the first version, not the day it joined the list
    assert "International Conference on Learning Representations" in meta.clean_text()
    assert ("code", "https://github.com/microsoft/LoRA") in links(meta)   # the badge is a link
    assert links(art.find("p", cls="rl-links")) == [
        ("arXiv", "https://arxiv.org/abs/2106.09685"), ("PDF", "https://arxiv.org/pdf/2106.09685"),
        ("DOI", "https://doi.org/10.48550/example.2106"), ("Code", "https://github.com/microsoft/LoRA")]
    plain = article(parse_html(site / "papers" / "plain" / "index.html"))
    assert links(plain.find("p", cls="rl-links")) == [("Paper", "https://example.org/plain.pdf")]


def test_tables_link_the_code_and_sort_by_first_version(site):
    art = article(parse_html(site / "topics" / "peft" / "index.html"))
    rows = [r for r in art.find_all("tr") if r.find("td")]
    cells = [[c for c in r.find_all("td")] for r in rows]
    assert [c[1].clean_text() for c in cells] == [PLAIN.title, LORA.title]   # 2025-11-21, then 2021-06-17
    assert cells[1][0].clean_text() == "2021-06-17"
    assert ("code", "https://github.com/microsoft/LoRA") in links(cells[1][4])
    timeline = article(parse_html(site / "timeline" / "index.html")).clean_text()
    assert "June 2021" in timeline


def test_newest_and_the_feed_follow_the_day_a_paper_joined_and_skip_review(site):
    home = article(parse_html(site / "index.html"))
    table = [r.find_all("td")[1].clean_text() for r in home.find_all("tr") if r.find("td")]
    assert table == [PLAIN.title, LORA.title]               # joined 2025-11-21, 2025-11-20; the robot waits
    assert "2 papers" in home.clean_text() and "1 more paper waits for a curator in To review." in home.clean_text()
    feed = feedparser.parse((site / "feed.xml").read_text(encoding="utf-8"))
    assert [e.title for e in feed.entries] == [PLAIN.title, LORA.title]
    lora = feed.entries[1]
    assert lora.updated.startswith("2025-11-20")
    related = {l.title: l.href for l in lora.links if l.rel == "related"}
    assert related == {"arXiv": "https://arxiv.org/abs/2106.09685", "PDF": "https://arxiv.org/pdf/2106.09685", "DOI": "https://doi.org/10.48550/example.2106",
                       "Code": "https://github.com/microsoft/LoRA"}
    assert [a.name for a in lora.authors] == LORA.authors


def test_the_review_page_keeps_its_url(site):
    art = article(parse_html(site / "topics" / "other" / "index.html"))
    assert art.find("h1").clean_text() == "To review"
    assert "readinglist triage" in art.clean_text() and "A Robot That Folds Laundry" in art.clean_text()
    assert not (site / "topics" / "other" / "feed.xml").exists()
    nav = parse_html(site / "index.html").clean_text()
    assert "To review" in nav


def test_bibtex_carries_authors_year_ids_and_url(site):
    library = bibtexparser.parse_string((site / "papers.bib").read_text(encoding="utf-8"))
    by_title = {e["title"].strip("{}"): e for e in library.entries}
    lora = by_title[LORA.title]
    assert lora["author"] == "Edward J. Hu and Yelong Shen and Phillip Wallis"
    assert (lora["year"], lora["month"]) == ("2021", "jun")
    assert (lora["eprint"], lora["archivePrefix"]) == ("2106.09685", "arXiv")
    assert lora["doi"] == "10.48550/example.2106" and lora["url"] == "https://arxiv.org/abs/2106.09685"
    assert lora["howpublished"] == "International Conference on Learning Representations"
    plain = by_title[PLAIN.title]
    assert plain["year"] == "2024" and "month" not in plain.fields_dict       # a known year, no invented month
    assert plain["url"] == "https://example.org/plain.pdf"
    doi_only = bibtex_entry(Paper(title="T", doi="10.1109/cvpr.2018.00474", slug="t"), "t")
    assert "doi = {10.1109/cvpr.2018.00474}" in doi_only and "url = {https://doi.org/10.1109/cvpr.2018.00474}" in doi_only


def test_exports_hold_the_new_fields(site):
    records = {r["slug"]: r for r in json.loads((site / "papers.json").read_text(encoding="utf-8"))}
    lora = records["lora"]
    assert (lora["published"], lora["doi"], lora["code_url"]) == ("2021-06-17", "10.48550/example.2106",
                                                                  "https://github.com/microsoft/LoRA")
    assert lora["enriched"] == {"authors": "arxiv 2026-12-06", "code_url": "hf 2026-12-06",
                                "published": "arxiv 2026-12-06"}
    assert records["plain"]["enriched"] is None and records["plain"]["year"] == 2024
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO((site / "papers.csv").read_text(encoding="utf-8"),
                                                             newline=""))}
    assert rows["lora"]["enriched"] == "authors arxiv 2026-12-06; code_url hf 2026-12-06; published arxiv 2026-12-06"
    assert rows["plain"]["paper_url"] == "https://example.org/plain.pdf"


def test_the_new_lines_read_the_same_without_the_hooks(site, tmp_path):
    """The optional hooks skip Markdown for pages that are HTML already: the links line must come
    out of Markdown the same (tests/test_tree.py holds this for the seed site)."""
    root = site.parent
    result = run_cli(root, "build", "--no-hooks", "--site-dir", str(tmp_path / "plain"))
    assert result.returncode == 0, result.stderr
    for page in ("papers/lora/index.html", "papers/plain/index.html", "topics/peft/index.html", "index.html",
                 "topics/other/index.html"):
        assert (tmp_path / "plain" / page).read_bytes() == (site / page).read_bytes(), page
