"""`readinglist serve`: a live preview that keeps up with every edit.

The engine's own server previews the docs tree and rebuilds the pages whose
files change (`--dirty`).  This module keeps the tree up to date: it watches
content/papers/, site_config/ and mkdocs.yml, and on a change writes the tree
files the change affects (a page's front matter reaches its own page, its
topics' pages, the home page, the timeline, ...).  Only pages whose text
changed are rewritten, so the engine rebuilds only those.

Cheap per edit: the catalog stays in memory and only the pages that changed on
disk are read again; the related papers are recomputed only when a title or
abstract changed (build.SiteData caches them by content).
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Optional

from readinglist import store
from readinglist.catalog import Catalog, read_page
from readinglist.paper import InputError
from readinglist.site import engines
from readinglist.site.build import SiteData, site_data_from, site_settings, write_engine_config
from readinglist.site.tree import PageMemo, docs_files, docs_pages, docs_tree
from readinglist.store import load_taxonomy

POLL_SECONDS = 0.25


class LiveTree:
    """The docs tree of a project, kept in step with its files."""

    def __init__(self, project: store.Project, hooks: bool = True):
        self.project = project
        self.hooks = hooks
        self.seen: dict[Path, tuple[int, int]] = {}
        self.catalog: Optional[Catalog] = None
        self.tree: dict[str, int] = {}  # path in the tree -> hash of its text
        self.memo = PageMemo()
        self.previous: Optional[SiteData] = None
        # Set when a change reaches every page (the navigation): the engine must build
        # everything again, which a dirty rebuild does not do.
        self.rebuild_all = False

    def _watched(self) -> dict[Path, tuple[int, int]]:
        return store.file_stats([self.project.papers, self.project.config], [self.project.root / "mkdocs.yml"])

    def refresh(self, before_write: Callable[[], None] = lambda: None) -> list[str]:
        """Bring the tree up to date with the project's files; the tree files written or removed.
        `before_write` is called before each batch of writes after the first refresh (the
        preview waits there for the engine to be idle)."""
        now = self._watched()
        changed = {path for path in now.keys() | self.seen.keys() if now.get(path) != self.seen.get(path)}
        if not changed and self.catalog is not None:
            return []
        self.seen = now
        config_changed = self.catalog is None or any(p.parent != self.project.papers for p in changed)
        taxonomy = load_taxonomy(self.project) if config_changed else self.previous.taxonomy
        if config_changed:
            self.catalog = Catalog.load(self.project, taxonomy)
        else:
            for path in sorted(changed):
                if path.suffix != ".md":  # the catalog reads content/papers/<slug>.md only, and so does this
                    continue
                try:  # read as the catalog reads each page: a page that is no file to read is its problem
                    text = store.read_page(self.project, path.stem, self.project.rel(path))
                except InputError:  # gone
                    self.catalog.pages.pop(path.stem, None)
                else:
                    self.catalog.pages[path.stem] = read_page(path.stem, text, taxonomy)
            self.catalog.pages = dict(sorted(self.catalog.pages.items()))
        data = site_data_from(self.project, taxonomy, self.catalog)
        if self.previous is not None:
            data.reuse(self.previous)
        self.previous = data
        settings = site_settings(self.project)
        intro = store.read_text_or_none(self.project.config / "home.md") or "# Reading list\n"
        first = not self.tree
        if first:  # the first time, the tree on disk may hold anything
            hashes: dict[str, int] = {}

            def remembered():
                for rel, text in docs_tree(data, intro, settings, self.memo):
                    hashes[rel] = hash(text)
                    yield rel, text

            touched, removed = store.write_tree(self.project.tree, remembered())
        else:
            # Only hashes are kept between edits: the texts of 50,000 pages would be gigabytes.
            # Pages first, so the engine rebuilds what a reader sees while the exports
            # (JSON, CSV, BibTeX, feeds: most of the work after an edit) are made.
            hashes, touched = {}, []
            for part in (docs_pages(data, intro, settings, self.memo), docs_files(data, settings)):
                changes = {}
                for rel, text in part:
                    hashes[rel] = hash(text)
                    if self.tree.get(rel) != hashes[rel]:
                        changes[rel] = text
                if changes:
                    before_write()
                    store.write_tree_changes(self.project.tree, changes, ())
                touched += changes
            removed = [rel for rel in self.tree if rel not in hashes]
            if removed:
                before_write()
                store.write_tree_changes(self.project.tree, {}, removed)
        self.tree = hashes
        if not first:
            before_write()
        if write_engine_config(data, settings, self.project.site, self.hooks) and not first:
            # A new navigation shows on every page, so every page must be built again.
            # Touching every page instead would race the engine: a dirty rebuild that
            # starts while files are being touched finds pages it skipped reading
            # "modified" when it writes them, and fails (MkDocs 1.6, Material's search).
            self.rebuild_all = True
        return touched + removed


def _stop(signum, frame):
    raise SystemExit(0)


class EngineServer:
    """The engine's live server, and whether a rebuild is running.

    The tree is written only while the engine is idle: a dirty rebuild (MkDocs 1.6)
    that finds a page changed between reading the pages and writing them fails
    (Material's search gets a page it skipped reading).  The engine's log says when
    a rebuild starts and ends; it is passed on to the terminal as it comes."""

    BUSY = ("Detected file changes", "Building documentation")
    IDLE = ("Documentation built in", "An error happened during the rebuild", "Serving on")

    def __init__(self, engine: str, config_path: Path, dev_addr: Optional[str]):
        self.process = engines.serve(engine, config_path, dev_addr)
        self.idle = threading.Event()
        self.relay = threading.Thread(target=self._relay, daemon=True)
        self.relay.start()

    def _relay(self) -> None:
        for line in self.process.stderr:
            sys.stderr.write(line)
            if any(mark in line for mark in self.BUSY):
                self.idle.clear()
            elif any(mark in line for mark in self.IDLE):
                self.idle.set()
        self.idle.set()  # the engine ended: nothing to wait for

    def wait_idle(self, timeout: float = 1800) -> None:
        self.idle.wait(timeout)

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.relay.join(timeout=5)


def run_preview(project: store.Project, dev_addr: Optional[str] = None, engine: str = engines.DEFAULT_ENGINE) -> int:
    live = LiveTree(project)
    live.refresh()
    # Stopped by a signal as by Ctrl-C: the engine's server goes with us.
    signal.signal(signal.SIGTERM, _stop)
    server = EngineServer(engine, project.build / "mkdocs.yml", dev_addr)
    print(f"readinglist: previewing at http://{dev_addr or '127.0.0.1:8000'}/ ; edits to content/ and "
          "site_config/ show without a restart (Ctrl-C stops)", file=sys.stderr)
    try:
        while server.running():
            time.sleep(POLL_SECONDS)
            try:
                changed = live.refresh(before_write=server.wait_idle)
            except InputError as exc:  # say what is wrong, keep serving, try again on the next save
                print(f"error: {exc}", file=sys.stderr)
                continue
            if changed:
                print(f"readinglist: updated {len(changed)} file(s) of the preview", file=sys.stderr)
            if live.rebuild_all:
                print("readinglist: the navigation changed: building every page again", file=sys.stderr)
                server.stop()
                server = EngineServer(engine, project.build / "mkdocs.yml", dev_addr)
                live.rebuild_all = False
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.stop()
    return 0
