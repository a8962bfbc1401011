"""What a previous ingest already worked out, so that a changed dump costs in proportion
to what changed.

Two memos, kept in build/cache/ (ignored by git; a fresh clone starts without
them and loses only time):

* per dump: the clean records and the warnings its text gave, keyed by a
  digest of the text, its capture date and the code that reads dumps.  An
  unchanged dump is not parsed or normalized again;
* per paper: the topics the rules file a title and abstract under, keyed by
  the taxonomy, the title model and the filing code.  Only papers whose text
  is new are classified.

Pure: JSON-ready values in and out; the store reads and writes the files.
A memo that does not read back is ignored: it is only ever a shortcut.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, fields
from typing import Any, Optional

from readinglist.paper import Problem, Record, SourceRef

VERSION = 1
DUMPS_FILE = "ingest-dumps.json"
FILINGS_FILE = "ingest-filings.json"

_RECORD_FIELDS = tuple(f.name for f in fields(Record))


def digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def record_to_json(record: Record) -> dict[str, Any]:
    data = asdict(record)
    data["source"] = [record.source.file, record.source.line]
    data["date"] = record.date.isoformat() if record.date else None
    return data


def record_from_json(data: dict[str, Any]) -> Record:
    if set(data) != set(_RECORD_FIELDS):
        raise ValueError("not a record")
    values = dict(data)
    values["source"] = SourceRef(*data["source"])
    values["date"] = dt.date.fromisoformat(data["date"]) if data["date"] else None
    return Record(**values)


def dump_entry(name: str, fmt: str, count: int, records: list[Record], problems: list[Problem]) -> dict[str, Any]:
    return {"name": name, "format": fmt, "count": count, "records": [record_to_json(r) for r in records],
            "problems": [[p.path, p.line, p.message] for p in problems]}


def dump_from_entry(entry: Any) -> Optional[tuple[str, int, list[Record], list[Problem]]]:
    """(format, records read, clean records, warnings), or None when the entry does not read back."""
    try:
        return (str(entry["format"]), int(entry["count"]), [record_from_json(r) for r in entry["records"]],
                [Problem(str(p[0]), int(p[1]), str(p[2])) for p in entry["problems"]])
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def memo_of(data: Any, key: str) -> dict:
    """The entries of a memo file written for `key` (the code and settings it holds for), else {}."""
    if isinstance(data, dict) and data.get("version") == VERSION and data.get("key") == key \
            and isinstance(data.get("entries"), dict):
        return data["entries"]
    return {}


def memo_file(key: str, entries: dict) -> dict:
    return {"version": VERSION, "key": key, "entries": entries}
