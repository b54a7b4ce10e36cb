"""The command line end to end: ingest the sample corpus, list, show, extract, re-ingest."""

import json

import jsonschema
import pytest
from typer.testing import CliRunner

from wirewatch.cli import app

from .conftest import EXAMPLES
from .schema_check import validate_record

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'demo.db'}"
    paths = sorted(str(p) for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html", ".jsonl"))
    # Two worker processes: the multiprocess path is what large ingests use.
    result = runner.invoke(app, ["ingest", *paths, "--db", db, "--format", "json",
                                 "--workers", "2"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    return db, summary, paths


def test_ingest_summary(demo_db):
    _, summary, paths = demo_db
    assert summary["articles_failed"] == 0
    assert summary["articles_new"] >= 40
    assert summary["entities"] > 0 and summary["quotes"] > 0 and summary["events"] > 0


def test_every_stored_record_is_valid(demo_db):
    from wirewatch.store.repository import Store

    db, _, _ = demo_db
    store = Store(db)
    records = [store.get_record(aid) for aid in store.article_ids()]
    assert len(records) >= 40
    for record in records:
        validate_record(record)


def test_near_copies_are_marked_and_not_counted_twice(demo_db):
    db, _, _ = demo_db
    articles = json.loads(runner.invoke(app, ["articles", "--db", db, "-f", "json"]).stdout)
    copies = [a for a in articles if a["duplicate_of"]]
    assert len(copies) == 2
    originals = {a["duplicate_of"] for a in copies}
    assert len(originals) == 1
    events = json.loads(runner.invoke(app, ["events", "--db", db, "-f", "json"]).stdout)
    assert not {e["article_id"] for e in events} & {a["id"] for a in copies}
    with_copies = json.loads(runner.invoke(
        app, ["events", "--db", db, "-f", "json", "--copies"]).stdout)
    extra = {e["article_id"] for e in with_copies} - {e["article_id"] for e in events}
    assert extra and extra <= {a["id"] for a in copies}


def test_reingest_changes_nothing(demo_db):
    db, _, paths = demo_db
    result = runner.invoke(app, ["ingest", *paths, "--db", db, "--format", "json"])
    assert result.exit_code == 0
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["articles_new"] == 0 and summary["articles_unchanged"] >= 40


def test_lists_in_every_format(demo_db):
    db, _, _ = demo_db
    for cmd in ("actors", "quotes", "events", "relations", "articles", "failures"):
        for fmt in ("table", "json", "csv"):
            result = runner.invoke(app, [cmd, "--db", db, "--format", fmt])
            assert result.exit_code == 0, (cmd, fmt, result.output)
    actors = json.loads(runner.invoke(app, ["actors", "--db", db, "--format", "json"]).stdout)
    assert actors and actors[0]["mention_count"] >= actors[-1]["mention_count"]
    ids = [a["id"] for a in actors]
    assert len(ids) == len(set(ids))


def test_show_json_is_a_valid_record(demo_db):
    db, _, _ = demo_db
    articles = json.loads(runner.invoke(app, ["articles", "--db", db, "-f", "json"]).stdout)
    result = runner.invoke(app, ["show", articles[0]["id"][:12], "--db", db, "-f", "json"])
    assert result.exit_code == 0
    validate_record(json.loads(result.stdout))
    readable = runner.invoke(app, ["show", articles[0]["id"], "--db", db])
    assert readable.exit_code == 0 and articles[0]["id"] in readable.stdout


def test_show_unknown_id_is_a_clear_error(demo_db):
    db, _, _ = demo_db
    result = runner.invoke(app, ["show", "art_nope", "--db", db])
    assert result.exit_code == 1
    assert "no article" in result.stderr


def test_bad_inputs_are_reported_and_recorded(tmp_path):
    db = f"sqlite:///{tmp_path / 'bad.db'}"
    result = runner.invoke(app, ["ingest", str(EXAMPLES / "bad"), "--db", db, "-f", "json"])
    assert result.exit_code == 1  # the good inputs go in; the status says some failed
    for name in ("binary.txt", "empty.txt", "french.txt", "mixed.jsonl:3", "mixed.jsonl:4"):
        assert name in result.stderr
    rows = json.loads(runner.invoke(app, ["failures", "--db", db, "-f", "json"]).stdout)
    assert {r["reason"] for r in rows} >= {"binary file", "empty file", "non-English text",
                                           "malformed JSON line", "missing text"}
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["articles_new"] >= 3  # the good lines and the cp1252 file still go in


def test_interrupted_ingest_resumes_without_duplicates(tmp_path):
    db = f"sqlite:///{tmp_path / 'resume.db'}"
    files = sorted(str(p) for p in EXAMPLES.glob("0*.txt"))[:6]
    # A first run that only got through half the files (as if killed) ...
    assert runner.invoke(app, ["ingest", *files[:3], "--db", db]).exit_code == 0
    result = runner.invoke(app, ["ingest", *files, "--db", db, "-f", "json"])
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["articles_new"] == 3 and summary["articles_unchanged"] == 3
    rows = json.loads(runner.invoke(app, ["articles", "--db", db, "-f", "json"]).stdout)
    assert len(rows) == 6


def test_extract_prints_a_valid_record(seed_path):
    result = runner.invoke(app, ["extract", str(seed_path), "--published", "2025-01-20",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    validate_record(record)
    assert record["article"]["published"] == "2025-01-20"


def test_invalid_record_fails_the_schema():
    with pytest.raises(jsonschema.ValidationError):
        validate_record({"article": {}})


def test_bad_db_url_is_a_clear_error():
    result = runner.invoke(app, ["actors", "--db", "nosuchdialect://x"])
    assert result.exit_code == 2
    assert "cannot open database" in result.stderr


def test_eval_unknown_task_and_missing_gold(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text("")
    assert runner.invoke(app, ["eval", "nonsense", "--gold", str(gold)]).exit_code == 2
    assert runner.invoke(app, ["eval", "ner", "--gold", str(tmp_path / "x")]).exit_code == 2


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "wirewatch", "--help"], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0 and "ingest" in out.stdout
