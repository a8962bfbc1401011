"""The docs tree: everything the site shows, as plain files any MkDocs engine builds.

`readinglist build` writes this tree into build/docs/ and a config beside it
(build/mkdocs.yml) that INHERITs the tracked mkdocs.yml and adds the
navigation.  An engine (MkDocs, ProperDocs, or anything that reads mkdocs.yml)
then builds the site from it with no hook and no plugin of ours: paper pages
carry their decorations, listing pages are written out, math is MathML, and
feeds, BibTeX, JSON and CSV sit beside the pages as files to copy.

Pure: SiteData in, `{path under build/docs: text}` out.  Only checked pages get
here (build.load_site_data leaves out what `readinglist check` refuses).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator, Optional

from readinglist.curate.classify import Taxonomy
from readinglist.text import html_escape
from readinglist.site.exports import data_page
from readinglist.site.files import site_files
from readinglist.site.pages import home_page, timeline_page, topic_label, topic_page, topics_overview_page
from readinglist.site.paper_page import PaperPages
from readinglist.site.people import authors_page, organizations_page
from readinglist.site.stats import stats_page

# Where the tree and the engine's config live, relative to the project root.
BUILD_DIR = "build"
TREE_DIR = "docs"
ENGINE_CONFIG = "mkdocs.yml"

# Generated pages are not in the repository: "edit this page" on them opens the
# hand-written file they are made from (overrides/partials/actions.html), or is left out.
EDITED_IN = {"index.md": "site_config/home.md", "topics/": "site_config/topics.yml"}


@dataclass(frozen=True)
class SiteSettings:
    """What the tree needs to know of mkdocs.yml (build.site_settings reads it)."""

    site_name: str
    site_url: Optional[str]
    directory_urls: bool = True
    repo_url: Optional[str] = None
    # The theme's features as mkdocs.yml lists them.
    features: tuple[str, ...] = ()

    def features_without_an_address(self) -> Optional[list[str]]:
        """The features to build with when the site has no address, or None to keep them.

        Material's instant navigation loads pages only from its own site_url (its
        sitemap tells it which pages are its own), and without one it breaks
        links: a site with no address is built without it."""
        if self.site_url:
            return None
        kept = [f for f in self.features if not f.startswith("navigation.instant")]
        return kept if len(kept) != len(self.features) else None


def edited_in(src: str) -> Optional[str]:
    for prefix, source in EDITED_IN.items():
        if src == prefix or (prefix.endswith("/") and src.startswith(prefix)):
            return source
    return None


def _with_edit_source(src: str, text: str) -> str:
    """Add `rl_edit:` (the file to edit instead) to a generated page's front matter."""
    source = edited_in(src)
    if source is None or not text.startswith("---\n"):
        return text
    return f"---\nrl_edit: {json.dumps(source)}\n" + text[4:]


def generated_pages(data, intro: str, settings: SiteSettings, memo: Optional["PageMemo"] = None
                    ) -> dict[str, str]:
    """Relative path in the tree -> text, for every listing page.  With a live preview's
    `memo`, a topic page whose papers are all the same objects as last time is not made again."""
    urls = settings.directory_urls
    pages = {"index.md": home_page(data.papers, data.taxonomy, intro, urls),
             "timeline.md": timeline_page(data.papers, urls)}
    pages["topics/index.md"] = topics_overview_page(data.taxonomy, data.papers, urls)
    for topic in data.taxonomy.topics:
        src = f"topics/{topic.id}.md"
        if memo is None:
            pages[src] = topic_page(topic.id, data.taxonomy, data.papers, urls)
        else:
            members = tuple(p for p in data.papers if topic.id in p.topics)
            pages[src] = memo.made(src, (data.taxonomy, urls, members),
                                   lambda tid=topic.id, ps=members: topic_page(tid, data.taxonomy, list(ps), urls))
    pages["stats.md"] = stats_page(data.papers, data.taxonomy)
    pages["data.md"] = data_page(len(data.papers), root="../")
    pages["people/authors.md"] = authors_page(data.papers, urls)
    pages["people/organizations.md"] = organizations_page(data.papers, urls)
    return {src: _with_edit_source(src, text) for src, text in pages.items()}


