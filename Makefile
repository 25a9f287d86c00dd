# The two commands: `make demo` and `make test`. Both bootstrap .venv from the
# pinned requirements when it is missing or out of date.
SHELL := /bin/bash
# This file, for make test's sub-make (make -f <file> test must run the same file's lanes).
SELF := $(abspath $(lastword $(MAKEFILE_LIST)))
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

DEMO_CUSTOMERS := 5000
DEMO_SEED := 42
DEMO_DATA := data/demo
DEMO_DB := segmentation.duckdb
# make test builds the demo data into its own file, leaving the demo's alone.
TEST_DB := target/make_test.duckdb

.PHONY: help demo dashboard test test-lanes lane-a lane-b lint pytest pytest-lane-a pytest-lane-b dbt-test \
	package-env-test snowpark-test snowflake-test dashboard-test chromium bench clean

help:
	@echo "make demo   build the segments on the embedded DuckDB demo data and print a summary"
	@echo "make dashboard  serve the segment dashboard (Streamlit) on the demo's DuckDB file at http://localhost:$(DASHBOARD_PORT)/"
	@echo "make test   every check: ruff, pytest (with integration_tests/), dbt build with all tests, docs and access gate, sqlfluff,"
	@echo "            the cluster model under Snowpark local testing, the SQL models on fakesnow (emulated Snowflake),"
	@echo "            the tiny shop built in a venv with only requirements-package.txt and the dashboard in headless Chromium;"
	@echo "            after ruff, in two lanes at once (one core each): pytest, and the rest then a few pytest files"
	@echo "make bench  benchmarks: segment quality on the scenario suite, k-selection methods compared, cluster fit at 25k and 1M,"
	@echo "            the value models (BG/NBD, Gamma-Gamma) at 1M,"
	@echo "            generator and feature build at 1M customers (time and memory); activation over three builds at 100k;"
	@echo "            the package's full build vs a pandas notebook vs hand-written DuckDB SQL at 100k and 1M; last, what a daily"
	@echo "            run costs: an unchanged rerun and one after ~1 % new orders and events (docs/benchmarks.md); then the"
	@echo "            incremental-equals-full sequence test in both loaded_at variants, every day fully rebuilt, on DuckDB"
	@echo "            and on fakesnow (docs/incremental.md)"

# A venv from a pinned requirements file: $(call make_venv,<dir>,<requirements>).
# uv installs it (same packages as pip, bytecode compiled as pip does; uv is pinned here
# and made by pip in its own venv, .venv-uv): the four venvs took 77 s against pip's
# 150 s, measured side by side. uv reads no pip.conf: where only pip's configuration
# reaches the package index, `make <target> INSTALLER=pip` installs with pip as before.
INSTALLER ?= uv
UV_VERSION := 0.13.9
UV_VENV := .venv-uv
UV := $(UV_VENV)/bin/uv

ifeq ($(INSTALLER),pip)
INSTALLER_PREREQ :=
define make_venv
	@test -x $(1)/bin/python || $(PYTHON) -m venv $(1)
	$(1)/bin/python -m pip install --quiet --upgrade pip
	$(1)/bin/python -m pip install --quiet -r $(2)
	@touch $(1)/.installed
endef
else
INSTALLER_PREREQ := | $(UV)
define make_venv
	@test -x $(1)/bin/python || $(PYTHON) -m venv --without-pip $(1)
	$(UV) pip install --quiet --compile-bytecode --python $(1)/bin/python -r $(2)
	@touch $(1)/.installed
endef
endif

$(UV):
	@test -x $(UV_VENV)/bin/python || $(PYTHON) -m venv $(UV_VENV)
	$(UV_VENV)/bin/python -m pip install --quiet uv==$(UV_VERSION)

$(STAMP): requirements.txt $(INSTALLER_PREREQ)
	$(call make_venv,$(VENV),requirements.txt)

