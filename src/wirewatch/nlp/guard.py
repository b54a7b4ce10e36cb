"""Every component of the pipeline runs under a guard, per article.

One article must never cost the others: an exception in one of our components
is caught, the article keeps its text and the facts of the other components,
and the problem is kept twice: as a warning on the article and as an
``IngestFailure`` (article, component, error) that the store writes to its
failure log. Each article also has a time budget; past it, the component that
is running is interrupted (hard, with a timer signal, where the pipeline runs in
the main thread of its process; between components otherwise), the remaining
components are skipped, and that too is recorded.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from wirewatch.model import Article, ArticleRecord, IngestFailure

TIME_BUDGET_REASON = "time budget exceeded"


class TimeBudgetExceeded(Exception):
    """Raised inside a component when the article's time budget runs out."""


def component_reason(name: str) -> str:
    return f"component error: {name}"


class ArticleGuard:
    def __init__(self, article: Article, budget: float | None):
        self.article = article
        self.budget = budget
        self.started = time.monotonic()
        self.failures: list[IngestFailure] = []
        self.out_of_time = False

    def remaining(self) -> float | None:
        if self.budget is None or self.budget <= 0:
            return None
        return self.budget - (time.monotonic() - self.started)

    def run(self, name: str, component: Callable[[Any], Any], doc: Any) -> None:
        """Call one component on one doc; whatever it raises is recorded, not raised."""
        if self.out_of_time:
            return
        left = self.remaining()
        if left is not None and left <= 0:
            self._time_up(name)
            return
        try:
            with _alarm(left):
                component(doc)
        except TimeBudgetExceeded:
            self._time_up(name)
        except Exception as exc:  # noqa: BLE001 - the point of the guard
            self.fail(name, exc)

    def fail(self, name: str, exc: BaseException) -> None:
        error = f"{type(exc).__name__}: {exc}"[:500]
        self.article.warnings.append(f"{name} failed on this article ({error}); "
                                     "its facts are missing")
        self.failures.append(IngestFailure(
            self._origin(), component_reason(name), f"article {self.article.id}: {error}"))

    def _time_up(self, name: str) -> None:
        self.out_of_time = True
        detail = (f"article {self.article.id} ({len(self.article.text)} characters) used its "
                  f"{self.budget:g} s budget in {name}; later components skipped")
        self.article.warnings.append(f"{TIME_BUDGET_REASON}: {detail}")
        self.failures.append(IngestFailure(self._origin(), TIME_BUDGET_REASON, detail))

    def _origin(self) -> str:
        return self.article.origin or self.article.id

    def finish(self, record: ArticleRecord) -> ArticleRecord:
        record.failures.extend(self.failures)
        return record


class _alarm:
    """A hard deadline via SIGALRM, only where it is safe: the main thread, POSIX."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.armed = (seconds is not None and hasattr(signal, "setitimer")
                      and threading.current_thread() is threading.main_thread())
        self.previous: Any = None

    def __enter__(self) -> _alarm:
        if self.armed:
            self.previous = signal.signal(signal.SIGALRM, _raise_budget)
            signal.setitimer(signal.ITIMER_REAL, max(self.seconds or 0.0, 0.001))
        return self

    def __exit__(self, *exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous or signal.SIG_DFL)


def _raise_budget(_signum: int, _frame: FrameType | None) -> None:
    raise TimeBudgetExceeded()
