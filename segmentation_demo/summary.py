"""Print a short summary of a built segmentation DuckDB file.

Rows per input, accepted and rejected; rejected rows per reason; segment
sizes once the segment marts exist; the predicted-value tiers and the value
model's backtest once the value marts exist.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

from segmentation_demo.load import INPUTS


def _schema_of(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    row = con.execute(
        "select table_schema from information_schema.tables where table_name = ? "
        "order by table_schema limit 1",
        [table],
    ).fetchone()
    return row[0] if row else None


def summarise(database: Path, raw_schema: str = "segmentation_raw") -> str:
    """The summary text for `database`."""
    lines: list[str] = []
    with duckdb.connect(str(database), read_only=True) as con:
        rejected_schema = _schema_of(con, "segmentation__rejected_rows")
        if rejected_schema is None:
            return f"{database}: no segmentation build found (run `make demo`)."
        rejected = f'"{rejected_schema}".segmentation__rejected_rows'
        lines.append(f"{'input':<22}{'rows':>10}{'accepted':>10}{'rejected':>10}")
        for name in INPUTS:
            stg_schema = _schema_of(con, f"stg_segmentation__{name}")
            if stg_schema is None:
                lines.append(f"{name:<22}{'(switched off)':>30}")
                continue
            total = con.execute(f'select count(*) from "{raw_schema}"."{name}"').fetchone()
            accepted = con.execute(
                f'select count(*) from "{stg_schema}".stg_segmentation__{name}'
            ).fetchone()
            refused = con.execute(
                f"select count(*) from {rejected} where input_name = ?", [name]
            ).fetchone()
            lines.append(f"{name:<22}{total[0]:>10,}{accepted[0]:>10,}{refused[0]:>10,}")
        lines.append("")
        lines.append("rejected rows by reason:")
        reasons = con.execute(
            f"select input_name, string_agg(reason_code || ' ' || n, ', ' order by reason_code) "
            f"from (select input_name, reason_code, count(*) as n from {rejected} group by all) "
            "group by input_name order by input_name"
        ).fetchall()
        lines += [f"  {input_name}: {text}" for input_name, text in reasons]
        features_schema = _schema_of(con, "segmentation__customer_features")
        if features_schema is not None:
            features = f'"{features_schema}".segmentation__customer_features'
            for label, column in [
                ("lifecycle stage", "lifecycle_stage"),
                ("RFM segment", "rfm_segment"),
            ]:
                counts = con.execute(
                    f"select coalesce({column}, '(none)'), count(*) from {features} "
                    "group by all order by 2 desc, 1"
                ).fetchall()
                lines.append("")
                lines.append(f"customers by {label}: " + ", ".join(f"{k} {v:,}" for k, v in counts))
        profiles_schema = _schema_of(con, "segmentation__segment_profiles")
        if profiles_schema is not None:
            lines.append("")
            lines.append("segments (k-means on the customer features):")
            for segment_id, name, count, share in con.execute(
                "select segment_id, segment_name, customer_count, customer_share "
                f'from "{profiles_schema}".segmentation__segment_profiles '
                "order by customer_count desc, segment_id"
            ).fetchall():
                lines.append(f"  {segment_id:>3}  {name:<52}{count:>8,}  {share:6.1%}")
        gates_schema = _schema_of(con, "segmentation__quality_gates")
        if gates_schema is not None:
            lines += _gates(con, f'"{gates_schema}"', profiles_schema)
        value_schema = _schema_of(con, "segmentation__value_model")
        if value_schema is not None:
            lines += _value(con, f'"{value_schema}"')
        changes_schema = _schema_of(con, "segmentation__sync_changes")
        if changes_schema is not None:
            lines += _activation(con, f'"{changes_schema}"')
    return "\n".join(lines)


def _value(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    """The predicted-value tiers, the fits and the calibration/holdout backtest table."""
    lines = ["", "predicted value (BG/NBD + Gamma-Gamma, segmentation__customer_value):"]
    lines.append(
        f"  {'tier':<8}{'customers':>10}{'P(alive)':>10}{'purchases':>11}{'spend/order':>13}"
        f"{'value':>12}"
    )
    for tier, count, alive, purchases, spend, value in con.execute(
        "select coalesce(predicted_value_tier, '(none)'), count(*), avg(probability_alive), "
        "avg(expected_purchases), avg(expected_average_order_value), sum(predicted_value) "
        f"from {schema}.segmentation__customer_value group by predicted_value_tier "
        "order by array_position(['top', 'middle', 'bottom'], predicted_value_tier) nulls last"
    ).fetchall():
        lines.append(
            f"  {tier:<8}{count:>10,}{alive or 0:>10.3f}{purchases or 0:>11.3f}{spend or 0:>13,.2f}"
            f"{value or 0:>12,.0f}"
        )
    audiences = con.execute(
        "select count(*) filter (where is_high_value_at_risk), "
        f"count(*) filter (where is_likely_to_buy_soon) from {schema}.segmentation__customer_value"
    ).fetchone()
    lines.append(
        f"  audiences: high value at risk {audiences[0]:,}, likely to buy soon {audiences[1]:,}"
    )
    for row in con.execute(
        "select fit_scope, bgnbd_status, r, alpha, a, b, gamma_gamma_status, p, q, gamma, "
        "sample_size, period_days, fitted_through_date, holdout_customers, "
        "actual_holdout_purchases, "
        f"predicted_holdout_purchases, mean_absolute_error from {schema}.segmentation__value_model "
        "order by fit_scope"
    ).fetchall():
        scope, bgnbd, r, alpha, a, b, gamma_gamma, p, q, gamma, sample, period, through = row[:13]
        unit = "week" if period == 7 else "day"
        fit = (
            f"r {r:.3f}, alpha {alpha:.3f} ({unit}s), a {a:.3f}, b {b:.3f}"
            if bgnbd == "fitted"
            else bgnbd
        )
        spend = (
            f"p {p:.2f}, q {q:.2f}, gamma {gamma:.2f}" if gamma_gamma == "fitted" else gamma_gamma
        )
        lines.append(f"  {scope} fit (to {through:%Y-%m-%d}, {sample:,} customers): {fit}; {spend}")
        if scope == "calibration" and row[13]:
            lines.append(
                f"    backtest: {row[13]:,} customers, holdout purchases actual {row[14]:,.0f}, "
                f"predicted {row[15]:,.1f}, mean absolute error per customer {row[16]:.3f}"
            )
    lines.append("  backtest by calibration purchases (mean holdout purchases per customer):")
    lines.append(f"  {'repeat purchases':<18}{'customers':>10}{'actual':>10}{'predicted':>11}")
    for label, count, actual, predicted in con.execute(
        "select calibration_purchases_label, customer_count, actual_mean_holdout_purchases, "
        f"predicted_mean_holdout_purchases from {schema}.segmentation__value_backtest "
        "order by calibration_purchases"
    ).fetchall():
        shown = f"{predicted:>11.3f}" if predicted is not None else f"{'-':>11}"
        lines.append(f"  {label:<18}{count:>10,}{actual:>10.3f}{shown}")
    return lines


def _gates(con: duckdb.DuckDBPyConnection, schema: str, segments_schema: str | None) -> list[str]:
    """The latest build's quality-gate verdict, and which build the published segments are from."""
    checks, failed, checked_at = con.execute(
        "select count(*), count(*) filter (where not is_passed), max(checked_at) "
        f"from {schema}.segmentation__quality_gates"
    ).fetchone()
    if not failed:
        return [f"quality gates: all {checks} checks passed ({checked_at:%Y-%m-%d %H:%M:%S})"]
    lines = [f"quality gates: {failed} of {checks} checks FAILED ({checked_at:%Y-%m-%d %H:%M:%S}):"]
    lines += [
        f"  - {message}"
        for (message,) in con.execute(
            f"select message from {schema}.segmentation__quality_gates "
            "where not is_passed order by gate_check_id"
        ).fetchall()
    ]
    if segments_schema is not None:
        [(published,)] = con.execute(
            f'select max(segmented_at) from "{segments_schema}".segmentation__customer_segments_v1'
        ).fetchall()
        lines.append(f"  the published segments are still those of the build at {published}")
    return lines


def _activation(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    """The last build's changes and the user-defined audiences."""
    lines = [""]
    builds, last = con.execute(
        "select count(distinct changed_at), max(changed_at) "
        f"from {schema}.segmentation__sync_changes"
    ).fetchone()
    counts = con.execute(
        f"select change_type, count(*) from {schema}.segmentation__sync_changes "
        "where changed_at = ? group by all order by 1",
        [last],
    ).fetchall()
    lines.append(
        f"label changes: {builds} build(s) changed labels; the latest ({last:%Y-%m-%d %H:%M:%S}): "
        + ", ".join(f"{kind} {n:,}" for kind, n in counts)
    )
    lines.append("user-defined audiences (members, held out):")
    for name, members, held_out in con.execute(
        f"select audience_name, member_count, holdout_count from {schema}.segmentation__audiences "
        "where is_user_defined order by priority nulls last, audience_id"
    ).fetchall():
        lines.append(f"  {name:<52}{members:>8,}{held_out:>8,}")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=Path("segmentation.duckdb"))
    parser.add_argument("--raw-schema", default="segmentation_raw")
    args = parser.parse_args(argv)
    print(summarise(args.database, args.raw_schema))


if __name__ == "__main__":
    main()
