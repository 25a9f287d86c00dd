"""Hostile category and attribute names; part of the bad-input battery (test_bad_input*.py).

Each value gets its own pivot column in int_segmentation__psychographics, holding that value's own
numbers (never a copy of another's), named by the rule of docs/decisions/0016: transliterated,
a valid identifier of at most 63 characters, hashed when its slug collides, is empty or too long.
The public long-form mart segmentation__customer_attribute_values keeps the exact text and value.
One generated shop (200 customers) with the values planted; one dbt build per configuration.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import query, run_dbt

from segmentation_demo.generate import generate
from segmentation_demo.load import load

LONG = "main_segmentation.segmentation__customer_attribute_values"
PIVOT = "main_segmentation_intermediate.int_segmentation__psychographics"
STAGING = "main_segmentation_staging"
SELECT = [
    "--select",
    "+int_segmentation__psychographics",
    "+segmentation__customer_attribute_values",
]
BUILD = ["build", *SELECT, "--indirect-selection", "cautious"]
FIXED_COLUMNS = {
    "customer_id",
    "price_tier_preference",
    "premium_item_share",
    "value_item_share",
    "average_price_index",
    "discount_sensitivity",
    "category_concentration",
}
LONG_A = "Long " + "x" * 295
LONG_B = "Long " + "x" * 294 + "y"
# Case id -> the hostile value; each is both a category and a declared attribute.
VALUES = {
    "upper_case": "Shoes",
    "lower_case": "shoes",
    "hyphen": "a-b",
    "space": "a b",
    "emoji_grin": "\N{GRINNING FACE}",
    "emoji_party": "\N{PARTY POPPER}",
    "accented": "Électronique",
    "ligatures": "Straße Œuvre",
    "fixed_column": "category_concentration",
    "fixed_column_prefixed": "affinity customer_id",
    "long_a": LONG_A,
    "long_b": LONG_B,
    "single_quote": "it's",
    "backslash": "back\\slash",
    "backslash_quote": "back\\'quote",
    "double_quote": 'say "hi"',
    "newline": "line\nbreak",
    "sql_comment": "a -- comment",
    "semicolon": "x'; drop table y; --",
}
PAIRS = [
    ("upper_case", "lower_case"),
    ("hyphen", "space"),
    ("emoji_grin", "emoji_party"),
    ("long_a", "long_b"),
]
KINDS = {"category_affinity": "affinity_", "declared_attribute": "declared_"}
ROWS_PER_VALUE = 4


def declared_value(value: str, customer_id: str) -> str:
    """The planted declared value: hostile too, and different per customer."""
    return f'{value} \\\' "{customer_id}" --;\n'


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 generated customers; the hostile values planted in items and attributes."""
    base = tmp_path_factory.mktemp("bad_names")
    data = base / "data"
    generate(data, customers=200, seed=13, fmt="csv")
    rng = np.random.default_rng(13)
    items = pd.read_csv(data / "order_items.csv", dtype=str)
    chosen = rng.choice(len(items), size=ROWS_PER_VALUE * len(VALUES), replace=False)
    for position, value in enumerate(VALUES.values()):
        rows = chosen[position * ROWS_PER_VALUE : (position + 1) * ROWS_PER_VALUE]
        items.loc[items.index[rows], "category"] = value
    customers = pd.read_csv(data / "customers.csv", dtype=str)["customer_id"].dropna().unique()
    planted = [
        {"customer_id": customer, "attribute": value, "value": declared_value(value, customer)}
        for value in VALUES.values()
        for customer in rng.choice(customers, size=ROWS_PER_VALUE, replace=False)
    ]
    attributes = pd.concat(
        [pd.read_csv(data / "customer_attributes.csv", dtype=str), pd.DataFrame(planted)]
    )
    # Parquet keeps newlines and backslashes exactly; the loader reads either format.
    for name, table in {"order_items": items, "customer_attributes": attributes}.items():
        (data / f"{name}.csv").unlink()
        table.to_parquet(data / f"{name}.parquet", index=False)
    database = base / "raw.duckdb"
    load(data, database)
    return database


