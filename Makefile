# tiegraph: `make demo` to see it, `make test` to prove it.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: install demo test lint neo4j-build bench clean

$(BIN)/tiegraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/tiegraph

install: $(BIN)/tiegraph

neo4j-build: install
	$(BIN)/python -c "from pipelines import neo4j_server; print(neo4j_server.build())"

demo: install
	$(BIN)/tiegraph ingest data/sample
	$(BIN)/tiegraph analyze
	$(BIN)/tiegraph serve

test: install neo4j-build
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

bench: install
	$(BIN)/tiegraph bench --out docs/benchmarks.json

clean:
	rm -rf $(VENV) neo4j/target .pytest_cache .mypy_cache test-artifacts
