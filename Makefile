# The two commands of the README: `make run` (the main job on demo data) and `make test`
# (lint, dbt build with every test, pytest). Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: `make run` installs only what the main job needs (leadscore with dbt-core, dbt-duckdb
# and duckdb); `make test` adds the extras (dev: pytest, ruff, sqlfluff; sync: drt; spark: pyspark;
# calibrate: scikit-learn, lightgbm).
# `make run` after `make test` installs nothing; `make test` after `make run` adds only the extras.
RUNTIME_STAMP := $(VENV)/.runtime-stamp
EXTRAS_STAMP := $(VENV)/.extras-stamp
TEST_DIR := data/test

.PHONY: setup runtime run test lint dbt-build pytest chromium clean

$(RUNTIME_STAMP): pyproject.toml
	@echo "Installing leadscore and its runtime dependencies (dbt-core, dbt-duckdb, duckdb) into $(VENV) (about a minute the first time)..."
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(EXTRAS_STAMP): $(RUNTIME_STAMP)
	@echo "Installing the test, CRM sync, Spark and calibration extras (pytest, ruff, sqlfluff, drt, dbt-spark, pyspark, scikit-learn, lightgbm) into $(VENV) (a few minutes the first time)..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,sync,spark,calibrate]'
	@touch $@

runtime: $(RUNTIME_STAMP)

# The whole development set-up (what `make test` uses).
setup: $(EXTRAS_STAMP)

run: runtime
	$(BIN)/leadscore run

test: lint dbt-build pytest

lint: setup
	mkdir -p $(TEST_DIR)
	$(BIN)/ruff check scripts tests/python
	LEADSCORE_DB=$(TEST_DIR)/lint.duckdb $(BIN)/sqlfluff lint models tests

# The whole dbt build (seeds, models, data tests, unit tests: --full-refresh runs them even when this
# code passed them before, docs/scoring.md) on generated demo data, then the tests
# of the shipped grids and seeds, which only this project's CI runs (docs/grids.md).
dbt-build: runtime
	rm -rf $(TEST_DIR)/warehouse.duckdb $(TEST_DIR)/demo
	$(BIN)/leadscore generate --out $(TEST_DIR)/demo --contacts 1500 --days 120 --end-date 2024-06-30
	$(BIN)/leadscore load $(TEST_DIR)/demo --db $(TEST_DIR)/warehouse.duckdb
	$(BIN)/leadscore build --db $(TEST_DIR)/warehouse.duckdb --as-of 2024-07-01T00:00:00Z --full-refresh
	LEADSCORE_DB=$(TEST_DIR)/warehouse.duckdb $(BIN)/dbt test --quiet --select tag:shipped_defaults --vars '{test_shipped_defaults: true}'

pytest: setup chromium
	$(BIN)/pytest

# The report test renders the HTML report in headless Chromium: install Debian's package when it is
# missing and we are root; otherwise say so (that test then skips, saying why).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "chromium could not be installed: the report rendering test will be skipped"; \
		else \
			echo "chromium is missing and cannot be installed here (needs root and apt-get): the report rendering test will be skipped"; \
		fi; }

clean:
	rm -rf $(VENV) target logs data/test
