"""The demo data generator: deterministic, planted personas and planted bad rows as declared."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from segmentation_demo.generate import COLUMNS, PERSONAS, REFERENCE, generate

FILES = [*COLUMNS, "ground_truth", "bad_rows", "manifest"]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_gives_identical_bytes(tmp_path: Path, fmt: str) -> None:
    generate(tmp_path / "a", customers=300, seed=7, fmt=fmt)
    generate(tmp_path / "b", customers=300, seed=7, fmt=fmt)
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert len(first) == 9
    assert first == second


def test_different_seed_gives_different_data(tmp_path: Path) -> None:
    generate(tmp_path / "a", customers=300, seed=7, fmt="csv")
    generate(tmp_path / "b", customers=300, seed=8, fmt="csv")
    assert (tmp_path / "a" / "orders.csv").read_bytes() != (
        tmp_path / "b" / "orders.csv"
    ).read_bytes()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("generated")
    generate(folder, customers=2000, seed=3, fmt="parquet")
    frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in COLUMNS}
    frames["ground_truth"] = pd.read_csv(folder / "ground_truth.csv", dtype=str)
    with (folder / "bad_rows.csv").open() as f:
        frames["bad_rows"] = pd.DataFrame(list(csv.DictReader(f)))
    frames["manifest"] = json.loads((folder / "manifest.json").read_text())
    return frames


def test_every_column_is_text_in_contract_order(sample) -> None:
    for name, columns in COLUMNS.items():
        assert list(sample[name].columns) == columns
        assert all(
            dtype == "object" or str(dtype).startswith("str") for dtype in sample[name].dtypes
        )


def test_ground_truth_covers_exactly_the_real_customers(sample) -> None:
    truth = sample["ground_truth"]
    assert set(truth["persona"]) == {p.name for p in PERSONAS}
    assert len(truth) == 2000 and truth["customer_id"].is_unique
    real = set(sample["customers"]["customer_id"].dropna()) - set(truth["customer_id"])
    assert all(c.startswith("C8") for c in real)  # only planted bad customers are extra


def test_volumes_are_realistic(sample) -> None:
    customers = 2000
    orders, items, events = (len(sample[n]) for n in ("orders", "order_items", "events"))
    assert 6 <= orders / customers <= 14
    assert 2 <= items / orders <= 4
    assert 30 <= events / customers <= 70
    assert sample["manifest"]["rows"]["orders"] == orders


def test_order_totals_equal_lines_minus_discount(sample) -> None:
    # Planted bad lines of real orders (negative price, zero quantity, ...) are left out.
    lines = sample["order_items"].dropna().copy()
    lines["quantity"] = pd.to_numeric(lines["quantity"], errors="coerce")
    lines["unit_price"] = pd.to_numeric(lines["unit_price"], errors="coerce")
    lines = lines[(lines["quantity"] > 0) & (lines["unit_price"] >= 0)]
    value = lines["quantity"] * lines["unit_price"]
    gross = value.groupby(lines["order_id"]).sum()
    orders = sample["orders"].dropna(subset=["order_id"]).drop_duplicates("order_id")
    orders = orders[orders["order_id"].isin(gross.index)].set_index("order_id")
    total = pd.to_numeric(orders["order_total"]) + pd.to_numeric(orders["discount_total"])
    assert (total - gross.loc[orders.index]).abs().max() < 0.011


def test_personas_differ_as_planted(sample) -> None:
    truth = sample["ground_truth"].set_index("customer_id")["persona"]
    orders = sample["orders"].dropna(subset=["customer_id", "order_id"])
    orders = orders[orders["customer_id"].isin(truth.index)].copy()
    orders["persona"] = orders["customer_id"].map(truth)
    orders["total"] = pd.to_numeric(orders["order_total"], errors="coerce")
    orders["at"] = pd.to_datetime(orders["ordered_at"], errors="coerce")
    aov = orders.groupby("persona")["total"].mean()
    assert aov["big_ticket_occasional"] > 4 * aov["bargain_hunter"]
    last = orders.groupby("customer_id")["at"].max()
    lapsed = last[last.index.map(truth) == "lapsed"]
    assert (pd.Timestamp(str(REFERENCE)) - lapsed).dt.days.min() > 365
    per_customer = orders.groupby("customer_id").size()
    counts = per_customer.groupby(per_customer.index.map(truth)).mean()
    assert counts["loyal_high_spender"] > 3 * counts["bargain_hunter"] / 2
    assert "prospect" not in counts.index  # prospects never order
    events = sample["events"].dropna(subset=["customer_id"])
    sessions = events.groupby("customer_id")["session_id"].nunique()
    by_persona = sessions.groupby(sessions.index.map(truth)).mean()
    assert by_persona["window_shopper"] > 2 * by_persona["loyal_high_spender"]


def _planted(sample, name: str, code: str) -> int:
    rows = sample["bad_rows"]
    match = rows[(rows["input"] == name) & (rows["reason_code"] == code)]
    return int(match["expected_rows"].iloc[0]) if len(match) else 0


def test_bad_row_manifest_matches_the_data(sample) -> None:
    customers, orders = sample["customers"], sample["orders"]
    events, touches = sample["events"], sample["marketing_touches"]
    real_customers = set(sample["ground_truth"]["customer_id"])
    assert customers["customer_id"].isna().sum() == _planted(sample, "customers", "null_key")
    assert customers.duplicated().sum() == _planted(sample, "customers", "duplicate_key")
    assert orders["order_id"].isna().sum() == _planted(sample, "orders", "null_key")
    keyed_orders = orders.dropna(subset=["order_id"])
    assert keyed_orders.duplicated().sum() == _planted(sample, "orders", "duplicate_key")
    assert events.duplicated().sum() == _planted(sample, "events", "duplicate_key")
    assert touches.duplicated().sum() == _planted(sample, "marketing_touches", "duplicate_key")
    allowed = {"page_view", "product_view", "search", "add_to_cart", "remove_from_cart",
               "checkout_start", "purchase", "app_open", "login"}  # fmt: skip
    odd_types = events["event_type"].dropna().map(lambda t: t not in allowed).sum()
    assert odd_types == _planted(sample, "events", "unknown_event_type")
    unknown = orders["customer_id"].dropna().map(lambda c: c.startswith("C9")).sum()
    assert unknown == _planted(sample, "orders", "unknown_customer")
    negative = pd.to_numeric(orders["order_total"], errors="coerce").lt(0).sum()
    assert negative == _planted(sample, "orders", "negative_amount")
    future = orders["ordered_at"].dropna().str.startswith("209").sum()
    assert future == _planted(sample, "orders", "future_timestamp")
    known = customers["customer_id"].isin(real_customers)
    assert known.sum() == len(real_customers) + _planted(sample, "customers", "duplicate_key")
    assert sum(int(n) for n in sample["bad_rows"]["expected_rows"]) == 77
