"""Papers taken off the list, and why: the tombstones in content/removed.yml.

Deleting a page is not enough to remove a paper: the dumps still list it, so
the next ingest would write it again.  A tombstone says "not this paper": its
title key (text.title_key: case, accents and punctuation ignored), the title
and slug it had, the reason, and the day.  Ingest never writes a page for a
paper whose key has a tombstone.  `readinglist remove SLUG --reason "..."`
adds one and deletes the page; ingest adds one for a page deleted by hand
(curate/filings.py's record shows the page existed).  To bring a paper back, a
person deletes its entry and runs `readinglist ingest`.

Pure: the store reads and writes the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from readinglist.text import title_key

REMOVALS_FILE = "removed.yml"
HAND_DELETED = "the page was deleted by hand (recorded by readinglist ingest)"

HEADER = """\
# Papers taken off the reading list: `readinglist ingest` never writes their pages again,
# whatever the dumps say.  `readinglist remove SLUG --reason "..."` adds an entry (and deletes
# the page); ingest adds one for a page deleted by hand.  To bring a paper back, delete its
# entry here and run `readinglist ingest`.  `readinglist check` notes entries no dump lists any more.
"""


@dataclass(frozen=True)
class Tombstone:
    title: str
    key: str            # text.title_key(title): what ingest matches
    slug: str
    reason: str
    removed: Optional[dt.date] = None
    line: int = 0       # where it is in the file, for messages


class RemovalsError(ValueError):
    """The file cannot be used: `.line` and the message say where and why."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def tombstone(title: str, slug: str, reason: str, removed: dt.date) -> Tombstone:
    return Tombstone(title, title_key(title), slug, " ".join(reason.split()), removed)


def removals_from_data(data: object, lines: Optional[list[int]] = None) -> list[Tombstone]:
    """The parsed file (a YAML list of entries); RemovalsError names a bad entry."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise RemovalsError(1, "expected a list of entries (`- title: ...`)")
    out = []
    for number, entry in enumerate(data, 1):
        line = lines[number - 1] if lines and number <= len(lines) else 0
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str) or not entry["title"].strip():
            raise RemovalsError(line, f"entry {number} needs a `title:`")
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise RemovalsError(line, f"entry {number} ({entry['title']!r}) needs a `reason:`")
        removed = entry.get("removed")
        if removed is not None and not isinstance(removed, dt.date):
            raise RemovalsError(line, f"entry {number}: `removed:` must be a date like 2026-12-06")
        out.append(Tombstone(entry["title"], title_key(entry["title"]), str(entry.get("slug") or ""),
                             reason, removed, line))
    return out


def removals_to_data(stones: list[Tombstone]) -> list[dict]:
    """Entries as written, one per title key, in key order (so the file diffs well)."""
    seen: dict[str, Tombstone] = {}
    for stone in stones:
        seen.setdefault(stone.key, stone)
    out = []
    for key in sorted(seen):
        stone = seen[key]
        entry = {"title": stone.title, "key": stone.key, "slug": stone.slug, "reason": stone.reason}
        if stone.removed:
            entry["removed"] = stone.removed
        out.append(entry)
    return out


def removed_keys(stones: list[Tombstone]) -> dict[str, Tombstone]:
    return {stone.key: stone for stone in stones}
