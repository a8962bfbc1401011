"""The site as a reader meets it (issue 18): nothing raw, nothing cut off, in light and dark.

Each test catches a kind of defect, not one instance of it:

* text: math is written out where no markup renders (`<title>`, meta tags, feeds,
  search), and TeX source never reaches a page, a feed or the search index;
  dumps' line-break hyphens and TeX that lost its backslashes are undone by rule
  at ingest (ingest/repair.py), pages ingest wrote take the rule, pages a person
  edited keep their text, and no committed page holds a leftover of those kinds;
  every web address in an abstract is a link;
* pages: the Topics tab opens on an overview of every topic;
* in Chromium (the deployed seed site): axe-core finds no serious or critical
  violation on home, a topic, a paper, timeline, stats, people and search
  results, light and dark, 1280 and 375 px wide; at 375 px no page scrolls
  sideways, every column header of a listing is on screen and chart text is at
  least 10 px high; search results show a title and the words around the match.
"""

from __future__ import annotations

import html as htmllib
import re
import urllib.parse

import pytest
from hypothesis import example, given

from conftest import REPO
from readinglist import store
from readinglist.ingest.merge import fill_page
from readinglist.ingest.repair import join_broken_words, repair_text
from readinglist.page.markdown import paper_from_page
from readinglist.paper import Paper, SourceRef
from readinglist.site import html
from readinglist.site.build import load_site_data
from readinglist.site.pages import newest_first
from readinglist.text import MATH_RE, md_escape, readable_text
from test_properties import SETTINGS, clean_texts

# --------------------------------------------------------------------------- math as text


@pytest.mark.parametrize("clean, readable", [
    ("R$^3$-SQL: Ranking Reward", "R³-SQL: Ranking Reward"),
    ("$S^{2}$FT and $S^{3}$", "S²FT and S³"),
    ("up to $8.5\\times$ faster, $50\\%$ less", "up to 8.5× faster, 50% less"),
    ("$O(\\frac{k^n}{\\sqrt{n}})$ experts", "O(kⁿ/√n) experts"),
    ("via $\\ell_1$/$\\ell_2$ surrogates", "via ℓ₁/ℓ₂ surrogates"),
    ("$G_{stack}$ and $d^{0.75}$", "G_stack and d^0.75"),
    ("$k_{\\ast}$, $\\epsilon$, $\\log n$", "k_∗, ϵ, log n"),
    ("$\\mathbf{W} \\in \\mathbb{R}^{d \\times k}$", "W ∈ R^(d × k)"),
    ("costs \\$5 and \\$10", "costs $5 and $10"),
    ("no math at all", "no math at all"),
])
def test_math_reads_as_text_where_no_markup_renders(clean, readable):
    assert readable_text(clean) == readable


# --------------------------------------------------------------------------- repairs at ingest


