"""integration_tests/: the package installed with `local: ../` by a project of
its own, whose differently named shop tables are adapted with thin views.
Built with every optional input on and with only customers and orders; then
every generic test of the package is shown passing and failing on fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, copy_database, load_module, query, run_dbt
from dbt.cli.main import dbtRunner

PROJECT = ROOT / "integration_tests"
OPTIONAL_INPUTS_OFF = {
    "segmentation__using_order_items": False,
    "segmentation__using_events": False,
    "segmentation__using_marketing_touches": False,
    "segmentation__using_customer_attributes": False,
}
GENERIC_TESTS = {
    "segment_share_between",
    "segment_count_between",
    "segment_coverage",
    "segment_stability",
    "row_reconciliation",
    "value_in_range",
}
EXPECTED = "tag:expect_failure tag:expect_warning"
SEGMENTS = "main_segmentation.segmentation__customer_segments_v1"


@pytest.fixture(scope="module")
def shop_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("shop") / "shop_landing.duckdb"
    load_module(PROJECT / "load_shop.py", "load_shop").load_shop(database, customers=800, seed=5)
    outcome = dbtRunner().invoke(
        ["deps", "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT)]
    )
    assert outcome.success, outcome.exception
    return database


@pytest.fixture(scope="module")
def full_build(shop_database: Path, tmp_path_factory: pytest.TempPathFactory):
    database = copy_database(shop_database, tmp_path_factory.mktemp("full") / "full.duckdb")
    run = run_dbt(["build", "--exclude", *EXPECTED.split()], database, project_dir=PROJECT)
    return database, run


def test_builds_with_every_optional_input(full_build) -> None:
    database, run = full_build
    assert run.success, run.messages()
    assert not run.warnings, run.warnings
    [(customers, segmented, segments)] = query(
        database,
        f"select count(*), count(segment_id), count(distinct segment_id) from {SEGMENTS}",
    )
    [(clients,)] = query(database, "select count(distinct client_ref) from shop.clients")
    assert 0.98 * clients <= customers <= clients  # a few planted bad rows are rejected
    assert segmented > 0.9 * customers
    assert 4 <= segments <= 8  # the project's k range reached the Python model
    [(sessions,)] = query(
        database,
        "select count(session_count) from main_segmentation.segmentation__customer_features",
    )
    assert sessions > 0
    # The project's own audience definitions replace the package's examples.
    audiences = dict(
        query(
            database,
            "select audience_id, member_count from main_segmentation.segmentation__audiences "
            "where audience_kind = 'audience'",
        )
    )
    assert set(audiences) == {
        "audience:big_spenders",
        "audience:weekend_regulars",
        "audience:not_yet_clustered",
    }
    assert all(count > 0 for count in audiences.values()), audiences


def test_an_audience_on_an_unknown_column_stops_the_build_with_a_clear_message(full_build) -> None:
    database, _ = full_build
    run = run_dbt(
        ["run", "--select", "int_segmentation__custom_audience_members"],
        database,
        variables={"segmentation__audience_definitions": "audiences_with_unknown_column"},
        project_dir=PROJECT,
    )
    assert not run.success
    message = run.messages()
    assert "audience 'broken'" in message, message
    assert "names 'lifetime_value', which is not a column" in message, message
    assert "monetary_total" in message  # the columns it could use are listed


def test_builds_with_only_customers_and_orders(
    shop_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    database = copy_database(shop_database, tmp_path_factory.mktemp("minimal") / "minimal.duckdb")
    run = run_dbt(
        ["build", "--exclude", *EXPECTED.split()],
        database,
        variables=OPTIONAL_INPUTS_OFF,
        project_dir=PROJECT,
    )
    assert run.success, run.messages()
    assert not run.warnings, run.warnings
    [(customers, segmented, sessions, favourite)] = query(
        database,
        "select count(*), count(segments.segment_id), count(features.session_count), "
        "count(features.favourite_category) "
        f"from {SEGMENTS} as segments inner join "
        "main_segmentation.segmentation__customer_features as features using (customer_id)",
    )
    assert customers > 700 and segmented > 0.9 * customers
    assert sessions == 0 and favourite == 0  # switched-off inputs leave their features null


def _statuses(run) -> dict[str, tuple[str, str]]:
    """Test unique_id -> (generic test name, status)."""
    return {
        result.node.unique_id: (result.node.test_metadata.name, str(result.status))
        for result in run.results
        if getattr(result.node, "test_metadata", None) is not None
    }


def test_every_generic_test_passes_on_good_data(full_build) -> None:
    _, run = full_build
    passed = {
        name
        for name, status in _statuses(run).values()
        if status == "pass" and name in GENERIC_TESTS
    }
    assert passed == GENERIC_TESTS


def test_every_generic_test_fails_on_bad_data(full_build) -> None:
    database, _ = full_build
    run = run_dbt(["test", "--select", "tag:expect_failure"], database, project_dir=PROJECT)
    statuses = _statuses(run)
    assert {status for _, status in statuses.values()} == {"fail"}, run.messages()
    assert {name for name, _ in statuses.values()} == GENERIC_TESTS


def test_stability_warns_by_default(full_build) -> None:
    database, _ = full_build
    run = run_dbt(["test", "--select", "tag:expect_warning"], database, project_dir=PROJECT)
    statuses = _statuses(run)
    assert [status for _, status in statuses.values()] == ["warn"], statuses
