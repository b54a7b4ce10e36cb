"""Word lists and tables read from data files, each read once per process.

A table is read on first use, or with all the others by :func:`load_all` when a pipeline
warms up (a worker's start-up), so that no article pays for reading one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

_LOADERS: list[Callable[[], object]] = []


def table(load: Callable[[], T]) -> Callable[[], T]:
    """Decorator: ``load()`` runs once per process; :func:`load_all` runs it too."""
    cached = lru_cache(maxsize=1)(load)
    _LOADERS.append(cached)
    return cached


def load_all() -> None:
    """Read every table of the modules imported so far."""
    for load in list(_LOADERS):
        load()