@pytest.mark.parametrize("dump, clean", [
    # Line-break hyphens: joined; real hyphens and suspended ones stay.
    ("overcoming memory bottle- necks by", "overcoming memory bottlenecks by"),
    ("a key workload imbal- ance due to", "a key workload imbalance due to"),
    ("extended to non- LSTM RNNs", "extended to non-LSTM RNNs"),
    ("state-of-the- art results", "state-of-the-art results"),
    ("we pre- train; pre-train is cheap", "we pre-train; pre-train is cheap"),
    ("knowledge-intensive zero- and few-shot learning", "knowledge-intensive zero- and few-shot learning"),
    ("a compute- and memory-efficient tensor", "a compute- and memory-efficient tensor"),
    ("single- or multi-GPU systems, x86- and ARM-based", "single- or multi-GPU systems, x86- and ARM-based"),
    # TeX commands glued to numbers.
    ("saves memory up to 3times and 1.5-2.7times", "saves memory up to 3× and 1.5-2.7×"),
    ("by 1.1sim14.6times, sim3x, Mixtral-8times7B", "by 1.1∼14.6×, ∼3x, Mixtral-8×7B"),
    ("over 10 times less, at times", "over 10 times less, at times"),
    ("{g(1),g(2),ldots,g(J)}", "{g(1),g(2),…,g(J)}"),
    # Web addresses out of \url, \href and braces.
    ("Code is available at url{http://github.com/czg1225/SlimSAM}.",
     "Code is available at http://github.com/czg1225/SlimSAM."),
    ("at https://github.com/sail-sg/zero-bubble{this url}.", "at https://github.com/sail-sg/zero-bubble."),
    ("at https://a.github.io/{https://a.github.io/}.", "at https://a.github.io/."),
    ("at {footnotesizeblue{https://github.com/microsoft/SPTAG}}.", "at https://github.com/microsoft/SPTAG."),
    ("at {{https://github.com/giangdip2410/HyperRouter}}.", "at https://github.com/giangdip2410/HyperRouter."),
    ("see https://x.org/a_1/{b}_c^2 there", "see https://x.org/a_1/{b}_c^2 there"),
    # What lost \frac, braces and scripts leave.
    ("roughly 2{3} of the parameters", "roughly 2/3 of the parameters"),
    ("via ell_1{ell_2} surrogates", "via $\\ell_1$/$\\ell_2$ surrogates"),
    ("We introduce {De}coupled {Mo}mentum", "We introduce Decoupled Momentum"),
    ("scaling factor {gamma}.", "scaling factor γ."),
    ("S^{2}FT, (S^2), D^2LPM, G_{stack}, k_{ast}, d^{-1}",
     "$S^{2}$FT, ($S^2$), $D^2$LPM, $G_{stack}$, $k_{\\ast}$, $d^{-1}$"),
    ("eta_1=Theta_d(1) and lambda_1=0", "$\\eta_1$=$\\Theta_d$(1) and $\\lambda_1$=0"),
    ("MPI_Send, block_lse and fp6_llm stay", "MPI_Send, block_lse and fp6_llm stay"),
    ("real math $x^{2}$ stays, 2{3} too: $a{b}$", "real math $x^{2}$ stays, 2/3 too: $a{b}$"),
])
def test_a_dump_s_damage_is_undone_by_rule(dump, clean):
    assert repair_text(dump) == clean


@SETTINGS
@given(clean_texts)
@example("S^{2}FT 5times url{https://x.org/a_b} bottle- necks {De}coupled")
def test_repairing_twice_changes_nothing_more(text):
    once = repair_text(text)
    assert repair_text(once) == once
    # The math it writes is math the renderer finds: no dollar is left unpaired.
    outside = MATH_RE.sub("", once).replace("\\$", "")
    assert outside.count("$") == MATH_RE.sub("", text).replace("\\$", "").count("$")


def test_a_suspended_hyphen_needs_no_hyphenated_word_after_it():
    assert join_broken_words("pre- and post training") == "pre- and post training"


def _page(**fields) -> Paper:
    paper = Paper(title="S^{2}FT: Sparse", abstract="memory bottle- necks and 3times less", slug="s2ft",
                  sources=[SourceRef("d.txt", 1)], **fields)
    paper.body = md_escape(paper.abstract) + "\n"
    return paper


def test_text_ingest_wrote_takes_the_rules_and_a_persons_edit_is_kept():
    incoming = Paper(title=repair_text("S^{2}FT: Sparse"), abstract=repair_text("memory bottle- necks and 3times less"),
                     sources=[SourceRef("d.txt", 1)])
    untouched = fill_page(_page(), incoming)
    assert untouched.title == "$S^{2}$FT: Sparse" and untouched.abstract == "memory bottlenecks and 3× less"
    assert untouched.body == ""  # rendered from the new abstract
    edited = _page()
    edited.abstract = "Memory bottle- necks, and 3times less (my words)."
    edited.body = md_escape(edited.abstract) + "\n"
    edited.title = "S2FT: Sparse (the authors' spelling)"
    kept = fill_page(edited, incoming)
    assert (kept.title, kept.abstract, kept.body) == (edited.title, edited.abstract, edited.body)
    extended = _page()
    extended.body += "\n## My notes\n\nRead this.\n"  # the abstract paragraph as ingest wrote it, plus notes
    assert fill_page(extended, incoming).body == extended.body


