"""The fast subset of the scenario suite (scripts/bench_segment_quality.py runs all
of it): shops from the second generator family, built end to end with default
vars plus each shop's vocabulary vars."""

from __future__ import annotations

import pytest
from conftest import query

from segmentation_scenarios.cdnow import CDNOW_VARS, load_cdnow
from segmentation_scenarios.evaluate import Shop, name_problems, prepare, run_dbt, segment_ari

# retail_realistic: most customers bought once; orders_only: no optional input;
# devices_app: its own event, device and platform vocabulary; three_clear: planted
# structure that any working fit recovers.
SUBSET = ["retail_realistic", "orders_only", "devices_app", "three_clear"]


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict:
    found = {}
    for name in SUBSET:
        work = tmp_path_factory.mktemp(name)
        shop = prepare(name, work, customers=1500)
        found[name] = (shop, run_dbt(["build"], shop.database, work / name, shop.variables))
    return found


@pytest.mark.parametrize("name", SUBSET)
def test_default_build_is_green_end_to_end(builds, name) -> None:
    shop, build = builds[name]
    assert build.success, build.messages
    assert build.not_passed == []  # nothing failed, warned or was skipped
    if name == "devices_app":  # the package's unit tests ran under the shop's own vocabulary
        assert shop.variables["segmentation__cart_event_types"] == ["basket_add"]
        assert "customer_events_break_ties_alphabetically" in build.node_seconds


@pytest.mark.parametrize("name", SUBSET)
def test_segment_names_are_unique_and_true(builds, name) -> None:
    shop, build = builds[name]
    assert build.success, build.messages
    assert name_problems(shop) == []


def test_plain_planted_structure_is_recovered(builds) -> None:
    shop, build = builds["three_clear"]
    assert build.success, build.messages
    ari, k, scored = segment_ari(shop)
    assert k == shop.true_k and ari >= 0.95 and scored > 1000


def test_a_real_shop_builds_green_with_default_vars(tmp_path) -> None:
    """CDNOW (23,570 real customers, 18 months, customers and orders only, most bought
    once): the shop wave 1 went red on. Green end to end, names unique and true."""
    database = tmp_path / "cdnow.duckdb"
    assert load_cdnow(database) == {"customers": 23_570, "orders": 69_659}
    build = run_dbt(["build"], database, tmp_path, CDNOW_VARS)
    assert build.success, build.messages
    assert build.not_passed == []
    shop = Shop("cdnow", tmp_path, database, {"true_k": 0, "vars": CDNOW_VARS})
    assert name_problems(shop) == []
    [(clustered,)] = query(
        database,
        "select count(*) from main_segmentation.segmentation__customer_segments_v1 "
        "where segment_id is not null",
    )
    assert clustered == 23_570  # every customer bought, so every one has a segment
