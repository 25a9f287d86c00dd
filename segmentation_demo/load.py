"""Load generated input files into a DuckDB file as the raw landing schema.

The dbt sources read `<schema>.<input>` tables; this is the step a real
warehouse's loader (Fivetran, Airbyte, COPY INTO) would do. Every column is
landed as text so that staging's casting and validation are exercised.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

INPUTS = (
    "customers",
    "orders",
    "order_items",
    "events",
    "marketing_touches",
    "customer_attributes",
)


def input_file(data_dir: Path, name: str) -> Path:
    """The generated file of input `name` in `data_dir` (csv or parquet)."""
    files = [f for f in sorted(data_dir.glob(f"{name}.*")) if f.suffix in (".csv", ".parquet")]
    if not files:
        raise FileNotFoundError(f"no {name}.csv or {name}.parquet in {data_dir}")
    return files[0]


def file_reader(path: Path) -> str:
    """DuckDB table function reading a generated file, CSV columns as text."""
    quoted = str(path).replace("'", "''")
    if path.suffix == ".csv":
        return f"read_csv('{quoted}', header = true, all_varchar = true)"
    return f"read_parquet('{quoted}')"


def load(data_dir: Path, database: Path, schema: str = "segmentation_raw") -> dict[str, int]:
    """Replace `schema`'s input tables in `database` with the files in `data_dir`."""
    counts: dict[str, int] = {}
    with duckdb.connect(str(database)) as con:
        con.execute(f'create schema if not exists "{schema}"')
        for name in INPUTS:
            reader = file_reader(input_file(data_dir, name))
            con.execute(f'create or replace table "{schema}"."{name}" as select * from {reader}')
            row = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
            counts[name] = int(row[0]) if row else 0
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder of generated files")
    parser.add_argument("--database", type=Path, default=Path("segmentation.duckdb"))
    parser.add_argument("--schema", default="segmentation_raw")
    args = parser.parse_args(argv)
    counts = load(args.data, args.database, args.schema)
    print(
        f"loaded into {args.database} schema {args.schema}: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )


if __name__ == "__main__":
    main()
