"""A site built from hostile dumps (tests/hostile/markup_*, math_and_unicode,
yaml_titles) shows every title, author, organization and abstract as the same
visible characters: never live markup, links or layout.  Checked in the HTML,
the search index, and in headless Chromium (no dialog, no console error, no
element from data, the literal text visible).  Also: a real link checker over
the built sites."""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import make_project, run_cli
from readinglist.text import MATH_RE, clean_text, plain_text, readable_text
from readinglist.ingest.parse import parse_dump
from readinglist.page.markdown import paper_from_page

HOSTILE = Path(__file__).resolve().parent / "hostile"
DUMPS = ["markup_blank_pairs.txt", "markup_org_listing.txt", "markup_daily_papers.txt",
         "math_and_unicode.txt", "yaml_titles.txt"]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The hostile dumps ingested and built (strict): (project root, site dir, build result)."""
    manifest = "dumps:\n" + "".join(f"  - file: {name}\n    captured: 2025-12-03\n" for name in DUMPS)
    root = make_project(tmp_path_factory.mktemp("hostile") / "proj",
                        dumps={name: (HOSTILE / name).read_bytes() for name in DUMPS}, manifest=manifest)
    ingest = run_cli(root, "ingest")
    assert ingest.returncode == 0, ingest.stderr
    build = run_cli(root, "build")
    return root, root / "site", build


@pytest.fixture(scope="module")
def papers(hostile_site):
    """Every paper of the hostile site, as its page says."""
    root = hostile_site[0]
    return [paper_from_page(p.read_text(encoding="utf-8"), p.name, p.stem)
            for p in sorted((root / "content" / "papers").glob("*.md"))]


def visible(clean: str) -> str:
    """What a reader sees of clean text where no markup renders (the browser tab, the
    header, meta tags, search): the characters themselves, math written out (issue 18)."""
    return readable_text(clean)


def listed(clean: str) -> list[str]:
    """What a listing shows of a title, as pieces of text: the characters themselves
    outside math (its math renders, as MathML, between them)."""
    return [piece for piece in (_squash(plain_text(p)) for p in MATH_RE.sub("\0", clean).split("\0")) if piece]


def markup_papers(papers):
    """Papers whose title or abstract carries markup-looking text (and no math to render)."""
    return [p for p in papers if re.search(r"[<>\[\]{}#|*`!~&]", p.title + p.abstract)
            and not MATH_RE.search(p.abstract)]


def test_hostile_site_builds_strict_with_every_paper(hostile_site, papers):
    _, site, build = hostile_site
    assert build.returncode == 0, build.stderr
    assert "error" not in build.stderr and "Traceback" not in build.stderr
    expected = 0
    for name in DUMPS:
        for raw in parse_dump((HOSTILE / name).read_text(encoding="utf-8"), name).records:
            expected += bool(clean_text(raw.title) and clean_text(raw.abstract))
    assert len(papers) == expected == 48
    for paper in papers:
        assert (site / "papers" / paper.slug / "index.html").is_file()
    check = run_cli(hostile_site[0], "check")
    assert check.returncode == 0, check.stdout + check.stderr


# --------------------------------------------------------------------------- the HTML, statically

class _LiveMarkup(HTMLParser):
    """Start tags and attributes that only data could have put into a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in: str = ""

    def handle_starttag(self, tag, attrs):
        self._in = tag
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction", "data") and (
                    (value.startswith("javascript:") and value != "javascript:void(0)")
                    or value.startswith("data:text") or "evil.example" in value or value == "x"):
                self.found.append(f"<{tag} {name}={value}>")
        # readinglist's own folded "Sources" note (paper_page.sources_note) is the one <details>.
        ours = tag == "details" and ("class", "rl-sources") in attrs
        if tag in ("iframe", "embed", "object", "details", "blockquote") and not ours:
            self.found.append(f"<{tag}>")

    def handle_data(self, data):
        if self._in in ("script", "style") and ("alert(" in data or "display:none" in data):
            self.found.append(f"<{self._in}>{data[:40]}")

    def handle_endtag(self, tag):
        self._in = ""


def test_no_markup_from_data_in_any_html_file(hostile_site):
    site = hostile_site[1]
    for path in site.rglob("*.html"):
        parser = _LiveMarkup()
        parser.feed(path.read_text(encoding="utf-8"))
        assert parser.found == [], f"{path.relative_to(site)}: {parser.found}"


