"""The dashboard's one way to the warehouse: read a public mart into pandas.

Locally the engine is DuckDB: the file SEGMENTATION_DUCKDB_PATH (default the demo's
segmentation.duckdb), opened read-only, marts in schema SEGMENTATION_MARTS_SCHEMA (default
main_segmentation). In Streamlit in Snowflake the engine is the app's Snowpark session
(`get_active_session()`), marts in SEGMENTATION_MARTS_SCHEMA or, when unset,
SEGMENTATION_SEGMENTATION (the profile's default schema `segmentation` + `_segmentation`).

Pages ask for whole marts by name and do everything else in pandas, so no page holds SQL of
one engine. Column names come back lower case on both engines.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

# The public marts the pages read (models/marts); a name outside this list is refused.
MARTS = (
    "segmentation__customer_segments_v1",
    "segmentation__customer_features",
    "segmentation__segment_profiles",
    "segmentation__rejected_rows",
    "segmentation__quality_gates",
    "segmentation__clustering_runs",
    "segmentation__segment_membership_history",
    "segmentation__segment_transitions",
    "segmentation__sync_changes",
    "segmentation__sync_current_state",
    "segmentation__audiences",
    "segmentation__audience_memberships",
    "segmentation__campaign_effectiveness",
    "segmentation__customer_value",
    "segmentation__value_model",
    "segmentation__value_backtest",
)


def snowpark_session() -> object | None:
    """The active Snowpark session when running in Snowflake, else None."""
    try:
        from snowflake.snowpark.context import get_active_session
    except ImportError:
        return None
    try:
        return get_active_session()
    except Exception:  # no active session: not in Snowflake
        return None


def engine() -> str:
    return "snowflake" if snowpark_session() is not None else "duckdb"


def duckdb_path() -> Path:
    path = Path(os.environ.get("SEGMENTATION_DUCKDB_PATH", "segmentation.duckdb"))
    return path if path.is_absolute() else ROOT / path


def marts_schema() -> str:
    default = "SEGMENTATION_SEGMENTATION" if engine() == "snowflake" else "main_segmentation"
    return os.environ.get("SEGMENTATION_MARTS_SCHEMA", default)


def where() -> str:
    """Where the marts are read from, for the page footer."""
    if engine() == "snowflake":
        return f"Snowflake, schema {marts_schema()}"
    return f"DuckDB {duckdb_path().name} (read-only), schema {marts_schema()}"


class MartMissing(LookupError):
    """The mart is not in the warehouse (not built, or its input is switched off)."""


def read_mart(name: str) -> pd.DataFrame:
    """Every row of one public mart, columns lower case."""
    if name not in MARTS:
        raise ValueError(f"not a public mart the dashboard reads: {name}")
    session = snowpark_session()
    if session is not None:
        try:
            frame = session.table([marts_schema(), name.upper()]).to_pandas()
        except Exception as error:
            raise MartMissing(f"{marts_schema()}.{name}: {error}") from error
    else:
        import duckdb

        path = duckdb_path()
        if not path.exists():
            raise MartMissing(f"no DuckDB file at {path}: run `make demo` first")
        with duckdb.connect(str(path), read_only=True) as con:
            exists = con.execute(
                "select count(*) from information_schema.tables"
                " where table_schema = ? and table_name = ?",
                [marts_schema(), name],
            ).fetchone()[0]
            if not exists:
                raise MartMissing(f"{marts_schema()}.{name} is not in {path}")
            frame = con.execute(f'select * from "{marts_schema()}"."{name}"').df()
    frame.columns = [str(c).lower() for c in frame.columns]
    return frame
