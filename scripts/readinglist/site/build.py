"""Build: the docs tree from the checked pages, then the site with an engine (strict).

The engine (MkDocs or ProperDocs) runs as its own command on build/mkdocs.yml
(engines.py); nothing here depends on its internals.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml

from readinglist import store
from readinglist.curate.classify import Taxonomy
from readinglist.store import load_taxonomy
from readinglist.paper import InputError, Paper, Problem
from readinglist.catalog import Catalog, duplicate_titles
from readinglist.site.citations import bibtex_entries
from readinglist.curate.related import RELATED_VERSION, related_slugs
from readinglist.curate.removals import REMOVALS_FILE
from readinglist.site import engines
from readinglist.site import search as searchindex
from readinglist.site.files import page_path
from readinglist.site.pages import generated_hash_ok
from readinglist.text import html_escape
from readinglist.site.tree import ENGINE_CONFIG, SiteSettings, docs_tree, engine_config


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
    _related_key: Optional[str] = None
    _bibtex: Optional[dict[str, str]] = None
    # Base keys and entries by slug, carried from one live-preview refresh to the next.
    _bibtex_memo: dict = field(default_factory=dict)

    def by_slug_cached(self) -> dict[str, Paper]:
        if self._by_slug is None:
            self._by_slug = {p.slug: p for p in self.papers}
        return self._by_slug

    def related_slugs_cached(self) -> dict[str, list[str]]:
        """Most similar papers by slug; computed on first use, and only when the papers' texts
        changed since a build kept them in build/cache/ (it is the costly part)."""
        if self._related is None:
            key = related_key(self.papers)
            path = self.project.cache / "related.json"
            kept = store.read_json_or_none(path, store.MAX_PRODUCT_BYTES)
            if isinstance(kept, dict) and kept.get("key") == key and isinstance(kept.get("related"), dict):
                self._related = kept["related"]
            else:
                self._related = related_slugs(self.papers)
                store.write_cache(path, json.dumps({"key": key, "related": self._related}, sort_keys=True) + "\n")
            self._related_key = key
        return self._related

    def reuse(self, previous: "SiteData") -> None:
        """Take over what `previous` (the same list a moment ago) computed, where it still holds."""
        if previous._related is not None and previous._related_key == related_key(self.papers):
            self._related, self._related_key = previous._related, previous._related_key
        self._bibtex_memo = previous._bibtex_memo

    def related(self, paper: Paper) -> list[Paper]:
        by_slug = self.by_slug_cached()
        return [by_slug[s] for s in self.related_slugs_cached().get(paper.slug, [])]

    def bibtex_entries_cached(self) -> dict[str, str]:
        """BibTeX entry by slug; keys are unique over all papers, so computed for all at once."""
        if self._bibtex is None:
            self._bibtex = bibtex_entries(self.papers, self._bibtex_memo)
        return self._bibtex

    def bibtex(self, paper: Paper) -> Optional[str]:
        return self.bibtex_entries_cached().get(paper.slug)


def related_key(papers: list[Paper]) -> str:
    """What the related papers depend on: every paper's slug, title and abstract (and the code)."""
    digest = hashlib.sha256(RELATED_VERSION.encode())
    for paper in sorted(papers, key=lambda p: p.slug):  # the same list in another order is the same list
        digest.update(f"\0{paper.slug}\0{paper.title}\0{paper.abstract}".encode())
    return digest.hexdigest()


def load_site_data(project: store.Project) -> SiteData:
    """Papers and taxonomy; pages with problems are reported and left out."""
    taxonomy = load_taxonomy(project)
    return site_data_from(project, taxonomy, Catalog.load(project, taxonomy))


def site_data_from(project: store.Project, taxonomy: Taxonomy, catalog: Catalog) -> SiteData:
    papers = catalog.showable()
    excluded = {slug: page.blocking for slug, page in catalog.pages.items() if page.blocking}
    warnings = [p for page in catalog.pages.values() if not page.blocking for p in page.problems]
    warnings.extend(duplicate_titles(papers))
    return SiteData(project, taxonomy, papers, excluded, warnings)


# What a build without READINGLIST_SITE_URL leaves out, in one line (README, "Deploying").
NO_ADDRESS_NOTE = ("no site address (READINGLIST_SITE_URL is unset): links are relative, so the site works "
                   "wherever it is copied; no canonical links, an empty sitemap, relative feed links and "
                   "instant navigation off. Set READINGLIST_SITE_URL to the deployed address for those.")


# Generated pages earlier versions wrote into content/ (the docs tree holds them now).
OLD_GENERATED_PAGES = ("index.md", "timeline.md", "stats.md", "data.md", "people/authors.md",
                       "people/organizations.md")


