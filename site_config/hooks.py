"""Optional MkDocs hooks: they make the build faster, never different.

The docs tree (build/docs/, written by `readinglist build`) is complete on its
own: any engine that reads mkdocs.yml builds the same site from it without
this file (tests/test_tree.py builds it both ways and compares).  The
generated build/mkdocs.yml lists this file under `hooks:` unless
`readinglist build --no-hooks` is asked.  What it saves:

* Markdown for paper pages that are HTML already (`rl_html: true`): the page
  is its own HTML, but for its section headings, written here as the toc
  extension writes them;
* rendering the tabs and the navigation sidebar once for all paper pages
  (they are out of the nav and all at the same depth: `rl_once` in
  overrides/main.html);
* memory: a paper page's HTML waits compressed until its turn to be written.

MkDocs-specific on purpose; nothing else in readinglist imports MkDocs.
"""

from __future__ import annotations

import re
import types
import zlib

from mkdocs.plugins import event_priority
from mkdocs.structure.toc import get_toc

from readinglist.site.html import heading_html
from readinglist.site.paper_page import SECTIONS

_ANCHORS = dict(SECTIONS)
_HEADING_RE = re.compile(r"^## (.+) \{ data-search-exclude \}$")


def on_env(env, config, files):
    env.globals["rl_once"] = _render_once()
    return env


def _render_once():
    """`{% call rl_once(key...) %}` in a template: the body is rendered once per key and build."""
    rendered = {}

    def key_of(part):
        if isinstance(part, str):
            return part
        return tuple((item.id, str(item.title), item.level, key_of(item.children)) for item in part)

    def rl_once(*key, caller):
        key = tuple(key_of(part) for part in key)
        if key not in rendered:
            rendered[key] = caller()
        return rendered[key]

    return rl_once


def _render_html(page, config, files):
    """Page.render for a page of raw HTML lines and `## Section { data-search-exclude }`
    lines: the HTML Python-Markdown would make of it, without running Markdown."""
    lines, tokens = [], []
    for line in page.markdown.strip("\n").split("\n"):
        heading = _HEADING_RE.match(line)
        if heading and heading.group(1) in _ANCHORS:
            title, anchor = heading.group(1), _ANCHORS[heading.group(1)]
            lines.append(heading_html(2, title, anchor, search_exclude=True))
            tokens.append({"level": 2, "id": anchor, "name": title, "html": title, "data-toc-label": "",
                           "children": []})
        else:
            lines.append(line)
    page.content = "\n".join(lines)
    page.toc = get_toc(tokens)
    page.present_anchor_ids = {t["id"] for t in tokens}
    page.links_to_anchors = {}


def on_page_markdown(markdown, page, config, files):
    if page.meta.get("rl_html") is True:
        page.render = types.MethodType(_render_html, page)
    return markdown


def on_page_content(html, page, config, files):
    if page.meta.get("rl_paper") is True:
        # MkDocs renders every page's HTML before it writes any: at 50,000 papers
        # holding them all is most of the build's memory.  A paper page's HTML waits
        # compressed (and its Markdown is done with) until on_page_context.
        page.markdown = ""
        return zlib.compress(html.encode("utf-8"), 1)
    return html


@event_priority(100)  # before Material's search plugin reads page.content
def on_page_context(context, page, config, nav):
    if isinstance(page.content, bytes):
        page.content = zlib.decompress(page.content).decode("utf-8")
    return context
