"""What the benchmarks share: a DuckDB profile for a scratch file and the dbt command."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def write_profile(work: Path, database: Path, memory_limit: str) -> None:
    """The repository's profile, with DuckDB's memory capped so that a 24 GiB
    machine spills to disk (DuckDB's default <file>.tmp) instead of being
    killed, and insertion order not kept. temp_directory is not set: dbt-duckdb
    applies settings on every connection, and DuckDB refuses to move it once used."""
    (work / "profiles.yml").write_text(
        "segmentation:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        f"      path: {database}\n      threads: 2\n      settings:\n"
        f"        memory_limit: {memory_limit}\n        preserve_insertion_order: false\n"
    )


def dbt_command(work: Path, *args: str) -> list[str]:
    """`dbt <args>` on this project with the scratch profile, target and logs in `work`."""
    dbt = Path(sys.executable).with_name("dbt")
    return [str(dbt), *args, "--project-dir", str(ROOT), "--profiles-dir", str(work),
            "--target-path", str(work / "target"), "--log-path", str(work / "logs")]  # fmt: skip
