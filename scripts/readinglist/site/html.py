"""HTML for the docs tree, written directly where Markdown would buy nothing.

The site's pages are Markdown files handed to MkDocs (or any engine that reads
mkdocs.yml).  Most of what readinglist puts on them is generated: lists of
links, tables of papers, the metadata line, a highlighted BibTeX entry.  Sent
through Python-Markdown these cost more than the rest of the build together
(BENCHMARKS.md), so they are written here as the HTML Python-Markdown would
have produced for the Markdown we used to write, byte for byte: a raw HTML
line in a Markdown file passes through unchanged, and headings stay Markdown
so the engine still builds each page's table of contents.

Tests hold each function to Python-Markdown's output for the same content
(tests/test_site_html.py), so the site reads the same whichever way a page
was made.  All data text goes through `text`/`attr`; URLs are built by
`relative_url` from known parts.

Pure functions; math is turned into MathML here too (mathml.py), so the tree
needs no hook to show it.
"""

from __future__ import annotations

import functools
import html as htmllib
import posixpath
import re
from typing import Iterable, Optional, Sequence

from pygments import highlight as _pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import BibTeXLexer

from readinglist.site.mathml import tex_to_mathml
from readinglist.text import MATH_RE

# --------------------------------------------------------------------------- text


def text(clean: str) -> str:
    """Clean text as HTML text with math shown as its source (link texts, table cells).

    What Python-Markdown makes of `md_link_text(clean)`: `\\$` is a dollar, `&`
    `<` `>` are escaped, `]` stays the character reference md_link_text writes.
    """
    return (clean.replace("\\$", "$").replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("]", "&#93;"))


