"""Where the services live and who is asking, read from the environment.

Each base URL is a setting so that tests (and mirrors) can point a client at
another server; the defaults are the public endpoints.  A server's root will do
for arXiv and Hugging Face: the documented paths (`/api/query`, `/api/papers/...`)
are added when the URL does not end in them already.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping, Optional

from readinglist.enrich.errors import ServiceError

ENV_ARXIV = "READINGLIST_ARXIV_API"
ENV_OPENALEX = "READINGLIST_OPENALEX_API"
ENV_HF = "READINGLIST_HF_API"
ENV_EMAIL = "READINGLIST_CONTACT_EMAIL"
ENV_OPENALEX_KEY = "READINGLIST_OPENALEX_API_KEY"

DEFAULT_ARXIV = "https://export.arxiv.org/api/query"
DEFAULT_OPENALEX = "https://api.openalex.org"
DEFAULT_HF = "https://huggingface.co/api"


def _url(environ: Mapping[str, str], name: str, default: str, service: str) -> str:
    value = (environ.get(name) or "").strip()
    if not value:
        return default
    if not value.startswith(("http://", "https://")):
        raise ServiceError(service, f"{name}={value!r} is not an http(s) URL",
                           f"set it to the service's base URL, or unset it to use {default}")
    return value.rstrip("/")


def _endpoint(url: str, path: str) -> str:
    """`url` as the endpoint `path` (like "/api/query") names: a server's root, or any URL
    already ending in part of that path, is completed; so "http://host", "http://host/api" and
    "http://host/api/query" all mean arXiv's query endpoint on that host."""
    parts = path.strip("/").split("/")
    for cut in range(len(parts), 0, -1):
        if url.endswith("/" + "/".join(parts[:cut])):
            return url + "".join("/" + p for p in parts[cut:])
    return url + path


@dataclass(frozen=True)
class Settings:
    """Base URLs, the contact address sent to the services, and the request timeout."""

    arxiv_api: str = DEFAULT_ARXIV
    openalex_api: str = DEFAULT_OPENALEX
    hf_api: str = DEFAULT_HF
    contact_email: Optional[str] = None
    # OpenAlex asks for a (free) API key for more than a small daily allowance.
    openalex_api_key: Optional[str] = None
    timeout: float = 30.0

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "Settings":
        """Settings from READINGLIST_* variables (os.environ unless given), defaults for the rest."""
        env = os.environ if environ is None else environ
        return cls(
            arxiv_api=_endpoint(_url(env, ENV_ARXIV, DEFAULT_ARXIV, "arxiv"), "/api/query"),
            openalex_api=_url(env, ENV_OPENALEX, DEFAULT_OPENALEX, "openalex"),
            hf_api=_endpoint(_url(env, ENV_HF, DEFAULT_HF, "hf"), "/api"),
            contact_email=(env.get(ENV_EMAIL) or "").strip() or None,
            openalex_api_key=(env.get(ENV_OPENALEX_KEY) or "").strip() or None,
        )
