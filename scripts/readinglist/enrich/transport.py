"""HTTP for one service: rate limited, single connection, retries that honour Retry-After.

Why not the services' own client libraries (re-checked against arxiv 4.0.2 and
pyalex 0.21, the latest releases): the `arxiv` package (4.x) can be pointed elsewhere through `Client.query_url_format`, but it sleeps on the wall
clock (no injectable clock, so tests would sleep), retries immediately without
backoff or Retry-After, sends requests without a timeout and only logs a
malformed feed; `pyalex` (0.21) builds every /works URL with a hard-coded
`api.openalex.org` host whatever `config.openalex_url` says, keeps its settings in
a module-global `config`, and mounts its retry adapter for https only.  So each
client speaks plain HTTP through this transport and parses answers with a real
parser (`xml.etree` for Atom, `json` for JSON).
"""

from __future__ import annotations

import email.utils
import json
from dataclasses import dataclass, field
from typing import Mapping, Optional
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from readinglist.enrich.clock import Clock, RateLimiter
from readinglist.enrich.errors import ServiceError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "readinglist-enrich/0.1"


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: `attempts` in all, waiting `backoff` seconds doubling up to
    `max_backoff`, or longer when the server says so in Retry-After, unless it asks
    for more than `max_retry_after` (a daily limit): then stop and say so."""

    attempts: int = 4
    backoff: float = 3.0
    max_backoff: float = 60.0
    max_retry_after: float = 300.0

    def delay(self, attempt: int, retry_after: Optional[float]) -> float:
        """Seconds to wait after failed try number `attempt` (1-based)."""
        backoff = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
        return max(backoff, retry_after or 0.0)


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


def retry_after_seconds(value: Optional[str], now: float) -> Optional[float]:
    """Seconds asked by a Retry-After header: delta-seconds or an HTTP-date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _server_message(response: requests.Response) -> str:
    """A short reason from an error body (OpenAlex and HF send JSON `error`/`message`)."""
    try:
        data = json.loads(response.content)
    except ValueError:
        return ""
    if isinstance(data, dict):
        text = data.get("message") or data.get("error") or ""
        return " ".join(str(text).split())[:200]
    return ""


class Transport:
    """GET requests to one service, one at a time, over one connection."""

    def __init__(self, service: str, setting: str, limiter: RateLimiter, clock: Clock, *,
                 timeout: float = 30.0, policy: RetryPolicy = RetryPolicy(),
                 headers: Optional[Mapping[str, str]] = None,
                 session: Optional[requests.Session] = None) -> None:
        self.service = service
        self.setting = setting      # the environment variable holding the base URL, for hints
        self.limiter = limiter
        self.clock = clock
        self.timeout = timeout
        self.policy = policy
        self.headers = {"User-Agent": USER_AGENT, **(headers or {})}
        self.session = session or self._single_connection_session()

    @staticmethod
    def _single_connection_session() -> requests.Session:
        # One pooled connection, reused: arXiv asks for a single connection at a time,
        # and no service gains from more while requests go one after another.
        session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session

    def close(self) -> None:
        self.session.close()

    def get(self, url: str, params: Mapping[str, str],
            accept: frozenset[int] = frozenset({200})) -> Answer:
        """The answer to GET url?params with a status in `accept`, after retrying
        timeouts, dropped connections, 429 and 5xx; a ServiceError otherwise."""
        host = urlsplit(url).netloc
        failure = ""
        for attempt in range(1, self.policy.attempts + 1):
            self.limiter.wait()
            retry_after: Optional[float] = None
            try:
                response = self.session.get(url, params=params, headers=self.headers,
                                            timeout=self.timeout, allow_redirects=True)
            except requests.Timeout:
                failure = f"timed out after {self.timeout:g} s"
            except requests.ConnectionError:
                failure = f"could not connect to {host}"
            except requests.RequestException as exc:
                raise ServiceError(self.service, f"request failed: {type(exc).__name__}",
                                   f"check {self.setting}") from None
            else:
                if response.status_code in accept:
                    return Answer(response.status_code, response.content, dict(response.headers))
                if response.status_code not in RETRY_STATUSES:
                    raise self._refused(response)
                retry_after = retry_after_seconds(response.headers.get("Retry-After"), self.clock.time())
                if retry_after is not None and retry_after > self.policy.max_retry_after:
                    raise ServiceError(
                        self.service,
                        f"asks to wait {retry_after:.0f} s before the next request (HTTP {response.status_code})",
                        "its request limit for now is used up: run again later; answers so far are cached")
                failure = f"HTTP {response.status_code}"
            if attempt < self.policy.attempts:
                self.clock.sleep(self.policy.delay(attempt, retry_after))
        raise ServiceError(self.service, f"no answer after {self.policy.attempts} tries ({failure})",
                           self._hint(failure, host))

    def _hint(self, failure: str, host: str) -> str:
        if failure.startswith("could not connect"):
            return f"check the network, or {self.setting} if {host} is not the service"
        if failure == "HTTP 429":
            return "too many requests: wait a while and run again; answers so far are cached"
        return "the service is slow or having trouble: try again later; answers so far are cached"

    def _refused(self, response: requests.Response) -> ServiceError:
        message = _server_message(response)
        what = f"refused the request (HTTP {response.status_code}{': ' + message if message else ''})"
        if response.status_code in (401, 403):
            hint = "the service wants a key or has blocked this client for now; check its settings and try later"
        else:
            hint = f"check {self.setting}; if it is right, this is a bug worth reporting"
        return ServiceError(self.service, what, hint)
