"""Beyond the pages: related papers, citations, feeds, data exports, stats, people,
and sortable/filterable tables, all made at build time.

Site-level tests read the session's `built_site` (the real dumps); the rest feed
hostile or hand-made papers to the pure functions.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import urllib.parse
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
from bibtexparser.middlewares import SeparateCoAuthors
import feedparser
import frontmatter
import pytest

from conftest import DEPLOYED_AT, run_cli
from readinglist import store
from readinglist.site.build import load_site_data
from readinglist.site.charts import Bar, Point, bar_chart, scatter_chart, small_multiples
from readinglist.site.citations import bibtex_entries, bibtex_file, citation_keys
from readinglist.site.exports import COLUMNS, paper_records, papers_csv, papers_json
from readinglist.site.feeds import FEED_SIZE, atom_feed
from readinglist.site.files import NO_ADDRESS_ID
from readinglist.paper import FIELD_ORDER, Paper, SourceRef
from readinglist.site.pages import author_anchor

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = [
    "Unbalanced } brace { and {{ more",
    r"Percent 100% & ampersand # hash _ under ^ caret ~ tilde \ backslash",
    r"Math $\input{/etc/passwd}$ and $x^2$ and $\frac{a}{b}$ and \$5",
    "@misc{evil, title={x}} injected entry",
    "<script>alert(1)</script> & \x0b control \ufffe chars",
    "Line\nbreak and ``` fence",
]


@pytest.fixture(scope="session")
def data(built_site):
    root, _ = built_site
    return load_site_data(store.Project(root))


@pytest.fixture(scope="session")
def base(deployed_site):
    """The deployed site's absolute URL (mkdocs.yml `site_url`), as its sitemap shows it."""
    _, site = deployed_site
    locs = [el.text for el in ET.parse(site / "sitemap.xml").iter() if el.tag.endswith("loc")]
    assert min(locs, key=len) == DEPLOYED_AT
    return DEPLOYED_AT