def test_no_committed_page_holds_a_leftover_of_those_kinds():
    """content/papers/: ingest applied the rules to every page it wrote (and nobody
    edited since); a page the rules would still change is a leftover."""
    leftovers = []
    for path in sorted((REPO / "content" / "papers").glob("*.md")):
        paper = paper_from_page(path.read_text(encoding="utf-8"), path.name, path.stem)
        for field in ("title", "abstract"):
            text = getattr(paper, field)
            if repair_text(text) != text:
                leftovers.append(f"{path.name}: {field}")
            prose = MATH_RE.sub(" ", text)
            for kind in (r"\d(?:times|sim)\b", r"\b(?:url|href)\{", r"\b(?!(?:and|or|to)\b)\w+- (?!(?:and|or|to)\b)[a-z]",
                         r"(?<![\w{])\{[A-Za-z]+\}[a-z]", r"\b[A-Za-z][_^]\{"):
                if re.search(kind, prose):
                    leftovers.append(f"{path.name}: {field} has {kind}")
    assert leftovers == []


# --------------------------------------------------------------------------- the built site


@pytest.fixture(scope="module")
def data(built_site):
    return load_site_data(store.Project(built_site[0]))


def _without_code(page: str) -> str:
    """An HTML page's text but for code blocks (a BibTeX entry keeps its TeX, as BibTeX wants)."""
    page = re.sub(r"<(pre|code)\b.*?</\1>", " ", page, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", page))


def test_tex_source_never_reaches_a_reader(built_site, deployed_site, data):
    """Every math span of every title and abstract: MathML on pages, Unicode text where
    no markup renders (`<title>`, meta description, feeds, search index).  Only the data
    exports (documented as clean text) and BibTeX keep TeX."""
    spans = {m.group(0) for p in data.papers for m in MATH_RE.finditer(f"{p.title} {p.abstract}")}
    assert {"$^3$", "$S^{2}$"} <= spans  # R$^3$-SQL, $S^{2}$FT: the seeds have math in titles
    for _, site in (built_site, deployed_site):
        leaks = []
        for path in sorted(site.rglob("*")):
            if path.suffix not in (".html", ".xml", ".json") or path.name == "papers.json":
                continue
            text = path.read_text(encoding="utf-8")
            text = _without_code(text) if path.suffix == ".html" else htmllib.unescape(text)
            leaks += [f"{path.relative_to(site)}: {span}" for span in spans if span in text]
        assert leaks == []
    with_math = [p for p in data.papers if MATH_RE.search(p.title)]
    for paper in with_math:
        page = (built_site[1] / "papers" / paper.slug / "index.html").read_text(encoding="utf-8")
        title = htmllib.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))
        assert title == f"{readable_text(paper.title)} - Efficient ML Reading List"
        assert "<math" in re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    # Listings show a title's math as MathML too: the topic tables, the timeline, the overview.
    for listing in ("timeline/index.html", "topics/index.html", "people/authors/index.html"):
        text = (built_site[1] / listing).read_text(encoding="utf-8")
        shown = [p for p in with_math if f"papers/{p.slug}/" in text]
        assert shown, listing
        for paper in shown:
            link = re.search(rf'<a href="[^"]*papers/{re.escape(paper.slug)}/">(.*?)</a>', text, re.S).group(1)
            assert "<math" in link, (listing, paper.slug)


