"""Feature families: the features mart covers every accepted customer once, the
RFM summary equals lifetimes' definition, and optional inputs can be switched off."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import Inputs, frame, query, run_dbt
from lifetimes.utils import summary_data_from_transaction_data

FEATURES = "main_segmentation.segmentation__customer_features"
STAGING = "main_segmentation_staging"


def test_features_mart_has_one_row_per_accepted_customer(built) -> None:
    database, run = built
    assert run.success, run.messages()
    [(rows, distinct)] = query(
        database, f"select count(*), count(distinct customer_id) from {FEATURES}"
    )
    [(customers,)] = query(database, f"select count(*) from {STAGING}.stg_segmentation__customers")
    [(missing,)] = query(
        database,
        f"select count(*) from {STAGING}.stg_segmentation__customers as c "
        f"anti join {FEATURES} as f on c.customer_id = f.customer_id",
    )
    assert rows == distinct == customers
    assert missing == 0
    stages = {s for (s,) in query(database, f"select distinct lifecycle_stage from {FEATURES}")}
    assert "prospect" in stages and "active" in stages


def test_rfm_summary_equals_lifetimes(built) -> None:
    database, _ = built
    [(as_of,)] = query(database, f"select max(as_of_date) from {FEATURES}")
    orders = frame(
        database,
        f"select customer_id, ordered_at, cast(order_total as double) as order_total "
        f"from {STAGING}.stg_segmentation__orders",
    )
    expected = summary_data_from_transaction_data(
        orders,
        "customer_id",
        "ordered_at",
        monetary_value_col="order_total",
        observation_period_end=pd.Timestamp(as_of),
        freq="D",
    ).sort_index()
    actual = (
        frame(database, "select * from main_segmentation.segmentation__rfm_summary")
        .set_index("customer_id")
        .sort_index()
    )
    assert list(actual.index) == list(expected.index)
    assert len(actual) > 300
    for column in ["frequency", "recency", "T", "monetary_value"]:
        difference = np.abs(actual[column].to_numpy() - expected[column].to_numpy())
        assert difference.max() <= 1e-9, column


SWITCHES = {
    "order_items": ["distinct_categories", "average_basket_size", "price_tier_preference"],
    "events": ["session_count", "primary_device_type", "mobile_session_share"],
    "marketing_touches": ["touches_received", "open_rate"],
    "customer_attributes": [],
}


@pytest.mark.parametrize("switched_off", [[name] for name in SWITCHES])
def test_build_is_green_with_optional_inputs_off(
    generated_inputs: Inputs, tmp_path: Path, switched_off: list[str]
) -> None:
    database = generated_inputs.fresh_copy(tmp_path / "off.duckdb")
    variables = {f"segmentation__using_{name}": False for name in switched_off}
    run = run_dbt(["build"], database, variables)
    _check_inputs_off(database, run, switched_off)


def test_build_is_green_with_every_optional_input_off(built_without_optional_inputs) -> None:
    # The session's build with all four off (test_staging.py checks it too).
    _check_inputs_off(*built_without_optional_inputs, list(SWITCHES))


def _check_inputs_off(database: Path, run, switched_off: list[str]) -> None:
    assert run.success, run.messages()
    assert run.warnings == []
    [(rows,)] = query(database, f"select count(*) from {FEATURES}")
    [(customers,)] = query(database, f"select count(*) from {STAGING}.stg_segmentation__customers")
    assert rows == customers
    for name in switched_off:
        for column in SWITCHES[name]:
            [(non_null,)] = query(database, f"select count({column}) from {FEATURES}")
            assert non_null == 0, f"{column} should be null with {name} off"
    psychographic_columns = {
        c
        for (c,) in query(
            database,
            "select column_name from information_schema.columns "
            "where table_name = 'int_segmentation__psychographics'",
        )
    }
    has_declared = any(c.startswith("declared_") for c in psychographic_columns)
    assert has_declared == ("customer_attributes" not in switched_off)


def test_price_index_divides_by_the_median_price_of_the_category(built) -> None:
    """Psychographics finds a category's median price from the count of each price
    (the middle one or two through median()); it must equal median() over every line,
    ties and even counts included, so the price features equal those computed here."""
    database, _ = built
    lines = "main_segmentation_intermediate.int_segmentation__order_lines"
    [(categories, even)] = query(
        database,
        f"select count(*), count(*) filter (where n % 2 = 0) from "
        f"(select category, count(unit_price) as n from {lines} group by category)",
    )
    assert categories >= 3 and 0 < even < categories, "need odd and even counts"
    expected = frame(
        database,
        f"""
        with medians as (
            select category, median(unit_price) as median_price from {lines} group by category
        ),
        indexed as (
            select l.customer_id, l.quantity, l.unit_price / m.median_price as price_index
            from {lines} as l inner join medians as m on l.category = m.category
        )
        select
            customer_id,
            sum(case when price_index >= 1.25 then quantity else 0 end) / sum(quantity)
                as premium_item_share,
            sum(case when price_index <= 0.8 then quantity else 0 end) / sum(quantity)
                as value_item_share,
            sum(cast(price_index * quantity as double)) / sum(quantity) as average_price_index
        from indexed group by customer_id order by customer_id
        """,
    )
    actual = frame(
        database,
        "select customer_id, premium_item_share, value_item_share, average_price_index "
        "from main_segmentation_intermediate.int_segmentation__psychographics "
        "where average_price_index is not null order by customer_id",
    )
    assert len(actual) > 300
    assert list(actual.customer_id) == list(expected.customer_id)
    for column in ["premium_item_share", "value_item_share", "average_price_index"]:
        np.testing.assert_allclose(
            actual[column].astype(float), expected[column].astype(float), rtol=1e-12, err_msg=column
        )
