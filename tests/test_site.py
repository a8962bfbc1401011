"""The built site, read as a visitor (and a crawler) would: every page exists,
paper pages are out of the navigation, paper/topic/timeline/home pages carry
what they promise, and the Material features (palette toggle, instant
navigation, search highlighting, edit links, 404, sitemap) are switched on.

Most tests read the session's `built_site` (the real dumps, ingested and
built once); the few that need a setting or a field the dumps lack build a
small project of their own.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import shutil
import subprocess
import time
import urllib.parse
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator, Optional

import pytest

from conftest import DEPLOYED_AT, REPO, make_project, run_cli
from readinglist import store
from readinglist.site.build import load_site_data
from readinglist.text import MATH_RE
from readinglist.site.pages import MONTH_NAMES, author_summary, newest_first, paper_day, topic_label

# --------------------------------------------------------------------------- a tiny DOM

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Optional["Node"] = None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list = []  # Nodes and strings (entities already decoded)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self) -> Iterator["Node"]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: Optional[str] = None, cls: Optional[str] = None, **attrs) -> list["Node"]:
        return [n for n in self.iter() if n is not self
                and (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
                and all(n.attrs.get(k) == v for k, v in attrs.items())]

    def find(self, tag: Optional[str] = None, cls: Optional[str] = None, **attrs) -> Optional["Node"]:
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def clean_text(self) -> str:
        """Text with whitespace collapsed and Material's permalink marks dropped."""
        return " ".join(self.text().replace("¶", " ").split())


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(path: Path) -> Node:
    return parse_html_text(path.read_text(encoding="utf-8"))


