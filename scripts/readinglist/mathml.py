"""TeX math to MathML at build time: browsers render MathML natively, so math
needs no JavaScript and no CDN.

pymdownx.arithmatex (generic mode) finds `$...$` in the Markdown and leaves
`<span class="arithmatex">\\(...\\)</span>` in the HTML; we replace each with
MathML from latex2mathml.  Math it cannot convert is shown as its TeX source.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

_INLINE_RE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
_BLOCK_RE = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.S)


def tex_to_mathml(tex: str, display: str = "inline") -> str:
    try:
        return convert(tex, display=display)
    except Exception:  # latex2mathml raises many types on bad input; any means "show the source"
        return f'<code class="rl-tex">{html.escape(tex)}</code>'


def render_math(page_html: str) -> str:
    if "arithmatex" not in page_html:
        return page_html
    page_html = _INLINE_RE.sub(lambda m: tex_to_mathml(html.unescape(m.group(1))), page_html)
    return _BLOCK_RE.sub(lambda m: tex_to_mathml(html.unescape(m.group(1)), "block"), page_html)
