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
