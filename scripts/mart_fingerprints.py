"""Fingerprint every public mart of a built DuckDB file, to prove a rewrite leaves them unchanged.

    python scripts/mart_fingerprints.py --database target/make_test.duckdb            # print
    python scripts/mart_fingerprints.py --database DB --write tests/fixtures/public_marts_demo.json
    python scripts/mart_fingerprints.py --database DB --check tests/fixtures/public_marts_demo.json

The public marts are the models whose access is public: the directories that
dbt_project.yml sets `+access: public` (models/marts), less any model a yml file
sets otherwise; a versioned model counts by its relation
(segmentation__customer_segments_v1). A fingerprint per mart holds its row count,
its columns (name and type, in order) and an order-independent content hash: every
cell is md5'd from its text (a double's text round-trips, so a last-bit change
counts: builds of the same data are bit-identical, docs/decisions/0015), each row
is the md5 of its cells, and the content hash is the md5 of the sorted row hashes.
A hash per column makes a mismatch name the columns whose values changed. Columns
whose values change from run to run (RUN_DEPENDENT) are left out of the hashes but
not out of the column list. --check exits 1 and names every mart that differs.

The references are builds of the current implementation on fixed demo data:
tests/fixtures/public_marts_demo.json for `make test`'s dbt-test (5,000 customers,
seed 42, parquet) and tests/fixtures/public_marts_pytest.json for pytest's `built`
fixture (600 customers, seed 11, CSV). After an INTENDED change to a public mart,
regenerate both and say in the commit message which marts and columns changed and
why (a reference regenerated only to turn the check green defeats it):

    make dbt-test   # builds target/make_test.duckdb, then fails the check
    .venv/bin/python scripts/mart_fingerprints.py --database target/make_test.duckdb \\
        --write tests/fixtures/public_marts_demo.json
    UPDATE_MART_FINGERPRINTS=1 .venv/bin/python -m pytest tests/python/test_marts_unchanged.py
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb
import yaml

ROOT = Path(__file__).resolve().parents[1]
FORMAT_VERSION = 1

# Columns left out of the content hashes, per mart: two builds of the same data
# differ in them (the run's time, or a key hashed from it).
RUN_DEPENDENT = {
    "segmentation__audience_memberships": {
        "entered_at": "the snapshot's dbt_valid_from: the run time",
    },
    "segmentation__clustering_runs": {
        "fitted_at": "the wall-clock time of the cluster fit",
        "run_id": "fit_id || '@' || run_at (fit_id itself is compared)",
        "run_at": "the build's run_started_at",
    },
    "segmentation__customer_segments_v1": {
        "segmented_at": "the build's run_started_at",
    },
    "segmentation__quality_gates": {
        "checked_at": "the build's run_started_at",
    },
    "segmentation__segment_membership_history": {
        "membership_history_id": "the snapshot's dbt_scd_id: hashes the run time",
        "valid_from": "the snapshot's dbt_valid_from: the run time",
        "valid_to": "the snapshot's dbt_valid_to: a later run's time",
    },
    "segmentation__segment_transitions": {
        "previous_run_at": "the time of the build before",
        "run_at": "the time of the build that changed labels",
        "transition_id": "hashes run_at",
    },
    "segmentation__sync_changes": {
        "change_id": "the snapshot's dbt_scd_id: hashes the run time",
        "changed_at": "the snapshot's dbt_valid_from: the run time",
        "old_label_since": "the previous version's dbt_valid_from: a run time",
    },
    "segmentation__sync_current_state": {
        "labels_changed_at": "the latest changed_at: a run time",
    },
    "segmentation__value_model": {
        "fitted_at": "the wall-clock time of the value fit",
    },
}

# Columns hashed through an expression ({column}: the quoted column) that drops
# what only the environment decides.
NORMALISED = {
    "segmentation__rejected_rows": {
        # "database"."schema"."table": the database is the name of the DuckDB file
        # that was built (make_test, build), not something the models decide.
        "input_relation": (
            r"""regexp_replace({column}, '^"[^"]*"\.("[^"]*"\."[^"]*")$', '<database>.\1')"""
        ),
    },
}

REGENERATE_HINT = (
    "If the change is intended, regenerate the references as the docstring of "
    "scripts/mart_fingerprints.py says and justify it in the commit message."
)


def _model_access(root: Path, project: dict) -> dict[str, str]:
    """Relation name -> access for models whose yml sets access, versions resolved."""
    access: dict[str, str] = {}
    for model_path in project.get("model-paths", ["models"]):
        for path in sorted((root / model_path).rglob("*.yml")):
            for model in (yaml.safe_load(path.read_text()) or {}).get("models") or []:
                own = model.get("access") or (model.get("config") or {}).get("access")
                versions = model.get("versions") or []
                if not versions and own:
                    access[model["name"]] = own
                for version in versions:
                    chosen = version.get("access") or (version.get("config") or {}).get("access")
                    if chosen or own:
                        access[f"{model['name']}_v{version['v']}"] = chosen or own
    return access


def public_marts(root: Path = ROOT) -> list[str]:
    """The relation names of the project's public models, read from its yml and files."""
    project = yaml.safe_load((root / "dbt_project.yml").read_text())
    tree = (project.get("models") or {}).get(project["name"]) or {}

    def walk(node: dict, parts: tuple[str, ...], inherited: str | None):
        here = node.get("+access", node.get("access", inherited))
        yield parts, here
        for key, child in node.items():
            if isinstance(child, dict) and not key.startswith("+"):
                yield from walk(child, (*parts, key), here)

    # The most specific directory config wins, as in dbt.
    directory_access = dict(walk(tree, (), None))
    overrides = _model_access(root, project)
    marts = set()
    for model_path in project.get("model-paths", ["models"]):
        base = root / model_path
        for path in base.rglob("*"):
            if path.suffix not in (".sql", ".py"):
                continue
            parts = path.relative_to(base).parent.parts
            while parts not in directory_access:
                parts = parts[:-1]
            if overrides.get(path.stem, directory_access[parts]) == "public":
                marts.add(path.stem)
    return sorted(marts)


