"""Scenario shops: declared files, integrity, planted shares, determinism and loading."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from segmentation_scenarios.generate import COLUMNS, generate_scenario, load_scenario
from segmentation_scenarios.scenarios import SCENARIOS

SIZE = 600
TIMESTAMP = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("scenarios")
    folders = {}
    for name in SCENARIOS:
        generate_scenario(name, root / name, customers=SIZE)
        folders[name] = root / name
    return folders


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_declared_files_and_columns(generated: dict[str, Path], name: str) -> None:
    folder = generated[name]
    manifest = _manifest(folder)
    assert manifest["scenario"] == name
    assert manifest["true_k"] == len(SCENARIOS[name].personas)
    inputs = manifest["inputs"]
    assert {"customers", "orders"} <= set(inputs)
    expected = {f"{i}.csv" for i in inputs} | {"ground_truth.csv", "manifest.json"}
    assert {p.name for p in folder.iterdir()} == expected
    for table in inputs:
        header = (folder / f"{table}.csv").read_text().splitlines()[0]
        assert header.replace('"', "").split(",") == COLUMNS[table]


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_integrity_and_formats(generated: dict[str, Path], name: str) -> None:
    folder = generated[name]
    inputs = _manifest(folder)["inputs"]
    customers, orders = _read(folder, "customers"), _read(folder, "orders")
    assert customers["customer_id"].is_unique
    assert orders["order_id"].is_unique
    ids = set(customers["customer_id"])
    assert set(orders["customer_id"]) <= ids
    assert set(orders["status"]) <= {"completed", "returned", "cancelled"}
    assert orders["ordered_at"].str.match(TIMESTAMP).all()
    assert pd.to_numeric(orders["order_total"]).ge(0).all()
    assert pd.to_numeric(orders["discount_total"]).ge(0).all()
    stamps = [orders["ordered_at"], customers["signup_at"]]
    if "order_items" in inputs:
        items = _read(folder, "order_items")
        assert set(items["order_id"]) <= set(orders["order_id"])
        assert pd.to_numeric(items["unit_price"]).gt(0).all()
    if "events" in inputs:
        events = _read(folder, "events")
        assert set(events["customer_id"]) <= ids
        assert not events.duplicated().any()  # staging rejects exact duplicates
        stamps.append(events["occurred_at"])
    if "marketing_touches" in inputs:
        touches = _read(folder, "marketing_touches")
        assert set(touches["customer_id"]) <= ids
        key = ["customer_id", "campaign_id", "channel", "sent_at"]
        assert not touches.duplicated(key).any()
        stamps += [touches[c] for c in ("sent_at", "opened_at", "clicked_at", "converted_at")]
    if "customer_attributes" in inputs:
        assert set(_read(folder, "customer_attributes")["customer_id"]) <= ids
    for column in stamps:
        present = column[column != ""]
        assert present.str.match(TIMESTAMP).all()
        assert (present < "2026-11-01").all()


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_ground_truth_and_shares(generated: dict[str, Path], name: str) -> None:
    folder = generated[name]
    scenario = SCENARIOS[name]
    truth = _read(folder, "ground_truth").set_index("customer_id")["persona"]
    orders = _read(folder, "orders")
    counts = orders.groupby("customer_id").size().reindex(truth.index, fill_value=0)
    assert set(truth.index) == set(_read(folder, "customers")["customer_id"])
    # Only prospects may lack an order.
    assert (truth[counts == 0] == "prospect").all()
    shares = truth.value_counts(normalize=True)
    for persona, spec in scenario.personas.items():
        assert shares.get(persona, 0) == pytest.approx(spec.share, abs=0.02)
        per_customer = counts[truth == persona]
        if spec.one_time:
            assert (per_customer == 1).all()
        else:
            assert (per_customer >= 2).all()
    assert shares.get("noise", 0) == pytest.approx(scenario.noise_share, abs=0.02)


def test_retail_is_mostly_one_time_buyers(generated: dict[str, Path]) -> None:
    orders = _read(generated["retail_realistic"], "orders")
    per_customer = orders.groupby("customer_id").size()
    assert (per_customer == 1).mean() >= 0.55
    span = pd.to_datetime(orders["ordered_at"])
    assert (span.max() - span.min()).days <= 18 * 31


def test_suite_spans_k_and_sizes() -> None:
    assert len(SCENARIOS) >= 13
    ks = {len(s.personas) for s in SCENARIOS.values()}
    assert min(ks) == 3
    assert max(ks) == 9
    shares = [p.share for s in SCENARIOS.values() for p in s.personas.values()]
    assert min(shares) == pytest.approx(0.03)
    assert max(shares) == pytest.approx(0.50)
    for scenario in SCENARIOS.values():
        total = sum(p.share for p in scenario.personas.values())
        assert total + scenario.noise_share + scenario.prospect_share == pytest.approx(1.0)
    assert len({s.seed for s in SCENARIOS.values()}) == len(SCENARIOS)


def test_vocabulary_vars(generated: dict[str, Path]) -> None:
    devices = _manifest(generated["devices_app"])["vars"]
    assert devices["segmentation__cart_event_types"] == ["basket_add"]
    assert devices["segmentation__purchase_event_types"] == ["order_placed"]
    events = _read(generated["devices_app"], "events")
    assert set(events["event_type"]) <= set(devices["segmentation__event_types"])
    garden = _manifest(generated["five_unequal_overlap"])["vars"]
    assert garden["segmentation__mobile_device_types"] == ["phone", "tablet"]
    assert garden["segmentation__app_platforms"] == ["iphone_app", "android_app"]
    assert _manifest(generated["three_clear"])["vars"] == {}
    only = _manifest(generated["orders_only"])
    assert only["inputs"] == ["customers", "orders"]
    assert only["vars"] == {
        f"segmentation__using_{i}": False
        for i in ("order_items", "events", "marketing_touches", "customer_attributes")
    }
    cents = _read(generated["cents_currency"], "orders")["order_total"]
    assert cents.str.fullmatch(r"\d+").all()
    assert (
        _read(generated["three_clear"], "orders")["order_total"].str.fullmatch(r"\d+\.\d{2}").all()
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_arguments_give_identical_bytes(tmp_path: Path) -> None:
    generate_scenario("noisy", tmp_path / "a", customers=300)
    generate_scenario("noisy", tmp_path / "b", customers=300)
    generate_scenario("noisy", tmp_path / "c", customers=300, seed=5)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert (tmp_path / "a" / "orders.csv").read_bytes() != (
        tmp_path / "c" / "orders.csv"
    ).read_bytes()


def test_load_scenario_loads_only_present_inputs(
    generated: dict[str, Path], tmp_path: Path
) -> None:
    database = tmp_path / "raw.duckdb"
    counts = load_scenario(generated["orders_only"], database, schema="raw_only")
    assert list(counts) == ["customers", "orders"]
    assert counts["customers"] == SIZE
    full = load_scenario(generated["three_clear"], database, schema="raw_full")
    assert list(full) == list(COLUMNS)
    with duckdb.connect(str(database)) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
        types = con.execute(
            "select distinct data_type from information_schema.columns"
            " where table_schema = 'raw_full'"
        ).fetchall()
    assert {t for s, t in tables if s == "raw_only"} == {"customers", "orders"}
    assert {t for s, t in tables if s == "raw_full"} == set(COLUMNS)
    assert types == [("VARCHAR",)]


def test_recency_only_personas_differ_only_in_last_activity() -> None:
    personas = list(SCENARIOS["recency_only"].personas.values())
    first = personas[0]
    for other in personas[1:]:
        differing = {
            name
            for name in vars(first)
            if name not in ("share", "stop_ago") and getattr(first, name) != getattr(other, name)
        }
        assert differing == set()
        assert other.stop_ago != first.stop_ago
    assert SCENARIOS["noisy"].noise_share == pytest.approx(0.05)
