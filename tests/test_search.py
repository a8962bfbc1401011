"""Search, as a visitor meets it.

(a) From Python: Material's search (lunr.js in a web worker) rebuilt with lunr.py
    over the built site/search/search_index.json, configured from the index's own
    "config" (fields and boosts, separator, pipeline) the way Material's worker
    does it.  A paper must be found by its title, an author, words of its abstract
    and the name of its topic, and a title query must rank the paper first.
(b) In headless Chromium: type into Material's search box, see the paper, click
    it, land on its page.

The assertions are about what a visitor sees, not about the index's layout, so
the index may be trimmed or restructured as long as search keeps working.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from collections import Counter

import pytest
from lunr.builder import Builder
from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.trimmer import trimmer

from readinglist import store
from readinglist.site.build import load_site_data

# Material's worker starts from lunr's default pipeline and removes what the
# config does not list (lunr's order: trimmer, stopWordFilter, stemmer).
PIPELINE = {"trimmer": trimmer, "stopWordFilter": stop_word_filter, "stemmer": stemmer}
TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"[A-Za-z0-9]+")


class MaterialSearch:
    """lunr.py set up like Material's search worker (search/_/index.ts)."""

    def __init__(self, index: dict):
        config = index["config"]
        self.separator = re.compile(config["separator"])
        builder = Builder()
        for name in ("trimmer", "stopWordFilter", "stemmer"):
            if name in config["pipeline"]:
                builder.pipeline.add(PIPELINE[name])
        if "stemmer" in config["pipeline"]:
            builder.search_pipeline.add(stemmer)
        builder.b(0)  # Material turns off length normalisation
        builder.ref("location")
        for field, options in config["fields"].items():
            builder.field(field, boost=options.get("boost", 1),
                          extractor=lambda doc, field=field: self.tokens(doc.get(field)))
        for doc in index["docs"]:
            builder.add(doc, {"boost": doc.get("boost", 1)})
        self.index = builder.build()

    def tokens(self, value) -> list[str]:
        """Material's tokenizer: text between HTML tags, split on the separator."""
        if value is None:
            return []
        if isinstance(value, list):
            value = " ".join(map(str, value))
        text = html.unescape(TAG.sub(" ", str(value)))
        return [t for t in self.separator.split(text) if t]

    def query(self, typed: str) -> str:
        """Material's query transform for plain words: split, then a trailing `*` each."""
        return " ".join(f"{part}*" for word in typed.split() for part in self.separator.split(word) if part)

    def pages(self, typed: str) -> list[str]:
        """Result pages best first (Material groups section hits under their page)."""
        ranked: list[str] = []
        for hit in self.index.search(self.query(typed)):
            page = hit["ref"].split("#")[0]
            if page not in ranked:
                ranked.append(page)
        return ranked


@pytest.fixture(scope="session")
def search(built_site):
    _, site = built_site
    return MaterialSearch(json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def data(built_site):
    return load_site_data(store.Project(built_site[0]))


def words(text: str, shortest: int = 3) -> list[str]:
    return [w for w in WORD.findall(text) if len(w) >= shortest]


def location(paper) -> str:
    return f"papers/{paper.slug}/"


@pytest.fixture(scope="session")
def paper_and_author(data):
    """A dated paper with topics and an author no other paper has, whose name has no short
    part (Material appends `*` to every word, so 'Ma' would match every 'ma...' word)."""
    author_papers = Counter(a for p in data.papers for a in set(p.authors))
    for candidate in sorted(data.papers, key=lambda p: p.slug):
        if not (candidate.date and candidate.topics and "$" not in candidate.title
                and len(words(candidate.title)) >= 3):
            continue
        for author in candidate.authors:
            if author_papers[author] == 1 and all(len(part) >= 4 for part in author.split()):
                return candidate, author
    pytest.fail("no suitable paper in the dumps")


@pytest.fixture(scope="session")
def paper(paper_and_author):
    return paper_and_author[0]


def test_title_words_find_the_paper_first(search, paper):
    ranked = search.pages(" ".join(words(paper.title)))
    assert ranked[0] == location(paper), ranked[:5]


def test_a_title_query_ranks_papers_above_listing_pages(search, data):
    """Topic, timeline and home pages repeat titles in their tables; the paper must still win."""
    for candidate in sorted(data.papers, key=lambda p: p.slug)[::25]:
        query = " ".join(words(candidate.title))
        if not query:
            continue
        ranked = search.pages(query)
        assert location(candidate) in ranked, candidate.title
        mine = ranked.index(location(candidate))
        listings = [i for i, page in enumerate(ranked) if not page.startswith("papers/")]
        assert not listings or mine < min(listings), (candidate.title, ranked[:mine + 1])


def test_an_author_finds_the_paper(search, paper_and_author):
    paper, author = paper_and_author
    ranked = search.pages(author)
    assert location(paper) in ranked[:3], (author, ranked[:5])


def test_abstract_words_find_the_paper(search, data, paper):
    # The two words of this abstract that the fewest other abstracts use.
    seen = Counter(w.lower() for p in data.papers for w in set(words(p.abstract, 6)))
    rare = sorted({w.lower() for w in words(paper.abstract, 6)} - {w.lower() for w in words(paper.title)},
                  key=lambda w: (seen[w], w))[:2]
    assert rare, paper.abstract
    ranked = search.pages(" ".join(rare))
    assert location(paper) in ranked[:3], (rare, ranked[:5])


def test_a_topic_name_finds_its_papers(search, data):
    """Topic chips are part of a paper's page: a topic's name finds every paper filed
    under it, also one whose own words never mention it."""
    found_by_chip = 0
    for topic in data.taxonomy.topics:
        members = [p for p in data.papers if topic.id in p.topics]
        if not members:
            continue
        ranked = set(search.pages(topic.name))
        missing = [p.slug for p in members if location(p) not in ranked]
        assert not missing, (topic.name, missing[:5])
        name_words = {w.lower() for w in words(topic.name)}
        for p in members:
            own = " ".join([p.title, p.abstract, *p.authors]).lower()
            if not any(re.search(rf"(?<![a-z0-9]){re.escape(w)}", own) for w in name_words):
                found_by_chip += 1
    assert found_by_chip > 0


@pytest.mark.browser
def test_search_box_finds_and_opens_the_paper(browser, site_url, paper):
    page = browser.new_page()
    try:
        page.goto(site_url)
        box = page.locator("input.md-search__input")
        box.click()
        query = " ".join(words(paper.title)[:4])
        box.press_sequentially(query)
        result = page.locator(".md-search-result__item").filter(has_text=paper.title).first
        result.wait_for()
        link = result.locator("a.md-search-result__link").first
        assert urllib.parse.urlsplit(link.get_attribute("href")).path.endswith(f"/papers/{paper.slug}/")
        link.click()
        page.wait_for_function(f"location.pathname.endsWith('/papers/{paper.slug}/')")
        heading = page.locator("article h1")
        heading.wait_for()
        assert heading.inner_text().strip() == paper.title
        # search.highlight: the typed words are marked on the page
        page.locator("article mark").first.wait_for()
    finally:
        page.close()
