"""Land generated demo data as a fictitious shop's own tables (schema `shop`).

    python integration_tests/load_shop.py --database FILE [--customers 800] [--seed 5]

The tables and columns are named the shop's way, not the package's, so the
integration project must adapt them with thin views, as a user would.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from segmentation_demo.generate import generate
from segmentation_demo.load import load

# input -> (shop table, {contract column: shop column})
SHOP_TABLES = {
    "customers": (
        "clients",
        {
            "customer_id": "client_ref",
            "email": "mail",
            "signup_at": "registered_ts",
            "birth_date": "dob",
            "postal_code": "zip",
        },
    ),
    "orders": (
        "purchases",
        {
            "order_id": "purchase_no",
            "customer_id": "client_ref",
            "ordered_at": "purchased_ts",
            "order_total": "amount_paid",
            "discount_total": "amount_discounted",
            "channel": "sales_channel",
            "status": "purchase_state",
        },
    ),
    "order_items": (
        "purchase_lines",
        {
            "order_id": "purchase_no",
            "product_id": "sku",
            "category": "product_group",
            "quantity": "qty",
            "unit_price": "price_each",
        },
    ),
    "events": (
        "clickstream",
        {
            "customer_id": "client_ref",
            "occurred_at": "event_ts",
            "event_type": "action",
            "session_id": "visit_id",
        },
    ),
    "marketing_touches": (
        "campaign_sends",
        {
            "customer_id": "client_ref",
            "campaign_id": "campaign_code",
            "sent_at": "sent_ts",
            "opened_at": "opened_ts",
            "clicked_at": "clicked_ts",
            "converted_at": "converted_ts",
        },
    ),
    "customer_attributes": (
        "survey_answers",
        {"customer_id": "client_ref", "attribute": "question", "value": "answer"},
    ),
}


def load_shop(database: Path, customers: int = 800, seed: int = 5) -> dict[str, int]:
    """Generate `customers` customers and land them in `database` as the shop's tables."""
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "data"
        generate(data, customers, seed, "parquet")
        load(data, database, schema="landing")
    with duckdb.connect(str(database)) as con:
        con.execute("create schema if not exists shop")
        for source, (table, renames) in SHOP_TABLES.items():
            columns = [row[0] for row in con.execute(f"describe landing.{source}").fetchall()]
            select = ", ".join(f'"{c}" as "{renames.get(c, c)}"' for c in columns)
            con.execute(
                f"create or replace table shop.{table} as select {select} from landing.{source}"
            )
            [(rows,)] = con.execute(f"select count(*) from shop.{table}").fetchall()
            counts[table] = rows
        con.execute("drop schema landing cascade")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--customers", type=int, default=800)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    counts = load_shop(args.database, args.customers, args.seed)
    print(", ".join(f"shop.{table} {rows:,}" for table, rows in counts.items()))


if __name__ == "__main__":
    main()
