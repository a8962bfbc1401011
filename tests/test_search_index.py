"""The search index readinglist writes (searchindex.py): small enough to load fast,
and still finding a paper by its title, an author and the words of its abstract.

lunr.py stands in for Material's worker (same separator, stop words, fields and
boosts, trailing wildcard per word); tests/test_search.py covers the built site
end to end, this file the trimming that large lists get.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter

import pytest
from lunr.builder import Builder
from lunr.stop_word_filter import stop_word_filter

from readinglist.site import search as searchindex
from readinglist import store
from readinglist.site.build import load_site_data
from readinglist.paper import Paper

TAG = re.compile(r"<[^>]*>")


def lunr_index(docs: list[dict]):
    separator = re.compile(r"[\s\-]+")
    builder = Builder()
    builder.pipeline.add(stop_word_filter)
    builder.b(0)
    builder.ref("location")

    def tokens(value):
        text = html.unescape(TAG.sub(" ", value or ""))
        return [t.lower() for t in separator.split(text) if t]

    builder.field("title", boost=1000, extractor=lambda d: tokens(d.get("title")))
    builder.field("text", boost=1, extractor=lambda d: tokens(d.get("text")))
    for doc in docs:
        builder.add(doc, {"boost": doc.get("boost", 1)})
    index = builder.build()

    def pages(typed: str) -> list[str]:
        # Plain words, as a visitor types them (lunr reads `:`, `^`, `~`, `+` as syntax).
        query = " ".join(f"{w.lower()}*" for w in re.findall(r"[A-Za-z0-9]+", typed))
        return [hit["ref"] for hit in index.search(query)]

    return pages


@pytest.fixture(scope="module")
def data(built_site):
    return load_site_data(store.Project(built_site[0]))


def test_the_built_index_has_one_entry_per_paper_and_listings_by_title(built_site, data):
    index = json.loads((built_site[1] / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = Counter(d["location"].split("#")[0] for d in index["docs"])
    papers = [loc for loc in locations if loc.startswith("papers/")]
    assert len(papers) == len(data.papers)
    assert all(locations[loc] == 1 for loc in papers)
    topic_docs = [d for d in index["docs"] if d["location"].startswith("topics/")]
    assert topic_docs and all(len(d["text"]) < 2000 for d in topic_docs)  # no tables of titles
    # Boilerplate sections of paper pages never reach the index.
    text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("papers/"))
    for boilerplate in ("Semantic Scholar", "Ingested from", "@misc{", "Look it up"):
        assert boilerplate not in text


def test_a_small_list_keeps_every_abstract_whole(data):
    entries = searchindex.paper_entries(data.papers, data.taxonomy, {p.slug: f"papers/{p.slug}/" for p in data.papers})
    assert searchindex.terms_per_paper(len(data.papers)) > 300
    assert all("…" not in e["text"] or "…" in p.abstract for e, p in zip(entries, sorted(data.papers, key=lambda p: p.slug)))


@pytest.mark.parametrize("budget", [searchindex.MIN_TERMS * 400, 25 * 400])
def test_a_trimmed_index_still_finds_papers(data, budget):
    """With the budget of a list 25x or more the size (what 10,000+ papers get), a
    paper is still found by its title, an author, and its rarest abstract words."""
    papers = sorted(data.papers, key=lambda p: p.slug)
    locations = {p.slug: f"papers/{p.slug}/" for p in papers}
    entries = searchindex.paper_entries(papers, data.taxonomy, locations, budget=budget)
    keep = searchindex.terms_per_paper(len(papers), budget)
    trimmed = [e for e in entries if "…" in e["text"]]
    assert len(trimmed) > len(entries) // 2
    for entry in entries:
        body = TAG.sub(" ", html.unescape(entry["text"].split("</p>")[-2]))
        title = set(searchindex.index_terms(html.unescape(entry["title"])))
        assert len(set(searchindex.index_terms(body)) - title - {"…"}) <= keep
    search = lunr_index(entries)
    def alpha_terms(text):
        return {t for t in searchindex.index_terms(text) if t.isalpha() and len(t) >= 4}

    seen = Counter(t for p in papers for t in alpha_terms(p.abstract))
    authors = Counter(a for p in papers for a in p.authors)
    checked = 0
    for paper in papers[::20]:
        where = locations[paper.slug]
        assert where in search(paper.title)[:3], paper.title
        unique = [a for a in paper.authors if authors[a] == 1 and all(len(x) >= 4 for x in a.split())]
        if unique:
            assert where in search(unique[0])[:3], unique[0]
        rare = sorted(alpha_terms(paper.abstract) - set(searchindex.index_terms(paper.title)),
                      key=lambda w: (seen[w], w))
        if rare and seen[rare[0]] == 1:
            assert where in search(rare[0])[:3], rare[0]
            checked += 1
    assert checked >= 5


def test_trim_keeps_the_opening_and_the_rarest_words():
    df = Counter({"common": 100, "usual": 50, "zyzzyva": 1, "quokka": 2})
    abstract = "We open with words. " + " ".join(["common usual"] * 5) + " then zyzzyva and quokka appear."
    trimmed = searchindex.trim_abstract(abstract, keep=6, df=df)
    assert trimmed.startswith("We open")
    assert "zyzzyva" in trimmed and "quokka" in trimmed
    assert "usual" not in trimmed.split("…")[1]
    assert searchindex.trim_abstract(abstract, keep=100, df=df) == abstract


def test_paper_entry_has_title_authors_topics_and_escapes_text(data):
    paper = Paper(title="A <b>bold</b> title with $x^2$", abstract="Text & more <i>.", authors=["Ada Lovelace"],
                  organization="Analytical", topics=[data.taxonomy.topics[0].id], slug="a-bold-title")
    entry = searchindex.paper_entry(paper, data.taxonomy, "papers/a-bold-title/", 100, Counter())
    # No markup renders in a result title: its math is written out (x²), never raw TeX.
    assert entry["title"] == "A &lt;b&gt;bold&lt;/b&gt; title with x²"
    assert "Ada Lovelace · Analytical" in entry["text"]
    assert html.escape(data.taxonomy.topics[0].name, quote=False) in entry["text"]
    assert "Text &amp; more &lt;i&gt;." in entry["text"]
    assert entry["boost"] == searchindex.PAPER_BOOST


def test_merged_index_replaces_entries_of_the_same_pages():
    material = json.dumps({"config": {"lang": ["en"]}, "docs": [
        {"location": "papers/x/", "title": "x", "text": "old"},
        {"location": "papers/x/#sources", "title": "Sources", "text": "old"},
        {"location": "about/", "title": "About", "text": "kept"}]})
    merged = json.loads(searchindex.merged_index(material, [{"location": "papers/x/", "title": "x", "text": "new"}]))
    assert merged["config"] == {"lang": ["en"]}
    assert [(d["location"], d["text"]) for d in merged["docs"]] == [("about/", "kept"), ("papers/x/", "new")]
