"""Snowpark local testing: a session, the DuckDB build's exported tables and a
stand-in for the `dbt` object that dbt-snowflake passes to a Python model.

Runs in .venv-snowpark (requirements-snowpark.txt), not in the main venv:

    ENGINE_FIXTURE=target/engine_fixture .venv-snowpark/bin/python -m pytest tests/snowpark
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import os
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from snowflake.snowpark import Session
from snowflake.snowpark import functions as F
from snowflake.snowpark import types as T
from snowflake.snowpark.mock import ColumnEmulator, ColumnType, patch
from snowflake.snowpark.mock import _connection as _mock_connection

ROOT = Path(__file__).resolve().parents[2]
MODEL_FILE = ROOT / "models" / "segments" / "segmentation__cluster_model.py"
FIXTURE_FILES = (
    "features", "cluster_model", "assignments", "customer_md5", "value_summary", "value_fit",
)  # fmt: skip
FEATURES_TABLE = "INT_SEGMENTATION__CUSTOMER_FEATURES"  # what the model refs


# Local testing implements no MD5 (NotImplementedError); Snowflake's MD5 is the
# lower-case hex digest of the UTF-8 bytes. This registers that built-in with the
# emulator, through its documented extension point; the model still calls the real
# F.md5. test_md5_matches_duckdb checks it against DuckDB's md5 on every customer.
@patch(F.md5)
def _md5(column: ColumnEmulator) -> ColumnEmulator:
    result = column.apply(
        lambda v: None if v is None or pd.isna(v) else hashlib.md5(str(v).encode()).hexdigest()
    )
    result.sf_type = ColumnType(T.StringType(), column.sf_type.nullable)
    return result


# Local testing's to_pandas puts integer columns in by index label and the others by
# position, so after a filter or sort (an index with gaps) integer columns shift
# and get nulls: snowflakedb/snowpark-python#2598, open in 1.56. Give it a fresh
# index; the values and types are untouched. test_to_pandas_keeps_rows checks it.
_to_pandas = _mock_connection._fix_pandas_df_fixed_type


def _to_pandas_positional(table_res):
    reset = table_res.reset_index(drop=True)
    reset.sf_types = table_res.sf_types
    return _to_pandas(reset)


_mock_connection._fix_pandas_df_fixed_type = _to_pandas_positional


def _fixture_dir() -> Path:
    value = os.environ.get("ENGINE_FIXTURE")
    if not value:
        raise pytest.UsageError(
            "ENGINE_FIXTURE is not set: export a built DuckDB file with "
            "`.venv/bin/python scripts/export_engine_fixture.py --database <db> --out <dir>` "
            "and run with ENGINE_FIXTURE=<dir>"
        )
    path = Path(value) if Path(value).is_absolute() else ROOT / value
    missing = [f"{n}.parquet" for n in FIXTURE_FILES if not (path / f"{n}.parquet").exists()]
    if missing:
        raise pytest.UsageError(
            f"ENGINE_FIXTURE={value}: missing {', '.join(missing)}; "
            "run scripts/export_engine_fixture.py on a built DuckDB file"
        )
    return path


def pytest_configure(config: pytest.Config) -> None:
    _fixture_dir()  # stop before any test, with one message


@pytest.fixture(scope="session")
def fixture_dir() -> Path:
    return _fixture_dir()


@pytest.fixture(scope="session")
def duckdb_tables(fixture_dir: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(fixture_dir / f"{name}.parquet") for name in FIXTURE_FILES}


@pytest.fixture(scope="session")
def session() -> Session:
    session = Session.builder.config("local_testing", True).create()
    yield session
    session.close()


_ARROW_TO_SNOWPARK = [
    (pa.types.is_boolean, lambda t: T.BooleanType()),
    (pa.types.is_integer, lambda t: T.LongType()),
    (pa.types.is_floating, lambda t: T.DoubleType()),
    (pa.types.is_decimal, lambda t: T.DecimalType(t.precision, t.scale)),
    (pa.types.is_date, lambda t: T.DateType()),
    (pa.types.is_timestamp, lambda t: T.TimestampType(T.TimestampTimeZone.NTZ)),
    (pa.types.is_string, lambda t: T.StringType()),
    (pa.types.is_large_string, lambda t: T.StringType()),
]


def _snowpark_type(arrow_type: pa.DataType) -> T.DataType:
    for matches, make in _ARROW_TO_SNOWPARK:
        if matches(arrow_type):
            return make(arrow_type)
    raise TypeError(f"no Snowpark type for {arrow_type}")


def save_features(session: Session, parquet: Path) -> str:
    """int_segmentation__customer_features (the rows of the features mart) as a
    Snowpark table, with the DuckDB column types (BIGINT as NUMBER, DECIMAL, DATE,
    BOOLEAN) and upper-case names, as dbt-snowflake would have built it."""
    table = pq.read_table(parquet)
    schema = T.StructType(
        [T.StructField(f.name.upper(), _snowpark_type(f.type)) for f in table.schema]
    )
    rows = [list(row.values()) for row in table.to_pylist()]
    session.create_dataframe(rows, schema).write.save_as_table(FEATURES_TABLE, mode="overwrite")
    return FEATURES_TABLE


@pytest.fixture(scope="session")
def features_table(session: Session, fixture_dir: Path) -> str:
    return save_features(session, fixture_dir / "features.parquet")


def _render(value: object) -> object:
    """dbt's rendering of a yml config value with default vars: `{{ var(name, default) }}`
    becomes the default's text ('None' for none), like Jinja prints it."""
    if not isinstance(value, str):
        return value

    def default(match: re.Match) -> str:
        literal = match.group(1).strip()
        return str(ast.literal_eval({"none": "None"}.get(literal, literal)))

    return re.sub(r"\{\{\s*var\(\s*'[^']+'\s*,\s*(.+?)\s*\)\s*\}\}", default, value)


@pytest.fixture(scope="session")
def model_config() -> dict:
    """The model's config from models/segments/_segments__models.yml, rendered."""
    document = yaml.safe_load((ROOT / "models" / "segments" / "_segments__models.yml").read_text())
    [node] = [m for m in document["models"] if m["name"] == "segmentation__cluster_model"]
    return {key: _render(value) for key, value in node["config"].items()}


class StandInDbt:
    """What dbt-snowflake's generated wrapper passes as `dbt`: ref() as session.table,
    config.get() over the rendered config, `this` as the target relation."""

    def __init__(self, session: Session, config: dict, this: str) -> None:
        self._session = session
        self._config = config
        self.this = this
        self.is_incremental = False

        class Config:
            def __init__(self, *args, **kwargs) -> None:
                pass  # dbt reads dbt.config(...) calls when parsing; a no-op when run

            @staticmethod
            def get(key: str, default: object = None) -> object:
                return config.get(key, default)

        self.config = Config

    def ref(self, name: str):
        return self._session.table(name.upper())


@pytest.fixture(scope="session")
def cluster_model():
    spec = importlib.util.spec_from_file_location("cluster_model", MODEL_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
