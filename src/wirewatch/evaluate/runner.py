"""``wirewatch eval TASK``: find the task's scorer, build the pipeline it needs, run it."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from wirewatch.nlp.pipeline import COMPONENTS, PipelineConfig, build_nlp

TASK_MODULES = {
    "ner": "wirewatch.evaluate.ner",
    "quotes": "wirewatch.evaluate.quotes",
    "time": "wirewatch.evaluate.time",
    "geo": "wirewatch.evaluate.geo",
    "events": "wirewatch.evaluate.events",
}
# Each task runs only the components its answer depends on, so scoring is fast.
TASK_COMPONENTS = {
    "ner": ("wirewatch_actors",),
    "quotes": ("wirewatch_actors", "wirewatch_quotes"),
    "time": ("wirewatch_times",),
    "geo": ("wirewatch_actors", "wirewatch_places"),
    "events": COMPONENTS,
}


def run_eval(
    task: str, gold: str | Path, *, limit: int | None = None,
    predictions: str | Path | None = None, baseline: bool = False, sample: int | None = None,
) -> dict[str, Any]:
    if task not in TASK_MODULES:
        raise KeyError(f"unknown task {task!r}; choose from {', '.join(TASK_MODULES)}")
    module = importlib.import_module(TASK_MODULES[task])
    if baseline:
        if not hasattr(module, "baseline"):
            raise ValueError(f"task {task!r} has no baseline")
        return module.baseline(gold, limit=limit, predictions_path=predictions)
    exclude = [c for c in COMPONENTS if c not in TASK_COMPONENTS[task]]
    nlp = build_nlp(PipelineConfig(exclude=exclude))
    if sample is not None:
        if task != "events":
            raise ValueError("--sample is only for the events task")
        return module.evaluate(nlp, gold, limit=limit, predictions_path=predictions,
                               sample=sample)
    return module.evaluate(nlp, gold, limit=limit, predictions_path=predictions)
