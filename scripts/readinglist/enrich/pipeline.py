"""`enrich_titles`: ask the services about each item, decide, merge.  HTTP stays in the clients.

Order of work: for each item, a title search at every service (arXiv's three
seconds between requests leave time for the others); then follow-ups that only
exact identifiers allow: OpenAlex looked up by the DOIs arXiv gave (50 DOIs per
request) where its title search found nothing, and Hugging Face looked up by
arXiv id where its search found nothing.  Every answer goes through the cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable, Iterable, Optional, Protocol, Sequence, Union

from readinglist.enrich.arxiv_api import ArxivClient
from readinglist.enrich.cache import AnswerCache
from readinglist.enrich.clock import Clock, SystemClock
from readinglist.enrich.hf_api import HFClient
from readinglist.enrich.matcher import Decision, decide
from readinglist.enrich.merge import Outcome, combine
from readinglist.enrich.openalex_api import OpenAlexClient
from readinglist.enrich.records import Candidate, Item
from readinglist.enrich.settings import Settings
from readinglist.enrich.text import normalize_title
from readinglist.enrich.transport import Transport

# progress(stage, done, total): called after each step; stage is "search" or "lookup".
Progress = Callable[[str, int, int], None]
ItemLike = Union[Item, Sequence]


class TitleSearcher(Protocol):
    service: str
    transport: Transport

    def search_title(self, title: str) -> list[Candidate]: ...


@dataclass(frozen=True)
class Clients:
    """The services to ask; a missing one (None) is simply not asked."""

    arxiv: Optional[ArxivClient] = None
    openalex: Optional[OpenAlexClient] = None
    hf: Optional[HFClient] = None

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None, clock: Optional[Clock] = None) -> "Clients":
        """All three clients, configured from `settings` (default: the environment)."""
        settings = settings or Settings.from_env()
        clock = clock or SystemClock()
        return cls(ArxivClient.from_settings(settings, clock),
                   OpenAlexClient.from_settings(settings, clock),
                   HFClient.from_settings(settings, clock))

    def searchers(self) -> list[TitleSearcher]:
        return [c for c in (self.arxiv, self.openalex, self.hf) if c is not None]

    def close(self) -> None:
        for client in self.searchers():
            client.transport.close()


def _as_item(raw: ItemLike) -> Item:
    item = raw if isinstance(raw, Item) else Item(*raw)
    year = int(item.year) if item.year not in (None, "") else None
    return item._replace(year=year, first_author=item.first_author or None)


def _load(answer) -> list[Candidate]:
    return [Candidate.from_json(c) for c in answer]


def _dump(candidates: Iterable[Candidate]) -> list[dict]:
    return [c.to_json() for c in candidates]


class _Asker:
    """Answers through the cache: a cached answer is used as is, a new one stored.

    Answers are also remembered for the run, so two items with the same title cost
    one request even without a disk cache.
    """

    def __init__(self, cache: Optional[AnswerCache]) -> None:
        self.cache = cache
        self._seen: dict[tuple[str, str, str], list[Candidate]] = {}

    def cached(self, service: str, kind: str, query: str) -> Optional[list[Candidate]]:
        key = (service, kind, query)
        if key not in self._seen and self.cache is not None:
            stored = self.cache.get(service, kind, query)
            if stored is not None:
                self._seen[key] = _load(stored)
        return self._seen.get(key)

    def store(self, service: str, kind: str, query: str, candidates: list[Candidate]) -> None:
        self._seen[(service, kind, query)] = candidates
        if self.cache is not None:
            self.cache.put(service, kind, query, _dump(candidates))

    def ask(self, service: str, kind: str, query: str,
            fetch: Callable[[], list[Candidate]]) -> list[Candidate]:
        known = self.cached(service, kind, query)
        if known is not None:
            return known
        candidates = fetch()
        self.store(service, kind, query, candidates)
        return candidates


def _search(item: Item, clients: Clients, asker: _Asker) -> dict[str, Decision]:
    query = normalize_title(item.title)
    decisions = {}
    for client in clients.searchers():
        if not query:
            decisions[client.service] = Decision(client.service, "not_found", "the title has no words to search")
            continue
        candidates = asker.ask(client.service, "title", query, partial(client.search_title, item.title))
        decisions[client.service] = decide(item, candidates, client.service)
    return decisions


def _doi_follow_ups(items: Sequence[Item], decisions: dict[str, dict[str, Decision]],
                    client: OpenAlexClient, asker: _Asker, progress: Optional[Progress]) -> None:
    """OpenAlex by the DOI arXiv gave, for items its title search did not find."""
    wanted: dict[str, list[Item]] = {}
    for item in items:
        mine = decisions[item.key]
        arxiv, openalex = mine.get("arxiv"), mine.get("openalex")
        if arxiv and arxiv.verdict == "match" and arxiv.candidate and arxiv.candidate.publisher_doi \
                and openalex and openalex.verdict == "not_found":
            wanted.setdefault(arxiv.candidate.publisher_doi, []).append(item)
    if not wanted:
        return
    answers = {doi: asker.cached("openalex", "doi", doi) for doi in wanted}
    missing = [doi for doi, answer in answers.items() if answer is None]
    if missing:
        for doi, found in client.lookup_dois(missing).items():
            asker.store("openalex", "doi", doi, found)
            answers[doi] = found
    for done, (doi, waiting) in enumerate(wanted.items(), 1):
        for item in waiting:
            found = answers.get(doi) or []
            decision = decide(item, found, "openalex")
            if decision.verdict != "not_found":
                decisions[item.key]["openalex"] = decision
        if progress:
            progress("lookup", done, len(wanted))


def _hf_paper(client: HFClient, arxiv_id: str) -> list[Candidate]:
    paper = client.paper(arxiv_id)
    return [paper] if paper is not None else []


def _hf_follow_ups(items: Sequence[Item], decisions: dict[str, dict[str, Decision]],
                   client: HFClient, asker: _Asker, progress: Optional[Progress]) -> None:
    """Hugging Face by arXiv id, for items its search did not find but arXiv did."""
    todo = []
    for item in items:
        mine = decisions[item.key]
        arxiv, hf = mine.get("arxiv"), mine.get("hf")
        if arxiv and arxiv.verdict == "match" and arxiv.candidate and arxiv.candidate.arxiv_id \
                and hf and hf.verdict == "not_found":
            todo.append((item, arxiv.candidate.arxiv_id))
    for done, (item, arxiv_id) in enumerate(todo, 1):
        found = asker.ask("hf", "paper", arxiv_id, partial(_hf_paper, client, arxiv_id))
        decision = decide(item, found, "hf")
        if decision.verdict != "not_found":
            decisions[item.key]["hf"] = decision
        if progress:
            progress("lookup", done, len(todo))


def enrich_titles(items: Iterable[ItemLike], clients: Clients, cache: Optional[AnswerCache] = None,
                  progress: Optional[Progress] = None) -> list[Outcome]:
    """The outcome for each (key, title, year|None, first_author|None), in order.

    Raises ServiceError when a service cannot be asked; everything answered until
    then is in the cache, so running again resumes where this run stopped.
    """
    todo = [_as_item(raw) for raw in items]
    keys = [item.key for item in todo]
    if len(set(keys)) != len(keys):
        raise ValueError("item keys must be unique")
    asker = _Asker(cache)
    decisions: dict[str, dict[str, Decision]] = {}
    for done, item in enumerate(todo, 1):
        decisions[item.key] = _search(item, clients, asker)
        if progress:
            progress("search", done, len(todo))
    if clients.openalex is not None:
        _doi_follow_ups(todo, decisions, clients.openalex, asker, progress)
    if clients.hf is not None:
        _hf_follow_ups(todo, decisions, clients.hf, asker, progress)
    return [combine(item, decisions[item.key]) for item in todo]


def cached_keys(items: Iterable[ItemLike], clients: Clients, cache: Optional[AnswerCache]) -> set[str]:
    """Keys of the items every service's title search of which is answered by the cache already:
    asking about them again costs no request (--limit counts only the others)."""
    if cache is None:
        return set()
    asker = _Asker(cache)
    found = set()
    for raw in items:
        item = _as_item(raw)
        query = normalize_title(item.title)
        if all(asker.cached(c.service, "title", query) is not None for c in clients.searchers()):
            found.add(item.key)
    return found
