"""What the services answer, in one shape: `Candidate`; and what is asked: `Item`.

Parsers turn each service's format into candidates, the matcher compares them
with an item, the cache stores them as JSON.  Identifier helpers live here so
that every service spells arXiv ids and DOIs the same way.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any, Mapping, NamedTuple, Optional
from urllib.parse import urlsplit

ARXIV_DOI_PREFIX = "10.48550/arxiv."
# New-style (2106.09685, 0704.0001) and old-style (hep-ex/0307015, math.GT/0309136) ids.
_ARXIV_ID = r"(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})"
_ARXIV_ID_RE = re.compile(r"^" + _ARXIV_ID + r"(?:v(\d+))?$")
_ARXIV_URL_RE = re.compile(r"arxiv\.org/(?:abs|pdf)/" + _ARXIV_ID + r"(?:v(\d+))?", re.IGNORECASE)
_DOI_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
CODE_HOSTS = frozenset({"github.com", "www.github.com", "gitlab.com", "www.gitlab.com"})


class Item(NamedTuple):
    """One reading-list entry to enrich: what the page already knows."""

    key: str
    title: str
    year: Optional[int] = None
    first_author: Optional[str] = None


@dataclass(frozen=True)
class Candidate:
    """One record a service returned for a query, in the fields we compare and keep."""

    service: str
    title: str
    record_id: str                     # the service's own id for this record
    arxiv_id: Optional[str] = None     # without version
    arxiv_version: Optional[int] = None
    doi: Optional[str] = None          # bare and lower-case: 10.1109/cvpr.2018.00474
    authors: tuple[str, ...] = ()
    published: Optional[str] = None    # YYYY-MM-DD
    year: Optional[int] = None
    venue: Optional[str] = None
    code_url: Optional[str] = None

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Candidate":
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["authors"] = tuple(values.get("authors") or ())
        return cls(**values)

    @property
    def publisher_doi(self) -> Optional[str]:
        """The DOI unless it is arXiv's own (10.48550/arXiv.ID), which only restates the arXiv id."""
        return self.doi if self.doi and not self.doi.startswith(ARXIV_DOI_PREFIX) else None


def split_arxiv_id(text: str) -> tuple[Optional[str], Optional[int]]:
    """(`2106.09685`, 2) from `2106.09685v2`, an abs/pdf URL or arXiv's DOI; (None, None) otherwise."""
    text = text.strip()
    if text.lower().startswith(ARXIV_DOI_PREFIX):
        text = text[len(ARXIV_DOI_PREFIX):]
    match = _ARXIV_ID_RE.match(text) or _ARXIV_URL_RE.search(text)
    if not match:
        return None, None
    return match.group(1), int(match.group(2)) if match.group(2) else None


def bare_doi(text: Optional[str]) -> Optional[str]:
    """`10.x/y` in lower case (DOIs are case-insensitive) from a DOI, `doi:` or doi.org URL."""
    if not text:
        return None
    match = _DOI_RE.match(text.strip())
    return match.group(1).lower() if match else None


def iso_date(text: Optional[str]) -> Optional[str]:
    """YYYY-MM-DD from an ISO date or timestamp (`2021-06-17T17:37:18Z`)."""
    match = _DATE_RE.match(text.strip()) if text else None
    return "-".join(match.groups()) if match else None


def year_of(date: Optional[str]) -> Optional[int]:
    return int(date[:4]) if date else None


def code_url(url: Optional[str]) -> Optional[str]:
    """The URL if it is an https link to a GitHub or GitLab repository, else None:
    a code link is written only when a service gives a real, secure repository URL."""
    if not url or not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    segments = [s for s in parts.path.split("/") if s]
    if parts.scheme != "https" or parts.hostname not in CODE_HOSTS or len(segments) < 2:
        return None
    if parts.username or parts.password or parts.port:
        return None
    return url.strip().rstrip("/").removesuffix(".git")