def old_generated_pages(project: store.Project) -> tuple[list[Path], list[Problem]]:
    """Generated pages left in content/ by an earlier version: (untouched ones, edited ones).

    They are not part of the site any more (it is built from build/docs/); the
    untouched ones can go, an edited one is reported so the edit is not lost."""
    untouched, edited = [], []
    candidates = [project.content / rel for rel in OLD_GENERATED_PAGES]
    candidates += store.list_files(project.content / "topics", "*.md")
    for path in candidates:
        try:
            text = store.read_text_or_none(path, project.rel(path))
        except InputError as exc:  # a folder, a pipe, a device by the name of a generated page
            edited.append(Problem(exc.problem.path, 1, f"{exc.problem.message}; it is a page an earlier version "
                                                       "generated and is not part of the site (delete it)"))
            continue
        if text is None:
            continue
        if generated_hash_ok(text):
            untouched.append(path)
        else:
            edited.append(Problem(project.rel(path), 1,
                                  "a generated page was edited by hand and is not part of the site: pages are "
                                  "generated from the papers (change site_config/topics.yml or site_config/home.md "
                                  "instead), then delete this file"))
    return untouched, edited


def hand_edited_generated_pages(project: store.Project) -> list[Problem]:
    return old_generated_pages(project)[1]


# Markdown files MkDocs would make pages of (mkdocs.utils.markdown_extensions); only `.md` ones are papers.
_MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")


def _old_generated(rel: str) -> bool:
    """A generated page an earlier version wrote into content/ (old_generated_pages sees to it)."""
    return rel in OLD_GENERATED_PAGES or re.fullmatch(r"topics/[^/]+\.md", rel) is not None


def unchecked_content(project: store.Project) -> list[Problem]:
    """Everything under content/ that readinglist does not read as a page, one problem each.

    The site publishes only what the docs tree holds (site/tree.py): pages
    made from the papers readinglist read and checked.  A page in a subfolder
    of content/papers/, a `.markdown` or `.html` file, a symlink out of the
    repository is never published; `check` names each, so a contributor does
    not believe it is part of the list.
    """
    problems = []
    for entry in store.content_files(project):
        name, rel = f"content/{entry.rel}", entry.rel
        if re.fullmatch(r"papers/[^/]+\.md", rel) or rel == REMOVALS_FILE \
                or (entry.kind == "file" and _old_generated(rel)):
            continue  # a page the catalog reads (or says why not), the removals (store), an old generated page
        if entry.kind == "link to folder":
            message = (f"is a symlink to the folder {entry.target!r}: nothing in it is read or published "
                       "(delete the symlink; pages go in content/papers/)")
        elif entry.kind == "link outside":
            message = (f"is a symlink to {entry.target!r}, outside the repository: it is not read or published "
                       "(replace it with the file itself, or delete it)")
        elif entry.kind == "link loop":
            message = f"is a symlink to {entry.target!r}, which leads back to itself (delete it)"
        elif entry.kind == "link to nothing":
            message = f"is a symlink to {entry.target!r}, which does not exist (delete it)"
        elif entry.kind != "file":
            message = f"is {entry.kind}, not a file (delete it)"
        elif rel.startswith("papers/") and rel.count("/") > 1:
            message = ("is in a subfolder of content/papers/: it is not read as a page and not published "
                       "(pages go directly in content/papers/, as <slug>.md)")
        elif rel.lower().endswith(_MARKDOWN_SUFFIXES):
            message = ("is not a page readinglist reads, and it is not published (a paper page is "
                       "content/papers/<slug>.md: rename or move it, or delete it)")
        else:
            message = ("is not published and not checked: content/ holds only paper pages, "
                       "content/papers/<slug>.md (delete it)")
        problems.append(Problem(name, 0, message))
    return problems


def site_settings(project: store.Project) -> SiteSettings:
    config = store.read_engine_config(project)
    name = config.get("site_name")
    if not isinstance(name, str) or not name.strip():
        raise InputError("mkdocs.yml", "`site_name:` is missing; give the site a name")
    url, repo = config.get("site_url"), config.get("repo_url")
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    features = tuple(f for f in theme.get("features") or () if isinstance(f, str))
    return SiteSettings(name, url if isinstance(url, str) and url else None,
                        config.get("use_directory_urls", True) is not False,
                        repo if isinstance(repo, str) and repo else None, features)


def write_tree(data: SiteData, settings: SiteSettings, site_dir: Path, hooks: bool = True) -> list[str]:
    """Write the docs tree and the engine's config (only files that change); the tree files removed."""
    project = data.project
    intro = store.read_text_or_none(project.config / "home.md") or "# Reading list\n"
    _, removed = store.write_tree(project.tree, docs_tree(data, intro, settings))
    write_engine_config(data, settings, site_dir, hooks)
    return removed


ENGINE_STAMP = "engine-build.json"


