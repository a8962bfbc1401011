"""The HTML readinglist writes into the docs tree is what Python-Markdown would write.

site/html.py skips Markdown where it buys nothing (paper pages, listing
tables): these properties hold each shortcut to Python-Markdown, configured as
mkdocs.yml configures it, on wild input, so a page reads the same whichever way
it was made.  Math: the tree bakes `$...$` into MathML (mathml.bake_math); it
must read as what arithmatex + render_math made of it.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

from hypothesis import example, given
from hypothesis import strategies as st
from pygments import highlight

from readinglist.paper import Paper
from readinglist.site import html
from readinglist.site.citations import bibtex_entries
from readinglist.site.mathml import bake_math, render_math
from readinglist.text import MATH_RE, md_escape, md_link_text
from test_properties import MD, SETTINGS, clean_texts


def render(markdown_text: str) -> str:
    return MD.reset().convert(markdown_text)


one_line = clean_texts.filter(lambda t: "\n" not in t)


def with_autolinks(text: str) -> str:
    """Markdown for `text` with its web addresses as autolinks (`<https://...>`)."""
    out, pos = [], 0
    for m in MATH_RE.finditer(text + " "):
        out.append(_autolinked(text[pos:m.start()]) + md_escape(m.group(0)))
        pos = m.end()
    return "".join(out) + _autolinked(text[pos:])


def _autolinked(piece: str) -> str:
    out, pos = [], 0
    for start, end in html.web_addresses(piece):
        out.append(md_escape(piece[pos:start]) + "<" + piece[start:end].replace("\\$", "$") + ">")
        pos = end
    return "".join(out) + md_escape(piece[pos:])


@SETTINGS
@given(one_line | st.builds(lambda a, b: f"{a} https://example.org/{b}. {a}", one_line,
                            st.from_regex(r"[A-Za-z0-9_~&=?/#%+-]{0,20}", fullmatch=True)))
@example("x $a*b_c$ y")
@example("A & B < C > D \\$5 [x] `code` *em*")
@example("Code at https://github.com/czg1225/SlimSAM. Or (https://x.org/a_b?c=1&d=2), $x$ too")
def test_a_simple_abstract_is_the_paragraph_markdown_makes(text):
    made = html.paragraph(text)
    if made is None:  # not simple enough: the tree leaves it to Markdown
        return
    assert made == render_math(render(with_autolinks(text)))


@SETTINGS
@given(one_line)
@example("a ] b &#93; \\$ <x>")
def test_link_text_is_what_markdown_makes_of_a_link(text):
    markdown_link = render(f"[{md_link_text(text)}](papers/x.md)")
    assert markdown_link == f'<p><a href="papers/x.md">{html.text(text)}</a></p>'


@SETTINGS
@given(st.lists(one_line, min_size=1, max_size=4))
def test_a_table_is_what_the_tables_extension_makes(cells):
    rows = [cells[:2] + ["1"]] * 2 if len(cells) >= 2 else [cells + ["y", "1"]] * 2
    source = "| A | B | N |\n| --- | --- | ---: |\n" + "".join(
        f"| {md_link_text(a)} | {md_link_text(b)} | {n} |\n" for a, b, n in rows)
    made = html.table(("A", "B", "N"), (None, None, "right"),
                      [(html.text(a), html.text(b), n) for a, b, n in rows])
    assert made == render(source)


def test_a_section_heading_is_what_the_toc_extension_makes():
    assert html.heading_html(2, "Related papers", "related-papers", search_exclude=True) == \
        render(html.heading_line(2, "Related papers", search_exclude=True))


titles = st.one_of(clean_texts, st.sampled_from(["Q&A: {x} <b> \"quote\" 'it' 100% $x^2$ a_b #1 ~ \\",
                                                 "Plain title"]))
names = st.lists(st.sampled_from(["José Núñez", "A. {B}", "O'Brien", "van der Berg", "X & Y", "Li, Wei"]),
                 max_size=3)


@SETTINGS
@given(titles, names, st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1))),
       st.one_of(st.none(), st.sampled_from(["2401.12345", "cs/0112017"])))
def test_a_bibtex_block_is_what_pygments_makes(title, authors, date, arxiv_id):
    paper = Paper(title=title, authors=authors, date=date, arxiv_id=arxiv_id, abstract="x", slug="p")
    entry = bibtex_entries([paper])["p"].strip()
    code = highlight(entry + "\n", html._BIBTEX_LEXER, html._FORMATTER)
    assert html.bibtex_block(entry) == f'<div class="highlight"><pre><span></span><code>{code}</code></pre></div>'
    assert html._highlight_entry(entry) is not None  # our entries never need Pygments itself


def _reader_view(page_html: str) -> str:
    """What a reader gets: text and MathML, not how characters were written down."""
    page_html = re.sub(r"</?span>", "", page_html)
    page_html = re.sub(r">\s+<", "><", page_html)  # blank lines between blocks show nothing
    return htmllib.unescape(page_html)


@SETTINGS
@given(st.lists(st.sampled_from(["Note on $x^2$ and $a_b*c$.", "`$not math$` stays", "- item $\\alpha$",
                                 "```\n$code$\n```", "$y$ starts the line", "$$\\sum_i x_i$$", "plain *em*",
                                 "two\nlines $z$"]),
                min_size=1, max_size=5))
def test_baked_math_reads_as_arithmatex_and_mathml_made_it(blocks):
    body = "\n\n".join(blocks) + "\n"
    assert _reader_view(render(bake_math(body))) == _reader_view(render_math(render(body)))
