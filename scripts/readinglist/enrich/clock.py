"""Time as an injected dependency, and the per-service rate limiter built on it.

Every wait (rate limiting, backoff, Retry-After) goes through a `Clock`, so tests
pass a fake one and check the spacing of requests without sleeping.
"""

from __future__ import annotations

import time
from typing import Optional, Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (for spacing requests)."""

    def time(self) -> float:
        """Wall-clock seconds since the epoch (for HTTP-date Retry-After headers)."""

    def sleep(self, seconds: float) -> None:
        """Wait this long."""


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class RateLimiter:
    """At most one request every `interval` seconds (measured start to start).

    One instance per service: arXiv asks for one request every 3 seconds,
    OpenAlex allows many per second; sharing a limiter would slow one by the
    other's rule.
    """

    def __init__(self, interval: float, clock: Clock) -> None:
        self.interval = interval
        self._clock = clock
        self._last: Optional[float] = None

    def wait(self) -> None:
        """Block until the next request may start, then claim that slot."""
        if self._last is not None:
            remaining = self._last + self.interval - self._clock.monotonic()
            if remaining > 0:
                self._clock.sleep(remaining)
        self._last = self._clock.monotonic()
