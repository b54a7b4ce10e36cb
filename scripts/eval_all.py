"""Run `wirewatch eval` on every dev file in ../shared/eval, with baselines, and save the figures.

Writes docs/benchmarks.json (the numbers behind docs/benchmarks.md). Usage:
    .venv/bin/python scripts/eval_all.py [--only TASK] [--no-baselines]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from wirewatch.evaluate.runner import run_eval

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
# (task, folder, file, extra options); india_police is sampled: 18k sentences take minutes.
RUNS = [
    ("ner", "ner", "re3d.jsonl", {}),
    ("quotes", "quotes", "polnear.jsonl", {}),
    ("time", "time", "tbaq_aquaint.jsonl", {}),
    ("time", "time", "tbaq_timebank.jsonl", {}),
    ("geo", "geo", "lgl.jsonl", {}),
    ("geo", "geo", "geovirus.jsonl", {}),
    ("events", "events", "plover_gsr_cameo.jsonl", {}),
    ("events", "events", "petrarch2_unittests_synthetic.jsonl", {}),
    ("events", "events", "conflibert_cameo_class.jsonl", {}),
    ("events", "events", "case2021_task2.jsonl", {}),
    ("events", "events", "india_police_events.jsonl", {"sample": 3000}),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", help="one task")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.json"))
    args = parser.parse_args()
    out_path = Path(args.out)
    results = json.loads(out_path.read_text()) if out_path.exists() else {}
    for task, folder, name, opts in RUNS:
        if args.only and task != args.only:
            continue
        gold = EVAL / folder / name
        if not gold.exists():
            print(f"skip {gold}: not found")
            continue
        for baseline in ([False] if args.no_baselines else [False, True]):
            key = f"{task}/{name}" + (" (baseline)" if baseline else "")
            start = time.perf_counter()
            try:
                result = run_eval(task, gold, baseline=baseline, **opts)
            except ValueError as exc:  # a task without a baseline
                print(f"{key}: {exc}")
                continue
            result["seconds"] = round(time.perf_counter() - start, 1)
            result["options"] = opts
            results[key] = result
            print(key, json.dumps(result["metrics"])[:300], f"{result['seconds']} s", flush=True)
            out_path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
