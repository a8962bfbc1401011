"""MkDocs hooks: the thin glue between MkDocs and the readinglist package.

Every decision lives in the package (sitepages, render, ...); these functions
only hand MkDocs' objects to it.  MkDocs loads this file through `hooks:` in
mkdocs.yml, so a plain `mkdocs build` works too.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from urllib.parse import urljoin

from markupsafe import Markup
from mkdocs.plugins import event_priority

from readinglist.site import build as rl_build
from readinglist.site import mathml
from readinglist.site import search as searchindex
from readinglist.text import plain_text
from readinglist.paper import FIELD_ORDER
from readinglist.text import html_escape
from readinglist.site.pages import decorate_paper, meta_description


def _data(config):
    """The build's data, kept on the config object of this build (never in a module
    global: a live preview builds again and again in one process)."""
    return config.readinglist.data


def _search(config):
    """Pages whose search entries readinglist writes itself (site/search.py)."""
    return config.readinglist.search


def on_config(config):
    # `readinglist build` hands its data over; a plain `mkdocs build` or serve loads it.
    if getattr(config, "readinglist", None) is None:
        config.readinglist = rl_build.BuildState(rl_build.load_site_data(
            rl_build.store.Project(Path(config.config_file_path).parent)))
    data = _data(config)
    # Edit links need the repository; without it there are none (no dead links).
    if not config.repo_url:
        config.edit_uri = None
    config.nav = [
        {"Home": "index.md"},
        {"Topics": [{t.name: f"topics/{t.id}.md"} for t in data.taxonomy.topics]},
        {"Timeline": "timeline.md"},
        {"Stats": "stats.md"},
        {"People": [{"Authors": "people/authors.md"}, {"Organizations": "people/organizations.md"}]},
        {"Data": "data.md"},
    ]
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


def on_files(files, config):
    data = _data(config)
    for slug in data.excluded:
        found = files.get_file_from_path(f"papers/{slug}.md")
        if found is not None:
            files.remove(found)
    return files


def on_page_markdown(markdown, page, config, files):
    data = _data(config)
    meta = page.meta
    src = page.file.src_uri
    if src.startswith("papers/") and src.endswith(".md"):
        # Keys that are not ours (a contributor's `template:` or `hide:`) must not steer
        # MkDocs: `readinglist check` reports them, and the page builds as any other.
        for key in [k for k in meta if k not in FIELD_ORDER]:
            del meta[key]
        paper = data.by_slug_cached().get(src[len("papers/"):-3])
        if paper is not None:
            markdown = decorate_paper(paper, markdown, data.taxonomy,
                                      related=data.related(paper), bibtex=data.bibtex(paper))
            meta["description"] = meta_description(paper)
            # Clean text to what readers see (`\$` is a dollar), escaped below.
            meta["title"] = plain_text(paper.title)
            # One entry per paper, written by searchindex (not Material's per-section cut).
            meta["search"] = {"exclude": True}
            _search(config).papers[paper.slug] = page.url
            meta["rl_nav_once"] = True  # same tabs and sidebar on every paper page
    # Material prints these front-matter values into the page unescaped:
    # a title like `<script>` must arrive as text.
    for key in ("title", "description"):
        if isinstance(meta.get(key), str):
            meta[key] = html_escape(meta[key])
    if isinstance(meta.get("title"), str):
        # Markup: already escaped, so templates that escape (`| e`) do not do it twice.
        page.title = Markup(meta["title"])
    if page.edit_url and meta.get("generated"):
        page.edit_url = _generated_edit_url(page, config)
    if meta.get("generated") and isinstance(meta.get("title"), str):
        # A listing repeats the papers' titles: found by its own title and description only.
        boost = (meta.get("search") or {}).get("boost") if isinstance(meta.get("search"), dict) else None
        _search(config).listings.append(searchindex.listing_entry(page.url, meta["title"], meta.get("description"),
                                                                  boost))
        meta["search"] = {"exclude": True}
    return markdown


# Generated pages are not in the repository (.gitignore): "edit this page" opens
# the hand-written file they are made from, or is left out.
_GENERATED_FROM = {"index.md": "site_config/home.md", "topics/": "site_config/topics.yml"}


def _generated_edit_url(page, config):
    src = page.file.src_uri
    source = next((v for k, v in _GENERATED_FROM.items() if src == k or (k.endswith("/") and src.startswith(k))),
                  None)
    if source is None:
        return None
    root = Path(config.config_file_path).parent.resolve()
    depth = len(Path(config.docs_dir).resolve().relative_to(root).parts) + src.count("/")
    return urljoin(page.edit_url, "../" * depth + source)


def on_page_content(html, page, config, files):
    html = mathml.render_math(html)
    if page.meta.get("rl_nav_once"):
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


def on_post_build(config):
    # Runs after Material's search plugin wrote search_index.json (plugins before hooks).
    data = _data(config)
    searchindex.update_site_index(config.site_dir, data.papers, data.taxonomy, _search(config))
    # Feeds, BibTeX, JSON and CSV: files beside the pages, not pages themselves.
    rl_build.write_site_files(data, Path(config.site_dir), config.site_name,
                              config.site_url, config.use_directory_urls)
