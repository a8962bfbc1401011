"""Property-based tests (hypothesis) for the parts that keep text text:

* md_escape/md_unescape are exact inverses;
* Python-Markdown, configured like mkdocs.yml, renders md_escape(text) as one
  paragraph whose visible text is the text itself (math aside), with no tags,
  and link text / table cells (md_link_text) likewise;
* a paper goes through render_paper_page and paper_from_page unchanged, and
  `check` finds nothing wrong with the page;
* the title/author splitter of org listings splits glued lines back correctly,
  never crashes, and never leaves author text on the title.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from conftest import REPO
from readinglist.text import MATH_RE, clean_text, collapse_whitespace, plain_text
from readinglist.paper import Paper, SourceRef
from readinglist.ingest.parse import split_title_authors
from readinglist.text import md_escape, md_link_text, md_unescape
from readinglist.page.markdown import paper_from_page, render_paper_page
from readinglist.page.validate import validate_page

# In CI the examples are the same on every run (a red CI must be reproducible);
# locally each run explores new ones.
SETTINGS = settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck),
                    derandomize=bool(os.environ.get("CI")))


def _mkdocs_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions and options of mkdocs.yml."""
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # !ENV and friends
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    names, options = [], {}
    for item in config["markdown_extensions"]:
        name, conf = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if conf:
            options[name] = conf
    assert {"toc", "tables", "admonition", "attr_list", "md_in_html", "pymdownx.superfences",
            "pymdownx.arithmatex"} <= set(names)
    return markdown.Markdown(extensions=names, extension_configs=options)


MD = _mkdocs_markdown()

# Pieces that mean something to Markdown, its extensions, HTML, Jinja or YAML.
SYNTAX = ["<script>", "</p>", "<b>", "<!--", "-->", "&amp;", "&#35;", "&", ";", "```", "~~~", "!!!", "{:", "{",
          "}", "[", "]", "(", ")", "](", "javascript:", "*", "**", "_", "__", "`", "#", "|", "|---|", "-", "+",
          "1.", "1)", ">", "=", "===", "---", "***", "\\", "\\$", "$x^2$", "$$", "\\(", "\\)", "\\[", "\\]",
          "[TOC]", "{{ x }}", "{% raw %}", "<https://a.b>", ":", "!", "[^1]", "    ", "\t", "\n", "é", "日本", "🙂"]
pieces = st.one_of(st.sampled_from(SYNTAX), st.text(alphabet="abcXYZ019 .,'\"?", min_size=1, max_size=4))
clean_texts = st.lists(pieces, min_size=1, max_size=14).map("".join).map(clean_text).filter(bool)
any_texts = st.text(min_size=1, max_size=40).map(collapse_whitespace).filter(bool)


def render(markdown_text: str) -> str:
    return MD.reset().convert(markdown_text)


# --------------------------------------------------------------------------- escaping


@SETTINGS
@given(st.one_of(clean_texts, any_texts))
def test_md_unescape_inverts_md_escape(text):
    assert md_unescape(md_escape(text)) == text


@SETTINGS
@given(clean_texts)
@example("!!! danger \"x\"")
@example("[a]")
@example("~~~ fence")
@example("- item")
@example("1. item")
@example("<!-- c --> {: onclick=\"x\" }")
@example("$a`b$ `c`")
def test_escaped_text_renders_as_itself(text):
    text = clean_text(text)  # the examples are written raw
    assume(text)
    rendered = render(md_escape(text))
    # Math renders (arithmatex spans); everything else is the text itself.
    outside_math = re.sub(r'<span class="arithmatex">.*?</span>', "\x00", rendered)
    paragraph = re.fullmatch(r"<p>(.*)</p>", outside_math, re.S)
    assert paragraph, rendered
    assert "<" not in paragraph.group(1), rendered
    expected = plain_text(MATH_RE.sub("\x00", text))
    assert html.unescape(paragraph.group(1)) == expected


@SETTINGS
@given(clean_texts)
@example("\\]: x")
@example("a]: b")
def test_link_text_and_table_cells_render_as_themselves(text):
    text = clean_text(text)
    assume(text)
    shown = plain_text(text)  # math is shown as its source here
    link = render(f"[{md_link_text(text)}](page.md)")
    match = re.fullmatch(r'<p><a href="page.md">(.*)</a></p>', link, re.S)
    assert match and "<" not in match.group(1), link
    assert html.unescape(match.group(1)) == shown
    table = render(f"| A | B |\n| --- | --- |\n| {md_link_text(text)} | [{md_link_text(text)}](p.md) |")
    cells = re.findall(r"<td>(.*?)</td>", table, re.S)
    assert len(cells) == 2, table
    assert "<" not in cells[0] and html.unescape(cells[0]) == shown
    inner = re.fullmatch(r'<a href="p.md">(.*)</a>', cells[1], re.S)
    assert inner and html.unescape(inner.group(1)) == shown


