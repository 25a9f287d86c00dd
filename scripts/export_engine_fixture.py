"""Export the cluster model's input and outputs from a built DuckDB file to parquet.

    python scripts/export_engine_fixture.py --database target/make_test.duckdb \
        --out target/engine_fixture

Writes features.parquet (segmentation__customer_features), cluster_model.parquet
(segmentation__cluster_model), assignments.parquet (customer_id, segment_id of
int_segmentation__segment_assignments) and customer_md5.parquet (DuckDB's
md5(customer_id), the fit sample's order), and value_summary.parquet /
value_fit.parquet (int_segmentation__value_summary, segmentation__value_fit).
tests/snowpark runs the same model files under Snowpark local testing on
features.parquet and value_summary.parquet and compares with the DuckDB outputs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

TABLES = {
    "features": "select * from main_segmentation.segmentation__customer_features",
    "cluster_model": "select * from main_segmentation.segmentation__cluster_model",
    "assignments": "select customer_id, segment_id "
    "from main_segmentation_intermediate.int_segmentation__segment_assignments",
    # DuckDB's md5, which orders the fit sample: Snowpark must order the same way.
    "customer_md5": "select customer_id, md5(customer_id) as customer_id_md5 "
    "from main_segmentation.segmentation__customer_features",
    # The value fit's input and output (tests/snowpark/test_value_snowpark.py).
    "value_summary": "select * from main_segmentation_intermediate.int_segmentation__value_summary",
    "value_fit": "select * from main_segmentation.segmentation__value_fit",
}


def export(database: Path, out: Path) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    with duckdb.connect(str(database), read_only=True) as con:
        for name, sql in TABLES.items():
            target = out / f"{name}.parquet"
            # customer_id order: the files are identical for identical builds.
            con.execute(f"copy ({sql} order by all) to '{target.as_posix()}' (format parquet)")
            [(rows,)] = con.execute(f"select count(*) from ({sql})").fetchall()
            counts[name] = int(rows)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if not args.database.exists():
        parser.error(f"{args.database} does not exist; run dbt build first")
    counts = export(args.database, args.out)
    print(f"exported to {args.out}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
