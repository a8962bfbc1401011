"""What an ingest did, as the command line and the no-op replay report it."""

from __future__ import annotations

from dataclasses import dataclass, field

from readinglist.curate.filings import Ledger
from readinglist.curate.removals import Tombstone
from readinglist.paper import Problem


@dataclass
class DumpReport:
    name: str
    format: str
    records: int


@dataclass
class IngestSummary:
    dumps: list[DumpReport] = field(default_factory=list)
    records_read: int = 0
    duplicates_merged: int = 0
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    # pages a person re-filed since the rules last did: their topics are kept and now marked curated
    curated_now: list[str] = field(default_factory=list)
    ledger: Ledger = field(default_factory=dict)
    # papers the dumps list but content/removed.yml took off the list (no page written)
    removed: int = 0
    # pages deleted by hand since the last run: recorded in content/removed.yml now
    deleted_by_hand: list[Tombstone] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{d.name}: {d.format}, {d.records} records" for d in self.dumps]
        out += [f"kept: content/papers/{slug}.md: its topics were changed by a person, so the rules leave them "
                "alone (marked topics_curated: true)" for slug in self.curated_now]
        out += [f"removed: content/papers/{stone.slug}.md was deleted by hand, so {stone.title!r} is recorded "
                "as removed in content/removed.yml and not written again (delete its entry there to bring it "
                "back; next time, `readinglist remove` records a reason)" for stone in self.deleted_by_hand]
        removed = f"; removed from the list: {self.removed}" if self.removed else ""
        out.append(
            f"records read: {self.records_read}; pages new: {len(self.new)}, updated: {len(self.updated)}, "
            f"unchanged: {self.unchanged}{removed}; duplicates merged: {self.duplicates_merged}; "
            f"warnings: {len(self.warnings)}; errors: {len(self.errors)}")
        return out