def parse_html_text(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def shown(clean: str) -> str:
    """The text a reader reads of clean text in a listing: math as its MathML's text."""
    from readinglist.site.html import prose
    return parse_html_text(prose(clean)).clean_text()


def article(doc: Node) -> Node:
    found = doc.find("article", cls="md-content__inner")
    assert found is not None, "no Material article in the page"
    return found


def resolve(site: Path, page_url_dir: str, href: str) -> Optional[Path]:
    """The file a relative link of the page at site/<page_url_dir> leads to (None: external)."""
    parts = urllib.parse.urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = urllib.parse.urljoin("/" + page_url_dir, parts.path)
    path = site / urllib.parse.unquote(target).lstrip("/")
    return path / "index.html" if target.endswith("/") else path


def meta_description_of(doc: Node) -> Optional[str]:
    found = doc.find("meta", name="description")
    return found.attrs.get("content") if found is not None else None


# --------------------------------------------------------------------------- the session's site


@pytest.fixture(scope="session")
def site_data(built_site):
    root, _ = built_site
    return load_site_data(store.Project(root))


def paper_page(site: Path, slug: str) -> Path:
    return site / "papers" / slug / "index.html"


def _simple_text(text: str) -> bool:
    """No Markdown or math that would change between the page source and the HTML."""
    return not re.search(r"[\\$*_`<>\[\]&{}]", text)


@pytest.fixture(scope="session")
def sample_paper(site_data):
    """A paper with every kind of metadata the dumps give, and plain text to compare."""
    for paper in sorted(site_data.papers, key=lambda p: p.slug):
        if (paper.authors and paper.date and paper.topics and _simple_text(paper.title)
                and _simple_text(paper.abstract[:200])):
            return paper
    pytest.fail("no paper in the dumps has authors, a date, topics and plain text")


def test_strict_build_of_the_committed_pages_has_no_warnings(tmp_path):
    """What the Pages workflow does: the committed pages, `readinglist build`, strict."""
    root = make_project(tmp_path / "proj")
    shutil.rmtree(root / "content" / "papers")
    shutil.copytree(REPO / "content" / "papers", root / "content" / "papers",
                    ignore=shutil.ignore_patterns(".*"))
    started = time.perf_counter()
    result = run_cli(root, "build")
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    assert not [ln for ln in result.stderr.splitlines() if ln.lower().startswith("error")], result.stderr
    count = len(list((root / "content" / "papers").glob("*.md")))
    assert len(list((root / "site" / "papers").glob("*/index.html"))) == count
    print(f"strict build of {count} committed paper pages: {seconds:.1f}s")


def test_every_paper_topic_and_timeline_page_exists(built_site, site_data):
    root, site = built_site
    sources = sorted(p.stem for p in (root / "content" / "papers").glob("*.md"))
    built = sorted(p.parent.name for p in (site / "papers").glob("*/index.html"))
    assert built == sources
    assert len(built) == len(site_data.papers) > 100
    for topic in site_data.taxonomy.topics:
        assert (site / "topics" / topic.id / "index.html").is_file(), topic.id
    assert sorted(p.parent.name for p in (site / "topics").glob("*/index.html")) == \
        sorted(t.id for t in site_data.taxonomy.topics)
    assert (site / "timeline" / "index.html").is_file()
    assert (site / "index.html").is_file()


def test_every_paper_page_has_its_title_as_h1_and_a_description(built_site, site_data):
    _, site = built_site
    h1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
    for paper in site_data.papers:
        text = paper_page(site, paper.slug).read_text(encoding="utf-8")
        headings = h1.findall(text)
        assert len(headings) == 1, paper.slug
        # Math in a title renders as MathML: compare the text around it.
        shown = re.sub(r'<a class="headerlink".*?</a>|<math.*?</math>', "", headings[0], flags=re.S)
        expected = MATH_RE.sub("", paper.title).replace("\\$", "$")
        assert html.unescape(re.sub(r"<[^>]+>", "", shown)).strip() == expected, paper.slug
        description = re.search(r'<meta name="description" content="([^"]*)"', text)
        assert description and description.group(1).strip(), paper.slug


@pytest.mark.parametrize("which", ["home", "paper", "topic", "timeline"])
def test_navigation_never_lists_paper_pages(built_site, site_data, sample_paper, which):
    _, site = built_site
    path = {"home": site / "index.html", "paper": paper_page(site, sample_paper.slug),
            "topic": site / "topics" / sample_paper.topics[0] / "index.html",
            "timeline": site / "timeline" / "index.html"}[which]
    doc = parse_html(path)
    navs = doc.find_all("nav")
    assert any("md-nav--primary" in n.classes for n in navs)
    page_dir = path.parent.relative_to(site).as_posix() + "/" if path.parent != site else ""
    targets = {resolve(site, page_dir, a.attrs.get("href", "")) for nav in navs for a in nav.find_all("a")}
    targets.discard(None)
    assert not [t for t in targets if "papers" in t.relative_to(site).parts]
    # ... while the topics and the timeline are there.
    assert {t.parent.name for t in targets if t.parent.parent.name == "topics"} == \
        {t.id for t in site_data.taxonomy.topics}
    assert site / "timeline" / "index.html" in targets


def test_paper_page_structure(built_site, site_data, sample_paper):
    _, site = built_site
    paper = sample_paper
    doc = parse_html(paper_page(site, paper.slug))
    art = article(doc)
    assert art.find("h1").clean_text() == paper.title
    meta = art.find("p", cls="rl-meta")
    assert meta is not None
    assert paper.authors[0] in meta.clean_text()
    assert str(paper.date.year) in meta.clean_text()
    chips = art.find_all("a", cls="rl-chip")
    targets = []
    for chip in chips:
        target = resolve(site, f"papers/{paper.slug}/", chip.attrs["href"])
        assert target is not None and target.is_file(), chip.attrs["href"]
        targets.append(target.parent.name)
        assert chip.clean_text() == site_data.taxonomy.get(target.parent.name).name
    assert targets == [t for t in paper.topics if site_data.taxonomy.get(t)]
    assert " ".join(paper.abstract[:200].split()) in art.clean_text()

    links = {a.clean_text(): a.attrs["href"] for a in art.find_all("a") if a.attrs.get("href", "").startswith("https://")}
    quoted = urllib.parse.quote_plus(paper.title)
    assert quoted in links["Semantic Scholar"] and links["Semantic Scholar"].startswith("https://www.semanticscholar.org/")
    assert quoted in links["Hugging Face Papers"] and links["Hugging Face Papers"].startswith("https://huggingface.co/papers")
    assert quoted in links["arXiv search"] and links["arXiv search"].startswith("https://arxiv.org/search/")
    for href in (links["Semantic Scholar"], links["Hugging Face Papers"], links["arXiv search"]):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)
        assert paper.title in [v for values in query.values() for v in values]
    assert "arXiv page" not in links  # the dumps carry no arXiv ids
    headings = [h.clean_text() for h in art.find_all("h2")]
    assert "Look it up" in headings and "Sources" not in headings
    # Where the paper was ingested from is for maintainers: folded away, out of the contents.
    sources = art.find("details", cls="rl-sources")
    assert sources is not None and "open" not in sources.attrs and sources.find("summary").clean_text() == "Sources"
    assert paper.sources[0].file in sources.clean_text()
    assert not [a for a in doc.find_all("a", cls="md-nav__link") if "sources" in a.attrs.get("href", "")]
    # Decoration is for reading, not for search: those sections are excluded.
    for h2 in art.find_all("h2"):
        if h2.clean_text() == "Look it up":
            assert "data-search-exclude" in h2.attrs