def attr(value: str) -> str:
    """A value for inside `"..."` of an attribute."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _prose_piece(piece: str) -> str:
    return (piece.replace("\\$", "$").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


# Markdown keeps `&name;` as a character reference, even inside math, and
# render_math reads it back: math sees the character.
_ENTITY_RE = re.compile(r"&#?\w+;")


def prose(clean: str, links: bool = False) -> str:
    """Clean text as HTML with `$...$` math as MathML (what `md_escape` + arithmatex + mathml give);
    with `links`, every web address in it is a link (not in a title: it is a link already)."""
    piece = _linked_piece if links else _prose_piece
    out: list[str] = []
    pos = 0
    for m in MATH_RE.finditer(clean):
        out.append(piece(clean[pos:m.start()]))
        out.append(tex_to_mathml(_ENTITY_RE.sub(lambda e: htmllib.unescape(e.group()), m.group(1))))
        pos = m.end()
    out.append(piece(clean[pos:]))
    return "".join(out)


# A web address in running text: a word that starts with `http(s)://` (after a space or
# an opening bracket, not inside markup-looking text such as `href="..."` or `](...)`),
# up to a space, without the punctuation that ends a sentence or closes a bracket
# around it ("see (https://x.org).").
WEB_ADDRESS_RE = re.compile(r"(?<![^\s(\[])(?<!\]\()https?://[^\s<>\"`]*[^\s<>\"`.,;:!?')\]}]")


def web_addresses(clean: str) -> list[tuple[int, int]]:
    """(start, end) of each web address in a piece of text."""
    return [m.span() for m in WEB_ADDRESS_RE.finditer(clean)] if "://" in clean else []


def _linked_piece(text: str) -> str:
    out, pos = [], 0
    for start, end in web_addresses(text):
        address = text[start:end]
        out.append(_prose_piece(text[pos:start]))
        out.append(link(address.replace("\\$", "$"), _prose_piece(address)))
        pos = end
    out.append(_prose_piece(text[pos:]))
    return "".join(out)


# A paragraph Python-Markdown renders as one <p> of its text: one line, no
# leading or trailing space (a code block, a line break), nothing that a
# block parser would take for a list, quote, heading, rule, table or HTML.
_SIMPLE_PARAGRAPH_RE = re.compile(r"^[^\s\n](?:[^\n]*[^\s\n])?$")


def paragraph(clean: str) -> Optional[str]:
    """`<p>...</p>` for a one-line paragraph of clean text, or None when Markdown must decide.

    Web addresses are links, as Markdown makes of `<https://...>` (autolinks)."""
    if not clean or not _SIMPLE_PARAGRAPH_RE.match(clean) or "  " in clean:
        return None
    if any(f"${c}" in clean for c in _LINE_START_ENTITIES):
        # Right after math, the Markdown writer escapes these as at a line's start
        # (it escapes the text between math spans piece by piece): let Markdown have it.
        return None
    made = prose(clean, links=True)
    if clean[0] in _LINE_START_ENTITIES:  # md_escape writes these as references at a line's start
        made = _LINE_START_ENTITIES[clean[0]] + made[1:]
    return f"<p>{made}</p>"


_LINE_START_ENTITIES = {"[": "&#91;", "~": "&#126;"}


def paragraph_of(clean: str) -> str:
    """`<p>...</p>` of any clean text (spacing as HTML shows it anyway: collapsed)."""
    return paragraph(" ".join(clean.split())) or f"<p>{prose(' '.join(clean.split()))}</p>"


# --------------------------------------------------------------------------- links and lists


def page_url(src: str, directory_urls: bool = True) -> str:
    """Where the page of `src` (e.g. 'topics/peft.md') is, relative to the site root."""
    stem = src[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/" if directory_urls else f"{stem}.html"


@functools.lru_cache(maxsize=1024)
def _folder_to_folder(here: str, there: str) -> str:
    """The relative path from folder `here` to folder `there` (both '' or ending in '/')."""
    rel = posixpath.relpath("/" + there, "/" + here)
    return "" if rel == "." else rel + "/"


def relative_url(from_src: str, to_src: str, directory_urls: bool = True, anchor: str = "") -> str:
    """The link from the page of `from_src` to the page of `to_src` (both like 'papers/x.md'),
    as MkDocs writes it for a Markdown link between the two."""
    here, there = page_url(from_src, directory_urls), page_url(to_src, directory_urls)
    cut = there.rstrip("/").rfind("/") + 1  # `there` = folder + name (name may end in '/')
    rel = _folder_to_folder(here[: here.rfind("/") + 1], there[:cut]) + there[cut:]
    return (rel or "./") + (f"#{anchor}" if anchor else "")


def link(href: str, label_html: str, cls: Optional[str] = None, extra: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<a{klass} href="{attr(href)}"{extra}>{label_html}</a>'


def bullet_list(items_html: Iterable[str]) -> str:
    return "<ul>\n" + "".join(f"<li>{item}</li>\n" for item in items_html) + "</ul>"


def table(header: Sequence[str], align: Sequence[Optional[str]], rows: Iterable[Sequence[str]]) -> str:
    """A table as the `tables` extension writes one; cells are HTML."""
    def cells(tag: str, values: Sequence[str]) -> str:
        out = []
        for value, how in zip(values, align):
            style = f' style="text-align: {how};"' if how else ""
            out.append(f"<{tag}{style}>{value}</{tag}>\n")
        return "".join(out)

    body = "".join(f"<tr>\n{cells('td', row)}</tr>\n" for row in rows)
    return (f"<table>\n<thead>\n<tr>\n{cells('th', header)}</tr>\n</thead>\n"
            f"<tbody>\n{body}</tbody>\n</table>")


# --------------------------------------------------------------------------- headings


def heading_line(level: int, title: str, search_exclude: bool = False) -> str:
    """A Markdown heading for the tree (the engine's toc extension makes its id and permalink).

    `title` is plain words (no Markdown specials): headings readinglist writes itself."""
    return "#" * level + " " + title + (" { data-search-exclude }" if search_exclude else "")


def heading_html(level: int, title: str, anchor: str, search_exclude: bool = False) -> str:
    """What the toc extension (permalink on) makes of `heading_line(level, title, ...)`."""
    exclude = " data-search-exclude" if search_exclude else ""
    return (f'<h{level}{exclude} id="{anchor}">{title}<a class="headerlink" href="#{anchor}" '
            f'title="Permanent link">&para;</a></h{level}>')


# --------------------------------------------------------------------------- code


_BIBTEX_LEXER = BibTeXLexer()
_FORMATTER = HtmlFormatter(nowrap=True)

# The entries citations.py writes: `@type{key,`, then `  name = {value}` or
# `  name = macro` lines, then `}`.  Highlighted here the way Pygments' BibTeX
# lexer does (tests compare the two on every entry shape); anything else goes
# to Pygments itself.
_ENTRY_HEAD_RE = re.compile(r"^@([A-Za-z]+)\{([A-Za-z0-9_:.\-]+),$")
_FIELD_RE = re.compile(r"^  ([A-Za-z]+) = (?:(\{[^\n]*\})|([a-z]+))(,?)$")
_BRACES_RE = re.compile(r"[{}]")


def _one_braced_group(value: str) -> bool:
    """`{...}` that closes only at its last character (Pygments reads it as one string)."""
    depth = 0
    for i, brace in ((m.start(), m.group()) for m in _BRACES_RE.finditer(value)):
        depth += 1 if brace == "{" else -1
        if depth == 0 and i != len(value) - 1:
            return False
        if depth < 0:
            return False
    return depth == 0


def _highlight_entry(entry: str) -> Optional[str]:
    lines = entry.split("\n")
    head = _ENTRY_HEAD_RE.match(lines[0]) if len(lines) >= 2 else None
    if head is None or lines[-1] != "}":
        return None
    out = [f'<span class="nc">@{head.group(1)}</span><span class="p">{{</span>'
           f'<span class="nl">{head.group(2)}</span><span class="p">,</span>']
    for i, line in enumerate(lines[1:-1], start=1):
        field = _FIELD_RE.match(line)
        if field is None:
            return None
        name, braced, macro, comma = field.groups()
        if (comma == ",") != (i < len(lines) - 2) or (braced is not None and not _one_braced_group(braced)):
            return None
        value = (f'<span class="s">{_code_text(braced)}</span>' if braced is not None
                 else f'<span class="nv">{macro}</span>')
        out.append(f'<span class="w">  </span><span class="na">{name}</span><span class="w"> </span>'
                   f'<span class="p">=</span><span class="w"> </span>{value}'
                   + ('<span class="p">,</span>' if comma else ""))
    out.append('<span class="p">}</span>')
    return "\n".join(out) + "\n"


def _code_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def bibtex_block(entry: str) -> str:
    """A BibTeX entry highlighted as pymdownx.highlight (Pygments) shows a ```bibtex fence."""
    entry = entry.strip()
    code = _highlight_entry(entry)
    if code is None:
        code = _pygments_highlight(entry + "\n", _BIBTEX_LEXER, _FORMATTER)
    return f'<div class="highlight"><pre><span></span><code>{code}</code></pre></div>'
