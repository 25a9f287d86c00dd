"""What the benchmarks share: a DuckDB profile for a scratch file and the dbt command."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def write_profile(work: Path, database: Path, memory_limit: str | None = None) -> None:
    """The repository's profile for a scratch file, threads 2. With no
    `memory_limit` the profile sets nothing and the package's own DuckDB settings
    apply (vars segmentation__duckdb_*, decision 0019), as for a user who sets
    none; a given `memory_limit` is a user's profile setting, which wins."""
    settings = f"      settings:\n        memory_limit: {memory_limit}\n" if memory_limit else ""
    (work / "profiles.yml").write_text(
        "segmentation:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        f"      path: {database}\n      threads: 2\n{settings}"
    )


def dbt_command(work: Path, *args: str) -> list[str]:
    """`dbt <args>` on this project with the scratch profile, target and logs in `work`."""
    dbt = Path(sys.executable).with_name("dbt")
    return [str(dbt), *args, "--project-dir", str(ROOT), "--profiles-dir", str(work),
            "--target-path", str(work / "target"), "--log-path", str(work / "logs")]  # fmt: skip
