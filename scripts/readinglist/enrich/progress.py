"""A terminal progress bar for `enrich_titles`: lookups are rate limited and take minutes."""

from __future__ import annotations

from typing import Optional, TextIO

from tqdm import tqdm

_LABELS = {"search": "searching titles", "lookup": "looking up ids"}


class TqdmProgress:
    """A `progress` callback drawing one tqdm bar per stage; use as a context manager."""

    def __init__(self, file: Optional[TextIO] = None, disable: Optional[bool] = None) -> None:
        self._file = file
        self._disable = disable
        self._stage: Optional[str] = None
        self._bar: Optional[tqdm] = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage or self._bar is None:
            self.close()
            self._stage = stage
            self._bar = tqdm(total=total, desc=_LABELS.get(stage, stage), unit="paper",
                             file=self._file, disable=self._disable, leave=False)
        self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> "TqdmProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