def test_math_in_abstracts_is_rendered_as_mathml(built_site, site_data):
    _, site = built_site
    with_math = [p for p in site_data.papers if re.search(r"(?<!\\)\$[^$]+\$", p.abstract)]
    assert with_math, "the dumps have abstracts with $...$ math"
    for paper in with_math:
        text = paper_page(site, paper.slug).read_text(encoding="utf-8")
        body = text[text.index("<article"):text.index("</article>")]
        assert "<math" in body or 'class="rl-tex"' in body, paper.slug
        assert "arithmatex" not in body, paper.slug
    rendered = sum("<math" in paper_page(site, p.slug).read_text(encoding="utf-8") for p in with_math)
    assert rendered >= len(with_math) * 0.8


def test_meta_description_is_plain_text_from_the_abstract(built_site, sample_paper):
    _, site = built_site
    description = meta_description_of(parse_html(paper_page(site, sample_paper.slug)))
    assert description
    assert len(description) <= 200
    abstract = " ".join(sample_paper.abstract.split())
    assert abstract.startswith(description.rstrip("…").rstrip())
    assert "<" not in description


def topic_rows(doc: Node) -> tuple[list[str], list[list[Node]]]:
    table = article(doc).find("table")
    assert table is not None
    header = [th.clean_text() for th in table.find("thead").find_all("th")]
    rows = [tr.find_all("td") for tr in table.find("tbody").find_all("tr")]
    return header, rows


def test_topic_pages_list_their_papers_newest_first(built_site, site_data):
    root, site = built_site
    by_slug = {p.slug: p for p in site_data.papers}
    for topic in site_data.taxonomy.topics:
        members = [p for p in site_data.papers if topic.id in p.topics]
        source = (root / "build" / "docs" / "topics" / f"{topic.id}.md").read_text(encoding="utf-8")
        assert re.search(r"^generated: readinglist [0-9a-f]+$", source, re.M), topic.id
        assert "<!-- Generated by `readinglist build`" in source
        doc = parse_html(site / "topics" / topic.id / "index.html")
        art = article(doc)
        assert art.find("h1").clean_text() == topic_label(topic.id, topic.name)  # `other` is "To review"
        assert " ".join(topic.description.split()) in art.clean_text()
        if not members:
            continue
        header, rows = topic_rows(doc)
        assert header == ["Date", "Title", "Authors", "Upvotes", "Code"]
        assert len(rows) == len(members)
        assert f"{len(members)} paper" in art.find("p", cls="rl-count").clean_text()
        slugs = []
        for date_cell, title_cell, authors_cell, upvotes_cell, code_cell in rows:
            link = title_cell.find("a")
            target = resolve(site, f"topics/{topic.id}/", link.attrs["href"])
            assert target is not None and target.is_file()
            paper = by_slug[target.parent.name]
            slugs.append(paper.slug)
            assert link.clean_text() == shown(paper.title)
            assert date_cell.clean_text() == (paper_day(paper).isoformat() if paper_day(paper) else "—")
            assert authors_cell.clean_text() == author_summary(paper)
            assert upvotes_cell.clean_text() == ("" if paper.upvotes is None else str(paper.upvotes))
            assert ("code" in code_cell.clean_text()) == bool(paper.has_code or paper.code_url)
        assert slugs == [p.slug for p in newest_first(members)]
        dates = [paper_day(by_slug[s]) for s in slugs]
        dated = [d for d in dates if d]
        assert dated == sorted(dated, reverse=True)
        assert dates == dated + [None] * (len(dates) - len(dated))  # undated ones last


def test_timeline_groups_papers_by_year_and_month(built_site, site_data):
    _, site = built_site
    art = article(parse_html(site / "timeline" / "index.html"))
    by_slug = {p.slug: p for p in site_data.papers}
    year = month = None
    years, placed = [], {}
    for node in art.iter():
        if node.tag == "h2":
            year, month = node.clean_text(), None
            years.append(year)
        elif node.tag == "h3":
            month = node.clean_text()
        elif node.tag == "a" and "papers/" in node.attrs.get("href", ""):
            target = resolve(site, "timeline/", node.attrs["href"])
            assert target is not None and target.is_file()
            placed[target.parent.name] = (year, month)
    assert len(placed) == len(site_data.papers)
    numeric = [int(y) for y in years if y.isdigit()]
    assert numeric == sorted(numeric, reverse=True) and len(set(numeric)) == len(numeric)
    for slug, (year, month) in placed.items():
        paper = by_slug[slug]
        if paper.date:
            assert (year, month) == (str(paper.date.year), f"{MONTH_NAMES[paper.date.month - 1]} {paper.date.year}")
        else:
            assert year == "Undated"