class _Links(HTMLParser):
    """hrefs of <a> elements, per section (the last h2 before each link), and the <link>s."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.section, self.in_h2, self.links, self.head_links = "", False, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h2":
            self.in_h2, self.section = True, ""
        elif tag == "a" and "href" in attrs and not attrs["href"].startswith("#"):  # not permalinks
            self.links.append((self.section, attrs["href"]))
        elif tag == "link":
            self.head_links.append(attrs)

    def handle_endtag(self, tag):
        if tag == "h2":
            self.in_h2 = False

    def handle_data(self, text):
        if self.in_h2:
            self.section += text.replace("¶", "").strip()


def links_of(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def resolve(site: Path, page_dir: str, href: str) -> Path:
    target = urllib.parse.urljoin("/" + page_dir, urllib.parse.urlsplit(href).path)
    path = site / urllib.parse.unquote(target).lstrip("/")
    return path / "index.html" if target.endswith("/") else path


def page_front_matter(root: Path) -> dict[str, dict]:
    return {p.stem: frontmatter.loads(p.read_text(encoding="utf-8")).metadata
            for p in sorted((root / "content" / "papers").glob("*.md"))}


# --------------------------------------------------------------------------- related papers


def test_every_paper_page_lists_five_related_papers(built_site, data):
    _, site = built_site
    for paper in data.papers:
        links = [href for section, href in links_of(site / "papers" / paper.slug / "index.html").links
                 if section == "Related papers"]
        assert len(links) == 5, paper.slug
        targets = [resolve(site, f"papers/{paper.slug}/", href) for href in links]
        assert all(t.is_file() for t in targets), links
        assert [t.parent.name for t in targets] == [p.slug for p in data.related(paper)]
        assert paper.slug not in [t.parent.name for t in targets]


# --------------------------------------------------------------------------- citations


def parse_bib(text: str):
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library


def test_papers_bib_has_one_entry_per_paper_with_unique_keys(built_site, data):
    _, site = built_site
    library = parse_bib((site / "papers.bib").read_text(encoding="utf-8"))
    keys = [e.key for e in library.entries]
    assert len(keys) == len(data.papers) and len(set(keys)) == len(keys)
    assert set(keys) == set(citation_keys(data.papers).values())
    assert all(re.fullmatch(r"[a-z][a-z0-9]*", k) for k in keys)
    by_key = {e.key: e for e in library.entries}
    keys_by_slug = citation_keys(data.papers)
    for paper in data.papers:
        entry = by_key[keys_by_slug[paper.slug]]
        assert entry.entry_type == "misc"
        if paper.date:
            assert entry["year"] == str(paper.date.year)
        if paper.authors:
            assert entry["author"].endswith(" and others") == paper.et_al


def test_topic_bib_files_hold_the_topic_papers_and_are_linked(built_site, data):
    _, site = built_site
    for topic in data.taxonomy.topics:
        members = [p for p in data.papers if topic.id in p.topics]
        library = parse_bib((site / "topics" / f"{topic.id}.bib").read_text(encoding="utf-8"))
        assert len(library.entries) == len(members), topic.id
        hrefs = [h for _, h in links_of(site / "topics" / topic.id / "index.html").links]
        assert any(resolve(site, f"topics/{topic.id}/", h) == site / "topics" / f"{topic.id}.bib" for h in hrefs)


def test_paper_page_shows_its_entry_in_a_bibtex_block(built_site, data):
    _, site = built_site
    paper = next(p for p in sorted(data.papers, key=lambda p: p.slug) if p.authors)
    html = (site / "papers" / paper.slug / "index.html").read_text(encoding="utf-8")
    assert 'id="cite"' in html and '<span class="nc">@misc</span>' in html  # highlighted as BibTeX
    assert citation_keys(data.papers)[paper.slug] in html


def test_hostile_titles_and_names_still_make_a_parseable_bib_file():
    papers = [Paper(title=t, authors=[t, "Tom and Jerry", "Smith, John", "others"], et_al=True,
                    date=dt.date(2024, 2, 29), arxiv_id="2402.12345", arxiv_category="cs.LG", slug=f"p{i}")
              for i, t in enumerate(HOSTILE)]
    papers.append(Paper(title="Clean", arxiv_id="not an id } {", arxiv_category="x}", slug="q"))
    entries = bibtex_entries(papers)
    library = parse_bib(bibtex_file(entries, entries.keys()))
    assert len(library.entries) == len(papers)
    for entry in library.entries:
        assert set(entry.fields_dict) <= {"title", "author", "year", "month", "eprint", "archivePrefix",
                                          "primaryClass", "url", "doi", "howpublished"}
        assert entry["title"].startswith("{") and entry["title"].endswith("}")
    by_key = {e.key: e for e in library.entries}
    split = bibtexparser.parse_string(bibtex_file(entries, ["p0"]),
                                      append_middleware=[SeparateCoAuthors()]).entries[0]["author"]
    assert split[1:] == ["{Tom and Jerry}", "{Smith, John}", "{others}", "others"]
    math = by_key[citation_keys(papers)["p2"]]["title"]
    assert "$x^2$" in math and r"$\frac{a}{b}$" in math and r"\input" not in math.replace(r"\textbackslash{}input", "")
    assert "eprint" not in by_key[citation_keys(papers)["q"]].fields_dict


def test_citation_keys_are_unique_and_stable():
    same = [Paper(title="Fast Attention", authors=["Ann Lee"], date=dt.date(2023, 1, 1), slug=s)
            for s in ("c", "a", "b")]
    clash = Paper(title="Fasta Attention", authors=["Ann Lee"], date=dt.date(2023, 1, 1), slug="d")  # lee2023fasta
    keys = citation_keys(same + [clash])
    assert keys == {"a": "lee2023fastb", "b": "lee2023fastc", "c": "lee2023fastd", "d": "lee2023fasta"}
    assert citation_keys(list(reversed(same)) + [clash]) == keys
    assert citation_keys([Paper(title="新しい", slug="x")]) == {"x": "paper"}
    assert citation_keys([Paper(title="Über Größe", authors=["José Núñez"], slug="x")]) == {"x": "nunezuber"}


# --------------------------------------------------------------------------- feeds


def dated_newest(papers):
    return sorted((p for p in papers if p.date), key=lambda p: (-p.date.toordinal(), p.slug))


def check_feed(text: str, papers: list[Paper], base: str, feed_path: str = "feed.xml"):
    """The feed at `feed_path` holds the newest dated papers.  With an address (`base`)
    ids and links are the papers' URLs; without one (`base` is NO_ADDRESS_ID) ids name the
    paper and links are relative to the feed, as feed readers resolve them."""
    feed = feedparser.parse(text, response_headers={"content-location": f"https://anywhere.example/{feed_path}",
                                                   "content-type": "application/atom+xml"})
    assert not feed.bozo, feed.get("bozo_exception")
    expected = dated_newest(papers)[:FEED_SIZE]
    assert [e.id for e in feed.entries] == [f"{base}papers/{p.slug}/" for p in expected]
    served_at = "https://anywhere.example/" if base == NO_ADDRESS_ID else base
    assert [e.link for e in feed.entries] == [f"{served_at}papers/{p.slug}/" for p in expected]
    assert [e.updated[:10] for e in feed.entries] == [p.date.isoformat() for p in expected]
    if expected:
        assert feed.feed.updated[:10] == expected[0].date.isoformat()
    return feed


@pytest.mark.parametrize("deployed", [True, False], ids=["deployed", "local"])
def test_site_feed_holds_the_newest_fifty_papers(built_site, deployed_site, data, base, deployed):
    _, site = deployed_site if deployed else built_site
    news = [p for p in data.papers if "other" not in p.topics]  # papers waiting for review are not news
    feed = check_feed((site / "feed.xml").read_text(encoding="utf-8"), news, base if deployed else NO_ADDRESS_ID)
    assert len(feed.entries) == min(FEED_SIZE, sum(1 for p in news if p.date))
    assert any(p.date for p in data.papers if "other" in p.topics)
    assert feed.feed.title.endswith("newest papers")


def test_each_topic_has_a_feed_linked_from_its_page_head(built_site, deployed_site, data, base):
    _, site = built_site
    assert not (site / "topics" / "other" / "feed.xml").exists()  # To review: not news
    for topic in data.taxonomy.topics:
        if topic.id == "other":
            continue
        members = [p for p in data.papers if topic.id in p.topics]
        feed_path = f"topics/{topic.id}/feed.xml"
        check_feed((deployed_site[1] / feed_path).read_text(encoding="utf-8"), members, base, feed_path)
        check_feed((site / feed_path).read_text(encoding="utf-8"), members, NO_ADDRESS_ID, feed_path)
        head = [l for l in links_of(site / "topics" / topic.id / "index.html").head_links
                if "alternate" in l.get("rel", "").split() and l.get("type") == "application/atom+xml"]
        targets = {resolve(site, f"topics/{topic.id}/", l["href"]) for l in head}
        assert targets == {site / "feed.xml", site / "topics" / topic.id / "feed.xml"}


def test_every_page_links_the_site_feed(built_site, data):
    _, site = built_site
    paper = sorted(data.papers, key=lambda p: p.slug)[0]
    for page_dir in ("", "timeline/", f"papers/{paper.slug}/", "stats/"):
        head = links_of(site / page_dir / "index.html").head_links
        hrefs = [l["href"] for l in head if l.get("type") == "application/atom+xml"]
        assert site / "feed.xml" in {resolve(site, page_dir, h) for h in hrefs}, page_dir


def test_feed_entries_keep_their_ids_and_dates_when_a_paper_is_added(built_site, tmp_path):
    root, site = built_site
    copy = tmp_path / "proj"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site"))
    (copy / "content" / "papers" / "a-newer-paper.md").write_text(
        "---\ntitle: A Newer Paper\ndate: 2099-01-01\ntopics:\n- hardware\n---\n\nAbout nothing much.\n",
        encoding="utf-8")
    (copy / "content" / "papers" / "a-newer-paper-to-review.md").write_text(  # waits for review: no feed
        "---\ntitle: A Newer Paper To Review\ndate: 2099-01-02\ntopics:\n- other\n---\n\nAbout a robot.\n",
        encoding="utf-8")
    result = run_cli(copy, "build")
    assert result.returncode == 0, result.stderr
    before = feedparser.parse((site / "feed.xml").read_text(encoding="utf-8")).entries
    after = feedparser.parse((copy / "site" / "feed.xml").read_text(encoding="utf-8")).entries
    assert after[0].id == f"{NO_ADDRESS_ID}papers/a-newer-paper/"
    assert [(e.id, e.updated) for e in after[1:]] == [(e.id, e.updated) for e in before[:-1]]
    # Nothing else moved: the other exports are the same bytes apart from the new paper.
    for name in ("topics/quantization/feed.xml", "topics/quantization.bib"):
        assert (copy / "site" / name).read_bytes() == (site / name).read_bytes(), name


def test_feeds_escape_hostile_text():
    papers = [Paper(title=t, abstract=t, authors=[t], date=dt.date(2024, 1, i + 1), topics=["x"], slug=f"p{i}")
              for i, t in enumerate(HOSTILE)]
    text = atom_feed(papers, title="A & B <feed>", feed_url="https://e.org/feed.xml", page_url="https://e.org/",
                     paper_url=lambda s: f"https://e.org/papers/{s}/", topic_names={"x": "X & <Y>"})
    ET.fromstring(text.encode("utf-8"))
    feed = feedparser.parse(text)
    assert not feed.bozo and feed.feed.title == "A & B <feed>"
    assert feed.entries[-1].title == HOSTILE[0]
    assert "<script>" not in text


# --------------------------------------------------------------------------- data exports


def _expected_csv(key: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if key == "sources":
        return "; ".join(f"{s['file']}:{s['line']}" for s in value)
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def test_json_and_csv_hold_every_front_matter_field_of_every_page(built_site):
    root, site = built_site
    pages = page_front_matter(root)
    records = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((site / "papers.csv").read_text(encoding="utf-8"), newline="")))
    assert [r["slug"] for r in records] == [r["slug"] for r in rows] == sorted(pages)
    assert list(rows[0]) == [key for key, _ in COLUMNS] and list(records[0]) == [key for key, _ in COLUMNS]
    for record, row in zip(records, rows):
        meta = pages[record["slug"]]
        # A local build has no address: the URL is the page's path from the site's root.
        assert record["url"] == row["url"] == f"papers/{record['slug']}/"
        assert (site / "papers" / record["slug"] / "index.html").is_file()
        assert record["abstract"] and row["abstract"] == record["abstract"]
        for key, value in meta.items():
            assert key in FIELD_ORDER, key  # the real pages carry no contributor keys
            expected = value.isoformat() if isinstance(value, dt.date) else value
            assert record[key] == expected, (record["slug"], key)
            cell = row[key]
            if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@"):
                cell = cell[1:]
            assert cell == _expected_csv(key, value), (record["slug"], key)
        for key in set(FIELD_ORDER) - set(meta):  # unknown is null/false/empty, never invented
            assert record[key] in (None, False, []), (record["slug"], key)


def test_exports_are_deterministic_and_defuse_spreadsheet_formulas():
    papers = [Paper(title="=HYPERLINK(\"http://x\")", authors=["@bob"], sources=[SourceRef("d.txt", 3)],
                    extra={"note": dt.date(2024, 1, 2)}, slug="b"),
              Paper(title="Plain", slug="a")]
    records = paper_records(papers, lambda s: f"/papers/{s}/")
    assert [r["slug"] for r in records] == ["a", "b"]
    assert papers_json(records) == papers_json(paper_records(list(reversed(papers)), lambda s: f"/papers/{s}/"))
    rows = list(csv.DictReader(io.StringIO(papers_csv(records), newline="")))
    assert rows[1]["title"] == "'=HYPERLINK(\"http://x\")" and rows[1]["authors"] == "'@bob"
    assert json.loads(rows[1]["extra"]) == {"note": "2024-01-02"}
    assert json.loads(papers_json(records))[1]["title"] == papers[0].title


def test_data_page_links_the_files_and_documents_every_field(built_site):
    _, site = built_site
    page = site / "data" / "index.html"
    hrefs = {resolve(site, "data/", h) for _, h in links_of(page).links}
    for name in ("papers.json", "papers.csv", "papers.bib", "feed.xml"):
        assert site / name in hrefs and (site / name).is_file()
    text = page.read_text(encoding="utf-8")
    assert all(f"<code>{key}</code>" in text for key, _ in COLUMNS)


# --------------------------------------------------------------------------- stats


def svgs_of(page: Path) -> dict[str, ET.Element]:
    html = page.read_text(encoding="utf-8")
    charts = {}
    for match in re.finditer(r'<svg\b[^>]*class="rl-chart".*?</svg>', html, re.S):
        svg = ET.fromstring(match.group(0))  # well-formed XML, or this raises
        charts[svg.find(f"{SVG}title").get("id")] = svg
    return charts


def count(svg: ET.Element, cls: str) -> int:
    return sum(1 for el in svg.iter() if el.get("class") == cls)


def test_stats_charts_are_well_formed_and_count_the_papers(built_site, data):
    _, site = built_site
    charts = svgs_of(site / "stats" / "index.html")
    assert set(charts) == {"rl-chart-topics-title", "rl-chart-years-title", "rl-chart-upvotes-title"}
    for svg in charts.values():
        assert svg.get("role") == "img" and svg.find(f"{SVG}desc") is not None
        assert "currentColor" in ET.tostring(svg, encoding="unicode")
    topics = charts["rl-chart-topics-title"]
    assert count(topics, "rl-bar") == len(data.taxonomy.topics)
    tips = [el.find(f"{SVG}title").text for el in topics.iter() if el.get("class") == "rl-bar"]
    per_topic = Counter(t for p in data.papers for t in set(p.topics))
    assert sorted(tips) == sorted(f"{t.name}: {per_topic[t.id]} papers" for t in data.taxonomy.topics)
    topic_years = {(t, p.date.year) for p in data.papers if p.date for t in p.topics}
    assert count(charts["rl-chart-years-title"], "rl-bar") == len(topic_years)
    points = sum(1 for p in data.papers if p.date and p.upvotes is not None)
    assert count(charts["rl-chart-upvotes-title"], "rl-point") == points


def test_charts_escape_labels_and_handle_empty_data():
    for svg in (bar_chart("c", [Bar(HOSTILE[4], 3, "../x/")], "T <&>", "D"),
                bar_chart("c", [], "T", "D"),
                small_multiples("c", [(HOSTILE[0], [0, 2], None)], [2023, 2024], "T", "D"),
                small_multiples("c", [], [], "T", "D"),
                scatter_chart("c", [], "T", "D", "x", "y"),
                scatter_chart("c", [Point(2024.5, 0, HOSTILE[1]), Point(2020.0, 10_000, "x")], "T", "D", "x", "y"),
                scatter_chart("c", [Point(2020 + i / 1000, i, "p") for i in range(3000)], "T", "D", "x", "y")):
        root = ET.fromstring(svg)
        assert root.find(f"{SVG}title").text and "\n\n" not in svg


# --------------------------------------------------------------------------- people and navigation


def test_people_pages_list_every_author_and_organization_with_their_papers(built_site, data):
    _, site = built_site
    authors = (site / "people" / "authors" / "index.html").read_text(encoding="utf-8")
    for paper in data.papers:
        for name in paper.authors:
            assert f'id="{author_anchor(name)}"' in authors, name
    linked = {resolve(site, "people/authors/", h).parent.name
              for _, h in links_of(site / "people" / "authors" / "index.html").links if "papers/" in h}
    assert linked == {p.slug for p in data.papers if p.authors}
    orgs = links_of(site / "people" / "organizations" / "index.html")
    linked = {resolve(site, "people/organizations/", h).parent.name for _, h in orgs.links if "papers/" in h}
    assert linked == {p.slug for p in data.papers if p.organization}


def test_paper_pages_link_authors_and_organizations_to_their_index_entries(built_site, data):
    _, site = built_site
    people = {name: (site / "people" / name / "index.html").read_text(encoding="utf-8")
              for name in ("authors", "organizations")}
    checked = 0
    for paper in data.papers:
        if not (paper.authors or paper.organization):
            continue
        for _, href in links_of(site / "papers" / paper.slug / "index.html").links:
            if "people/" in href and "#" in href:  # not the navigation's links to the pages
                target = resolve(site, f"papers/{paper.slug}/", href)
                anchor = urllib.parse.urlsplit(href).fragment
                assert f'id="{anchor}"' in people[target.parent.name], href
                checked += 1
    assert checked == sum(len(p.authors) + bool(p.organization) for p in data.papers)


def test_navigation_has_stats_people_and_data(built_site):
    _, site = built_site
    html = (site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary'):]
    for label, target in (("Stats", "stats/"), ("Authors", "people/authors/"),
                          ("Organizations", "people/organizations/"), ("Data", "data/")):
        assert re.search(rf'href="{re.escape(target)}"[^>]*>\s*(<[^>]+>\s*)*{label}', nav), label


def test_generated_pages_an_old_version_left_in_content_go_unless_edited(built_site, tmp_path):
    """Before the docs tree, generated pages were written into content/: a build clears
    the untouched ones away and names an edited one, so the edit is not lost silently."""
    root, _ = built_site
    copy = tmp_path / "proj"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "build"))
    tree = root / "build" / "docs"
    for rel in ("stats.md", "timeline.md"):
        (copy / "content" / rel).write_text((tree / rel).read_text(encoding="utf-8"), encoding="utf-8")
    stats = copy / "content" / "stats.md"
    stats.write_text(stats.read_text(encoding="utf-8") + "\nMy own note.\n", encoding="utf-8")
    result = run_cli(copy, "build")
    assert result.returncode == 0, result.stderr
    assert "content/stats.md:1: a generated page was edited by hand" in result.stderr
    assert stats.exists() and not (copy / "content" / "timeline.md").exists()
    assert "My own note" not in (copy / "site" / "stats" / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- sorting and filtering


@pytest.mark.browser
def test_topic_table_sorts_and_filters_in_the_browser(browser, site_url, data):
    topic = max(data.taxonomy.topics, key=lambda t: sum(1 for p in data.papers if t.id in p.topics))
    page = browser.new_page()
    page.goto(f"{site_url}topics/{topic.id}/")
    rows = page.locator(".rl-table tbody tr")
    dates = lambda: rows.locator("td:first-child").all_inner_texts()  # noqa: E731
    before = dates()
    page.locator(".rl-table th button", has_text="Date").click()
    ascending = dates()
    assert ascending != before
    known = [d for d in ascending if d != "—"]
    assert known == sorted(known) and ascending[len(known):] == ["—"] * (len(ascending) - len(known))
    page.locator(".rl-table th button", has_text="Date").click()
    known_desc = [d for d in dates() if d != "—"]
    assert known_desc == sorted(known_desc, reverse=True)
    assert page.locator(".rl-table th[aria-sort='descending']").count() == 1

    by_date = rows.locator("td:nth-child(2)").all_inner_texts()
    page.locator(".rl-table th button", has_text="Title").click()
    by_title = rows.locator("td:nth-child(2)").all_inner_texts()
    assert by_title != by_date and sorted(by_title) == sorted(by_date)
    assert by_title[0].casefold() <= by_title[-1].casefold()

    word = max(re.findall(r"[A-Za-z]{4,}", by_title[0]), key=len).lower()
    page.fill(".rl-filter-input", word)
    shown = page.locator(".rl-table tbody tr:not([hidden])")
    assert 0 < shown.count() < rows.count()
    assert all(word in t.lower() for t in shown.all_inner_texts())
    page.fill(".rl-filter-input", "")
    assert page.locator(".rl-table tbody tr[hidden]").count() == 0

    page.goto(f"{site_url}timeline/")
    page.fill(".rl-filter-input", "zzzz-no-such-paper")
    assert page.locator("article li:not([hidden])").count() == 0
    assert page.locator("article h3:not([hidden])").count() == 0
    page.close()
