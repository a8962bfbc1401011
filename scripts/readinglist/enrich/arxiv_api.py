"""arXiv API client: title search, Atom answers.

Manners (https://info.arxiv.org/help/api/tou.html): at most one request every
three seconds, one connection at a time; retries back off and honour Retry-After
(see transport.py).  Format: https://info.arxiv.org/help/api/user-manual.html.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Optional

from readinglist.enrich.clock import Clock, RateLimiter
from readinglist.enrich.errors import MalformedAnswer, ServiceError
from readinglist.enrich.records import Candidate, bare_doi, iso_date, split_arxiv_id, year_of
from readinglist.enrich.settings import ENV_ARXIV, Settings
from readinglist.enrich.text import normalize_title
from readinglist.enrich.transport import RetryPolicy, Transport

SERVICE = "arxiv"
MIN_INTERVAL = 3.0
_NS = {"atom": "http://www.w3.org/2005/Atom",
       "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
       "arxiv": "http://arxiv.org/schemas/atom"}
_ERROR_ID_PREFIX = "http://arxiv.org/api/errors"


@dataclass(frozen=True)
class Feed:
    """One parsed answer: its entries, or the message of an error feed."""

    total: Optional[int]
    candidates: tuple[Candidate, ...]
    error: Optional[str] = None


def _text(element: Optional[ET.Element], path: str) -> Optional[str]:
    found = element.find(path, _NS) if element is not None else None
    if found is None or found.text is None:
        return None
    return " ".join(found.text.split()) or None


def _entry(entry: ET.Element) -> Candidate:
    abs_url = _text(entry, "atom:id")
    title = _text(entry, "atom:title")
    if not abs_url or not title:
        raise MalformedAnswer("an entry has no <id> or no <title>")
    arxiv_id, version = split_arxiv_id(abs_url)
    if arxiv_id is None:
        raise MalformedAnswer(f"entry id {abs_url!r} is not an arXiv abstract URL")
    published = iso_date(_text(entry, "atom:published"))
    authors = tuple(name for name in (_text(a, "atom:name") for a in entry.findall("atom:author", _NS)) if name)
    return Candidate(
        service=SERVICE, title=title, record_id=abs_url, arxiv_id=arxiv_id, arxiv_version=version,
        doi=bare_doi(_text(entry, "arxiv:doi")), authors=authors, published=published,
        year=year_of(published), venue=_text(entry, "arxiv:journal_ref"),
    )


def parse_feed(body: bytes) -> Feed:
    """Entries of an arXiv Atom answer as candidates (pure; raises MalformedAnswer)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise MalformedAnswer(f"not well-formed XML ({exc})") from None
    if root.tag != f"{{{_NS['atom']}}}feed":
        raise MalformedAnswer(f"root element is {root.tag!r}, not an Atom <feed>")
    total_text = _text(root, "opensearch:totalResults")
    total = int(total_text) if total_text and total_text.isdigit() else None
    entries = root.findall("atom:entry", _NS)
    for entry in entries:
        if (_text(entry, "atom:id") or "").startswith(_ERROR_ID_PREFIX):
            return Feed(total, (), error=_text(entry, "atom:summary") or "unspecified error")
    return Feed(total, tuple(_entry(e) for e in entries))


def title_query(title: str) -> str:
    """arXiv search_query for a title phrase: `ti:"words ..."` (quotes and operators stripped)."""
    return f'ti:"{normalize_title(title)}"'


class ArxivClient:
    """Searches arXiv by title."""

    service = SERVICE

    def __init__(self, base_url: str, transport: Transport, max_results: int = 10) -> None:
        self.base_url = base_url
        self.transport = transport
        self.max_results = max_results

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock,
                      policy: RetryPolicy = RetryPolicy()) -> "ArxivClient":
        headers = {"User-Agent": f"readinglist-enrich/0.1 (mailto:{settings.contact_email})"} \
            if settings.contact_email else None
        transport = Transport(SERVICE, ENV_ARXIV, RateLimiter(MIN_INTERVAL, clock), clock,
                              timeout=settings.timeout, policy=policy, headers=headers)
        return cls(settings.arxiv_api, transport)

    def search_title(self, title: str) -> list[Candidate]:
        """Papers whose title contains the title's words as a phrase, most relevant first."""
        params = {"search_query": title_query(title), "start": "0",
                  "max_results": str(self.max_results), "sortBy": "relevance", "sortOrder": "descending"}
        # arXiv answers a query it rejects with HTTP 400 and an Atom error feed.
        answer = self.transport.get(self.base_url, params, accept=frozenset({200, 400}))
        try:
            feed = parse_feed(answer.body)
        except MalformedAnswer as exc:
            raise ServiceError(SERVICE, f"answered with malformed XML: {exc}",
                               f"try again later; if it persists, check {ENV_ARXIV}") from None
        if feed.error is not None or answer.status != 200:
            raise ServiceError(SERVICE, f"rejected the query: {feed.error or f'HTTP {answer.status}'}",
                               "this is a bug in the query readinglist built; please report it with the title")
        return list(feed.candidates)
