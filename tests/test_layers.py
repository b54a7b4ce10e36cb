"""The layering the architecture promises: fast start, and SQL only under store/."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "wirewatch"


def test_import_and_help_load_no_heavy_library():
    code = ("import sys, wirewatch, wirewatch.cli\n"
            "from typer.testing import CliRunner\n"
            "r = CliRunner().invoke(wirewatch.cli.app, ['--help'])\n"
            "assert r.exit_code == 0, r.output\n"
            "print(sorted(m for m in ('spacy', 'sqlalchemy', 'alembic', 'fastapi') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_public_names_resolve_lazily():
    import wirewatch

    assert wirewatch.Service.__name__ == "Service"
    assert callable(wirewatch.extract_file)


def test_sql_runs_only_in_the_store():
    pattern = re.compile(r"\bengine\b|execute\(|sqlalchemy")
    offenders = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        if rel.parts[0] == "store":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    # The Parquet export reads column types from the schema, not data.
    allowed = {"export/parquet.py"}
    assert [o for o in offenders if o.split(":")[0] not in allowed] == []
