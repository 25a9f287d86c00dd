"""Governance gate over dbt's manifest.json and catalog.json.

    python scripts/check_project.py [--target-dir target]

Run after `dbt build` and `dbt docs generate`. Fails (exit 1), listing every
problem, when a model, seed or column of the package lacks a description, a
documented column no longer exists, a model has no primary-key test, a public
model lacks an enforced contract, a staging or intermediate model is public,
or a public model exposes a column that is tagged PII elsewhere without
tagging it itself. The catalog, not the yml, says which columns a relation
has, so an undeclared column is caught too. Columns whose names depend on the
data (pivots) are documented once per prefix in the model's
`meta.segmentation_column_prefixes`. A model with no key by design (a base
model: one row per raw input row, exact copies included) says why in
`meta.segmentation_primary_key_exempt`. Every dbt unit test of the package
must pin (in `overrides: vars:`) each var that its model or the model's macros
read, so that a user's settings can never make the package's own tests fail;
`using_*` switches are exempt: a test whose input is off is disabled with it.
Layering (docs/decisions/0020): every model sits in a layer folder of models/,
in the order data flows (staging, features, segments, activation, marts; the
labels snapshot belongs to activation); a model refs only its own layer and the
layers before it; no model outside the marts refs a mart (public, or under
marts/); and the Python model is read only by the SQL of its own layer and by
marts. Each offending edge is named.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "segmentation"
# models/<layer>/ in the order data flows; a layer reads only itself and the layers before it.
LAYERS = ("staging", "features", "segments", "activation", "marts")
PRIVATE_LAYERS = ("staging", "features", "segments", "activation")
MART_LAYER = "marts"
# Snapshots live in snapshot-paths, outside models/; the labels snapshot is activation's.
SNAPSHOT_LAYER = "activation"
# setting('segmentation__x'), var('segmentation__x') and config_relation('segmentation__x', ...).
VAR_READ = re.compile(r"""(?:setting|var|config_relation)\(\s*['"](segmentation__\w+)['"]""")
# A var read directly in SQL code, not through the validating setting() macro.
RAW_VAR = re.compile(r"""(?<![\w.])var\(""")
SETTING_MACROS = {"setting", "validate_settings"}
# Vars that only say where an input lives (a unit test replaces the input), and
# input switches: a test whose input is switched off is disabled with it
# (`segmentation__using_` alone is is_input_enabled's `'segmentation__using_' ~ input`).
LOCATOR_VAR = re.compile(r"segmentation__(source_\w+|\w+_identifier|\w+_relation|using_\w*)$")


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    nodes: int = 0
    columns: int = 0
    columns_documented: int = 0
    models: int = 0
    models_with_primary_key: int = 0
    models_exempt: int = 0

    def add(self, problem: str) -> None:
        self.problems.append(problem)


def _tests_by_model(manifest: dict) -> dict[str, list[dict]]:
    tests: dict[str, list[dict]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("test_metadata"):
            continue
        attached = node.get("attached_node")
        if attached:
            tests.setdefault(attached, []).append(node)
    return tests


def _primary_keys(node: dict, tests: list[dict]) -> set[str]:
    """Columns that are both unique and not null (a test or a contract constraint)."""
    unique, not_null = set(), set()
    for test in tests:
        name = test["test_metadata"]["name"]
        column = test.get("column_name") or test["test_metadata"]["kwargs"].get("column_name")
        if name == "unique" and column:
            unique.add(column)
        elif name == "not_null" and column:
            not_null.add(column)
        elif name == "primary_key":
            columns = test["test_metadata"]["kwargs"].get("columns") or []
            return {",".join(columns)}
    for column in node.get("columns", {}).values():
        kinds = {c.get("type") for c in column.get("constraints", [])}
        if "not_null" in kinds or "primary_key" in kinds:
            not_null.add(column["name"])
    return unique & not_null


def _is_pii(column: dict) -> bool:
    meta = column.get("meta") or column.get("config", {}).get("meta") or {}
    return bool(meta.get("pii"))


def check(manifest: dict, catalog: dict) -> Report:
    report = Report()
    tests = _tests_by_model(manifest)
    catalog_nodes = {**catalog.get("nodes", {})}
    nodes = [
        node
        for node in manifest["nodes"].values()
        if node["package_name"] == PACKAGE
        and node["resource_type"] in {"model", "seed", "snapshot"}
    ]
    pii_columns = {
        name
        for node in nodes
        for name, column in node.get("columns", {}).items()
        if _is_pii(column)
    }
    for node in sorted(nodes, key=lambda n: n["unique_id"]):
        report.nodes += 1
        label = f"{node['resource_type']} {node['name']}"
        if not (node.get("description") or "").strip():
            report.add(f"{label}: no description")
        documented = {name.lower(): column for name, column in node.get("columns", {}).items()}
        prefixes = node["config"].get("meta", {}).get("segmentation_column_prefixes", {})
        actual = catalog_nodes.get(node["unique_id"], {}).get("columns")
        if actual is None:
            report.add(f"{label}: not in catalog.json (was it built before docs generate?)")
            actual = {}
        actual_names = {column["name"].lower() for column in actual.values()}
        for name in sorted(actual_names):
            report.columns += 1
            column = documented.get(name)
            if column is not None:
                if (column.get("description") or "").strip():
                    report.columns_documented += 1
                else:
                    report.add(f"{label}: column {name} has an empty description")
            elif any(name.startswith(prefix) for prefix in prefixes):
                report.columns_documented += 1
            else:
                report.add(f"{label}: column {name} is not documented")
        for name in sorted(set(documented) - actual_names):
            report.add(f"{label}: documented column {name} does not exist")

        if node["resource_type"] != "model":
            continue
        report.models += 1
        exempt = node["config"].get("meta", {}).get("segmentation_primary_key_exempt")
        if _primary_keys(node, tests.get(node["unique_id"], [])):
            report.models_with_primary_key += 1
        elif exempt and str(exempt).strip():
            report.models_exempt += 1  # a keyless model must say why
        else:
            report.add(f"{label}: no primary-key test (unique and not_null on one column)")
        layer = node["fqn"][1] if len(node["fqn"]) > 2 else ""
        access = node.get("access")
        if access == "public":
            if not node["config"].get("contract", {}).get("enforced"):
                report.add(f"{label}: public but its contract is not enforced")
            if layer in PRIVATE_LAYERS:
                report.add(f"{label}: {layer} models must not be public")
            for name in sorted(actual_names & pii_columns):
                if not _is_pii(documented.get(name, {})):
                    report.add(f"{label}: public model exposes PII column {name} untagged")
    check_unit_test_vars(manifest, report)
    check_vars_read_through_setting(manifest, report)
    check_layering(manifest, report)
    return report


def _layer(node: dict) -> str:
    if node["resource_type"] == "snapshot":
        return SNAPSHOT_LAYER
    return node["fqn"][1] if len(node["fqn"]) > 2 else ""


def _is_mart(node: dict) -> bool:
    return node["resource_type"] == "model" and (
        _layer(node) == MART_LAYER or node.get("access") == "public"
    )


def check_layering(manifest: dict, report: Report) -> None:
    """Data flows one way through the layer folders; only marts read marts."""
    nodes = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node.get("package_name") == PACKAGE and node["resource_type"] in {"model", "snapshot"}
    }
    for node in sorted(nodes.values(), key=lambda n: n["unique_id"]):
        label = f"{node['resource_type']} {node['name']}"
        layer = _layer(node)
        if layer not in LAYERS:
            report.add(
                f"layering: {label} is not in a layer folder of models/ ({', '.join(LAYERS)})"
            )
            continue
        for upstream_id in sorted(set(node.get("depends_on", {}).get("nodes", []))):
            upstream = nodes.get(upstream_id)
            if upstream is None:
                continue
            edge = f"{node['name']} -> {upstream['name']}"
            upstream_layer = _layer(upstream)
            if layer != MART_LAYER and _is_mart(upstream):
                report.add(
                    f"layering: {label} ({layer}) refs the mart {upstream['name']} ({edge}); "
                    "only marts read marts: read the intermediate model the mart selects from"
                )
            elif upstream_layer in LAYERS and LAYERS.index(upstream_layer) > LAYERS.index(layer):
                report.add(
                    f"layering: {label} ({layer}) refs {upstream['name']} of the later layer "
                    f"{upstream_layer} ({edge}); a layer reads only itself and the layers before it"
                )
            elif (
                upstream.get("language") == "python"
                and upstream_layer in LAYERS
                and layer not in (upstream_layer, MART_LAYER)
            ):
                report.add(
                    f"layering: {label} ({layer}) refs the Python model {upstream['name']} "
                    f"({edge}); only its own layer ({upstream_layer}) and marts read it"
                )


def check_vars_read_through_setting(manifest: dict, report: Report) -> None:
    """Models, snapshots, tests and macros of the package read vars only through
    setting(), which validates them (yml configs are checked by validate_settings)."""
    for node in manifest["nodes"].values():
        if node.get("package_name") == PACKAGE and RAW_VAR.search(node.get("raw_code") or ""):
            report.add(f"{node['name']}: reads a var with var(); use segmentation.setting()")
    for macro in manifest.get("macros", {}).values():
        if macro.get("package_name") != PACKAGE or macro["name"] in SETTING_MACROS:
            continue
        if RAW_VAR.search(macro.get("macro_sql") or ""):
            report.add(f"macro {macro['name']}: reads a var with var(); use segmentation.setting()")


def _vars_read(manifest: dict, node: dict) -> set[str]:
    """segmentation__ vars in a node's code and (transitively) in the macros it calls."""
    names = set(VAR_READ.findall(node.get("raw_code", "")))
    seen: set[str] = set()
    pending = list(node.get("depends_on", {}).get("macros", []))
    while pending:
        macro_id = pending.pop()
        if macro_id in seen or macro_id not in manifest.get("macros", {}):
            continue
        seen.add(macro_id)
        macro = manifest["macros"][macro_id]
        names |= set(VAR_READ.findall(macro.get("macro_sql", "")))
        pending += macro.get("depends_on", {}).get("macros", [])
    return {name for name in names if not LOCATOR_VAR.match(name)}


def check_unit_test_vars(manifest: dict, report: Report) -> None:
    """Each package unit test pins every var its model reads."""
    for test in sorted(manifest.get("unit_tests", {}).values(), key=lambda t: t["name"]):
        if test.get("package_name") != PACKAGE:
            continue
        models = [
            manifest["nodes"][unique_id]
            for unique_id in test.get("depends_on", {}).get("nodes", [])
            if unique_id in manifest["nodes"]
        ]
        pinned = set((test.get("overrides") or {}).get("vars") or {})
        for model in models:
            for name in sorted(_vars_read(manifest, model) - pinned):
                report.add(
                    f"unit test {test['name']}: does not pin var {name}, which "
                    f"{model['name']} reads; add it under overrides: vars:"
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target-dir", type=Path, default=Path("target"))
    args = parser.parse_args(argv)
    manifest = json.loads((args.target_dir / "manifest.json").read_text())
    catalog = json.loads((args.target_dir / "catalog.json").read_text())
    report = check(manifest, catalog)
    for problem in report.problems:
        print(f"FAIL {problem}")
    print(
        f"{report.nodes} models, seeds and snapshots, {report.columns} columns "
        f"({report.columns_documented} documented); {report.models_with_primary_key} of "
        f"{report.models} models with a primary-key test, {report.models_exempt} keyless "
        f"by design with the reason in meta; {len(report.problems)} problems"
    )
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