def find_schema(con: duckdb.DuckDBPyConnection, marts: list[str]) -> str:
    """The schema that holds most of the marts (dbt's custom schema, e.g. main_segmentation)."""
    rows = con.execute(
        "select table_schema, count(*) from information_schema.tables "
        "where table_catalog = current_database() and list_contains(?, table_name) "
        "group by table_schema order by count(*) desc, table_schema",
        [marts],
    ).fetchall()
    if not rows:
        raise SystemExit("no public mart found in the database: was it built?")
    return rows[0][0]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def fingerprint(con: duckdb.DuckDBPyConnection, schema: str, mart: str) -> dict:
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [schema, mart],
    ).fetchall()
    excluded = RUN_DEPENDENT.get(mart, {})
    hashed = [name for name, _ in columns if name not in excluded]
    # One md5 per cell, '-' for null: no separator or null can make two rows alike.
    cells = ", ".join(
        "coalesce(md5(cast({} as varchar)), '-') as c{}".format(
            NORMALISED.get(mart, {}).get(name, "{column}").format(column=_quote(name)), i
        )
        for i, name in enumerate(hashed)
    )
    row = "md5(" + " || '|' || ".join(f"c{i}" for i in range(len(hashed))) + ")"

    def sorted_md5(expression: str) -> str:
        # Sorted before joining: the hash ignores row order.
        return f"md5(coalesce(string_agg({expression}, '' order by {expression}), ''))"

    aggregates = ", ".join(
        [sorted_md5("row_hash")] + [sorted_md5(f"c{i}") for i in range(len(hashed))]
    )
    [(count, content, *per_column)] = con.execute(
        f"with cells as (select {cells} from {_quote(schema)}.{_quote(mart)}), "
        f"hashed as (select {row} as row_hash, * from cells) "
        f"select count(*), {aggregates} from hashed"
    ).fetchall()
    return {
        "row_count": count,
        "columns": [name for name, _ in columns],
        "column_types": dict(columns),
        "excluded_columns": sorted(set(dict(columns)) - set(hashed)),
        "content_hash": content,
        "column_hashes": dict(zip(hashed, per_column, strict=True)),
    }


