# MultiMed Fusion. The two commands: `make run` (set up + serve on the embedded default) and
# `make test` (set up + start test servers + pytest with coverage).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: install install-test run test check lint types imports migrations-check schema schema-check migrate bench postman image clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(TEST_STAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(STAMP)

install-test: $(TEST_STAMP)

run: install
	$(BIN)/multimed serve

test: install-test
	scripts/seaweedfs.sh start
	. scripts/test-env.sh && $(BIN)/python -m pytest --strict-markers \
		--cov=multimed --cov-report=term --cov-report=xml --cov-report=html $(PYTEST_ARGS)

check: install-test lint types imports migrations-check schema-check

lint:
	$(BIN)/ruff check src tests benchmarks alembic
	$(BIN)/ruff format --check src tests benchmarks alembic

types:
	$(BIN)/mypy

imports:
	$(BIN)/lint-imports

# Autogenerate must find nothing to do: the models and the migrations agree.
migrations-check: install-test
	. scripts/test-env.sh && $(BIN)/python scripts/alembic_check.py

schema: install
	$(BIN)/multimed schema --output schema.graphql

schema-check: install
	$(BIN)/multimed schema | diff -u schema.graphql - || { echo "schema.graphql is stale: run make schema"; exit 1; }

migrate: install
	$(BIN)/multimed db upgrade

bench: install-test
	$(BIN)/python benchmarks/ingest.py

# The Postman collection against a live server: npm ci in postman/, throwaway database and data dir,
# newman's exit status. `make test` runs it too (tests/api/test_postman.py).
postman: install
	scripts/newman.sh

image:
	@if command -v podman >/dev/null 2>&1; then podman build --format docker -t multimed-fusion -f Containerfile .; \
	elif docker info >/dev/null 2>&1; then docker build -t multimed-fusion -f Containerfile .; \
	else echo "no container engine here (docker info / podman not available)"; exit 1; fi

clean:
	rm -rf $(VENV) htmlcov coverage.xml .coverage .mypy_cache .ruff_cache .pytest_cache
