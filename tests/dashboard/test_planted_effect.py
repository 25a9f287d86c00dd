"""The demo's targeted campaigns (segmentation_demo.generate.BURSTS) are recovered by
segmentation__campaign_effectiveness: the planted lift lies in the dashboard's 95% interval
(and the interval excludes 0), and a campaign planted with no effect has 0 in its interval."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import load

from segmentation_demo.generate import BURSTS, HOLDOUT_SHARE

figures = load("figures")


@pytest.fixture(scope="module")
def lifts(marts_of) -> pd.DataFrame:
    return figures.lift_with_intervals(marts_of["segmentation__campaign_effectiveness"])


@pytest.mark.parametrize("burst", BURSTS, ids=lambda b: b.campaign_id)
def test_the_burst_reaches_the_audience_its_persona_forms(burst, marts_of, data_dir) -> None:
    """The generator leaves out the holdout of burst.audience_id: that must be the persona's
    audience in this build, or the holdout would be sent the campaign."""
    truth = pd.read_csv(data_dir / "ground_truth.csv")
    members = marts_of["segmentation__audience_memberships"]
    audience = set(members.loc[members["audience_id"] == burst.audience_id, "customer_id"])
    persona = set(truth.loc[truth["persona"] == burst.persona, "customer_id"])
    assert audience, f"no audience {burst.audience_id}: update BURSTS' audience_id"
    share = len(audience & persona) / len(audience)
    assert share >= 0.9, (
        f"{burst.audience_id} is {share:.0%} {burst.persona}: the segment ids changed;"
        " point BURSTS' audience_id at the persona's segment"
    )
    holdout = members[(members["audience_id"] == burst.audience_id) & members["is_holdout"]]
    assert abs(len(holdout) / len(audience) - HOLDOUT_SHARE) < 0.05


@pytest.mark.parametrize("burst", BURSTS, ids=lambda b: b.campaign_id)
def test_the_planted_effect_is_recovered_within_its_interval(burst, lifts) -> None:
    row = lifts[
        (lifts["audience_id"] == burst.audience_id) & (lifts["campaign_id"] == burst.campaign_id)
    ]
    assert len(row) == 1, (burst.audience_id, burst.campaign_id)
    row = row.iloc[0]
    # Treated members who would not have ordered in the window order with this probability.
    planted = burst.order_probability * (1 - row["holdout_order_rate"])
    print(
        f"{burst.campaign_id} on {burst.audience_id}: treated {row['treated_customers']}"
        f" ({row['treated_order_rate']:.3f}), holdout {row['holdout_customers']}"
        f" ({row['holdout_order_rate']:.3f}); lift {row['order_rate_lift']:+.4f},"
        f" 95% [{row['lift_low']:+.4f}, {row['lift_high']:+.4f}], planted {planted:+.4f}"
    )
    assert row["lift_low"] <= planted <= row["lift_high"]
    if burst.order_probability > 0:
        assert row["lift_low"] > 0, "the planted effect is not told apart from none"