def fingerprints(con: duckdb.DuckDBPyConnection, schema: str | None = None) -> dict:
    """Every public mart's fingerprint; a mart missing from the database maps to None."""
    marts = public_marts()
    schema = schema or find_schema(con, marts)
    present = {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = current_database() and table_schema = ?",
            [schema],
        ).fetchall()
    }
    return {
        "format_version": FORMAT_VERSION,
        "marts": {
            mart: fingerprint(con, schema, mart) if mart in present else None for mart in marts
        },
    }


def _column_changes(want: dict, got: dict) -> list[str]:
    before, after = want["column_types"], got["column_types"]
    changes = [f"added {name} {after[name]}" for name in after if name not in before]
    changes += [f"removed {name}" for name in before if name not in after]
    changes += [
        f"type of {name} {before[name]} -> {after[name]}"
        for name in before
        if name in after and before[name] != after[name]
    ]
    if not changes:
        changes.append("column order changed")
    return changes


def differences(expected: dict, actual: dict) -> list[str]:
    """One line per mart that differs, saying how; empty when everything matches."""
    problems = []
    if expected.get("format_version") != actual["format_version"]:
        return [f"reference has format_version {expected.get('format_version')}, "
                f"this script writes {actual['format_version']}: regenerate it"]  # fmt: skip
    for mart in sorted(set(expected["marts"]) | set(actual["marts"])):
        want, got = expected["marts"].get(mart), actual["marts"].get(mart)
        if mart not in expected["marts"]:
            problems.append(f"{mart}: a public mart the reference does not have")
            continue
        if mart not in actual["marts"]:
            problems.append(f"{mart}: in the reference but no longer a public mart")
            continue
        if got is None or want is None:
            if got is None and want is not None:
                problems.append(f"{mart}: missing from the database")
            elif want is None and got is not None:
                problems.append(f"{mart}: built now but missing in the reference")
            continue
        reasons = []
        if want["row_count"] != got["row_count"]:
            reasons.append(f"row count {want['row_count']} -> {got['row_count']}")
        if (want["columns"], want["column_types"]) != (got["columns"], got["column_types"]):
            reasons.append("columns differ: " + "; ".join(_column_changes(want, got)))
        if want["excluded_columns"] != got["excluded_columns"]:
            excluded = f"{want['excluded_columns']} -> {got['excluded_columns']}"
            reasons.append(f"excluded columns {excluded}")
        if want["content_hash"] != got["content_hash"]:
            changed = [
                name
                for name, digest in got["column_hashes"].items()
                if name in want["column_hashes"] and want["column_hashes"][name] != digest
            ]
            if changed:
                reasons.append(
                    "content hash differs; values differ in column(s): " + ", ".join(changed)
                )
            elif want["column_hashes"].keys() == got["column_hashes"].keys():
                reasons.append(
                    "content hash differs: same values per column, combined in other rows"
                )
            # Else the hash differs because the columns did, reported above.
        if reasons:
            problems.append(f"{mart}: " + "; ".join(reasons))
    return problems


def render(document: dict) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="DuckDB file after dbt build")
    parser.add_argument("--schema", help="the marts' schema (default: found in the database)")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", type=Path, metavar="FILE", help="write them as the reference")
    action.add_argument("--check", type=Path, metavar="FILE", help="compare; exit 1 if different")
    args = parser.parse_args(argv)
    if not args.database.exists():
        parser.error(f"{args.database} does not exist; run dbt build first")
    with duckdb.connect(str(args.database), read_only=True) as con:
        document = fingerprints(con, args.schema)

    if args.check:
        if not args.check.exists():
            parser.error(f"{args.check} does not exist; write it with --write")
        problems = differences(json.loads(args.check.read_text()), document)
        if problems:
            print(f"public marts of {args.database} differ from {args.check}:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            print(REGENERATE_HINT, file=sys.stderr)
            return 1
        print(f"{len(document['marts'])} public marts of {args.database} match {args.check}")
        return 0
    missing = [mart for mart, fp in document["marts"].items() if fp is None]
    if args.write:
        if missing:
            parser.error(f"public marts missing from the database: {', '.join(missing)}")
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(render(document))
        print(f"wrote the fingerprints of {len(document['marts'])} public marts to {args.write}")
        return 0
    sys.stdout.write(render(document))
    return 0


if __name__ == "__main__":
    sys.exit(main())