def engine_stamp(project: store.Project, engine: str, site_dir: Path) -> str:
    """Everything that shows on every page but is not in the tree's page files: the engine
    and theme, their configuration (with the navigation) and the theme overrides."""
    digest = hashlib.sha256(f"{engine}\0{engines.version(engine)}\0{site_dir.resolve()}".encode())
    # mkdocs.yml as the engine reads it: the environment fills in the site's and repository's addresses.
    digest.update(json.dumps(store.read_engine_config(project), sort_keys=True, default=str).encode())
    digest.update(f"\0{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    for path in (project.build / ENGINE_CONFIG, project.root / "mkdocs.yml", project.config / "hooks.py"):
        digest.update(b"\0" + store.read_bytes_or_empty(path))
    digest.update(store.digest_files(project.config / "overrides", "*").encode())
    return digest.hexdigest()


def write_engine_config(data: SiteData, settings: SiteSettings, site_dir: Path, hooks: bool) -> bool:
    """build/mkdocs.yml; True when it changed."""
    project = data.project
    site = os.path.relpath(site_dir.resolve(), project.build.resolve())
    return store.write_text(project.build / ENGINE_CONFIG,
                            engine_config(data.taxonomy, site, hooks, edit_links=bool(settings.repo_url),
                                          features=settings.features_without_an_address()))


def finish_site(data: SiteData, settings: SiteSettings, site_dir: Path) -> None:
    """After the engine: readinglist's own search entries (site/search.py)."""
    listings = []
    for src, text in generated_listing_front(data.project):
        # Title and description are HTML already (pages.generated_page escapes them); the
        # home page has no title of its own (the browser tab shows the site's name).
        title = text.get("title") if isinstance(text.get("title"), str) else html_escape(settings.site_name)
        listings.append(searchindex.listing_entry(page_path(src, settings.directory_urls), title,
                                                  text.get("description") or None, text.get("rl_search_boost")))
    locations = {p.slug: page_path(f"papers/{p.slug}.md", settings.directory_urls) for p in data.papers}
    searchindex.update_site_index(site_dir, data.papers, data.taxonomy, locations, listings)


def generated_listing_front(project: store.Project) -> list[tuple[str, dict]]:
    """(path in the tree, front matter) of each listing page, for its search entry."""
    found = []
    for rel in ("index.md", "timeline.md", "stats.md", "data.md", "people/authors.md", "people/organizations.md",
                *(f"topics/{p.name}" for p in store.list_files(project.tree / "topics", "*.md"))):
        text = store.read_text_or_none(project.tree / rel, limit=store.MAX_PRODUCT_BYTES)
        if text is not None and text.startswith("---\n"):
            front = yaml.safe_load(text[4:text.index("\n---\n")])
            if isinstance(front, dict):
                found.append((rel, front))
    return found


def run_build(project: store.Project, strict: bool = True, site_dir: Optional[str] = None,
              engine: str = "mkdocs", hooks: bool = True) -> int:
    untouched, edited = old_generated_pages(project)
    for problem in edited:
        print(f"warning: {problem}", file=sys.stderr)
    for path in untouched:
        store.remove_file(path)
    unchecked = unchecked_content(project)
    for problem in unchecked:  # never in the docs tree: named, so nobody counts on it
        print(f"error: {problem}", file=sys.stderr)
    data = load_site_data(project)
    for slug in sorted(data.excluded):
        for problem in data.excluded[slug]:
            print(f"error: {problem}", file=sys.stderr)
        print(f"error: content/papers/{slug}.md left out of the site until fixed "
              "(run `readinglist check`)", file=sys.stderr)
    for problem in data.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    settings = site_settings(project)
    site = Path(site_dir) if site_dir else project.site
    removed = write_tree(data, settings, site, hooks)
    # When only page files changed since the last build into the same folder, the
    # engine builds just those pages: everything one page shows of the others is
    # in its own file in the tree, and the rest (navigation, theme) is in the stamp.
    stamp_path = project.cache / ENGINE_STAMP
    stamp = engine_stamp(project, engine, site)
    kept = store.read_json_or_none(stamp_path)
    dirty = (isinstance(kept, dict) and kept.get("stamp") == stamp and not removed
             and store.read_text_or_none(site / "index.html", limit=store.MAX_PRODUCT_BYTES) is not None)
    store.remove_file(stamp_path)  # a build that fails or is stopped leaves no stamp behind
    status = engines.build(engine, project.build / ENGINE_CONFIG, strict, dirty=dirty)
    if status == 0:
        finish_site(data, settings, site)
        store.write_cache(stamp_path, json.dumps({"stamp": stamp}) + "\n")
        print(f"built {len(data.papers)} paper pages and {len(data.taxonomy.topics)} topic pages "
              f"into {site_dir or 'site/'} with {engine}")
        if not settings.site_url:
            print(NO_ADDRESS_NOTE)
    return 1 if data.excluded or unchecked else status
