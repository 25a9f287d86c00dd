"""The dashboard's tests run on a built DuckDB file (make dashboard-test: dbt-test's build).

DASHBOARD_TEST_DUCKDB  the build to read (default target/make_test.duckdb); copied first, so
                       the app never holds the build's own file open
DASHBOARD_TEST_DATA    the generated data it was built from (default data/demo), for the
                       planted campaign effect's ground truth
CHROMIUM               the browser (default: `chromium` on the PATH, Debian's package)
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboard"


def load(name: str) -> ModuleType:
    if str(DASHBOARD) not in sys.path:
        sys.path.insert(0, str(DASHBOARD))
    spec = importlib.util.spec_from_file_location(name, DASHBOARD / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def build(tmp_path_factory) -> Path:
    source = ROOT / os.environ.get("DASHBOARD_TEST_DUCKDB", "target/make_test.duckdb")
    if not source.exists():
        pytest.fail(f"no build at {source}: run `make dbt-test` (or make dashboard-test)")
    copy = tmp_path_factory.mktemp("dashboard") / source.name
    shutil.copyfile(source, copy)
    return copy


@pytest.fixture(scope="session")
def marts_of(build):
    """Every public mart the dashboard reads, as pandas frames."""
    os.environ["SEGMENTATION_DUCKDB_PATH"] = str(build)
    marts = load("marts")
    return {name: marts.read_mart(name) for name in marts.MARTS}


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return ROOT / os.environ.get("DASHBOARD_TEST_DATA", "data/demo")
