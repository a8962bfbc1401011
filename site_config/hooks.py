"""Optional MkDocs hooks: they make the build faster, never different.

The docs tree (build/docs/, written by `readinglist build`) is complete on its
own: any engine that reads mkdocs.yml builds the same site from it without
this file (tests/test_tree.py builds it both ways and compares).  The
generated build/mkdocs.yml lists this file under `hooks:` unless
`readinglist build --no-hooks` is asked.  What it saves:

* Markdown for pages that are HTML already (`rl_html: true`: paper pages and
  the big listings): the page is its own HTML but for its headings, which one
  converter per build makes (instead of a new Markdown object per page);
* rendering the tabs and the navigation sidebar once for all paper pages
  (they are out of the nav and all at the same depth: `rl_once` in
  overrides/main.html);
* memory: a paper page's HTML waits compressed until its turn to be written,
  and is let go once written (MkDocs keeps every page object to the end).

MkDocs-specific on purpose; nothing else in readinglist imports MkDocs.
"""

from __future__ import annotations

import html
import re
import types
import zlib

import markdown
from mkdocs.plugins import event_priority
from mkdocs.structure.toc import get_toc

_HEADING_RE = re.compile(r"^#{1,6} ")
_ID_RE = re.compile(r'\bid="([^"]+)"')
_TAG_RE = re.compile(r"<[^>]*>")


def on_config(config):
    # One Markdown converter for the whole build, for the headings of pages that
    # are HTML already; MkDocs makes a new one for every page it renders.
    config.rl_headings = markdown.Markdown(extensions=config.markdown_extensions,
                                           extension_configs=config.mdx_configs or {})
    return config


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
    """Page.render for a page of raw HTML lines and Markdown heading lines (`rl_html: true`,
    written by readinglist: no blank line, no other Markdown).  Python-Markdown passes
    each HTML line through as it is and turns each heading into one line of HTML, so
    the page is its lines with the headings converted, by the build's own converter,
    all at once (the toc extension numbers repeated ids per page)."""
    lines = page.markdown.strip("\n").split("\n")
    headings = [i for i, line in enumerate(lines) if _HEADING_RE.match(line)]
    converter = config.rl_headings
    converter.reset()
    converted = converter.convert("\n\n".join(lines[i] for i in headings)).split("\n") if headings else []
    if len(converted) != len(headings):  # not the page readinglist writes: let Markdown have it
        return type(page).render(page, config, files)
    for i, made in zip(headings, converted):
        lines[i] = made
    page.content = "\n".join(lines)
    tokens = getattr(converter, "toc_tokens", [])
    page.toc = get_toc(tokens)
    first = tokens[0] if tokens and tokens[0]["level"] == 1 else None
    page._title_from_render = html.unescape(_TAG_RE.sub("", first["html"])) if first else None
    page.present_anchor_ids = set(_ID_RE.findall(page.content))
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


def on_post_page(output, page, config):
    if page.meta.get("rl_paper") is True:
        # Written: nothing reads a paper page's HTML again (it is out of Material's
        # search), and MkDocs would hold all 50,000 of them until the build ends.
        page.content = None
    return output
