"""Who filed a page under its topics: the rules, or a person.

Ingest keeps, in a committed file (content/.filed-by-rules.yml), the topics
the rules last wrote on each page.  A page whose `topics:` differ from that
record was re-filed by a person, so it is theirs: ingest keeps its topics,
marks the page `topics_curated: true`, and says so.  A page that still shows
what the rules wrote is re-filed whenever the rules change.  The first run
without the file counts every page's topics as the rules' (except pages
already marked curated).

Pure: the store reads and writes the file; `refile` decides, page by page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable, Optional

from readinglist.paper import Paper

LEDGER_FILE = ".filed-by-rules.yml"

Ledger = dict[str, list[str]]  # slug -> topics the rules last wrote


@dataclass
class Refiled:
    """What `refile` did to the pages it was given."""

    pages: dict[str, Paper] = field(default_factory=dict)  # slug -> the page as it should now be
    ledger: Ledger = field(default_factory=dict)
    curated_now: list[str] = field(default_factory=list)  # pages a person re-filed, now marked curated


def refile(pages: dict[str, Paper], ledger: Optional[Ledger],
           file_by_rules: Callable[[Paper], list[str]]) -> Refiled:
    """Apply the rule above to every page (slug -> Paper); `ledger` None means no record yet.

    A page showing what the rules file it under today is never taken for a
    person's work, even if the record says otherwise: so a run killed between
    writing pages and writing the record cannot hand pages to nobody."""
    out = Refiled()
    first_run = ledger is None
    for slug in sorted(pages):
        page = pages[slug]
        if page.topics_curated:
            out.pages[slug] = page
            continue
        topics = file_by_rules(page)
        last = page.topics if first_run else (ledger or {}).get(slug, [])
        if page.topics and sorted(last) != sorted(page.topics) and sorted(topics) != sorted(page.topics):
            out.pages[slug] = replace(page, topics_curated=True)
            out.curated_now.append(slug)
            continue
        out.pages[slug] = page if topics == page.topics else replace(page, topics=topics)
        out.ledger[slug] = topics
    return out


def ledger_to_text(ledger: Ledger) -> str:
    lines = ["# What the topic rules last filed each page under: written by `readinglist ingest` (and",
             "# `readinglist add`), read to tell a person's filing from the rules'.  A page whose `topics:`",
             "# differ from its line here was re-filed by a person, and ingest keeps its topics.",
             "# `[]`: a person filed the page (topics_curated).  A page named here that is gone was deleted",
             "# by hand, and ingest records it in content/removed.yml instead of writing it again.",
             "# Do not edit by hand (delete a line to let the rules re-file that page)."]
    for slug in sorted(ledger):
        lines.append(f"{slug}: [{', '.join(ledger[slug])}]")
    return "\n".join(lines) + "\n"


_LEDGER_LINE_RE = re.compile(r"^([a-z0-9][a-z0-9-]*): \[([a-z0-9-]+(?:, [a-z0-9-]+)*)?\]$")


def ledger_from_text(text: str) -> Optional[Ledger]:
    """The ledger when every line is as ledger_to_text writes it, else None (read it as YAML)."""
    ledger: Ledger = {}
    for line in text.split("\n"):
        if not line or line.startswith("#"):
            continue
        m = _LEDGER_LINE_RE.match(line)
        if m is None or m.group(1) in ledger:
            return None
        ledger[m.group(1)] = m.group(2).split(", ") if m.group(2) else []
    return ledger


def ledger_from_data(data: object) -> Ledger:
    """The parsed file.  A malformed line is left out, and its page then counts as a person's."""
    if not isinstance(data, dict):
        return {}
    return {str(slug): [str(t) for t in topics] for slug, topics in data.items()
            if isinstance(topics, list) and all(isinstance(t, str) for t in topics)}
