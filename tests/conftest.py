"""Shared fixtures: one pipeline per test session, the sample corpus, the shared data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_a6b58dc74d5924e3.txt"


@pytest.fixture(scope="session")
def nlp():
    from wirewatch.nlp.pipeline import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("../shared/seeds is not beside the repository")
    return SEED


@pytest.fixture(scope="session")
def seed_record(nlp, seed_path):
    """The seed article through the whole pipeline, as ``extract`` builds it."""
    from wirewatch.ingest.sources import Defaults, read_inputs
    from wirewatch.nlp.pipeline import process

    (article,) = list(read_inputs([seed_path], Defaults(published="2025-01-20")))
    (record,) = list(process(nlp, [article]))
    return record


def _store_urls() -> list[str]:
    urls = ["sqlite"]
    if os.environ.get("WIREWATCH_TEST_POSTGRES"):
        urls.append("postgresql")
    return urls


@pytest.fixture(params=_store_urls())
def store(request, tmp_path):
    """An empty store on SQLite, and on PostgreSQL when WIREWATCH_TEST_POSTGRES is set."""
    from tests.stores import empty_postgres
    from wirewatch.store.repository import Store

    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'test.db'}")
    else:
        s = Store(empty_postgres(os.environ["WIREWATCH_TEST_POSTGRES"]))
    yield s
    s.close()
