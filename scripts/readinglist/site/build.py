"""Build: generated pages from the papers, then the site with MkDocs (strict).

MkDocs-specific code is kept to `run_mkdocs` here and site_config/hooks.py.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from readinglist import store
from readinglist.curate.classify import Taxonomy
from readinglist.store import load_taxonomy
from readinglist.paper import InputError, Paper, Problem
from readinglist.catalog import Catalog, duplicate_titles
from readinglist.site.citations import bibtex_entries
from readinglist.site.exports import data_page
from readinglist.site.people import authors_page, organizations_page
from readinglist.curate.related import related_slugs
from readinglist.site.files import site_files
from readinglist.site.pages import generated_hash_ok, home_page, timeline_page, topic_page
from readinglist.site.search import Collected
from readinglist.site.stats import stats_page


@dataclass
class SiteData:
    """Everything the site is built from, loaded once per build."""

    project: store.Project
    taxonomy: Taxonomy
    papers: list[Paper]
    # Pages left out of the site because they cannot be read safely.
    excluded: dict[str, list[Problem]] = field(default_factory=dict)
    # Problems of pages that are still built (unknown keys or topics, duplicates).
    warnings: list[Problem] = field(default_factory=list)

    _by_slug: Optional[dict[str, Paper]] = None
    _related: Optional[dict[str, list[str]]] = None
    _bibtex: Optional[dict[str, str]] = None

    def by_slug_cached(self) -> dict[str, Paper]:
        if self._by_slug is None:
            self._by_slug = {p.slug: p for p in self.papers}
        return self._by_slug

    def related_slugs_cached(self) -> dict[str, list[str]]:
        """Most similar papers by slug; computed once, on first use (it is the costly part)."""
        if self._related is None:
            self._related = related_slugs(self.papers)
        return self._related

    def related(self, paper: Paper) -> list[Paper]:
        by_slug = self.by_slug_cached()
        return [by_slug[s] for s in self.related_slugs_cached().get(paper.slug, [])]

    def bibtex_entries_cached(self) -> dict[str, str]:
        """BibTeX entry by slug; keys are unique over all papers, so computed for all at once."""
        if self._bibtex is None:
            self._bibtex = bibtex_entries(self.papers)
        return self._bibtex

    def bibtex(self, paper: Paper) -> Optional[str]:
        return self.bibtex_entries_cached().get(paper.slug)


@dataclass
class BuildState:
    """What one build carries from hook to hook (site_config/hooks.py keeps it on
    the MkDocs config object of that build)."""

    data: SiteData
    search: Collected = field(default_factory=Collected)


def load_site_data(project: store.Project) -> SiteData:
    """Papers and taxonomy; pages with problems are reported and left out."""
    taxonomy = load_taxonomy(project)
    catalog = Catalog.load(project, taxonomy)
    papers = catalog.showable()
    excluded = {slug: page.blocking for slug, page in catalog.pages.items() if page.blocking}
    warnings = [p for page in catalog.pages.values() if not page.blocking for p in page.problems]
    warnings.extend(duplicate_titles(papers))
    return SiteData(project, taxonomy, papers, excluded, warnings)


def generated_pages(data: SiteData, intro: str) -> dict[str, str]:
    """Relative path under content/ -> text, for every generated page."""
    pages = {"index.md": home_page(data.papers, data.taxonomy, intro),
             "timeline.md": timeline_page(data.papers)}
    for topic in data.taxonomy.topics:
        pages[f"topics/{topic.id}.md"] = topic_page(topic.id, data.taxonomy, data.papers)
    pages["stats.md"] = stats_page(data.papers, data.taxonomy)
    pages["data.md"] = data_page(len(data.papers), root="../")
    pages["people/authors.md"] = authors_page(data.papers)
    pages["people/organizations.md"] = organizations_page(data.papers)
    return pages


# Generated pages beyond home, timeline and topics (.gitignore lists them too).
GENERATED_ONLY_PAGES = ("stats.md", "data.md", "people/authors.md", "people/organizations.md")


def hand_edited_generated_pages(project: store.Project) -> list[Problem]:
    """Generated pages whose text no longer matches what readinglist wrote."""
    problems = []
    candidates = [project.content / "index.md", project.content / "timeline.md",
                  *store.list_files(project.content / "topics", "*.md")]
    # Pages readinglist alone writes: one without the generated marker was replaced by hand.
    ours_only = [project.content / rel for rel in GENERATED_ONLY_PAGES]
    for path in candidates + ours_only:
        text = store.read_text_or_none(path)
        if text is None:
            continue
        state = generated_hash_ok(text)
        if state is False or (state is None and (path.parent.name == "topics" or path in ours_only)):
            problems.append(Problem(project.rel(path), 1,
                                    "generated page was edited by hand; it is rebuilt from the papers "
                                    "(change site_config/topics.yml or site_config/home.md instead, "
                                    "then delete this file)"))
    return problems


def write_generated_pages(data: SiteData) -> int:
    """Write generated pages (only those that change) and remove stale topic pages."""
    project = data.project
    intro = store.read_text_or_none(project.config / "home.md") or "# Reading list\n"
    pages = generated_pages(data, intro)
    written = sum(store.write_text(project.content / rel, text) for rel, text in pages.items())
    for stale in store.list_files(project.content / "topics", "*.md"):
        if f"topics/{stale.name}" not in pages and generated_hash_ok(store.read_text_or_none(stale) or ""):
            store.remove_file(stale)
    return written


def write_site_files(data: SiteData, site_dir: Path, site_name: str, site_url: Optional[str],
                     directory_urls: bool = True) -> int:
    """Write the feeds, BibTeX, JSON and CSV files into the built site (only those that change)."""
    files = site_files(data.papers, data.taxonomy, site_name, site_url, directory_urls,
                       entries=data.bibtex_entries_cached())
    return sum(store.write_text(site_dir / rel, text) for rel, text in files.items())


def run_mkdocs(project: store.Project, strict: bool, serve: bool, site_dir: Optional[str] = None,
               dev_addr: Optional[str] = None, data: Optional[SiteData] = None) -> int:
    from mkdocs import exceptions
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    logging.basicConfig(format="%(levelname)s - %(message)s", level=logging.WARNING, stream=sys.stderr)
    config_file = str(project.root / "mkdocs.yml")
    try:
        if serve:
            from mkdocs.commands import serve as mkdocs_serve
            mkdocs_serve.serve(config_file=config_file, dev_addr=dev_addr, strict=strict)
            return 0
        options = {"strict": strict}
        if site_dir:
            options["site_dir"] = str(Path(site_dir).resolve())
        config = load_config(config_file=config_file, **options)
        if data is not None:  # the hooks use what this build already loaded
            config.readinglist = BuildState(data)
        mkdocs_build.build(config)
    except exceptions.Abort as exc:
        print(f"error: site build failed: {exc}", file=sys.stderr)
        return 1
    except exceptions.ConfigurationError as exc:
        raise InputError("mkdocs.yml", f"configuration error: {exc}") from None
    return 0


def run_build(project: store.Project, strict: bool = True, serve: bool = False,
              site_dir: Optional[str] = None, dev_addr: Optional[str] = None) -> int:
    edited = hand_edited_generated_pages(project)
    if edited:
        for problem in edited:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    data = load_site_data(project)
    for slug in sorted(data.excluded):
        for problem in data.excluded[slug]:
            print(f"error: {problem}", file=sys.stderr)
        print(f"error: content/papers/{slug}.md left out of the site until fixed "
              "(run `readinglist check`)", file=sys.stderr)
    for problem in data.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    write_generated_pages(data)
    status = run_mkdocs(project, strict, serve, site_dir, dev_addr, data=None if serve else data)
    if status == 0 and not serve:
        print(f"built {len(data.papers)} paper pages and {len(data.taxonomy.topics)} topic pages "
              f"into {site_dir or 'site/'}")
    return 1 if data.excluded else status
