"""MkDocs hooks: the thin glue between MkDocs and the readinglist package.

Every decision lives in the package (sitepages, render, ...); these functions
only hand MkDocs' objects to it.  MkDocs loads this file through `hooks:` in
mkdocs.yml, so a plain `mkdocs build` works too.
"""

from __future__ import annotations

from pathlib import Path

from readinglist import build as rl_build
from readinglist import mathml
from readinglist.render import html_escape
from readinglist.sitepages import decorate_paper, meta_description


def _data(config):
    return rl_build.current_site_data(Path(config.config_file_path).parent)


def on_config(config):
    data = _data(config)
    # Edit links need the repository; without it there are none (no dead links).
    if config.repo_url and not config.edit_uri:
        config.edit_uri = "edit/main/content/"
    elif not config.repo_url:
        config.edit_uri = None
    config.nav = [
        {"Home": "index.md"},
        {"Topics": [{t.name: f"topics/{t.id}.md"} for t in data.taxonomy.topics]},
        {"Timeline": "timeline.md"},
    ]
    return config


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
        paper = data.by_slug_cached().get(src[len("papers/"):-3])
        if paper is not None:
            markdown = decorate_paper(paper, markdown, data.taxonomy,
                                      related=data.related(paper), bibtex=data.bibtex(paper))
            meta["description"] = meta_description(paper)
            meta["search"] = {"boost": 2}
    # Material prints these front-matter values into the page unescaped:
    # a title like `<script>` must arrive as text.
    for key in ("title", "description"):
        if isinstance(meta.get(key), str):
            meta[key] = html_escape(meta[key])
    if isinstance(meta.get("title"), str):
        page.title = meta["title"]
    return markdown


def on_page_content(html, page, config, files):
    return mathml.render_math(html)
