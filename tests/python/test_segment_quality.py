"""The fast subset of the scenario suite (scripts/bench_segment_quality.py runs all
of it): shops from the second generator family, built end to end with default
vars plus each shop's vocabulary vars."""

from __future__ import annotations

import pytest

from segmentation_scenarios.evaluate import name_problems, prepare, run_dbt, segment_ari

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
    if shop.variables:  # the package's unit tests ran under the shop's vocabulary vars
        assert any(node.startswith("technographics_break") for node in build.node_seconds)


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