def test_home_page_has_count_topic_cards_and_newest_papers(built_site, site_data):
    _, site = built_site
    art = article(parse_html(site / "index.html"))
    text = art.clean_text()
    # Papers waiting for review (`other`) are not counted and have no card; a line points to them.
    shown_papers = [p for p in site_data.papers if "other" not in p.topics]
    waiting = len(site_data.papers) - len(shown_papers)
    assert f"{len(shown_papers)} papers" in text and waiting > 0
    assert f"{waiting} more papers wait for a curator in To review." in text
    cards = art.find("div", cls="cards")
    assert cards is not None
    items = cards.find_all("li")
    topics = [t for t in site_data.taxonomy.topics if t.id != "other"]
    assert len(items) == len(topics)
    for topic, item in zip(topics, items):
        link = item.find("a")
        assert link.clean_text() == topic.name
        assert resolve(site, "", link.attrs["href"]) == site / "topics" / topic.id / "index.html"
        count = sum(topic.id in p.topics for p in site_data.papers)
        assert f"· {count} paper" in item.clean_text()
    _, rows = topic_rows(parse_html(site / "index.html"))
    newest = newest_first((p for p in shown_papers if p.date), day=lambda p: p.date)  # the day it joined
    assert 0 < len(rows) <= 10
    shown = [resolve(site, "", r[1].find("a").attrs["href"]).parent.name for r in rows]
    assert shown == [p.slug for p in newest[:len(rows)]]


def test_material_features_are_on(deployed_site, sample_paper):
    _, site = deployed_site
    for path in (site / "index.html", paper_page(site, sample_paper.slug)):
        doc = parse_html(path)
        config = json.loads(doc.find("script", id="__config").text())
        for feature in ("navigation.instant", "navigation.indexes", "search.highlight"):
            assert feature in config["features"]
        schemes = {i.attrs.get("data-md-color-scheme") for i in doc.find_all("input", cls="md-option")}
        assert schemes == {"default", "slate"}  # the light/dark toggle
        toggles = {label.attrs.get("title") for label in doc.find_all("label", cls="md-header__button")}
        assert {"Switch to dark mode", "Switch to light mode"} <= toggles
        assert doc.find("input", cls="md-search__input") is not None


def test_404_page_is_styled_and_leads_back(built_site):
    _, site = built_site
    doc = parse_html(site / "404.html")
    stylesheets = [link.attrs["href"] for link in doc.find_all("link", rel="stylesheet")]
    assert any("assets/stylesheets/main" in href for href in stylesheets)
    art = article(doc)
    assert art.find("h1").clean_text() == "Page not found"
    hrefs = [a.attrs["href"] for a in art.find_all("a")]
    assert "/" in hrefs and "/timeline/" in hrefs  # absolute: the 404 page is served at any depth
    assert doc.find("input", cls="md-search__input") is not None


def sitemap_locs(site: Path) -> list[str]:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [loc.text for loc in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]


def test_sitemap_lists_every_page(deployed_site, site_data):
    _, site = deployed_site
    locs = sitemap_locs(site)
    assert all(loc.startswith(DEPLOYED_AT) for loc in locs)
    paths = {"/" + loc[len(DEPLOYED_AT):] for loc in locs}
    assert {f"/papers/{p.slug}/" for p in site_data.papers} <= paths
    assert {f"/topics/{t.id}/" for t in site_data.taxonomy.topics} <= paths
    assert {"/", "/timeline/", "/topics/"} <= paths
    assert len([p for p in paths if p.startswith("/papers/")]) == len(site_data.papers)
    assert (site / "sitemap.xml.gz").is_file()