def test_search_index_holds_the_text_escaped(hostile_site, papers):
    """Material inserts search titles and text as HTML: data must arrive escaped."""
    index = json.loads((hostile_site[1] / "search" / "search_index.json").read_text(encoding="utf-8"))
    by_location = {doc["location"]: doc for doc in index["docs"]}
    for paper in markup_papers(papers):
        doc = by_location[f"papers/{paper.slug}/"]
        assert html.unescape(doc["title"]) == visible(paper.title)
        assert "<" not in doc["title"]
        text = re.sub(r"</?p>", " ", doc["text"])
        assert "<" not in text, text
        assert visible(paper.abstract) in html.unescape(text)


# --------------------------------------------------------------------------- in Chromium

FORBIDDEN_ELEMENTS_JS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase(), value = a.value.trim().toLowerCase();
      if (name.startsWith('on')) bad.push(`${el.tagName} ${name}=${a.value}`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(name)
          && (value.startsWith('javascript:') && value !== 'javascript:void(0)' || value.startsWith('data:text')))
        bad.push(`${el.tagName} ${name}=${a.value}`);
      if (name === 'href' && value.includes('evil.example')) bad.push(`${el.tagName} href=${a.value}`);
    }
    const tag = el.tagName.toLowerCase();
    if (['iframe', 'embed', 'object'].includes(tag)) bad.push(tag);
    if (tag === 'script' && el.textContent.includes('alert(')) bad.push('script: ' + el.textContent.slice(0, 60));
    if (tag === 'style' && el.textContent.includes('display:none')) bad.push('style from data');
    if (tag === 'img' && el.getAttribute('src') === 'x') bad.push('img src=x');
    // Not data: the listings' tables and the folded "Sources" note (paper_page.sources_note).
    if (el.closest('article') && ['b', 'em', 'hr', 'table', 'details', 'blockquote'].includes(tag)
        && !el.closest('.rl-table, details.rl-sources'))
      bad.push(tag + ' in the article');
    if (el.closest('article') && el.classList.contains('admonition')) bad.push('admonition');
  }
  return bad;
}"""


class PageWatch:
    """A browser page that records dialogs, console errors and uncaught exceptions."""

    def __init__(self, browser):
        self.page = browser.new_page()
        self.events: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.events.append(f"page error: {exc}"))

    def _dialog(self, dialog):
        self.events.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        if message.type != "error":
            return
        location = (message.location or {}).get("url", "")
        self.events.append(f"console: {message.text} {location}")

    def open(self, url: str):
        self.events.clear()
        self.page.goto(url, wait_until="load")
        # Scripts run at load; a little idle time lets a late handler (a dialog) show itself.
        self.page.wait_for_timeout(50)
        return self.page

    def assert_clean(self, what: str):
        bad = self.page.evaluate(FORBIDDEN_ELEMENTS_JS)
        assert bad == [], f"{what}: elements from data: {bad}"
        assert self.events == [], f"{what}: {self.events}"


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    from browser import serve
    with serve(hostile_site[1]) as url:
        yield url


@pytest.fixture
def watch(browser):
    w = PageWatch(browser)
    yield w
    w.page.close()


def _squash(text: str) -> str:
    return " ".join(text.replace("¶", " ").split())


@pytest.mark.browser
@pytest.mark.slow
def test_paper_pages_show_hostile_text_as_text(hostile_url, papers, watch):
    for paper in papers:
        page = watch.open(f"{hostile_url}papers/{paper.slug}/")
        watch.assert_clean(paper.slug)
        title = visible(paper.title)
        assert page.title() == f"{title} - Efficient ML Reading List"
        if MATH_RE.search(paper.title):
            # Math in a title renders in the H1 (as MathML; markup inside stays text).
            assert page.locator("article h1 math").count() >= 1
            assert _squash(page.inner_text("article h1")).startswith(listed(paper.title)[0])
        else:
            assert _squash(page.inner_text("article h1")) == _squash(title)
        header = page.locator(".md-header__topic").last.inner_text()
        assert _squash(header) == _squash(title)
        description = page.get_attribute('meta[name="description"]', "content")
        assert description and visible(paper.abstract).startswith(description.rstrip("…"))
        body = _squash(page.inner_text("article"))
        if not MATH_RE.search(paper.abstract):
            assert _squash(visible(paper.abstract)) in body
        for name in paper.authors:
            assert name in body
        if paper.organization:
            assert _squash(visible(paper.organization)) in body


@pytest.mark.browser
@pytest.mark.slow
def test_math_still_renders_and_hostile_math_stays_text(hostile_url, papers, watch):
    real = next(p for p in papers if p.title.startswith("Real Math"))
    page = watch.open(f"{hostile_url}papers/{real.slug}/")
    watch.assert_clean(real.slug)
    assert page.locator("article p math").count() >= 2
    assert "$5 and $10 stay literal dollar signs" in page.inner_text("article")
    hostile = next(p for p in papers if p.title.startswith("Hostile Math"))
    page = watch.open(f"{hostile_url}papers/{hostile.slug}/")
    watch.assert_clean(hostile.slug)
    mtexts = [t.replace("\xa0", " ") for t in page.locator("article math mtext").all_text_contents()]
    assert '<script>alert("math-title")</script>' in mtexts  # the title's math, in the H1
    assert '<img src=x onerror=alert("math-img")>' in mtexts
    assert page.locator("article math [href], article math [style]").count() == 0


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("path", ["", "timeline/", "people/authors/", "people/organizations/"])
def test_listing_pages_show_hostile_titles_as_text(hostile_url, papers, watch, path):
    page = watch.open(hostile_url + path)
    watch.assert_clean(path or "home")
    body = _squash(page.inner_text("body"))
    if path == "timeline/":
        for paper in papers:
            assert all(piece in body for piece in listed(paper.title)), paper.title
    if path == "":  # the newest papers: the dated ones here
        dated = [p for p in papers if p.date]
        assert dated
        for paper in dated:
            assert all(piece in body for piece in listed(paper.title)), paper.title
    if path == "people/organizations/":
        assert '<script>alert("org-organization")</script>' in body
        assert '<img src=x onerror=alert("daily-org")> Labs' in body


@pytest.mark.browser
@pytest.mark.slow
def test_topic_pages_show_hostile_titles_as_text(hostile_url, hostile_site, papers, watch):
    topics = sorted({t for p in papers for t in p.topics})
    for topic in topics:
        page = watch.open(f"{hostile_url}topics/{topic}/")
        watch.assert_clean(topic)
        table = _squash(page.inner_text(".rl-table"))
        for paper in papers:
            if topic in paper.topics:
                assert all(piece in table for piece in listed(paper.title)), paper.title


@pytest.mark.browser
@pytest.mark.slow
def test_search_results_show_hostile_titles_as_text(hostile_url, watch):
    page = watch.open(hostile_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("Sparse Attention Kernels")
    page.locator(".md-search-result__item").filter(has_text="Kernels").first.wait_for()
    text = _squash(page.inner_text(".md-search-result"))
    assert '<script>alert("title-script")</script> Sparse Attention Kernels' in text
    watch.assert_clean("search results")


# --------------------------------------------------------------------------- links

LINKCHECKER = shutil.which("linkchecker") or "/usr/bin/linkchecker"


class _LinkCheckerHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the header that lets linkchecker go faster than 10 requests/s."""

    def end_headers(self):
        self.send_header("LinkChecker", "readinglist-tests")
        super().end_headers()

    def log_message(self, *args):
        pass