# --------------------------------------------------------------------------- pages

YAML_HOSTILE = ["Title: With Colon", "---", "...", "- dash", "? q", "&anchor", "*alias", "!!python/name:os.system",
                "!tag", "%YAML", "@at", "`tick`", "yes", "No", "null", "~", "2310.10000", "1e5", "0x1F", "12:30:00",
                "2024-01-01", ".inf", "{a: b}", "[1, 2]", "| block", "> folded", "<<: *m", "'", '"', "#", " #c"]
values = st.lists(st.one_of(st.sampled_from(YAML_HOSTILE), pieces), min_size=1, max_size=8) \
    .map(" ".join).map(clean_text).filter(bool)


@SETTINGS
@given(title=values, abstract=values, authors=st.lists(values, max_size=4),
       organization=st.one_of(st.none(), values))
def test_paper_survives_its_page(title, abstract, authors, organization):
    paper = Paper(title=title, abstract=abstract, authors=authors, organization=organization,
                  date=dt.date(2024, 2, 29), topics=["other"], sources=[SourceRef("d.txt", 7)], slug="p")
    page = render_paper_page(paper)
    back = paper_from_page(page, "content/papers/p.md", "p")
    assert (back.title, back.abstract, back.authors, back.organization) == (title, abstract, authors, organization)
    assert back.date == paper.date and back.sources == paper.sources
    assert validate_page(page, "content/papers/p.md", "p", None) == []
    assert render_paper_page(back) == page  # and a second trip changes nothing


# --------------------------------------------------------------------------- title/author split

given_names = st.from_regex(r"\A[A-Z][a-z]{1,8}(-[A-Z][a-z]{1,6})?\Z") | st.sampled_from(["J.", "Ann", "Élodie", "Øyvind"])
family_names = st.from_regex(r"\A[A-Z][a-z]{1,10}\Z") | st.sampled_from(
    ["McDonald", "O'Neil", "van der Berg", "hwang", "Smith-Jones", "Müller", "de la Cruz"])
names = st.builds(lambda g, m, f: " ".join(p for p in (g, m, f) if p), given_names,
                  st.one_of(st.none(), st.sampled_from(["J.", "S.", "Leon"])), family_names)
title_words = st.from_regex(r"\A(?:[A-Za-z][a-z0-9]{0,8}|[A-Z]{2,5}|[a-z]+-[A-Z][a-z]+|\d+(?:\.\d+)?|v\d)\Z")
title_ends = st.sampled_from(["", "?", "!", ")", "s", "2", "x", "ing", "."])


@SETTINGS
@given(words=st.lists(title_words, min_size=1, max_size=10), end=title_ends,
       authors=st.lists(names, min_size=1, max_size=5), et_al=st.booleans(),
       org=st.one_of(st.none(), st.sampled_from(["mit", "microsoft-research", "Google DeepMind"])))
@example(words=["a-Aa", "A"], end=".", authors=["J. McDonald"], et_al=False, org=None)
def test_glued_title_and_authors_split_back(words, end, authors, et_al, org):
    title = " ".join(words) + end
    assume(title[-1].islower() or title[-1].isdigit() or title[-1] in "?!).")
    line = title + ", ".join(authors) + (" et al." if et_al else "") + (f" · {org}" if org else "")
    assert split_title_authors(line) == (title, authors, et_al, org)


@SETTINGS
@given(st.text(max_size=200))
def test_splitter_never_crashes_and_never_invents(line):
    result = split_title_authors(line)
    if result is not None:
        title, authors, _, _ = result
        assert title and authors
        assert title in line and all(a in line for a in authors)


@SETTINGS
@given(words=st.lists(title_words, min_size=1, max_size=10), authors=st.lists(names, min_size=1, max_size=4))
def test_split_title_never_keeps_author_text(words, authors):
    """Whatever the title's last character, a split never moves author text onto the title."""
    title = " ".join(words)
    result = split_title_authors(title + ", ".join(authors))
    if result is not None:
        assert not result[0].endswith(authors[0]) or result[1] != authors[1:]
        assert len(result[0]) <= len(title)


@pytest.mark.parametrize("line", ["", " ", "·", " · ", " et al.", "A", "AB, CD", "Title, · org"])
def test_splitter_edge_lines(line):
    split_title_authors(line)
