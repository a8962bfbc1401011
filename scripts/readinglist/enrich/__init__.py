"""`readinglist enrich`, the core: ask arXiv, OpenAlex and Hugging Face Papers about
reading-list titles, decide which answer is the paper, and say what it adds.

Layers (HTTP never reaches the pure ones):

* `settings` (base URLs from READINGLIST_* variables), `clock` (injectable time,
  per-service rate limiter), `transport` (GET with retries and Retry-After),
  `errors` (`ServiceError`: one actionable line);
* clients, one per service, each with a pure parser: `arxiv_api` (Atom),
  `openalex_api` and `hf_api` (JSON), all producing `records.Candidate`;
* pure decisions: `text` (title/name normalization), `matcher` (one service's
  verdict), `merge` (outcome and field authority across services);
* `cache` (atomic JSON answers on disk), `pipeline` (`enrich_titles`),
  `progress` (tqdm bar).
"""

from readinglist.enrich.arxiv_api import ArxivClient
from readinglist.enrich.cache import AnswerCache
from readinglist.enrich.clock import Clock, RateLimiter, SystemClock
from readinglist.enrich.errors import ServiceError
from readinglist.enrich.hf_api import HFClient
from readinglist.enrich.matcher import Decision, Evidence, decide, title_score
from readinglist.enrich.merge import Ambiguous, Disagreement, Enrichment, Match, NotFound, Outcome, combine
from readinglist.enrich.openalex_api import OpenAlexClient
from readinglist.enrich.pipeline import Clients, enrich_titles
from readinglist.enrich.progress import TqdmProgress
from readinglist.enrich.records import Candidate, Item
from readinglist.enrich.settings import Settings
from readinglist.enrich.text import normalize_title
from readinglist.enrich.transport import RetryPolicy

__all__ = [
    "Ambiguous", "AnswerCache", "ArxivClient", "Candidate", "Clients", "Clock", "Decision",
    "Disagreement", "Enrichment", "Evidence", "HFClient", "Item", "Match", "NotFound",
    "OpenAlexClient", "Outcome", "RateLimiter", "RetryPolicy", "ServiceError", "Settings",
    "SystemClock", "TqdmProgress", "combine", "decide", "enrich_titles", "normalize_title",
    "title_score",
]
