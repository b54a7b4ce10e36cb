"""Quality floors: `wirewatch eval` on ../shared/eval must not fall below the recorded figures.

The floors live in tests/quality_floors.json (a little under the figures in
docs/benchmarks.md, so noise does not fail the build but a real regression does).
The tests skip when ../shared/eval is not beside the repository.
"""

from __future__ import annotations

import json

import pytest

from .conftest import ROOT, SHARED

FLOORS = json.loads((ROOT / "tests" / "quality_floors.json").read_text())
CASES = [(task, name, spec) for task, files in FLOORS.items() for name, spec in files.items()]


def _get(metrics: dict, dotted: str) -> float:
    value = metrics
    for key in dotted.split("."):
        value = value[key]
    return float(value)


@pytest.mark.quality
@pytest.mark.parametrize("task, name, spec", CASES, ids=[f"{t}-{n}" for t, n, _ in CASES])
def test_quality_does_not_regress(task, name, spec):
    gold = SHARED / "eval" / spec["folder"] / name
    if not gold.exists():
        pytest.skip(f"{gold} is not available")
    from wirewatch.evaluate.runner import run_eval

    result = run_eval(task, gold, limit=spec.get("limit"))
    failures = []
    for metric, floor in spec["floors"].items():
        value = _get(result["metrics"], metric)
        if value < floor:
            failures.append(f"{metric} = {value:.4f} < floor {floor}")
    assert not failures, f"{task} on {name}: " + "; ".join(failures)