$(DEMO_DATA)/manifest.json: $(STAMP) segmentation_demo/generate.py
	$(BIN)/python -m segmentation_demo.generate --customers $(DEMO_CUSTOMERS) --seed $(DEMO_SEED) \
		--out $(DEMO_DATA) --format parquet

demo: $(STAMP) $(DEMO_DATA)/manifest.json
	$(BIN)/python -m segmentation_demo.load --data $(DEMO_DATA) --database $(DEMO_DB)
	@# The summary is printed even when the build fails (e.g. a quality gate), then make fails.
	SEGMENTATION_DUCKDB_PATH=$(DEMO_DB) $(BIN)/dbt build --quiet; status=$$?; \
		$(BIN)/python -m segmentation_demo.summary --database $(DEMO_DB); exit $$status

# The dashboard (dashboard/, docs/decisions/0021) on the demo's DuckDB file, read-only; it
# runs in .venv. SEGMENTATION_DUCKDB_PATH=<file> make dashboard serves another build.
DASHBOARD_PORT ?= 8501
DASHBOARD_DB ?= $(or $(SEGMENTATION_DUCKDB_PATH),$(DEMO_DB))
STREAMLIT_FLAGS := --server.headless true --browser.gatherUsageStats false

dashboard: $(STAMP)
	@test -f $(DASHBOARD_DB) || { echo "no $(DASHBOARD_DB): run make demo first"; exit 1; }
	SEGMENTATION_DUCKDB_PATH=$(DASHBOARD_DB) $(BIN)/streamlit run dashboard/streamlit_app.py \
		$(STREAMLIT_FLAGS) --server.port $(DASHBOARD_PORT)

# make test: ruff (and the .venv bootstrap, once), then two lanes at once, one per core:
# dbt's Python keeps each of them on one core. Lane A is pytest without the files in
# PYTEST_LANE_B; lane B is dbt-test, package-env-test, snowpark-test, snowflake-test (with
# their venvs) and dashboard-test (the browser test on dbt-test's build), then pytest on
# PYTEST_LANE_B, so that both lanes take about as long (measured in a fresh clone: lane A
# 640 s, lane B 583 s with test_segment_quality.py only, before dashboard-test's ~55 s;
# on a busy machine, load average 6, with it: lane A 1098 s, lane B 1091 s).
# Files in PYTEST_LANE_B use none of conftest.py's session builds, or both lanes would
# build them.
# The lanes share no file: pytest builds in its own temporary folders. Each step's output
# is printed whole when the step ends; a failed step fails make test, after the step
# running in the other lane has ended. `make pytest` runs every pytest file in one go.
# Issue 16 added about 5 min to lane A (test_incremental_staging.py, test_incremental_sequence.py,
# test_refit_policy.py: lane A 978-1090 s in fresh clones at load 2.5-4) and 4 min to lane B
# (the fakesnow sequence): the DuckDB sequence test (its own builds) runs in lane B.
PYTEST_LANE_B := tests/python/test_segment_quality.py tests/python/test_consumer_projects.py \
	tests/python/test_incremental_sequence.py

test: lint
	@$(MAKE) -f $(SELF) --no-print-directory --output-sync=target -j2 -o $(STAMP) test-lanes \
		TEST_LANES_START=$$(date +%s)

test-lanes: lane-a lane-b

lane-a: pytest-lane-a
	@echo "make test: lane A (pytest) passed in $$(( $$(date +%s) - $(TEST_LANES_START) )) s"

lane-b: dbt-test package-env-test snowpark-test snowflake-test dashboard-test pytest-lane-b
	@echo "make test: lane B (dbt-test, package-env-test, snowpark-test, snowflake-test, dashboard-test," \
		"pytest $(notdir $(PYTEST_LANE_B))) passed in $$(( $$(date +%s) - $(TEST_LANES_START) )) s"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

pytest: $(STAMP)
	$(BIN)/python -m pytest

pytest-lane-a: $(STAMP)
	$(BIN)/python -m pytest $(addprefix --ignore=,$(PYTEST_LANE_B))

