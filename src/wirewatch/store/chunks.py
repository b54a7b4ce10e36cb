"""Id lists cut into pieces that one ``IN (...)`` takes (the databases cap the parameters
of a statement)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

SIZE = 500


def chunks(items: Sequence[T], size: int = SIZE) -> Iterator[list[T]]:
    """``items`` in order, ``size`` at a time."""
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]
