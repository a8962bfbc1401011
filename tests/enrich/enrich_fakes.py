"""Test doubles for readinglist.enrich: a fake clock and local servers that answer like
arXiv, OpenAlex and Hugging Face Papers from the fixtures listed in fixtures/cases.yml."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional
from urllib.parse import parse_qs

import pytest
import yaml
from werkzeug import Request, Response

from readinglist.enrich import (ArxivClient, Clients, HFClient, Item, OpenAlexClient, RetryPolicy,
                                Settings, normalize_title)
from readinglist.enrich.records import bare_doi

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EMPTY = {"arxiv": "arxiv/empty.xml", "openalex": "openalex/empty.json", "hf": "hf/empty.json"}


class FakeClock:
    """Time that moves only when slept: tests check the spacing of requests without waiting."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return 1_750_000_000.0 + self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)


def load_cases() -> list[dict]:
    return yaml.safe_load((FIXTURES / "cases.yml").read_text(encoding="utf-8"))


def case_item(case: dict) -> Item:
    return Item(case["key"], case["title"], case.get("year"), case.get("first_author"))


def fixture_answer(name: str) -> tuple[bytes, str]:
    """The exact body a fixture stands for, and its content type."""
    path = FIXTURES / name
    if path.suffix == ".xml":
        return path.read_bytes(), "application/atom+xml; charset=utf-8"
    wrapper = json.loads(path.read_text(encoding="utf-8"))
    assert "_doc" in wrapper, f"{name} must name the documentation page it follows"
    if "answer_text" in wrapper:
        return wrapper["answer_text"].encode("utf-8"), "application/json"
    return json.dumps(wrapper["answer"]).encode("utf-8"), "application/json"


def fixture_json(name: str) -> Any:
    return json.loads(fixture_answer(name)[0])


@dataclass
class Call:
    service: str
    kind: str
    query: str
    at: float            # fake-clock time of the request
    args: dict = field(default_factory=dict)


_TI_RE = re.compile(r'^ti:"(.*)"$')


class ScholarlyServer:
    """The three services on one local pytest-httpserver, under /arxiv, /openalex and /hf."""

    def __init__(self, httpserver, clock: FakeClock, cases: Optional[list[dict]] = None) -> None:
        self.server = httpserver
        self.clock = clock
        self.calls: list[Call] = []
        self.by_title: dict[str, dict] = {}
        for case in cases if cases is not None else load_cases():
            self.by_title.setdefault(normalize_title(case["title"]), case)
        httpserver.expect_request("/arxiv/api/query").respond_with_handler(self._arxiv)
        httpserver.expect_request("/openalex/works").respond_with_handler(self._openalex)
        httpserver.expect_request("/hf/api/papers/search").respond_with_handler(self._hf_search)
        httpserver.expect_request(re.compile(r"^/hf/api/papers/[^/]+$")).respond_with_handler(self._hf_paper)

    # ------------------------------------------------------------------ settings

    def env(self) -> dict[str, str]:
        return {"READINGLIST_ARXIV_API": self.server.url_for("/arxiv/api/query"),
                "READINGLIST_OPENALEX_API": self.server.url_for("/openalex"),
                "READINGLIST_HF_API": self.server.url_for("/hf/api"),
                "READINGLIST_CONTACT_EMAIL": "tests@readinglist.invalid"}

    def settings(self, timeout: float = 5.0) -> Settings:
        from dataclasses import replace
        return replace(Settings.from_env(self.env()), timeout=timeout)

    def calls_to(self, service: str, kind: Optional[str] = None) -> list[Call]:
        return [c for c in self.calls if c.service == service and (kind is None or c.kind == kind)]

    # ------------------------------------------------------------------ handlers

    def _fixture(self, query: str, service: str, key: str = "") -> str:
        case = self.by_title.get(query, {})
        return case.get(key or service) or EMPTY[service]

    @staticmethod
    def _respond(name: str, status: int = 200) -> Response:
        body, content_type = fixture_answer(name)
        return Response(body, status=status, content_type=content_type)

    def _log(self, service: str, kind: str, query: str, request: Request) -> None:
        args = {k: v[0] for k, v in parse_qs(request.query_string.decode()).items()}
        self.calls.append(Call(service, kind, query, self.clock.monotonic(), args))

    def _arxiv(self, request: Request) -> Response:
        match = _TI_RE.match(request.args.get("search_query", ""))
        query = match.group(1) if match else ""
        self._log("arxiv", "title", query, request)
        if not match:
            return self._respond("arxiv/error_feed.xml", status=400)
        return self._respond(self._fixture(query, "arxiv"))

    def _openalex(self, request: Request) -> Response:
        filter_ = request.args.get("filter", "")
        if filter_.startswith("doi:"):
            asked = {bare_doi(d) for d in filter_[4:].split("|")}
            self._log("openalex", "doi", filter_[4:], request)
            names = {c["openalex_doi"] for c in self.by_title.values() if c.get("openalex_doi")}
            results = [w for name in sorted(names) for w in fixture_json(name)["results"]
                       if bare_doi(w.get("doi")) in asked]
            body = {"meta": {"count": len(results), "db_response_time_ms": 5, "page": 1,
                             "per_page": 200, "groups_count": None}, "results": results}
            return Response(json.dumps(body), content_type="application/json")
        query = filter_.removeprefix("title.search:")
        self._log("openalex", "title", query, request)
        return self._respond(self._fixture(query, "openalex"))

    def _hf_search(self, request: Request) -> Response:
        query = request.args.get("q", "")
        self._log("hf", "title", query, request)
        return self._respond(self._fixture(query, "hf"))

    def _hf_paper(self, request: Request) -> Response:
        arxiv_id = request.path.rsplit("/", 1)[1]
        self._log("hf", "paper", arxiv_id, request)
        for case in self.by_title.values():
            name = case.get("hf_paper")
            if name and fixture_json(name)["id"] == arxiv_id:
                return self._respond(name)
        return self._respond("hf/not_found.json", status=404)


# ---------------------------------------------------------------------------- pytest fixtures
# Loaded by the enrich test modules as a plugin (pytest_plugins; a conftest.py here would shadow tests/conftest.py,
# which other test modules import by name).


def make_clients(services: ScholarlyServer, clock: FakeClock, timeout: float = 5.0,
                 attempts: int = 3) -> Clients:
    """The three clients aimed at the fake services, on the fake clock."""
    settings = services.settings(timeout=timeout)
    policy = RetryPolicy(attempts=attempts)
    return Clients(ArxivClient.from_settings(settings, clock, policy),
                   OpenAlexClient.from_settings(settings, clock, policy),
                   HFClient.from_settings(settings, clock, policy))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(httpserver, clock) -> ScholarlyServer:
    return ScholarlyServer(httpserver, clock)


@pytest.fixture
def clients(services, clock):
    made = make_clients(services, clock)
    yield made
    made.close()