def test_every_web_address_in_an_abstract_is_a_link(built_site, data):
    linked = 0
    for paper in data.papers:
        addresses = html.WEB_ADDRESS_RE.findall(MATH_RE.sub(" ", paper.abstract))
        if not addresses:
            continue
        page = (built_site[1] / "papers" / paper.slug / "index.html").read_text(encoding="utf-8")
        for address in addresses:
            assert f'<a href="{html.attr(address)}">' in page, (paper.slug, address)
            linked += 1
    assert linked > 20
    slim = (built_site[1] / "papers" / "0-1-data-makes-segment-anything-slim" / "index.html").read_text()
    assert '<a href="http://github.com/czg1225/SlimSAM">http://github.com/czg1225/SlimSAM</a>.' in slim


def test_the_topics_tab_opens_on_an_overview_of_every_topic(built_site, data):
    site = built_site[1]
    overview = (site / "topics" / "index.html").read_text(encoding="utf-8")
    text = _without_code(overview)
    for topic in data.taxonomy.topics:
        members = newest_first(p for p in data.papers if topic.id in p.topics)
        assert " ".join(topic.description.split()) in " ".join(text.split()), topic.id
        assert f'href="{topic.id}/"' in overview
        if members:
            assert f"{len(members)} paper" in text
            for paper in members[:3]:
                assert f'href="../papers/{paper.slug}/"' in overview, (topic.id, paper.slug)
    # Every page's Topics tab leads here (Material's navigation.indexes).
    for page in ("index.html", "timeline/index.html", "topics/quantization/index.html"):
        tabs = re.search(r'<nav class="md-tabs".*?</nav>', (site / page).read_text(encoding="utf-8"), re.S).group(0)
        topics_tab = re.search(r'<a href="([^"]*)" class="md-tabs__link">\s*Topics\s*</a>', tabs)
        assert topics_tab, page
        assert urllib.parse.urljoin(f"https://x.org/{page}", topics_tab.group(1)) == "https://x.org/topics/", page


# --------------------------------------------------------------------------- in Chromium

# Pages a reader visits: (name, path); the search results are opened from home.
PAGES = [("home", ""), ("topic", "topics/quantization/"), ("paper", None), ("timeline", "timeline/"),
         ("stats", "stats/"), ("people", "people/authors/"), ("topics", "topics/"), ("search", "")]
WIDTHS = (1280, 375)
SCHEMES = ("light", "dark")
SEARCH_QUERY = "quantization"


@pytest.fixture(scope="module")
def deployed_url(deployed_site):
    from browser import serve
    with serve(deployed_site[1]) as url:
        yield url


@pytest.fixture(scope="module")
def paper_path(data):
    """A paper with math in its title (the most there is to render), related papers and chips."""
    return f"papers/{sorted(p.slug for p in data.papers if MATH_RE.search(p.title))[0]}/"


def _open(page, url: str, name: str):
    page.goto(url, wait_until="load")
    if name == "search":
        box = page.locator("input.md-search__input")
        if page.viewport_size["width"] < 960:  # a phone: the search box opens from its icon in the header
            page.locator('.md-header label.md-header__button[for="__search"]').click()
        else:
            box.click()
        box.press_sequentially(SEARCH_QUERY)
        page.locator(".md-search-result__item").first.wait_for()
        page.wait_for_timeout(300)


# Material's own palette and widgets are judged too: they are what the reader sees.
AXE_OPTIONS = {"resultTypes": ["violations"]}


@pytest.mark.browser
def test_axe_finds_no_serious_violation_in_light_or_dark_at_any_width(browser, deployed_url, paper_path):
    from axe_playwright_python.sync_playwright import Axe

    axe, found = Axe(), []
    for scheme in SCHEMES:
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
            page = context.new_page()
            for name, path in PAGES:
                _open(page, deployed_url + (paper_path if path is None else path), name)
                for violation in axe.run(page, options=AXE_OPTIONS).response["violations"]:
                    if violation["impact"] in ("serious", "critical"):
                        targets = [n["target"] for n in violation["nodes"][:3]]
                        found.append(f"{scheme} {width}px {name}: {violation['id']} ({violation['impact']}) {targets}")
            context.close()
    assert found == []


