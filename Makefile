# The two commands of the README: `make run` (the main job on demo data) and `make test`
# (lint, dbt build with every test, pytest). Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TEST_DIR := data/test

.PHONY: setup run test lint dbt-build pytest clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,sync]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/leadscore run

test: lint dbt-build pytest

lint: setup
	mkdir -p $(TEST_DIR)
	$(BIN)/ruff check scripts tests/python
	LEADSCORE_DB=$(TEST_DIR)/lint.duckdb $(BIN)/sqlfluff lint models tests

# The whole dbt build (seeds, models, data tests, unit tests) on generated demo data.
dbt-build: setup
	rm -rf $(TEST_DIR)/warehouse.duckdb $(TEST_DIR)/demo
	$(BIN)/leadscore generate --out $(TEST_DIR)/demo --contacts 1500 --days 120 --end-date 2024-06-30
	$(BIN)/leadscore load $(TEST_DIR)/demo --db $(TEST_DIR)/warehouse.duckdb
	$(BIN)/leadscore build --db $(TEST_DIR)/warehouse.duckdb --as-of 2024-07-01T00:00:00Z

pytest: setup
	$(BIN)/pytest

clean:
	rm -rf $(VENV) target logs data/test
