"""On-disk answer cache: one JSON file per (service, kind of question, normalized query).

A re-run asks the services only what is not cached.  The files live under
`.cache/enrich/` (ignored by git) and go through the store like every other
file: each is written atomically (a temporary file beside it, flushed, then
renamed over the target), so Ctrl-C or a crash leaves either the old state or
the complete new file, never half a file, and the next run resumes.

Only answers are cached, including a definite "nothing found"; errors never
are, so a failed question is asked again next time.  An answer older than
`max_age_days` is asked again too: a paper not on arXiv last month may be now.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any, Optional

from readinglist import store

FORMAT = 1
MAX_AGE_DAYS = 90


class AnswerCache:
    """JSON answers under `folder` (created on first write)."""

    def __init__(self, folder: Path | str, today: Optional[dt.date] = None,
                 max_age_days: int = MAX_AGE_DAYS) -> None:
        self.folder = Path(folder)
        self.today = today or dt.date.today()
        self.max_age_days = max_age_days

    def path(self, service: str, kind: str, query: str) -> Path:
        """Where the answer to `query` lives; the name hashes the query so any text is safe."""
        digest = hashlib.sha256(f"{service}\0{kind}\0{query}".encode("utf-8")).hexdigest()[:32]
        return self.folder / f"{service}-{kind}-{digest}.json"

    def get(self, service: str, kind: str, query: str) -> Optional[Any]:
        """The cached answer, or None when there is none (or it is unreadable or too old: asked again)."""
        record = store.read_json_or_none(self.path(service, kind, query))
        if not isinstance(record, dict) or record.get("format") != FORMAT or record.get("query") != query:
            return None
        try:
            asked = dt.date.fromisoformat(str(record.get("asked")))
        except ValueError:
            return None
        if (self.today - asked).days > self.max_age_days:
            return None
        return record.get("answer")

    def put(self, service: str, kind: str, query: str, answer: Any) -> None:
        """Store `answer` (JSON-able, not None) atomically."""
        record = {"format": FORMAT, "service": service, "kind": kind, "query": query,
                  "asked": self.today.isoformat(), "answer": answer}
        store.write_text(self.path(service, kind, query), json.dumps(record, ensure_ascii=False, indent=1) + "\n")
