"""integration_tests/tiny_shop/: a typical tiny shop (100 customers, only customers and
orders, integer ids, amounts in cents) installs the package by following README.md's
"Use it in your own dbt project" and nothing else: the blocks marked `tiny_shop` are its
files, and the commands block is what this test runs, with default vars."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, invoke_dbt, query
from dbt.cli.main import dbtRunner

PROJECT = ROOT / "integration_tests" / "tiny_shop"
MARTS = "main_segmentation"
BLOCK = re.compile(r"<!-- tiny_shop: (?P<name>[^ ]+) -->\n```[a-z]*\n(?P<body>.*?)```", re.S)
IGNORED = {"target", "dbt_packages", "logs", "package-lock.yml", "tiny_shop.duckdb"}


def walkthrough() -> dict[str, str]:
    """The README section's marked blocks: file path (or 'commands') -> text."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Use it in your own dbt project", 1)[1].split("\n## ", 1)[0]
    return {match["name"]: match["body"] for match in BLOCK.finditer(section)}


def commands() -> list[list[str]]:
    lines = walkthrough()["commands"].splitlines()
    return [shlex.split(line)[1:] for line in lines if line.startswith("dbt ")]


def project_copy(target: Path) -> Path:
    """The tiny shop as a user has it, with packages.yml as the README writes it and the
    README's path to a checkout of this repository replaced by the real one."""
    shutil.copytree(PROJECT, target, ignore=lambda _, names: [n for n in names if n in IGNORED])
    packages = walkthrough()["packages.yml"]
    assert "local: ../segmentation\n" in packages
    (target / "packages.yml").write_text(packages.replace("../segmentation", str(ROOT)))
    return target


def invoke(args: list[str], project: Path, database: Path, variables: dict | None = None):
    """One README command, in-process, in the project as its working directory."""
    if args[0] == "deps":  # takes no target or log path
        outcome = dbtRunner().invoke(
            [*args, "--project-dir", str(project), "--profiles-dir", str(project)]
        )
        return outcome, []
    outcome = invoke_dbt(args, database, project, variables, project_dir=project, quiet=True)
    results = list(getattr(outcome.result, "results", []) or [])
    return outcome, results


def test_the_readme_blocks_are_the_tiny_shops_files() -> None:
    blocks = walkthrough()
    files = {
        name: body for name, body in blocks.items() if name not in ("commands", "packages.yml")
    }
    assert {"dbt_project.yml", "models/segmentation_input_orders.sql"} <= set(files)
    for name, body in files.items():
        assert (PROJECT / name).read_text() == body, f"README block {name} differs from the file"
    assert commands() == [["deps"], ["build", "--select", "+package:segmentation"]]
    readme = (ROOT / "README.md").read_text()
    assert "pip install -r ../segmentation/requirements-package.txt" in readme
    assert (ROOT / "requirements-package.txt").exists()


@pytest.fixture(scope="module")
def tiny_shop(tmp_path_factory: pytest.TempPathFactory):
    project = project_copy(tmp_path_factory.mktemp("tiny") / "tiny_shop")
    database = project / "tiny_shop.duckdb"
    runs = [invoke(args, project, database) for args in commands()]
    return project, database, runs


def test_the_walkthrough_builds_green_with_default_vars(tiny_shop) -> None:
    _, database, runs = tiny_shop
    for outcome, results in runs:
        assert outcome.success, [str(r.message) for r in results if r.message] or outcome.exception
        assert all(str(r.status) in ("pass", "success") for r in results)
    [(customers, segmented, segments)] = query(
        database,
        "select count(*), count(segment_id), count(distinct segment_id) "
        f"from {MARTS}.segmentation__customer_segments_v1",
    )
    assert customers == 100 and segmented >= 75 and segments >= 3
    # Cents became currency units in the user's view.
    [(largest,)] = query(
        database, f"select max(monetary_total) from {MARTS}.segmentation__customer_features"
    )
    assert 100 < largest < 5_000


def test_schemas_examples_and_optional_marts(tiny_shop) -> None:
    project, database, _ = tiny_shop
    schemas = {
        row[0]
        for row in query(database, "select distinct table_schema from information_schema.tables")
    }
    assert schemas == {"main", "main_segmentation", "main_segmentation_internal"}  # routed
    kinds = {
        row[0]
        for row in query(
            database, f"select distinct audience_kind from {MARTS}.segmentation__audiences"
        )
    }
    assert "audience" not in kinds  # the package's example audiences stay out
    assert query(
        database,
        "select count(*) from information_schema.tables "
        "where table_name = 'segmentation__campaign_effectiveness'",
    ) == [(0,)]
    assert query(
        database, f"select count(*) from {MARTS}.segmentation__customer_attribute_values"
    ) == [(0,)]
    manifest = (project / "target" / "manifest.json").read_text()
    assert (
        '"exposure.segmentation.' not in manifest.split('"disabled"', 1)[0]
    )  # no example.com exposures


def test_an_unbuilt_model_is_told_apart_from_a_wrong_var(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "tiny_shop")
    database = project / "fresh.duckdb"
    assert invoke(["deps"], project, database)[0].success
    outcome, results = invoke(
        ["run", "--select", "base_segmentation__customers"], project, database
    )
    message = " ".join(str(r.message) for r in results)
    assert not outcome.success
    assert "does not exist yet. It is your model or seed 'segmentation_input_customers'" in message
    assert "--select +package:segmentation" in message
    outcome, results = invoke(
        ["run", "--select", "base_segmentation__customers"],
        project,
        database,
        {"segmentation__customers_relation": "main.no_such_table"},
    )
    message = " ".join(str(r.message) for r in results)
    assert not outcome.success
    assert (
        "The var 'segmentation__customers_relation' is 'main.no_such_table': check its schema"
        in message
    )
    assert "does not exist yet" not in message