def frame(database: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    with duckdb.connect(str(database)) as con:
        return con.execute(sql, params or []).df()


def build(shop: Path, name: str, variables: dict | None = None) -> Path:
    work = shop.parent / name
    work.mkdir()
    database = work / "build.duckdb"
    database.write_bytes(shop.read_bytes())
    run = run_dbt(BUILD, database, variables, work)
    assert run.success, run.messages()
    return database


@pytest.fixture(scope="module")
def built(shop: Path) -> Path:
    return build(shop, "default")


def pivot_columns(database: Path) -> list[str]:
    return [
        name
        for (name,) in query(
            database,
            "select column_name from information_schema.columns "
            "where table_name = 'int_segmentation__psychographics' order by ordinal_position",
        )
    ]


def column_of(database: Path, kind: str, value: str) -> str:
    names = {
        name
        for (name,) in query(
            database,
            f"select distinct column_name from {LONG} "
            "where attribute_kind = ? and attribute_name = ?",
            [kind, value],
        )
    }
    assert len(names) == 1, f"{value!r}: {names}"
    return names.pop()


def expected_shares(database: Path) -> pd.DataFrame:
    """Each customer's share of order-line spend per category, from staging, computed here."""
    lines = frame(
        database,
        f"""
        select o.customer_id, i.category, i.quantity * i.unit_price as line_value
        from {STAGING}.stg_segmentation__order_items as i
        inner join {STAGING}.stg_segmentation__orders as o on i.order_id = o.order_id
        where cast(o.ordered_at as date) <= (
            select as_of_date from main_segmentation_intermediate.int_segmentation__as_of
        )
        """,
    )
    spend = lines.groupby(["customer_id", "category"], as_index=False)["line_value"].sum()
    spend["share"] = spend["line_value"] / spend.groupby("customer_id")["line_value"].transform(
        "sum"
    )
    return spend


@pytest.fixture(scope="module")
def shares(built: Path) -> pd.DataFrame:
    return expected_shares(built)


def test_every_pivot_column_is_a_distinct_bounded_identifier(built: Path) -> None:
    columns = pivot_columns(built)
    assert len(columns) == len(set(columns))
    for kind, prefix in KINDS.items():
        mapped = query(
            built,
            f"select distinct attribute_name, column_name from {LONG} where attribute_kind = ?",
            [kind],
        )
        names = [name for _, name in mapped]
        assert len(names) == len(set(names)), f"{kind}: two values share a column"
        for value, name in mapped:
            assert re.fullmatch(prefix + "[a-z0-9_]+", name), (value, name)
            assert len(name) <= 63 and name not in FIXED_COLUMNS and name in columns


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("case", list(VALUES))
def test_value_keeps_its_text_and_its_own_numbers(
    built: Path, shares: pd.DataFrame, kind: str, case: str
) -> None:
    value = VALUES[case]
    column = column_of(built, kind, value)
    long = frame(
        built,
        f"select customer_id, spend_share, declared_value from {LONG} "
        "where attribute_kind = ? and attribute_name = ? order by customer_id",
        [kind, value],
    )
    pivot = frame(
        built, f'select customer_id, "{column}" as pivoted from {PIVOT} order by customer_id'
    ).set_index("customer_id")["pivoted"]
    if kind == "category_affinity":
        expected = (
            shares[shares["category"] == value].set_index("customer_id")["share"].sort_index()
        )
        assert len(expected) > 0, f"{value!r} was not planted on an accepted order"
        got = long.set_index("customer_id")["spend_share"]
        assert list(got.index) == list(expected.index)
        assert np.allclose(got.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-12)
        # The pivot holds the same shares and 0 for every other buyer: nothing copied in.
        assert set(pivot[pivot.fillna(0) > 0].index) == set(expected.index)
        assert np.allclose(pivot[expected.index].to_numpy(), expected.to_numpy(), atol=1e-12)
    else:
        accepted = query(
            built,
            f"select customer_id from {STAGING}.stg_segmentation__customer_attributes "
            "where attribute = ? order by customer_id",
            [value],
        )
        assert list(long["customer_id"]) == [c for (c,) in accepted] and len(long) > 0
        for customer_id, text in zip(long["customer_id"], long["declared_value"], strict=True):
            assert text == declared_value(value, customer_id)
        declared = pivot.dropna()
        assert dict(declared) == dict(zip(long["customer_id"], long["declared_value"], strict=True))


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("pair", PAIRS, ids=["-".join(p) for p in PAIRS])
def test_colliding_values_get_distinct_hashed_columns(
    built: Path, kind: str, pair: tuple[str, str]
) -> None:
    first, second = (column_of(built, kind, VALUES[case]) for case in pair)
    assert first != second
    for name in (first, second):
        assert re.search("_[0-9a-f]{8}$", name), name
    values = frame(built, f'select "{first}" as a, "{second}" as b from {PIVOT}')
    assert not values["a"].equals(values["b"]), "one column copies the other"


@pytest.mark.parametrize(
    ("case", "suffix"),
    [
        ("accented", "electronique"),
        ("ligatures", "strasse_oeuvre"),
        ("fixed_column", "category_concentration"),
        ("single_quote", "it_s"),
        ("newline", "line_break"),
    ],
)
def test_names_are_transliterated_and_readable(built: Path, case: str, suffix: str) -> None:
    for kind, prefix in KINDS.items():
        assert column_of(built, kind, VALUES[case]) == prefix + suffix


def test_listed_values_keep_their_names_and_the_rest_stay_in_long_form(
    built: Path, shop: Path
) -> None:
    listed = ["Shoes", "shoes", "\N{GRINNING FACE}", "Électronique", LONG_A, "never sold"]
    database = build(
        shop,
        "listed",
        {"segmentation__affinity_categories": listed, "segmentation__declared_attributes": listed},
    )
    columns = pivot_columns(database)
    for kind, prefix in KINDS.items():
        names = {value: column_of(built, kind, value) for value in listed[:-1]}
        assert {value: column_of(database, kind, value) for value in names} == names
        assert {c for c in columns if c.startswith(prefix)} == {
            *names.values(),
            prefix + "never_sold",
        }
        [(unlisted, unmapped)] = query(
            database,
            f"select count(*) filter (where attribute_name not in (select unnest(?))), "
            f"count(*) filter (where column_name is null) from {LONG} where attribute_kind = ?",
            [listed, kind],
        )
        assert unlisted == unmapped > 0
    [(sold,)] = query(database, f"select count(*) from {PIVOT} where affinity_never_sold <> 0")
    assert sold == 0


def test_switched_off_inputs_leave_an_empty_long_form(shop: Path) -> None:
    database = build(
        shop,
        "off",
        {
            "segmentation__using_order_items": False,
            "segmentation__using_customer_attributes": False,
        },
    )
    assert query(database, f"select count(*) from {LONG}") == [(0,)]
    assert not [c for c in pivot_columns(database) if c.startswith(("affinity_", "declared_"))]
