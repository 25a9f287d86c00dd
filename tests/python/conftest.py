"""Shared helpers: run dbt in-process (dbtRunner) against an isolated DuckDB file."""

from __future__ import annotations

import copy
import importlib.util
import json
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
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


def _collector(warnings: list[str], errors: list[str]):
    def collect(event) -> None:
        level = event.info.level
        if level == "warn":
            warnings.append(event.info.msg)
        elif level == "error":
            errors.append(event.info.msg)

    return collect


# Parsing the project takes ~2.5 s of every invocation, a fifth of a small build. A parse
# depends on the project's files, the vars and the target, not on the data; of the target
# only the database name (the DuckDB file's stem) reaches the manifest (checked: two parses
# with files of one name in two folders differ only in created_at). So each (project, vars,
# database name) is parsed once per session with `dbt parse`, and every invocation with the
# same three runs on its own copy of that manifest (dbtRunner(manifest=...)), with the
# parse's warnings and errors reported as if it had parsed itself.
_PARSED: dict[tuple[str, str, str], tuple[object, list[str], list[str]]] = {}


def _copy_manifest(manifest):
    """A deep copy, so no invocation sees what another compiled into it. Field by field:
    copy.deepcopy goes through Manifest.__reduce_ex__, which in dbt 1.11 leaves out
    `fixtures` and shifts the fields after it. Lookups and the lock start afresh."""
    public = [f.name for f in fields(manifest) if not f.name.startswith("_")]
    return type(manifest)(**{name: copy.deepcopy(getattr(manifest, name)) for name in public})


def run_dbt(
    args: list[str],
    database: Path,
    variables: dict | None = None,
    work_dir: Path | None = None,
    project_dir: Path = ROOT,
) -> DbtRun:
    """Invoke dbt on a project (default: this one) with its DuckDB file at `database`."""
    work_dir = work_dir or database.parent
    key = (str(project_dir), json.dumps(variables or {}, sort_keys=True), database.stem)
    if key not in _PARSED:
        warnings: list[str] = []
        errors: list[str] = []
        collect = _collector(warnings, errors)
        parse = invoke_dbt(["parse"], database, work_dir, variables, project_dir, [collect])
        if not parse.success:
            # Every command parses first, in the same way: it stops here too, with this
            # error (a var that a model's config reads is checked as the model is parsed).
            return DbtRun(False, [], warnings, errors, parse.exception)
        _PARSED[key] = (parse.result, warnings, errors)
    manifest, warnings, errors = _PARSED[key]
    warnings, errors = list(warnings), list(errors)
    outcome = invoke_dbt(
        args,
        database,
        work_dir,
        variables,
        project_dir,
        [_collector(warnings, errors)],
        manifest=_copy_manifest(manifest),
    )
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
    """A full `dbt build` of the project on the generated inputs. Tests read it; one
    that changes it works on a copy (copy_database). test_activation.py and
    test_bad_input_faults.py start from a copy: it is their first build."""
    work = tmp_path_factory.mktemp("build")
    database = generated_inputs.fresh_copy(work / "build.duckdb")
    run = run_dbt(["build"], database)
    yield database, run


OPTIONAL_INPUTS_OFF = {
    "segmentation__using_order_items": False,
    "segmentation__using_events": False,
    "segmentation__using_marketing_touches": False,
    "segmentation__using_customer_attributes": False,
}


@pytest.fixture(scope="session")
def built_without_optional_inputs(
    generated_inputs: Inputs, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, DbtRun]:
    """A full `dbt build` on the generated inputs with every optional input switched off:
    one build for test_staging.py (staging and rejected rows) and test_features.py
    (the features mart), which checked the same build each on its own before."""
    work = tmp_path_factory.mktemp("build_without_optional_inputs")
    database = generated_inputs.fresh_copy(work / "build.duckdb")
    return database, run_dbt(["build"], database, OPTIONAL_INPUTS_OFF)
