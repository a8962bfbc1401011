"""Knowing that an ingest would change nothing, without doing it.

Ingest is a pure function of its inputs: the dumps, the manifest, the
taxonomy, the pages already written and the code.  A run over the whole
manifest that starts from exactly the inputs the previous run left behind
writes nothing (the second-run promise), and reports what that run reported.
So after each full run a fingerprint of those inputs, and the summary the next
run would print, are kept in content/.readinglist-ingest.json; a run that finds
the same fingerprint prints that summary and stops.  Any change (a dump, a
page, topics.yml, an upgrade of readinglist, Python or PyYAML) makes a new
fingerprint and a full run.

The state is committed with the pages, so a fresh clone's first ingest is a
no-op too: the fingerprint holds nothing of the machine.  Pages are
fingerprinted by content (a page saved unchanged changes nothing), paths
relative to the project, and the code by the bytes of the modules ingest runs
and the versions of the libraries that shape what it writes (pinned by
requirements.lock).  Python's own version is not an input.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Optional

from readinglist import store
from readinglist.curate.filings import LEDGER_FILE
from readinglist.curate.removals import REMOVALS_FILE
from readinglist.ingest.report import DumpReport
from readinglist.paper import Problem
from readinglist.curate.topicmodel import MODEL_FILE

STATE_FILE = ".readinglist-ingest.json"
VERSION = 3
# Digests of the pages by name, size and modification time: a page is read again only when it changed.
PAGE_DIGESTS = "page-digests.json"


# The parts of the package an ingest runs, and the libraries that shape what it writes.
INGEST_CODE = ("ingest", "curate", "page", "paper.py", "text.py", "store.py", "catalog.py")
INGEST_LIBRARIES = ("PyYAML", "python-frontmatter", "pyahocorasick")


def code_digest() -> str:
    """The code an ingest runs: its modules' bytes and its libraries' versions."""
    from importlib import metadata

    digest = hashlib.sha256(f"ingest-state-{VERSION}".encode())
    for name in INGEST_LIBRARIES:
        try:
            digest.update(f"\0{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"\0{name}=missing".encode())
    digest.update(store.package_digest(INGEST_CODE).encode())
    return digest.hexdigest()


def fingerprint(project: store.Project, dump_paths: list[Path]) -> str:
    """Everything a full ingest reads, digested."""
    digest = hashlib.sha256(code_digest().encode())
    # Everything the filing reads too: the title model, and who filed which page; and the papers
    # taken off the list (a new tombstone means a page fewer).
    for path in (project.config / "sources.yml", project.config / "topics.yml", project.config / MODEL_FILE,
                 project.content / LEDGER_FILE, project.content / REMOVALS_FILE, *dump_paths):
        digest.update(b"\0file\0" + project.rel(path).encode() + b"\0")
        digest.update(store.read_bytes_or_empty(path))
    for name, page_digest in store.page_digests(project.papers, project.cache / PAGE_DIGESTS):
        digest.update(f"\0page\0{name}\0{page_digest}".encode("utf-8", "surrogateescape"))
    # The names in sources/: a dump added there but not listed is reported by every run.
    for name in store.unlisted_dumps(project, []):
        digest.update(f"\0source\0{name}".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _problems(items: list) -> list[list]:
    return [[p.path, p.line, p.message] for p in items]


def remember(project: store.Project, key: str, summary) -> None:
    """Keep what the next run, finding `key`, would report: this run's, with every page unchanged."""
    state = {
        "version": VERSION, "fingerprint": key,
        "dumps": [[d.name, d.format, d.records] for d in summary.dumps],
        "records_read": summary.records_read, "duplicates_merged": summary.duplicates_merged,
        "unchanged": summary.unchanged + len(summary.new) + len(summary.updated), "removed": summary.removed,
        "warnings": _problems(summary.warnings), "errors": _problems(summary.errors),
    }
    text = json.dumps(state, ensure_ascii=False)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a file name that is not UTF-8 in a message: JSON escapes it
            text = json.dumps(state)
    store.write_text(project.content / STATE_FILE, text + "\n")


def replay(project: store.Project, key: str, summary) -> bool:
    """Fill `summary` from the kept state when `key` matches it; False when it does not."""
    state: Optional[dict[str, Any]] = store.read_json_or_none(project.content / STATE_FILE)
    if not state or state.get("version") != VERSION or state.get("fingerprint") != key:
        return False

    try:
        values = {
            "dumps": [DumpReport(n, f, r) for n, f, r in state["dumps"]],
            "records_read": int(state["records_read"]), "duplicates_merged": int(state["duplicates_merged"]),
            "unchanged": int(state["unchanged"]), "removed": int(state["removed"]),
            "warnings": [Problem(*p) for p in state["warnings"]], "errors": [Problem(*p) for p in state["errors"]],
        }
    except (KeyError, TypeError, ValueError):
        return False
    for name, value in values.items():
        setattr(summary, name, value)
    return True


def forget(project: store.Project) -> None:
    store.remove_file(project.content / STATE_FILE)