def check_links(site: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """linkchecker over `site` served on loopback: internal links only, external ones ignored."""
    if not Path(LINKCHECKER).exists():
        if os.environ.get("READINGLIST_REQUIRE_BROWSER") == "1":
            pytest.fail("linkchecker not found (apt-get install linkchecker)")
        pytest.skip("linkchecker not installed")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_LinkCheckerHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    config = tmp_path / "linkcheckerrc"
    config.write_text("[checking]\nmaxrequestspersecond=1000\n", encoding="utf-8")
    config.chmod(0o644)
    try:
        return subprocess.run(
            [LINKCHECKER, "--config", str(config), "--no-status", "--no-warnings", "--no-robots",
             "--ignore-url", "^(?!" + re.escape(url) + ")", url],
            capture_output=True, text=True, timeout=600, cwd=tmp_path)
    finally:
        server.shutdown()
        server.server_close()


def _broken_links(result: subprocess.CompletedProcess) -> str:
    return "\n".join(block for block in result.stdout.split("\n\n") if "Result     Error" in block)


@pytest.mark.slow
def test_link_checker_finds_a_broken_link(tmp_path):
    """The check below can fail: a site with one broken link is reported."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text('<a href="a/">a</a> <a href="missing/">gone</a>', encoding="utf-8")
    (site / "a" / "index.html").write_text('<a href="../">home</a> <a href="https://example.com/">x</a>')
    result = check_links(site, tmp_path)
    assert result.returncode == 1
    assert "missing/" in _broken_links(result)


@pytest.mark.slow
def test_no_broken_internal_links_in_the_hostile_site(hostile_site, tmp_path):
    result = check_links(hostile_site[1], tmp_path)
    assert result.returncode == 0, _broken_links(result) or result.stdout[-2000:] + result.stderr[-2000:]
    assert "0 errors found" in result.stdout


@pytest.mark.slow
def test_no_broken_internal_links_in_the_real_site(built_site, tmp_path):
    result = check_links(built_site[1], tmp_path)
    assert result.returncode == 0, _broken_links(result) or result.stdout[-2000:] + result.stderr[-2000:]
    assert "0 errors found" in result.stdout