pytest-lane-b: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_LANE_B)

# dbt build with every data and unit test on the demo data; every public mart
# unchanged against its reference fingerprint (scripts/mart_fingerprints.py);
# the docs, access and PII gate over the manifest and catalog (docs generate,
# offline); then sqlfluff, whose dbt templater introspects the relations that
# build created.
dbt-test: $(STAMP) $(DEMO_DATA)/manifest.json
	@mkdir -p target
	rm -f $(TEST_DB)
	$(BIN)/python -m segmentation_demo.load --data $(DEMO_DATA) --database $(TEST_DB)
	SEGMENTATION_DUCKDB_PATH=$(TEST_DB) $(BIN)/dbt build --warn-error
	$(BIN)/python scripts/mart_fingerprints.py --database $(TEST_DB) --check tests/fixtures/public_marts_demo.json
	SEGMENTATION_DUCKDB_PATH=$(TEST_DB) $(BIN)/dbt docs generate --quiet
	$(BIN)/python scripts/check_project.py --target-dir target
	SEGMENTATION_DUCKDB_PATH=$(TEST_DB) $(BIN)/sqlfluff lint models snapshots tests

# What a user installs: a venv with only requirements-package.txt builds the tiny shop
# (integration_tests/tiny_shop/) with the README's commands, so the package needs nothing
# from requirements.txt at run time.
PACKAGE_VENV := .venv-package
PACKAGE_STAMP := $(PACKAGE_VENV)/.installed
PACKAGE_TEST := target/package_env_test/tiny_shop

$(PACKAGE_STAMP): requirements-package.txt $(INSTALLER_PREREQ)
	$(call make_venv,$(PACKAGE_VENV),requirements-package.txt)

package-env-test: $(PACKAGE_STAMP)
	rm -rf $(PACKAGE_TEST) && mkdir -p $(dir $(PACKAGE_TEST))
	cp -r integration_tests/tiny_shop $(PACKAGE_TEST)
	rm -rf $(PACKAGE_TEST)/target $(PACKAGE_TEST)/dbt_packages $(PACKAGE_TEST)/logs $(PACKAGE_TEST)/package-lock.yml
	printf 'packages:\n  - local: %s\n' "$(CURDIR)" > $(PACKAGE_TEST)/packages.yml
	cd $(PACKAGE_TEST) && export DBT_PROFILES_DIR=. SEGMENTATION_DUCKDB_PATH=tiny_shop.duckdb && \
		$(CURDIR)/$(PACKAGE_VENV)/bin/dbt deps --quiet && \
		$(CURDIR)/$(PACKAGE_VENV)/bin/dbt build --select +package:segmentation --warn-error --quiet

# The engines' own venvs: Snowpark runs on pandas 2 (Snowflake's runtime), so it
# cannot share .venv (pandas 3).
SNOWPARK_VENV := .venv-snowpark
SNOWPARK_STAMP := $(SNOWPARK_VENV)/.installed
ENGINE_FIXTURE := target/engine_fixture

$(SNOWPARK_STAMP): requirements-snowpark.txt $(INSTALLER_PREREQ)
	$(call make_venv,$(SNOWPARK_VENV),requirements-snowpark.txt)

# The cluster model under Snowpark local testing (pandas 2), against the DuckDB
# build that dbt-test made: same fit, same segment for every customer.
snowpark-test: dbt-test $(SNOWPARK_STAMP)
	$(BIN)/python scripts/export_engine_fixture.py --database $(TEST_DB) --out $(ENGINE_FIXTURE)
	ENGINE_FIXTURE=$(ENGINE_FIXTURE) $(SNOWPARK_VENV)/bin/python -m pytest tests/snowpark

# fakesnow pins its own duckdb and sqlglot, so dbt-snowflake gets a venv too.
FAKESNOW_VENV := .venv-fakesnow
FAKESNOW_STAMP := $(FAKESNOW_VENV)/.installed

