"""The governance gate (scripts/check_project.py): it passes on the project and
fails, naming the culprit, when documentation, a primary-key test, a contract,
access or PII tagging is taken away."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import ROOT, load_module, query, run_dbt

PUBLIC_MARTS = {
    "segmentation__customer_segments",
    "segmentation__customer_features",
    "segmentation__customer_attribute_values",
    "segmentation__rfm_summary",
    "segmentation__rejected_rows",
    "segmentation__segment_profiles",
    "segmentation__clustering_runs",
    "segmentation__segment_membership_history",
    "segmentation__segment_transitions",
    "segmentation__sync_changes",
    "segmentation__sync_current_state",
    "segmentation__audiences",
    "segmentation__audience_memberships",
    "segmentation__campaign_effectiveness",
    "segmentation__quality_gates",
    "segmentation__customer_value",
    "segmentation__value_model",
    "segmentation__value_backtest",
}


def _checker():
    return load_module(ROOT / "scripts" / "check_project.py", "check_project").check


@pytest.fixture(scope="module")
def artifacts(built) -> tuple[dict, dict]:
    database, run = built
    assert run.success, run.messages()
    docs = run_dbt(["docs", "generate"], database)
    assert docs.success, docs.messages()
    target = database.parent / "target"
    return (
        json.loads((target / "manifest.json").read_text()),
        json.loads((target / "catalog.json").read_text()),
    )


def _node(manifest: dict, name: str) -> dict:
    [node] = [
        n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["name"] == name
    ]
    return node


def test_project_passes_with_full_coverage(artifacts) -> None:
    manifest, catalog = artifacts
    report = _checker()(manifest, catalog)
    assert report.problems == []
    assert report.models == report.models_with_primary_key + report.models_exempt
    # Keyless by design: the six base models, the staging models of events, order lines and
    # touches, int_segmentation__order_lines (lines have no id; identical ones are all kept),
    # the as-of views of events and touches, and int_segmentation__category_prices (a null
    # category is a row).
    assert report.models_exempt == 13
    assert report.columns == report.columns_documented > 500


def test_public_models_are_exactly_the_contracted_marts(artifacts) -> None:
    manifest, _ = artifacts
    public = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node.get("access") == "public"
    }
    assert set(public) == PUBLIC_MARTS
    assert all(node["config"]["contract"]["enforced"] for node in public.values())
    assert all(node["fqn"][1] == "marts" for node in public.values())


def test_a_removed_model_description_fails(artifacts) -> None:
    manifest, catalog = copy.deepcopy(artifacts)
    _node(manifest, "int_segmentation__rfm")["description"] = ""
    problems = _checker()(manifest, catalog).problems
    assert problems == ["model int_segmentation__rfm: no description"]


def test_a_removed_column_description_fails(artifacts) -> None:
    manifest, catalog = copy.deepcopy(artifacts)
    del _node(manifest, "segmentation__customer_features")["columns"]["open_rate"]
    problems = _checker()(manifest, catalog).problems
    assert problems == ["model segmentation__customer_features: column open_rate is not documented"]


def test_a_missing_primary_key_test_fails(artifacts) -> None:
    manifest, catalog = copy.deepcopy(artifacts)
    rfm = _node(manifest, "int_segmentation__rfm")["unique_id"]
    for unique_id, node in list(manifest["nodes"].items()):
        if node.get("attached_node") == rfm and node["test_metadata"]["name"] == "unique":
            del manifest["nodes"][unique_id]
    problems = _checker()(manifest, catalog).problems
    assert problems == [
        "model int_segmentation__rfm: no primary-key test (unique and not_null on one column)"
    ]


def test_a_public_intermediate_and_an_unenforced_contract_fail(artifacts) -> None:
    manifest, catalog = copy.deepcopy(artifacts)
    _node(manifest, "int_segmentation__rfm")["access"] = "public"
    problems = _checker()(manifest, catalog).problems
    assert "model int_segmentation__rfm: features models must not be public" in problems
    assert "model int_segmentation__rfm: public but its contract is not enforced" in problems


def test_pii_in_a_public_mart_fails(artifacts) -> None:
    manifest, catalog = copy.deepcopy(artifacts)
    features = _node(manifest, "segmentation__customer_features")
    catalog["nodes"][features["unique_id"]]["columns"]["email"] = {"name": "email", "index": 999}
    features["columns"]["email"] = {"name": "email", "description": "Email."}
    problems = _checker()(manifest, catalog).problems
    assert problems == [
        "model segmentation__customer_features: public model exposes PII column email untagged"
    ]


def test_a_unit_test_that_does_not_pin_its_vars_fails(artifacts) -> None:
    manifest, catalog = copy.deepcopy(artifacts)
    [test] = [t for t in manifest["unit_tests"].values() if t["name"].startswith("customer_events")]
    test["overrides"]["vars"].pop("segmentation__mobile_device_types")
    problems = _checker()(manifest, catalog).problems
    assert problems == [
        "unit test customer_events_break_ties_alphabetically: does not pin var "
        "segmentation__mobile_device_types, which int_segmentation__customer_events reads; "
        "add it under overrides: vars:"
    ]


def test_a_var_read_around_setting_fails(artifacts) -> None:
    manifest, catalog = copy.deepcopy(artifacts)
    node = _node(manifest, "int_segmentation__lifecycle")
    node["raw_code"] += "\n-- {{ var('segmentation__lapsed_days') }}"
    problems = _checker()(manifest, catalog).problems
    assert problems == [
        "int_segmentation__lifecycle: reads a var with var(); use segmentation.setting()"
    ]


def _plant_ref(manifest: dict, reader: str, upstream: str) -> None:
    """Add the edge reader -> upstream to the manifest, as a ref() in reader would."""
    _node(manifest, reader)["depends_on"]["nodes"].append(_node(manifest, upstream)["unique_id"])


def test_the_layering_holds(artifacts) -> None:
    manifest, _ = artifacts
    module = load_module(ROOT / "scripts" / "check_project.py", "check_project")
    report = module.Report()
    module.check_layering(manifest, report)
    assert report.problems == []
    layers = {
        node["fqn"][1]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == "segmentation"
    }
    assert layers == {"staging", "features", "segments", "activation", "marts"}


def test_an_intermediate_model_that_refs_a_mart_fails(artifacts) -> None:
    manifest, catalog = copy.deepcopy(artifacts)
    # What int_segmentation__customer_labels did before decision 0020.
    _plant_ref(manifest, "int_segmentation__customer_labels", "segmentation__customer_segments")
    problems = _checker()(manifest, catalog).problems
    assert problems == [
        "layering: model int_segmentation__customer_labels (activation) refs the mart "
        "segmentation__customer_segments (int_segmentation__customer_labels -> "
        "segmentation__customer_segments); only marts read marts: read the intermediate "
        "model the mart selects from"
    ]


def test_the_python_model_reading_a_mart_or_read_across_layers_fails(artifacts) -> None:
    manifest, catalog = copy.deepcopy(artifacts)
    _plant_ref(manifest, "segmentation__cluster_model", "segmentation__customer_features")
    _plant_ref(manifest, "int_segmentation__audience_catalog", "segmentation__cluster_model")
    _plant_ref(manifest, "stg_segmentation__orders", "int_segmentation__as_of")
    problems = _checker()(manifest, catalog).problems
    assert problems == [
        "layering: model int_segmentation__audience_catalog (activation) refs the Python model "
        "segmentation__cluster_model (int_segmentation__audience_catalog -> "
        "segmentation__cluster_model); only its own layer (segments) and marts read it",
        "layering: model segmentation__cluster_model (segments) refs the mart "
        "segmentation__customer_features (segmentation__cluster_model -> "
        "segmentation__customer_features); only marts read marts: read the intermediate "
        "model the mart selects from",
        "layering: model stg_segmentation__orders (staging) refs int_segmentation__as_of of the "
        "later layer features (stg_segmentation__orders -> int_segmentation__as_of); a layer "
        "reads only itself and the layers before it",
    ]


def test_a_model_outside_the_layer_folders_fails(artifacts) -> None:
    manifest, catalog = copy.deepcopy(artifacts)
    # Where the cluster model lived before decision 0020 (python_models/).
    _node(manifest, "segmentation__cluster_model")["fqn"] = [
        "segmentation",
        "segmentation__cluster_model",
    ]
    problems = _checker()(manifest, catalog).problems
    assert problems == [
        "layering: model segmentation__cluster_model is not in a layer folder of models/ "
        "(staging, features, segments, activation, marts)"
    ]


# A shop's own vocabulary and thresholds, none of them the package's defaults.
USER_VARS = {
    "segmentation__mobile_device_types": ["phone", "tablet"],
    "segmentation__app_platforms": ["iphone_app"],
    "segmentation__event_types": ["view", "basket_add", "order_placed"],
    "segmentation__cart_event_types": ["basket_add"],
    "segmentation__purchase_event_types": ["order_placed"],
    "segmentation__returned_statuses": ["refunded"],
    "segmentation__rfm_cut_points": {
        "recency_days": [10, 20, 40, 80],
        "frequency": [1, 2, 3, 4],
        "monetary": [5, 10, 20, 40],
    },
    "segmentation__new_customer_days": 30,
    "segmentation__at_risk_days": 60,
    "segmentation__lapsed_days": 200,
    "segmentation__usual_gap_multiplier": 3,
    "segmentation__campaign_outcome_days": 3,
}


def test_package_unit_tests_pass_under_a_users_vars(built, tmp_path) -> None:
    database, run = built
    assert run.success, run.messages()
    query(database, "checkpoint")  # the copy must hold every table, not part of them in a WAL
    copy_of = tmp_path / "vars.duckdb"
    copy_of.write_bytes(database.read_bytes())
    result = run_dbt(["test", "--select", "test_type:unit"], copy_of, variables=USER_VARS)
    assert result.success, result.messages()
    unit_tests = [r for r in result.results if str(r.node.resource_type) == "unit_test"]
    passed = [r for r in unit_tests if str(r.status) == "pass"]
    assert len(passed) == len(unit_tests) >= 6
