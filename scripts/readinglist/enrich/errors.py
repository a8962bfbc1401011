"""The one exception a user sees when a scholarly service cannot help.

Network failures, timeouts, refusals, rate limits that outlast the retries and
answers that do not parse all become a `ServiceError` whose message is a single
line saying which service, what happened and what to do.  The later CLI prints
that line instead of a traceback.
"""

from __future__ import annotations

from types import MappingProxyType

SERVICE_LABELS = MappingProxyType({
    "arxiv": "arXiv API",
    "openalex": "OpenAlex",
    "hf": "Hugging Face Papers",
})


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class ServiceError(Exception):
    """A service could not be asked, or answered something unusable.

    `service` is the short name (`arxiv`, `openalex`, `hf`), `what` says what went
    wrong and `hint` what the user can do about it.
    """

    def __init__(self, service: str, what: str, hint: str) -> None:
        self.service = service
        self.what = _one_line(what)
        self.hint = _one_line(hint)
        label = SERVICE_LABELS.get(service, service)
        super().__init__(f"{label}: {self.what} ({self.hint})")


class MalformedAnswer(ValueError):
    """An answer that is not in the service's documented format (raised by the pure parsers;
    the clients turn it into a ServiceError naming the service)."""