$(FAKESNOW_STAMP): requirements-fakesnow.txt $(INSTALLER_PREREQ)
	$(call make_venv,$(FAKESNOW_VENV),requirements-fakesnow.txt)

# Every SQL model and test with dbt-snowflake on emulated Snowflake (fakesnow on
# loopback), the Python model's fit taken from dbt-test's DuckDB build; then
# every compiled model parsed as Snowflake SQL (integration_tests/snowflake/).
# Then the sequence test on fakesnow (docs/incremental.md): five daily batches, each
# built incrementally and compared mart for mart with a --full-refresh build of a copy;
# its base shop's Python models are built on DuckDB first (fakesnow cannot run them).
SEQUENCE_DIR := target/sequence

snowflake-test: dbt-test $(FAKESNOW_STAMP)
	$(FAKESNOW_VENV)/bin/python integration_tests/snowflake/run_fakesnow.py \
		--data $(DEMO_DATA) --cluster-model $(TEST_DB)
	$(BIN)/python scripts/incremental_sequence.py base --out $(SEQUENCE_DIR)
	$(FAKESNOW_VENV)/bin/python integration_tests/snowflake/run_sequence.py \
		--data $(SEQUENCE_DIR)/data --python-models $(SEQUENCE_DIR)/seq.duckdb --full-refresh-days 4

# Headless Chromium for the dashboard's browser test: Debian's package where it is missing
# (Playwright drives it through executable_path; it downloads no browser).
CHROMIUM ?= chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

chromium:
	@command -v $(CHROMIUM) >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v $(CHROMIUM) >/dev/null || { echo "no $(CHROMIUM) after apt-get install chromium"; exit 1; }

# The dashboard in a real browser (tests/dashboard/): the app started once on a copy of
# dbt-test's build, every page visited twice in headless Chromium (no exception or error
# element; the second load at most 2 s; figures equal to the marts; screenshots and load
# times in target/dashboard/), and the demo's planted campaign effect recovered.
dashboard-test: dbt-test chromium $(STAMP)
	DASHBOARD_TEST_DUCKDB=$(TEST_DB) DASHBOARD_TEST_DATA=$(DEMO_DATA) CHROMIUM=$$(command -v $(CHROMIUM)) \
		$(BIN)/python -m pytest tests/dashboard -p no:cacheprovider -s

bench: $(STAMP) $(FAKESNOW_STAMP)
	$(BIN)/python scripts/bench_segment_quality.py
	$(BIN)/python scripts/compare_k_selection.py
	$(BIN)/python scripts/bench_cluster_fit.py
	$(BIN)/python scripts/bench_value_model.py
	$(BIN)/python scripts/bench_generate.py
	$(BIN)/python scripts/bench_features.py
	$(BIN)/python scripts/bench_activation.py
	$(BIN)/python scripts/bench_scale.py
	$(BIN)/python scripts/bench_incremental.py
	SEGMENTATION_SEQUENCE_VARIANTS=all $(BIN)/python -m pytest tests/python/test_incremental_sequence.py -s
	$(BIN)/python scripts/incremental_sequence.py base --out $(SEQUENCE_DIR)
	$(FAKESNOW_VENV)/bin/python integration_tests/snowflake/run_sequence.py \
		--data $(SEQUENCE_DIR)/data --python-models $(SEQUENCE_DIR)/seq.duckdb
	$(FAKESNOW_VENV)/bin/python integration_tests/snowflake/run_sequence.py --events-without-loaded-at \
		--data $(SEQUENCE_DIR)/data --python-models $(SEQUENCE_DIR)/seq.duckdb

clean:
	rm -rf target logs $(DEMO_DATA) $(DEMO_DB) $(DEMO_DB).wal integration_tests/target integration_tests/dbt_packages integration_tests/logs $(SNOWPARK_VENV) \
		integration_tests/snowflake/target integration_tests/snowflake/dbt_packages integration_tests/snowflake/logs $(FAKESNOW_VENV) \
		$(PACKAGE_VENV) $(UV_VENV)