def test_a_site_built_without_an_address_names_none(built_site, tmp_path, monkeypatch):
    """A local build (no READINGLIST_SITE_URL) must not point readers at the machine that
    built it: no file names a loopback address, pages have no canonical link, the sitemap
    is valid and empty (it could only hold absolute URLs), and instant navigation (which
    needs the address) is off.  The build says so in one line."""
    root, site = built_site
    loopback = re.compile(rb"://(?:127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1\])")
    pointing_home = [p.relative_to(site).as_posix() for p in site.rglob("*")
                     if p.is_file() and loopback.search(p.read_bytes())]
    assert pointing_home == []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 400 and not [p for p in pages if 'rel="canonical"' in p.read_text(encoding="utf-8")]
    assert sitemap_locs(site) == []
    config = json.loads(re.search(r'id="__config" type="application/json">([^<]*)<',
                                  (site / "index.html").read_text(encoding="utf-8")).group(1))
    assert "navigation.tabs" in config["features"]
    assert not [f for f in config["features"] if f.startswith("navigation.instant")]
    small, _ = small_project(tmp_path)
    notes = [line for line in build(small, monkeypatch).stdout.splitlines() if "READINGLIST_SITE_URL" in line]
    assert len(notes) == 1 and "instant navigation off" in notes[0] and "empty sitemap" in notes[0]


def test_a_deployed_site_keeps_its_address_and_instant_navigation(deployed_site):
    _, site = deployed_site
    page = (site / "papers" / next((site / "papers").iterdir()).name / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'<link rel="canonical" href="{re.escape(DEPLOYED_AT)}papers/[^"]+/">', page)
    features = json.loads(re.search(r'id="__config" type="application/json">([^<]*)<', page).group(1))["features"]
    assert "navigation.instant" in features and "navigation.instant.progress" in features
    assert f"<id>{DEPLOYED_AT}feed.xml</id>" in (site / "feed.xml").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- small projects

ABSTRACT = ('We fine-tune with "low-rank" updates & keep $W_0$ frozen, so memory drops by $3\\times$ '
            "while quality stays. " + "More words follow to make a long abstract. " * 8)


def small_project(tmp_path: Path) -> tuple[Path, str]:
    """A project with one hand-written page that has an arXiv id; returns (root, topic id)."""
    root = make_project(tmp_path / "proj")
    taxonomy_topic = load_site_data(store.Project(root)).taxonomy.topics[0].id
    page = f"""---
title: 'LoRA: Low-Rank Adaptation of Large Language Models'
authors:
- Edward J. Hu
- Yelong Shen
et_al: true
date: 2021-06-17
arxiv_id: '2106.09685'
topics:
- {taxonomy_topic}
---

{ABSTRACT}
"""
    (root / "content" / "papers" / "lora.md").write_text(page, encoding="utf-8")
    return root, taxonomy_topic


