"""Load generated input files into a DuckDB file as the raw landing schema.

The dbt sources read `<schema>.<input>` tables; this is the step a real
warehouse's loader (Fivetran, Airbyte, COPY INTO) would do. Every column is
landed as text so that staging's casting and validation are exercised.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

# The input contract's columns as the raw landing zone holds them (README "Input
# contract"); both generators write exactly these.
COLUMNS = {
    "customers": [
        "customer_id", "email", "signup_at", "birth_date", "gender", "income", "education",
        "occupation", "country", "region", "city", "postal_code", "acquisition_channel",
    ],
    "orders": [
        "order_id", "customer_id", "ordered_at", "order_total", "discount_total", "channel",
        "status",
    ],
    "order_items": ["order_id", "product_id", "category", "quantity", "unit_price"],
    "events": [
        "customer_id", "occurred_at", "event_type", "session_id", "device_type", "os",
        "browser", "platform",
    ],
    "marketing_touches": [
        "customer_id", "campaign_id", "channel", "sent_at", "opened_at", "clicked_at",
        "converted_at",
    ],
    "customer_attributes": ["customer_id", "attribute", "value"],
}  # fmt: skip
INPUTS = tuple(COLUMNS)


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


def load(
    data_dir: Path, database: Path, schema: str = "segmentation_raw", inputs=INPUTS
) -> dict[str, int]:
    """Replace `schema`'s tables of `inputs` in `database` with the files in `data_dir`."""
    counts: dict[str, int] = {}
    with duckdb.connect(str(database)) as con:
        con.execute(f'create schema if not exists "{schema}"')
        for name in inputs:
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
