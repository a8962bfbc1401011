"""Hugging Face Papers client: title search and lookup by arXiv id, JSON answers.

Endpoints (https://huggingface.co/docs/hub/api, Paper Pages API):
`GET /api/papers/search?q=` answers a list; each item is either a flat paper or
the daily-papers shape with the paper nested under `paper` (huggingface_hub's
`PaperInfo` reads both, and so does this).  `GET /api/papers/{arxiv_id}` answers
one flat paper, or 404 when Hugging Face has not indexed it.
"""

from __future__ import annotations

import json
import re
from typing import Any, Optional

from readinglist.enrich.clock import Clock, RateLimiter
from readinglist.enrich.errors import MalformedAnswer, ServiceError
from readinglist.enrich.records import Candidate, code_url, iso_date, split_arxiv_id, year_of
from readinglist.enrich.settings import ENV_HF, Settings
from readinglist.enrich.text import normalize_title
from readinglist.enrich.transport import RetryPolicy, Transport

SERVICE = "hf"
# No published limit for these endpoints; five a second keeps well clear of the Hub's.
MIN_INTERVAL = 0.2
MAX_QUERY = 250   # the search endpoint's documented maximum for `q`
MAX_RESULTS = 20
# Hugging Face indexes new-style arXiv ids only (its index endpoint accepts ^\d{4}\.\d{4,5}$).
_PAPER_ID_RE = re.compile(r"\d{4}\.\d{4,5}")


def _field(item: dict, paper: dict, name: str) -> Any:
    value = paper.get(name)
    return value if value not in (None, "", []) else item.get(name)


def _paper(item: Any) -> Candidate:
    if not isinstance(item, dict):
        raise MalformedAnswer("a result is not a JSON object")
    paper = item["paper"] if isinstance(item.get("paper"), dict) else item
    paper_id = _field(item, paper, "id")
    title = _field(item, paper, "title")
    if not isinstance(paper_id, str) or not isinstance(title, str):
        raise MalformedAnswer("a paper has no string `id` or `title`")
    arxiv_id, version = split_arxiv_id(paper_id)
    authors = tuple(
        " ".join(a["name"].split()) for a in _field(item, paper, "authors") or []
        if isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"].strip())
    published = iso_date(_field(item, paper, "publishedAt"))
    return Candidate(
        service=SERVICE, title=" ".join(title.split()), record_id=paper_id, arxiv_id=arxiv_id,
        arxiv_version=version, authors=authors, published=published, year=year_of(published),
        code_url=code_url(_field(item, paper, "githubRepo")),
    )


def _load(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:
        raise MalformedAnswer(f"not JSON ({exc})") from None


def parse_search(body: bytes) -> list[Candidate]:
    """The papers of a search answer as candidates (pure; raises MalformedAnswer)."""
    data = _load(body)
    if not isinstance(data, list):
        raise MalformedAnswer("the search answer is not a JSON list")
    return [_paper(item) for item in data[:MAX_RESULTS]]


def parse_paper(body: bytes) -> Candidate:
    """One paper object as a candidate (pure; raises MalformedAnswer)."""
    return _paper(_load(body))


class HFClient:
    """Searches Hugging Face Papers by title and fetches a paper by arXiv id."""

    service = SERVICE

    def __init__(self, base_url: str, transport: Transport) -> None:
        self.base_url = base_url
        self.transport = transport

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock,
                      policy: RetryPolicy = RetryPolicy(backoff=2.0)) -> "HFClient":
        transport = Transport(SERVICE, ENV_HF, RateLimiter(MIN_INTERVAL, clock), clock,
                              timeout=settings.timeout, policy=policy)
        return cls(settings.hf_api, transport)

    def _malformed(self, exc: MalformedAnswer) -> ServiceError:
        return ServiceError(SERVICE, f"answered with malformed JSON: {exc}",
                            f"try again later; if it persists, check {ENV_HF}")

    def search_title(self, title: str) -> list[Candidate]:
        answer = self.transport.get(f"{self.base_url}/papers/search",
                                    {"q": normalize_title(title)[:MAX_QUERY]})
        try:
            return parse_search(answer.body)
        except MalformedAnswer as exc:
            raise self._malformed(exc) from None

    def paper(self, arxiv_id: str) -> Optional[Candidate]:
        """The paper with this arXiv id, or None when Hugging Face has not indexed it (404)."""
        if not _PAPER_ID_RE.fullmatch(arxiv_id):
            return None
        answer = self.transport.get(f"{self.base_url}/papers/{arxiv_id}", {},
                                    accept=frozenset({200, 404}))
        if answer.status == 404:
            return None
        try:
            return parse_paper(answer.body)
        except MalformedAnswer as exc:
            raise self._malformed(exc) from None