def build(root: Path, monkeypatch, **env: str) -> subprocess.CompletedProcess:
    for key in ("READINGLIST_REPO_URL", "READINGLIST_SITE_URL", "READINGLIST_EDIT_URI"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return result


def edit_links(site: Path) -> dict[str, str]:
    """Page path under site/ -> its "edit this page" URL, for every page that has one."""
    links = {}
    for path in sorted(site.rglob("*.html")):
        found = re.search(r'<a href="([^"]*)"[^>]*rel="edit"', path.read_text(encoding="utf-8"))
        if found:
            links[path.relative_to(site).as_posix()] = found.group(1)
    return links


def test_paper_with_arxiv_id_links_its_abs_page_and_escapes_its_description(tmp_path, monkeypatch):
    root, topic = small_project(tmp_path)
    build(root, monkeypatch)
    doc = parse_html(root / "site" / "papers" / "lora" / "index.html")
    art = article(doc)
    links = [(a.clean_text(), a.attrs["href"]) for a in art.find_all("a") if a.attrs.get("href", "").startswith("https://")]
    assert links[:2] == [("arXiv", "https://arxiv.org/abs/2106.09685"), ("PDF", "https://arxiv.org/pdf/2106.09685")]
    assert ("Semantic Scholar", "https://www.semanticscholar.org/search?q="
            + urllib.parse.quote_plus("LoRA: Low-Rank Adaptation of Large Language Models")) in links
    assert art.find("h1").clean_text() == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert len(art.find_all("math")) == 2
    assert "Edward J. Hu, Yelong Shen et al." in art.find("p", cls="rl-meta").clean_text()
    assert "Jun 17, 2021" in art.find("p", cls="rl-meta").clean_text()
    # The description: plain text, quotes and ampersands escaped once (the parser decodes them).
    description = meta_description_of(doc)
    # Math cannot render in a meta tag: it is written out, never left as TeX.
    assert description.startswith('We fine-tune with "low-rank" updates & keep W₀ frozen, so memory drops by 3×')
    assert description.endswith("…") and len(description) <= 200
    raw = (root / "site" / "papers" / "lora" / "index.html").read_text(encoding="utf-8")
    assert '&#34;low-rank&#34;' in raw or "&quot;low-rank&quot;" in raw
    assert "&amp;amp;" not in raw


def test_edit_links_only_with_a_repository_url(tmp_path, monkeypatch):
    root, topic = small_project(tmp_path)
    build(root, monkeypatch)
    site = root / "site"
    assert edit_links(site) == {}
    assert "md-source" not in (site / "index.html").read_text(encoding="utf-8")

    repo = "https://github.com/example/reading-list"
    build(root, monkeypatch, READINGLIST_REPO_URL=repo,
          READINGLIST_SITE_URL="https://example.github.io/reading-list/")
    links = edit_links(site)
    assert links["papers/lora/index.html"] == f"{repo}/edit/main/content/papers/lora.md"
    # Generated pages are not in the repository: their links open what they are made from.
    assert links["index.html"] == f"{repo}/edit/main/site_config/home.md"
    assert links[f"topics/{topic}/index.html"] == f"{repo}/edit/main/site_config/topics.yml"
    assert "timeline/index.html" not in links
    assert "404.html" not in links
    # site_url moves the sitemap and the 404 page's links under the project path.
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.github.io/reading-list/papers/lora/</loc>" in sitemap
    hrefs = [a.attrs["href"] for a in article(parse_html(site / "404.html")).find_all("a")]
    assert "/reading-list/timeline/" in hrefs


@contextlib.contextmanager
def served_build(root: Path, monkeypatch):
    """Build `root`'s site for the loopback address it is then served from: Material
    intercepts links only on its own site_url (scheme, host *and* port)."""
    from browser import serve

    site = root / "site"
    site.mkdir(exist_ok=True)
    with serve(site) as url:
        monkeypatch.delenv("READINGLIST_REPO_URL", raising=False)
        monkeypatch.setenv("READINGLIST_SITE_URL", url)
        result = run_cli(root, "build")
        assert result.returncode == 0, result.stderr
        yield url


@pytest.mark.browser
def test_instant_navigation_and_palette_toggle_in_a_browser(tmp_path, monkeypatch, browser):
    """Material intercepts links only on its own site_url (scheme and host, *and* port),
    so this site is built for the address it is served from."""
    root, topic = small_project(tmp_path)
    with served_build(root, monkeypatch) as url:
        page = browser.new_page()
        try:
            page.goto(url)
            scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            page.locator("form[data-md-component=palette] label:visible").first.click()
            page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== '{scheme}'")
            # A marker on window survives instant navigation (no full page load) ...
            page.evaluate("window.__readinglist_marker = 1")
            page.locator("article a[href*='papers/lora']").first.click()
            page.wait_for_function("location.pathname.endsWith('/papers/lora/')")
            page.locator("article h1", has_text="LoRA").wait_for()
            assert page.evaluate("window.__readinglist_marker") == 1
            # ... and the chosen palette is kept.
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme
        finally:
            page.close()


def test_instant_navigation_through_every_kind_of_page_logs_no_error(built_site, tmp_path, monkeypatch, browser):
    """Clicking through home, stats (SVG charts with links), timeline, a topic and a paper
    with instant navigation: no page error and no failed request in the console
    (Material re-assigns hrefs after each instant load, and probes feeds it takes
    for language versions: both once broke here)."""
    root = make_project(tmp_path / "proj", copy_pages=True)
    with served_build(root, monkeypatch) as url:
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
        page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
        try:
            page.goto(url)
            page.evaluate("window.__readinglist_marker = 1")
            for tab, path in (("Stats", "/stats/"), ("Timeline", "/timeline/"), ("Topics", "/topics/")):
                page.locator(".md-tabs a", has_text=tab).first.click()
                page.wait_for_function(f"location.pathname.includes('{path}')")
                page.wait_for_load_state("networkidle")
            page.locator("article a[href*='papers/']").first.click()
            page.wait_for_function("location.pathname.includes('/papers/')")
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__readinglist_marker") == 1  # never a full reload
        finally:
            page.close()
        assert errors == []


def test_math_in_a_title_renders_in_the_h1(built_site):
    _, site = built_site
    page = (site / "papers" / "r-3-sql-ranking-reward-and-resampling-for-text-to-sql" / "index.html").read_text()
    h1s = re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert len(h1s) == 1 and "<math" in h1s[0] and "-SQL: Ranking Reward" in h1s[0] and "$" not in h1s[0]
