"""One version and one list of runtime libraries: dbt_project.yml's `version:` is the
package version everywhere, and the cluster model's Snowflake `packages=` are the
libraries of requirements-package.txt, pinned within its ranges."""

from __future__ import annotations

import re

import yaml
from conftest import ROOT
from packaging.requirements import Requirement

MODEL = ROOT / "models" / "segments" / "segmentation__cluster_model.py"
# The value models (docs/decisions/0022): their Snowflake packages are a subset of the
# cluster model's pins, and the fit carries the package version too.
VALUE_MODELS = [
    ROOT / "models" / "segments" / "segmentation__value_fit.py",
    ROOT / "models" / "segments" / "segmentation__value_curves.py",
]


def package_version() -> str:
    return yaml.safe_load((ROOT / "dbt_project.yml").read_text())["version"]


def test_every_version_is_dbt_projects() -> None:
    version = package_version()
    for model in (MODEL, VALUE_MODELS[0]):
        source = model.read_text()
        assert re.search(r'^PACKAGE_VERSION = "([^"]+)"', source, re.M)[1] == version, model
    assert (
        re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)[1]
        == version
    )
    assert f"## [{version}]" in (ROOT / "CHANGELOG.md").read_text()
    assert f"revision: v{version}" in (ROOT / "README.md").read_text()


def test_snowflake_packages_are_the_runtime_requirements() -> None:
    requirements = {
        (req := Requirement(line)).name.lower(): req
        for line in (ROOT / "requirements-package.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    listed = re.search(r"packages=\[([^\]]*)\]", MODEL.read_text())[1]
    pins = [Requirement(item.strip().strip('"')) for item in listed.split(",")]
    assert {pin.name.lower() for pin in pins} == set(requirements) - {
        "dbt-core",
        "dbt-duckdb",
        "duckdb",
    }
    for pin in pins:
        (version,) = [spec.version for spec in pin.specifier]
        assert requirements[pin.name.lower()].specifier.contains(version), pin
    # What the model imports at module level or in its functions is listed.
    imported = set(
        re.findall(r"^\s*(?:from|import) (numpy|pandas|sklearn|scipy)\b", MODEL.read_text(), re.M)
    )
    assert imported == {"numpy", "pandas", "sklearn", "scipy"}


def test_value_models_pin_the_cluster_models_versions() -> None:
    """The value models declare the same versions as the cluster model (one Snowflake
    environment) and import only what they declare."""
    cluster = set(
        re.search(r"packages=\[([^\]]*)\]", MODEL.read_text())[1].replace('"', "").split(", ")
    )
    for model in VALUE_MODELS:
        source = model.read_text()
        pins = set(re.search(r"packages=\[([^\]]*)\]", source)[1].replace('"', "").split(", "))
        assert pins <= cluster, model
        imported = set(
            re.findall(r"^\s*(?:from|import) (numpy|pandas|sklearn|scipy)\b", source, re.M)
        )
        assert imported == {pin.split("==")[0] for pin in pins}, model
