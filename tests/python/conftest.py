"""Shared helpers: run dbt in-process (dbtRunner) against an isolated DuckDB file."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import duckdb
import pytest

from segmentation_demo.generate import generate
from segmentation_demo.load import load
from segmentation_scenarios.evaluate import frame, invoke_dbt  # noqa: F401 (frame: for the tests)

ROOT = Path(__file__).resolve().parents[2]


def load_module(path: Path, name: str) -> ModuleType:
    """Import a file that is not on the path (a dbt Python model, a script)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses resolve annotations through it
    spec.loader.exec_module(module)
    return module


@dataclass
class DbtRun:
    """What one dbt invocation did: success, node results and warn/error log lines."""

    success: bool
    results: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    exception: BaseException | None = None

    def messages(self) -> str:
        parts = [str(r.message) for r in self.results if r.message]
        parts += self.errors
        if self.exception is not None:
            parts.append(str(self.exception))
        return "\n".join(parts)


def run_dbt(
    args: list[str],
    database: Path,
    variables: dict | None = None,
    work_dir: Path | None = None,
    project_dir: Path = ROOT,
) -> DbtRun:
    """Invoke dbt on a project (default: this one) with its DuckDB file at `database`."""
    warnings: list[str] = []
    errors: list[str] = []

    def collect(event) -> None:
        level = event.info.level
        if level == "warn":
            warnings.append(event.info.msg)
        elif level == "error":
            errors.append(event.info.msg)

    work_dir = work_dir or database.parent
    outcome = invoke_dbt(args, database, work_dir, variables, project_dir, [collect])
    results = list(getattr(outcome.result, "results", []) or [])
    return DbtRun(outcome.success, results, warnings, errors, outcome.exception)


def query(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    # Not read-only: dbt-duckdb may still hold the file open in this process.
    with duckdb.connect(str(database)) as con:
        return con.execute(sql, params or []).fetchall()


def generated_database(base: Path, customers: int, seed: int) -> Path:
    """Generated CSV inputs under base/data, loaded into base/raw.duckdb."""
    generate(base / "data", customers=customers, seed=seed, fmt="csv")
    database = base / "raw.duckdb"
    load(base / "data", database)
    return database


def copy_database(source: Path, target: Path) -> Path:
    """A copy of a DuckDB file with every table in it (checkpointed first, not in a WAL)."""
    query(source, "checkpoint")
    shutil.copyfile(source, target)
    return target


@dataclass
class Inputs:
    """Generated input files and a DuckDB file with them loaded as the raw schema."""

    data_dir: Path
    database: Path

    def fresh_copy(self, target: Path) -> Path:
        """A copy of the loaded database, for a test that changes inputs or vars."""
        shutil.copyfile(self.database, target)
        return target


@pytest.fixture(scope="session")
def generated_inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    """600 generated customers (CSV, seed 11) loaded into a DuckDB file."""
    base = tmp_path_factory.mktemp("inputs")
    data_dir = base / "data"
    generate(data_dir, customers=600, seed=11, fmt="csv")
    database = base / "raw.duckdb"
    load(data_dir, database)
    return Inputs(data_dir, database)


@pytest.fixture(scope="session")
def built(generated_inputs: Inputs, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """A full `dbt build` of the project on the generated inputs."""
    work = tmp_path_factory.mktemp("build")
    database = generated_inputs.fresh_copy(work / "build.duckdb")
    run = run_dbt(["build"], database)
    yield database, run
