"""The event coder's YAML tables under ``wirewatch/nlp/data/events``, read one way."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml


def event_table(name: str) -> dict[str, Any]:
    """``data/events/<name>`` parsed (an empty file is an empty table)."""
    text = resources.files("wirewatch.nlp").joinpath(f"data/events/{name}").read_text(
        encoding="utf-8")
    return yaml.safe_load(text) or {}
