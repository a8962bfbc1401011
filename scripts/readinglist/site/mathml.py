"""TeX math to MathML at build time: browsers render MathML natively, so math
needs no JavaScript and no CDN.

pymdownx.arithmatex (generic mode) finds `$...$` in the Markdown and leaves
`<span class="arithmatex">\\(...\\)</span>` in the HTML; we replace each with
MathML from latex2mathml.  Math it cannot convert is shown as its TeX source.

latex2mathml's own `convert` un-escapes its whole output, so `\\text{<img
onerror=...>}` would come out as a live tag, and `\\href`/`\\style`/`\\class`
set attributes from the TeX.  We therefore serialize its element tree
ourselves: text is escaped, only MathML elements pass, and attributes that
could link, style or script are dropped.
"""

from __future__ import annotations

import functools
import html
import re
from xml.etree.ElementTree import Element, tostring

from latex2mathml.converter import convert_to_element

_INLINE_RE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
_BLOCK_RE = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.S)
# latex2mathml writes symbols as numeric character references in element text.
_CHAR_REF_RE = re.compile(r"&#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}));")
_MATHML_TAG_RE = re.compile(r"^(?:math|m[a-z]+|semantics|annotation(?:-xml)?|none)$")
_DROPPED_ATTRIBUTES = {"href", "style", "class", "id", "src", "xlink:href"}


class UnsafeMath(ValueError):
    """The MathML tree holds something that is not plain MathML."""


def _char_refs(text: str | None) -> str | None:
    if not text:
        return text

    def char(m: re.Match) -> str:
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _CHAR_REF_RE.sub(char, text)


def safe_mathml(tree: Element) -> str:
    """Serialize a latex2mathml tree with text escaped and risky attributes gone."""
    for element in tree.iter():
        if not isinstance(element.tag, str) or not _MATHML_TAG_RE.match(element.tag):
            raise UnsafeMath(f"unexpected element {element.tag!r}")
        for name in list(element.attrib):
            lowered = name.lower()
            if lowered in _DROPPED_ATTRIBUTES or lowered.startswith("on") or (":" in name and name != "xmlns"):
                del element.attrib[name]
        element.text = _char_refs(element.text)
        element.tail = _char_refs(element.tail)
    return tostring(tree, encoding="unicode")


@functools.lru_cache(maxsize=8192)  # the same small formulas come back on page after page
def tex_to_mathml(tex: str, display: str = "inline") -> str:
    try:
        return safe_mathml(convert_to_element(tex, display=display))
    except Exception:  # latex2mathml raises many types on bad input; any means "show the source"
        return f'<code class="rl-tex">{html.escape(tex)}</code>'


def render_math(page_html: str) -> str:
    if "arithmatex" not in page_html:
        return page_html
    page_html = _INLINE_RE.sub(lambda m: tex_to_mathml(html.unescape(m.group(1))), page_html)
    return _BLOCK_RE.sub(lambda m: tex_to_mathml(html.unescape(m.group(1)), "block"), page_html)


# --------------------------------------------------------------------------- math baked into Markdown

# Characters Python-Markdown (and arithmatex) would read as markup if they
# stood in MathML text inside a Markdown page; written as character references.
_MARKUP_CHARS = {ch: f"&#{ord(ch)};" for ch in "\\`*_{}[]()#+-.!|$~^"}
_TEXT_NODE_RE = re.compile(r">([^<]+)<")
_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
_DISPLAY_RE = re.compile(r"^\$\$(.+?)\$\$$", re.S)


def _inert(markup: str) -> str:
    """MathML that Markdown passes through as it is: its text holds no markup characters."""
    return _TEXT_NODE_RE.sub(lambda m: ">" + "".join(_MARKUP_CHARS.get(ch, ch) for ch in m.group(1)) + "<",
                             markup)


def _bake_inline(text: str) -> str:
    from readinglist.text import MATH_RE

    def one(m: re.Match) -> str:
        markup = _inert(tex_to_mathml(m.group(1)))
        # A line that starts with <math> would be a raw HTML block, not a paragraph.
        at_line_start = m.start() == 0 or text[m.start() - 1] == "\n"
        return f"<span>{markup}</span>" if at_line_start else markup

    out, pos = [], 0
    for code in _CODE_SPAN_RE.finditer(text):  # code spans keep their dollars
        out.append(MATH_RE.sub(one, text[pos:code.start()]))
        out.append(code.group(0))
        pos = code.end()
    out.append(MATH_RE.sub(one, text[pos:]))
    return "".join(out)


def bake_math(markdown: str) -> str:
    """Markdown with its `$...$` (and `$$...$$` paragraphs) replaced by MathML, outside code.

    The same MathML render_math makes of arithmatex's output, so a page shows
    its math without any build hook."""
    if "$" not in markdown:
        return markdown
    lines = markdown.split("\n")
    out: list[str] = []
    chunk: list[str] = []
    fence = None

    def flush() -> None:
        if chunk:
            text = "\n".join(chunk)
            display = _DISPLAY_RE.match(text.strip())
            if display and "\n\n" not in text:
                out.append(_inert(tex_to_mathml(display.group(1).strip(), "block")))  # a raw HTML block
            else:
                out.append(_bake_inline(text))
            chunk.clear()

    for line in lines:
        opening = _FENCE_RE.match(line)
        if fence is not None:
            out.append(line)
            if opening and opening.group(2)[0] == fence[0] and len(opening.group(2)) >= len(fence) \
                    and not line.strip()[len(opening.group(2)):]:
                fence = None
        elif opening:
            flush()
            fence = opening.group(2)
            out.append(line)
        elif line.startswith("    ") or line.startswith("\t") or not line.strip():
            if not line.strip() or not chunk:  # blank lines and indented code end a paragraph
                flush()
                out.append(line)
            else:
                chunk.append(line)
        else:
            chunk.append(line)
    flush()
    return "\n".join(out)
