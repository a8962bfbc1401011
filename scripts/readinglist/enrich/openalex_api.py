"""OpenAlex client: title search and batched DOI lookups over /works, JSON answers.

Polite pool: every request carries `mailto` when READINGLIST_CONTACT_EMAIL is set
(and `api_key` when READINGLIST_OPENALEX_API_KEY is).  Limits: at most 10 requests
a second here (the API allows more), retries back off and honour Retry-After, and a
429 asking to wait longer than the retry policy allows (the daily allowance is
spent) stops the run with that message.  Format: https://docs.openalex.org/api-entities/works.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, Optional, Sequence

from readinglist.enrich.clock import Clock, RateLimiter
from readinglist.enrich.errors import MalformedAnswer, ServiceError
from readinglist.enrich.records import Candidate, bare_doi, iso_date, split_arxiv_id, year_of
from readinglist.enrich.settings import ENV_OPENALEX, Settings
from readinglist.enrich.text import normalize_title
from readinglist.enrich.transport import RetryPolicy, Transport

SERVICE = "openalex"
MIN_INTERVAL = 0.1
# OpenAlex ORs at most 50 values in one filter (docs: "up to 50 of these queries at once").
DOI_BATCH = 50
_SELECT = ",".join(["id", "doi", "title", "display_name", "publication_year", "publication_date",
                    "authorships", "primary_location", "locations", "type"])
# Characters that would break OpenAlex's filter syntax (`,` separates filters, `|` ORs values).
_FILTER_UNSAFE = frozenset(",|")


def _venue(location: Any) -> Optional[str]:
    """The source's name when it is a venue (journal, conference...), not a repository such as arXiv."""
    if not isinstance(location, dict) or not isinstance(location.get("source"), dict):
        return None
    source = location["source"]
    if source.get("type") == "repository":
        return None
    name = source.get("display_name")
    return " ".join(name.split()) if isinstance(name, str) and name.strip() else None


def _arxiv_id(work: Mapping[str, Any], doi: Optional[str]) -> Optional[str]:
    """The arXiv id from arXiv's DOI or from an arxiv.org landing/PDF URL among the locations."""
    if doi:
        arxiv_id, _ = split_arxiv_id(doi)
        if arxiv_id:
            return arxiv_id
    for location in work.get("locations") or []:
        if not isinstance(location, dict):
            continue
        for key in ("landing_page_url", "pdf_url"):
            url = location.get(key)
            if isinstance(url, str) and "arxiv.org/" in url:
                arxiv_id, _ = split_arxiv_id(url)
                if arxiv_id:
                    return arxiv_id
    return None


def _work(work: Any) -> Candidate:
    if not isinstance(work, dict) or not isinstance(work.get("id"), str):
        raise MalformedAnswer("a result is not a work object with an id")
    title = work.get("title") or work.get("display_name")
    doi = bare_doi(work.get("doi"))
    venue = _venue(work.get("primary_location")) or next(
        (v for v in map(_venue, work.get("locations") or []) if v), None)
    authors = tuple(
        " ".join(a["author"]["display_name"].split())
        for a in work.get("authorships") or []
        if isinstance(a, dict) and isinstance(a.get("author"), dict)
        and isinstance(a["author"].get("display_name"), str))
    published = iso_date(work.get("publication_date"))
    year = work.get("publication_year")
    return Candidate(
        service=SERVICE, title=" ".join(str(title or "").split()), record_id=work["id"],
        arxiv_id=_arxiv_id(work, doi), doi=doi, authors=authors, published=published,
        year=year if isinstance(year, int) else year_of(published), venue=venue,
    )


def parse_works(body: bytes) -> list[Candidate]:
    """The works of an OpenAlex list answer as candidates (pure; raises MalformedAnswer)."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise MalformedAnswer(f"not JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise MalformedAnswer("no `results` list")
    return [c for c in map(_work, data["results"]) if c.title]


def _batches(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class OpenAlexClient:
    """Searches OpenAlex works by title and looks works up by DOI."""

    service = SERVICE

    def __init__(self, base_url: str, transport: Transport, contact_email: Optional[str] = None,
                 api_key: Optional[str] = None, per_page: int = 10) -> None:
        self.base_url = base_url
        self.transport = transport
        self.contact_email = contact_email
        self.api_key = api_key
        self.per_page = per_page

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock,
                      policy: RetryPolicy = RetryPolicy(backoff=1.0)) -> "OpenAlexClient":
        transport = Transport(SERVICE, ENV_OPENALEX, RateLimiter(MIN_INTERVAL, clock), clock,
                              timeout=settings.timeout, policy=policy)
        return cls(settings.openalex_api, transport, settings.contact_email, settings.openalex_api_key)

    def _params(self, **params: str) -> dict[str, str]:
        if self.contact_email:
            params["mailto"] = self.contact_email
        if self.api_key:
            params["api_key"] = self.api_key
        return params

    def _works(self, params: Mapping[str, str]) -> list[Candidate]:
        answer = self.transport.get(f"{self.base_url}/works", params)
        try:
            return parse_works(answer.body)
        except MalformedAnswer as exc:
            raise ServiceError(SERVICE, f"answered with malformed JSON: {exc}",
                               f"try again later; if it persists, check {ENV_OPENALEX}") from None

    def search_title(self, title: str) -> list[Candidate]:
        """Works whose title matches the title's words (OpenAlex's `title.search` filter)."""
        words = normalize_title(title)
        return self._works(self._params(**{"filter": f"title.search:{words}",
                                           "per-page": str(self.per_page), "select": _SELECT}))

    def lookup_dois(self, dois: Sequence[str]) -> dict[str, list[Candidate]]:
        """The works of each DOI, asked 50 DOIs per request (`filter=doi:A|B|...`).

        Every DOI asked has an entry (an empty list: OpenAlex has no such work).
        DOIs that cannot be written in a filter are left out, so not cached as absent.
        """
        wanted = sorted({d for d in (bare_doi(x) for x in dois) if d and not _FILTER_UNSAFE & set(d)})
        found: dict[str, list[Candidate]] = {d: [] for d in wanted}
        for batch in _batches(wanted, DOI_BATCH):
            params = self._params(**{"filter": "doi:" + "|".join(batch),
                                     "per-page": "200", "select": _SELECT})
            for candidate in self._works(params):
                if candidate.doi in found:
                    found[candidate.doi].append(candidate)
        return found