class PageMemo(dict):
    """A live preview's pages, by path in the tree, with what each was made from: a page
    is made again only when one of those is not the object it was.  The preview keeps
    the objects of pages that did not change on disk, so identity is enough."""

    def made(self, src: str, sources: tuple, make) -> str:
        kept = self.get(src)
        if kept is not None and len(kept[0]) == len(sources) and all(
                _same_objects(a, b) for a, b in zip(kept[0], sources)):
            return kept[1]
        text = make()
        self[src] = (sources, text)
        return text


def _same_objects(a, b) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(x is y for x, y in zip(a, b))
    return a is b or (isinstance(a, (bool, int, str)) and a == b)


def paper_pages(data, settings: SiteSettings, memo: Optional[PageMemo] = None) -> Iterator[tuple[str, str]]:
    writer = PaperPages(data.taxonomy, settings.directory_urls)
    for p in data.papers:
        src, related, bibtex = f"papers/{p.slug}.md", data.related(p), data.bibtex(p)
        if memo is None:
            yield src, writer.page(p, related, bibtex)
        else:
            yield src, memo.made(src, (p, tuple(related), bibtex, writer.taxonomy, writer.directory_urls),
                                 lambda: writer.page(p, related, bibtex))


def docs_tree(data, intro: str, settings: SiteSettings, memo: Optional[PageMemo] = None
              ) -> Iterator[tuple[str, str]]:
    """Every file of the docs tree, (path, text), one at a time: at 50,000 papers
    the tree is hundreds of megabytes, and it goes to disk as it is made."""
    yield from docs_pages(data, intro, settings, memo)
    yield from docs_files(data, settings)


def docs_pages(data, intro: str, settings: SiteSettings, memo: Optional[PageMemo] = None
               ) -> Iterator[tuple[str, str]]:
    """The pages of the tree: listing pages, then paper pages."""
    yield from generated_pages(data, intro, settings, memo).items()
    yield from paper_pages(data, settings, memo)


def docs_files(data, settings: SiteSettings) -> Iterator[tuple[str, str]]:
    """The files of the tree that are not pages: feeds, BibTeX, JSON and CSV."""
    yield from site_files(data.papers, data.taxonomy, settings.site_name, settings.site_url,
                          settings.directory_urls, entries=data.bibtex_entries_cached())


def navigation(taxonomy: Taxonomy) -> list:
    """The site's navigation: paper pages stay out of it (MkDocs renders the whole
    nav into every page, so listing every paper grows the site with its square)."""
    return [
        {"Home": "index.md"},
        # Material prints a nav title as it is: escaped here, once.
        # The section's first page is its landing page (Material's navigation.indexes).
        {"Topics": ["topics/index.md", *({html_escape(topic_label(t.id, t.name)): f"topics/{t.id}.md"}
                                         for t in taxonomy.topics)]},
        {"Timeline": "timeline.md"},
        {"Stats": "stats.md"},
        {"People": [{"Authors": "people/authors.md"}, {"Organizations": "people/organizations.md"}]},
        {"Data": "data.md"},
    ]


def engine_config(taxonomy: Taxonomy, site_dir: str, hooks: bool, edit_links: bool = True,
                  features: Optional[list[str]] = None) -> str:
    """build/mkdocs.yml: the tracked mkdocs.yml, this tree and its navigation.

    Paths in an INHERITed file are read relative to this one (MkDocs' rule), so
    the path options of mkdocs.yml that point into the repository are set again
    here.  `hooks` adds site_config/hooks.py, which only makes the build faster:
    the site is the same without it (tests/test_tree.py).  Without a repository
    URL (`edit_links` False) there are no "edit this page" links, not dead ones.
    `features`, when given, replace the theme's (INHERIT replaces lists whole)."""
    theme: dict = {"custom_dir": "../site_config/overrides"}
    if features is not None:
        theme["features"] = features
    config = {
        "INHERIT": "../mkdocs.yml",
        "docs_dir": TREE_DIR,
        "site_dir": site_dir,
        "theme": theme,
        "nav": navigation(taxonomy),
    }
    if not edit_links:
        config["edit_uri"] = ""
    if hooks:
        config["hooks"] = ["../site_config/hooks.py"]
    lines = ["# Generated by `readinglist build` for the docs tree beside it: do not edit.",
             "# Change mkdocs.yml (everything but the navigation) or site_config/topics.yml."]
    # JSON is YAML: every name is quoted as it must be, whatever a topic is called.
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in config.items()]
    return "\n".join(lines) + "\n"
