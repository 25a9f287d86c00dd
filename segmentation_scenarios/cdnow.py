"""A real shop: the CDNOW transaction log that ships with the lifetimes package.

23,570 customers who first bought at the online CD store CDNOW in the first
quarter of 1997, and their 69,659 purchases until June 1998 (Fader & Hardie's
public data set). Only customers and orders exist, and most customers bought
once: the kind of shop wave 1's defaults went red on. There is no ground truth.

`load_cdnow` lands it the way a user's thin view would present it: one
customers row per customer id, one orders row per log line (the log's
`YYYYMMDD` dates as ISO dates, the dollar value as the order total).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# The vars a user with only customers and orders sets.
CDNOW_VARS = {
    "segmentation__using_order_items": False,
    "segmentation__using_events": False,
    "segmentation__using_marketing_touches": False,
    "segmentation__using_customer_attributes": False,
}


def cdnow_file() -> Path:
    """CDNOW_master.txt inside the installed lifetimes package."""
    import lifetimes

    return Path(lifetimes.__file__).parent / "datasets" / "CDNOW_master.txt"


def load_cdnow(database: Path, schema: str = "segmentation_raw") -> dict[str, int]:
    """Create `<schema>.customers` and `<schema>.orders` from the CDNOW log; rows per table."""
    import pandas as pd

    # Columns are separated by runs of spaces: split in pandas, land as text.
    log = pd.read_csv(
        cdnow_file(), sep=r"\s+", header=0, dtype=str,
        names=["customer_id", "date", "cds", "dollars"],
    )  # fmt: skip
    log.insert(0, "line", range(1, len(log) + 1))
    with duckdb.connect(str(database)) as con:
        con.execute(f'create schema if not exists "{schema}"')
        con.register("cdnow", log)
        con.execute(
            f'create or replace table "{schema}".customers as '
            "select distinct 'CD' || customer_id as customer_id from cdnow order by 1"
        )
        con.execute(
            f'create or replace table "{schema}".orders as select '
            "'L' || lpad(cast(line as varchar), 6, '0') as order_id, "
            "'CD' || customer_id as customer_id, "
            "strftime(strptime(date, '%Y%m%d'), '%Y-%m-%d 12:00:00') as ordered_at, "
            "dollars as order_total, cast(null as varchar) as discount_total, "
            "cast(null as varchar) as channel, 'completed' as status from cdnow order by line"
        )
        return {
            name: con.execute(f'select count(*) from "{schema}".{name}').fetchone()[0]
            for name in ("customers", "orders")
        }