LAYOUT_JS = """() => {
  const out = {pageScroll: document.documentElement.scrollWidth - window.innerWidth, hiddenHeaders: [], smallText: []};
  document.querySelectorAll('article table').forEach(table => {
    // A box that scrolls (Material wraps tables in one) must have nothing to scroll to.
    for (let box = table; box && box.tagName !== 'ARTICLE'; box = box.parentElement) {
      const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
      if (scrolls && box.scrollWidth > box.clientWidth + 1) out.hiddenHeaders.push('a table scrolls inside ' + box.className);
    }
    const frame = table.getBoundingClientRect();
    table.querySelectorAll('th').forEach(th => {
      const r = th.getBoundingClientRect();
      if (r.width === 0 || r.left < Math.max(0, frame.left) - 1 || r.right > Math.min(window.innerWidth, frame.right) + 1)
        out.hiddenHeaders.push(th.textContent.trim());
    });
  });
  document.querySelectorAll('svg.rl-chart').forEach(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    svg.querySelectorAll('text').forEach(t => {
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (px < 10) out.smallText.push(t.textContent + ' ' + px.toFixed(1) + 'px');
    });
  });
  out.charts = document.querySelectorAll('svg.rl-chart').length;
  out.tables = document.querySelectorAll('article table').length;
  return out;
}"""


@pytest.mark.browser
def test_on_a_phone_nothing_scrolls_sideways_or_is_cut_off(browser, deployed_url, paper_path):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    seen = {"tables": 0, "charts": 0}
    try:
        for name, path in PAGES:
            _open(page, deployed_url + (paper_path if path is None else path), name)
            layout = page.evaluate(LAYOUT_JS)
            assert layout["pageScroll"] <= 0, f"{name} scrolls sideways by {layout['pageScroll']} px"
            assert layout["hiddenHeaders"] == [], name
            assert layout["smallText"] == [], name
            seen["tables"] += layout["tables"]
            seen["charts"] += layout["charts"]
    finally:
        context.close()
    assert seen["tables"] >= 2 and seen["charts"] == 3  # the checks met listings and charts


CHIP_CONTRAST_JS = """() => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(c => c / 255)
    .map(c => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const over = (top, under) => { const a = top.length > 3 ? top[3] : 1;
    return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)); };
  const page = rgb(getComputedStyle(document.body).backgroundColor);
  return [...document.querySelectorAll('a.rl-chip')].map(chip => {
    const style = getComputedStyle(chip);
    const bg = over(rgb(style.backgroundColor), page), fg = over(rgb(style.color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  });
}"""


@pytest.mark.browser
def test_topic_chips_read_at_aa_contrast_in_both_schemes(browser, deployed_url, paper_path):
    for scheme in SCHEMES:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(deployed_url + paper_path)
        ratios = page.evaluate(CHIP_CONTRAST_JS)
        context.close()
        assert ratios and min(ratios) >= 4.5, (scheme, ratios)


@pytest.mark.browser
def test_a_search_result_shows_the_words_around_the_match(browser, deployed_url, data):
    """Not the whole abstract: the title, then a snippet of about two dozen words around
    the first match, marked, with an ellipsis where it is cut."""
    rare = "kurtosis"  # deep inside one abstract of the seeds
    holder = next(p for p in data.papers if rare in p.abstract.lower())
    assert len(holder.abstract.split()) > 150 and holder.abstract.lower().index(rare) > 400
    page = browser.new_page()
    try:
        page.goto(deployed_url)
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially(rare)
        result = page.locator(".md-search-result__article").first
        result.locator("mark").first.wait_for()
        paragraphs = result.locator("p").all_inner_texts()
        assert result.locator("h1").inner_text().strip() == readable_text(holder.title)
        assert len(paragraphs) == 1
        snippet = paragraphs[0]
        assert snippet.startswith("… ") and snippet.endswith(" …") and rare in snippet.lower()
        assert len(snippet.split()) <= 26
        assert " ".join(snippet.strip("… ").split()) in " ".join(readable_text(holder.abstract).split())
    finally:
        page.close()
