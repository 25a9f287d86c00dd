"""The dashboard's pages: each reads whole marts (cached) and draws them with Altair."""

from __future__ import annotations

import altair as alt
import figures as fig
import marts
import pandas as pd
import streamlit as st

CACHE_SECONDS = 600
Z_DOMAIN = [-2.5, 2.5]


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def mart(name: str) -> pd.DataFrame:
    return marts.read_mart(name)


def optional_mart(name: str) -> pd.DataFrame | None:
    try:
        return mart(name)
    except marts.MartMissing:
        return None


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def lifts() -> pd.DataFrame | None:
    effectiveness = optional_mart("segmentation__campaign_effectiveness")
    return None if effectiveness is None else fig.lift_with_intervals(effectiveness)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def derived(name: str, mart_names: tuple[str, ...], *args: object) -> object:
    """figures.<name>(<the marts>, *args), computed once per mart refresh."""
    return getattr(fig, name)(*(mart(m) for m in mart_names), *args)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def audience_overlaps(audience_ids: tuple[str, ...]) -> pd.DataFrame:
    return fig.overlaps(mart("segmentation__audience_memberships"), list(audience_ids))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def latest_changes(rows: int) -> tuple[int, pd.Timestamp | None, pd.DataFrame]:
    changes = mart("segmentation__sync_changes")
    latest = changes.sort_values(
        ["changed_at", "customer_id", "label_kind"], ascending=[False, True, True]
    )
    return len(changes), changes["changed_at"].max(), latest.head(rows)


def chart(spec: alt.TopLevelMixin) -> None:
    try:
        st.altair_chart(spec, width="stretch")
    except TypeError:  # Streamlit before 1.46 (e.g. an older Streamlit in Snowflake)
        st.altair_chart(spec, use_container_width=True)


def table(frame: pd.DataFrame, key: str | None = None) -> None:
    """A plain HTML table (every figure is text in the page), without the index."""
    shown = frame.reset_index(drop=True)
    try:
        st.table(shown, hide_index=True)
    except TypeError:
        st.table(shown.style.hide(axis="index"))


def footer(slug: str) -> None:
    st.caption(f"Read from {marts.where()}. Only public marts; no PII.")
    # A marker the browser test waits for: the page has run to its end.
    st.markdown(f'<span id="page-ready-{slug}"></span>', unsafe_allow_html=True)


# --- Overview -----------------------------------------------------------------------------


def overview() -> None:
    st.title("Customer segments")
    figures = derived(
        "overview",
        ("segmentation__customer_segments_v1", "segmentation__quality_gates",
         "segmentation__rejected_rows"),
    )  # fmt: skip
    top = st.columns(3)
    top[0].metric("Customers", fig.fmt_int(figures["customers"]))
    top[1].metric("Clustered share", fig.fmt_pct(figures["clustered_share"]))
    top[2].metric("Segments", fig.fmt_int(figures["segments"]))
    bottom = st.columns(3)
    bottom[0].metric("Last build", fig.fmt_time(figures["last_build"]))
    bottom[1].metric("Quality gates", f"{figures['gates_passed']}/{figures['gates']} passed")
    bottom[2].metric("Rejected rows", fig.fmt_int(figures["rejected_rows"]))
    if figures["gates_passed"] < figures["gates"]:
        st.warning("A quality gate failed: the segments shown are the last good build's.")

    sizes = derived("segment_sizes", ("segmentation__segment_profiles",))
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Segments")
        chart(
            alt.Chart(sizes)
            .mark_bar()
            .encode(
                x=alt.X("customer_count:Q", title="Customers"),
                y=alt.Y("segment_name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
                tooltip=[
                    alt.Tooltip("segment_id:Q", title="Segment"),
                    alt.Tooltip("segment_name:N", title="Name"),
                    alt.Tooltip("customer_count:Q", title="Customers", format=","),
                    alt.Tooltip("customer_share:Q", title="Share", format=".1%"),
                ],
            )
            .properties(height=40 * len(sizes) + 20)
        )
    with right:
        st.subheader("Sizes")
        table(
            pd.DataFrame(
                {
                    "Segment": sizes["segment_id"].astype(str),
                    "Name": sizes["segment_name"],
                    "Customers": sizes["customer_count"].map(fig.fmt_int),
                    "Share": sizes["customer_share"].map(fig.fmt_pct),
                }
            )
        )
    st.caption(
        "Share: of the clustered customers. Unclustered customers (prospects without an"
        " order, or below segmentation__eligible_min_orders) keep their RFM and lifecycle labels."
    )


# --- Personas -----------------------------------------------------------------------------


def personas() -> None:
    st.title("Personas")
    profiles = mart("segmentation__segment_profiles").sort_values("segment_id")
    columns = st.columns(3)
    for index, row in enumerate(profiles.itertuples()):
        with columns[index % 3].container(border=True):
            st.markdown(f"**{row.segment_id} · {row.segment_name}**")
            st.markdown(
                f"{fig.fmt_int(row.customer_count)} customers · {fig.fmt_pct(row.customer_share)}"
            )
            traits = [t for t in (row.trait_1, row.trait_2, row.trait_3) if isinstance(t, str)]
            st.markdown(" ".join(f"`{t}`" for t in traits) or "no distinctive trait")
            st.caption(row.segment_description)

    st.subheader("Feature z-scores by segment")
    st.caption("Each segment's mean against all buying customers', in standard deviations.")
    z = derived("z_scores", ("segmentation__segment_profiles",))
    chart(
        alt.Chart(z)
        .mark_rect()
        .encode(
            x=alt.X("feature:N", title=None, sort=None),
            y=alt.Y("segment_name:N", title=None),
            color=alt.Color(
                "z:Q",
                scale=alt.Scale(scheme="redblue", domain=Z_DOMAIN, reverse=True),
                title="z",
            ),
            tooltip=["segment_name", "feature", alt.Tooltip("z:Q", format=".2f")],
        )
        .properties(height=45 * len(profiles) + 120)
    )

    st.subheader("Compare two segments")
    names = dict(zip(profiles["segment_id"], profiles["segment_name"], strict=True))
    ids = list(names)
    left, right = st.columns(2)
    first = left.selectbox("Segment A", ids, index=0, format_func=lambda i: f"{i} · {names[i]}")
    second = right.selectbox(
        "Segment B", ids, index=min(1, len(ids) - 1), format_func=lambda i: f"{i} · {names[i]}"
    )
    compared = derived("compare_segments", ("segmentation__segment_profiles",), first, second)
    long = compared.melt(
        id_vars="feature", value_vars=["z_a", "z_b"], var_name="segment", value_name="z"
    )
    long["segment"] = long["segment"].map(
        {"z_a": f"A: {names[first]}", "z_b": f"B: {names[second]}"}
    )
    chart(
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("feature:N", sort=list(compared["feature"]), title=None),
            x=alt.X("z:Q", title="z-score"),
            yOffset="segment:N",
            color=alt.Color("segment:N", title=None, legend=alt.Legend(orient="top")),
            tooltip=["feature", "segment", alt.Tooltip("z:Q", format=".2f")],
        )
        .properties(height=28 * len(compared) + 40)
    )


# --- RFM ----------------------------------------------------------------------------------


def rfm() -> None:
    st.title("RFM")
    grid = derived("rfm_grid", ("segmentation__customer_features",))
    base = alt.Chart(grid).encode(
        x=alt.X("f_score:O", title="Frequency score (5 = most orders)"),
        y=alt.Y("r_score:O", title="Recency score (5 = most recent)", sort="descending"),
        tooltip=[
            alt.Tooltip("r_score:O", title="R"),
            alt.Tooltip("f_score:O", title="F"),
            alt.Tooltip("customers:Q", title="Customers", format=","),
            alt.Tooltip("monetary_average:Q", title="Mean monetary total", format=",.0f"),
        ],
    )
    left, right = st.columns(2)
    with left:
        st.subheader("Customers")
        chart(
            (
                base.mark_rect().encode(color=alt.Color("customers:Q", title="Customers"))
                + base.mark_text(baseline="middle").encode(text=alt.Text("customers:Q", format=","))
            ).properties(height=320)
        )
    with right:
        st.subheader("Mean monetary total")
        chart(
            (
                base.mark_rect().encode(
                    color=alt.Color(
                        "monetary_average:Q", title="Money", scale=alt.Scale(scheme="greens")
                    )
                )
                + base.mark_text(baseline="middle").encode(
                    text=alt.Text("monetary_average:Q", format=",.0f")
                )
            ).properties(height=320)
        )
    st.subheader("RFM segments")
    sizes = derived("label_sizes", ("segmentation__customer_segments_v1",), "rfm_segment")
    chart(
        alt.Chart(sizes)
        .mark_bar()
        .encode(
            x=alt.X("customers:Q", title="Customers"),
            y=alt.Y("rfm_segment:N", sort="-x", title=None),
            tooltip=["rfm_segment", alt.Tooltip("customers:Q", format=",")],
        )
        .properties(height=28 * len(sizes) + 20)
    )


# --- Lifecycle and movement ---------------------------------------------------------------


KINDS = {"cluster_segment": "Cluster segment", "lifecycle_stage": "Lifecycle stage",
         "rfm_segment": "RFM segment"}  # fmt: skip


def movement() -> None:
    st.title("Lifecycle and movement")
    transitions = mart("segmentation__segment_transitions")
    kind = st.radio(
        "Label", list(KINDS), format_func=KINDS.get, horizontal=True, key="movement_kind"
    )
    st.subheader(f"{KINDS[kind]} sizes across builds")
    sizes = derived("sizes_across_builds", ("segmentation__segment_membership_history",), kind)
    builds = sizes["built_at"].nunique()
    mark = alt.Chart(sizes).mark_line(point=True) if builds > 1 else alt.Chart(sizes).mark_bar()
    chart(
        mark.encode(
            x=alt.X("built_at:T", title="Build") if builds > 1 else alt.X("customers:Q"),
            y=alt.Y("customers:Q", title="Customers")
            if builds > 1
            else alt.Y("label:N", sort="-x"),
            color=alt.Color("label:N", title=None) if builds > 1 else alt.value("#4c78a8"),
            tooltip=["label", alt.Tooltip("customers:Q", format=","), "built_at:T"],
        ).properties(height=300)
    )
    if builds <= 1:
        st.caption(
            "One build so far: sizes over time appear from the second build that changes labels."
        )

    st.subheader("Transitions between two builds")
    runs = sorted(transitions["run_at"].dropna().unique(), reverse=True)
    if not runs:
        st.info("No build has changed a label yet.")
        return
    run_at = st.selectbox("Build", runs, format_func=fig.fmt_time, key="movement_run")
    flow = derived("flows", ("segmentation__segment_transitions",), run_at, kind)
    moved = int(flow.loc[flow["transition_type"] == "moved", "customers"].sum())
    entered = int(flow.loc[flow["transition_type"] == "entered", "customers"].sum())
    exited = int(flow.loc[flow["transition_type"] == "exited", "customers"].sum())
    stayed = int(flow.loc[flow["transition_type"] == "stayed", "customers"].sum())
    columns = st.columns(4)
    columns[0].metric("Moved", fig.fmt_int(moved))
    columns[1].metric("Stayed", fig.fmt_int(stayed))
    columns[2].metric("Entered", fig.fmt_int(entered))
    columns[3].metric("Exited", fig.fmt_int(exited))
    previous = transitions.loc[transitions["run_at"] == run_at, "previous_run_at"].dropna()
    st.caption(
        f"From the build of {fig.fmt_time(previous.iloc[0])} to {fig.fmt_time(run_at)}."
        if len(previous)
        else f"The first build ({fig.fmt_time(run_at)}): every customer entered."
    )
    if flow.empty:
        st.info(f"No {KINDS[kind].lower()} changed in this build.")
        return
    nodes, ribbons = fig.sankey_layout(flow)
    depth = alt.Scale(domain=[float(nodes["y1"].max()), 0])
    band = alt.Scale(domain=[-0.3, 1.6])
    ribbon_layer = (
        alt.Chart(ribbons)
        .mark_area(opacity=0.45)
        .encode(
            x=alt.X("x:Q", axis=None, scale=band),
            y=alt.Y("upper:Q", axis=None, scale=depth),
            y2="lower:Q",
            detail="flow:N",
            color=alt.Color("from:N", legend=None),
            tooltip=["from", "to", alt.Tooltip("customers:Q", format=",")],
        )
    )
    nodes["x0"] = nodes["side"] * 1.0 - 0.02 + nodes["side"] * 0.02
    nodes["x1"] = nodes["x0"] + 0.02
    nodes["middle"] = (nodes["y0"] + nodes["y1"]) / 2
    nodes["text_x"] = nodes["side"].map({0: -0.03, 1: 1.03})
    node_layer = (
        alt.Chart(nodes)
        .mark_rect(color="#444")
        .encode(x=alt.X("x0:Q", scale=band), x2="x1:Q", y=alt.Y("y0:Q", scale=depth), y2="y1:Q")
    )
    left_labels = (
        alt.Chart(nodes[nodes["side"] == 0])
        .mark_text(align="right", fontSize=12)
        .encode(x=alt.X("text_x:Q", scale=band), y=alt.Y("middle:Q", scale=depth), text="label:N")
    )
    right_labels = (
        alt.Chart(nodes[nodes["side"] == 1])
        .mark_text(align="left", fontSize=12)
        .encode(x=alt.X("text_x:Q", scale=band), y=alt.Y("middle:Q", scale=depth), text="label:N")
    )
    chart((ribbon_layer + node_layer + left_labels + right_labels).properties(height=420))
    table(
        pd.DataFrame(
            {
                "From": flow["from"],
                "To": flow["to"],
                "Change": flow["transition_type"],
                "Customers": flow["customers"].map(fig.fmt_int),
            }
        )
    )


# --- Audiences ----------------------------------------------------------------------------


def audiences() -> None:
    st.title("Audiences")
    catalog = mart("segmentation__audiences")
    kinds = ["audience", "cluster_segment", "rfm_segment", "lifecycle_stage"]
    catalog = catalog.assign(
        kind_order=catalog["audience_kind"].map({k: i for i, k in enumerate(kinds)})
    ).sort_values(["kind_order", "priority", "audience_id"], na_position="last")
    st.subheader("Sizes, holdouts and priority")
    table(
        pd.DataFrame(
            {
                "Audience": catalog["audience_name"],
                "Kind": catalog["audience_kind"],
                "Priority": catalog["priority"].map(
                    lambda p: fig.NA if pd.isna(p) else str(int(p))
                ),
                "Members": catalog["member_count"].map(fig.fmt_int),
                "Held out": catalog["holdout_count"].map(fig.fmt_int),
                "Holdout share": catalog["holdout_share"].map(lambda s: fig.fmt_pct(s, 0)),
                "Priority members": catalog["priority_member_count"].map(fig.fmt_int),
            }
        )
    )

    st.subheader("Overlaps")
    names = dict(zip(catalog["audience_id"], catalog["audience_name"], strict=True))
    default = list(
        catalog.loc[catalog["audience_kind"].isin(["audience", "lifecycle_stage"]), "audience_id"]
    )
    chosen = st.multiselect(
        "Audiences", list(names), default=default[:8], format_func=names.get, key="overlap_ids"
    )
    if len(chosen) >= 2:
        pairs = audience_overlaps(tuple(chosen)).copy()
        pairs["a"] = pairs["audience_a"].map(names)
        pairs["b"] = pairs["audience_b"].map(names)
        order = [names[a] for a in chosen]
        base = alt.Chart(pairs).encode(
            x=alt.X("b:N", sort=order, title=None),
            y=alt.Y("a:N", sort=order, title=None),
            tooltip=[
                alt.Tooltip("a:N", title="Audience"),
                alt.Tooltip("b:N", title="Also in"),
                alt.Tooltip("customers:Q", format=","),
                alt.Tooltip("share_of_a:Q", title="Share of the first", format=".1%"),
            ],
        )
        chart(
            (
                base.mark_rect().encode(color=alt.Color("share_of_a:Q", title="Share of row"))
                + base.mark_text().encode(
                    text=alt.Text("customers:Q", format=","),
                    color=alt.condition(
                        "datum.share_of_a > 0.5", alt.value("white"), alt.value("black")
                    ),
                )
            ).properties(height=40 * len(chosen) + 60)
        )
        st.caption("Cell: customers in both; colour: their share of the row's audience.")
    else:
        st.info("Pick two audiences or more.")

    st.subheader("Sync feed preview (changes only)")
    total, last_changed_at, preview = latest_changes(20)
    st.caption(
        f"{fig.fmt_int(total)} changes in all; the latest build's"
        f" ({fig.fmt_time(last_changed_at)}), first 20 by customer."
    )
    table(
        pd.DataFrame(
            {
                "Customer": preview["customer_id"],
                "Label": preview["label_kind"],
                "Change": preview["change_type"],
                "From": preview["old_label_name"].fillna(fig.NA),
                "To": preview["new_label_name"].fillna(fig.NA),
                "Changed at": preview["changed_at"].map(fig.fmt_time),
            }
        )
    )


# --- Campaigns ----------------------------------------------------------------------------


def campaign_label(frame: pd.DataFrame, campaign_id: str) -> str:
    started = frame.loc[frame["campaign_id"] == campaign_id, "campaign_started_at"].min()
    return f"{campaign_id} (from {fig.fmt_time(started)[:10]})"


def campaigns() -> None:
    st.title("Campaigns")
    frame = lifts()
    if frame is None or frame.empty:
        st.info("No campaign data: marketing_touches is off, or no campaign reached an audience.")
        return
    st.caption(
        "Order rate: the share of a group with an accepted order between the campaign's first"
        " send and segmentation__campaign_outcome_days after its last. Treated: members sent"
        " the campaign; holdout: the audience's held-out members not sent it. Interval: 95%"
        " two-proportion interval for the difference (Newcomb, statsmodels)."
    )
    # Default: the campaign that reached the most members of one audience.
    order = frame.sort_values("treated_customers", ascending=False)["campaign_id"].drop_duplicates()
    ids = sorted(frame["campaign_id"].unique())
    left, right = st.columns([2, 3])
    campaign_id = left.selectbox(
        "Campaign", ids, index=ids.index(order.iloc[0]), key="campaign_id",
        format_func=lambda c: campaign_label(frame, c),
    )  # fmt: skip
    kinds = sorted(frame["audience_kind"].unique())
    chosen_kinds = right.multiselect(
        "Audience kinds", kinds, default=[k for k in kinds if k != "rfm_segment"],
        key="campaign_kinds",
    )  # fmt: skip
    rows = frame[(frame["campaign_id"] == campaign_id) & frame["audience_kind"].isin(chosen_kinds)]
    rows = rows.sort_values("treated_customers", ascending=False)
    if rows.empty:
        st.info("No audience of these kinds was reached by this campaign.")
        return
    rows = rows.assign(label=rows["audience_name"] + " (" + rows["audience_id"] + ")")
    points = alt.Chart(rows).encode(
        y=alt.Y("label:N", sort=list(rows["label"]), title=None),
        tooltip=[
            alt.Tooltip("audience_name:N", title="Audience"),
            alt.Tooltip("order_rate_lift:Q", title="Lift", format="+.1%"),
            alt.Tooltip("lift_low:Q", title="95% low", format="+.1%"),
            alt.Tooltip("lift_high:Q", title="95% high", format="+.1%"),
            alt.Tooltip("treated_customers:Q", title="Treated", format=","),
            alt.Tooltip("holdout_customers:Q", title="Holdout", format=","),
        ],
    )
    chart(
        (
            points.mark_rule(strokeWidth=2).encode(
                x=alt.X(
                    "lift_low:Q",
                    title="Order-rate lift, treated - holdout",
                    axis=alt.Axis(format="+%"),
                ),
                x2="lift_high:Q",
            )
            + points.mark_point(filled=True, size=80).encode(
                x="order_rate_lift:Q",
                color=alt.Color(
                    "is_significant:N",
                    title="95% interval excludes 0",
                    scale=alt.Scale(domain=[True, False], range=["#d62728", "#7f7f7f"]),
                ),
            )
            + alt.Chart(pd.DataFrame({"zero": [0.0]}))
            .mark_rule(strokeDash=[4, 4])
            .encode(x="zero:Q")
        ).properties(height=32 * len(rows) + 40)
    )
    table(
        pd.DataFrame(
            {
                "Audience": rows["audience_name"],
                "Audience id": rows["audience_id"],
                "Treated": rows["treated_customers"].map(fig.fmt_int),
                "Treated order rate": rows["treated_order_rate"].map(fig.fmt_pct),
                "Holdout": rows["holdout_customers"].map(fig.fmt_int),
                "Holdout order rate": rows["holdout_order_rate"].map(fig.fmt_pct),
                "Lift": rows["order_rate_lift"].map(fig.fmt_pp),
                "95% interval": [
                    f"{fig.fmt_pp(a)} to {fig.fmt_pp(b)}" if pd.notna(a) else fig.NA
                    for a, b in zip(rows["lift_low"], rows["lift_high"], strict=True)
                ],
                "Open rate": rows["open_rate"].map(fig.fmt_pct),
                "Click rate": rows["click_rate"].map(fig.fmt_pct),
            }
        )
    )


# --- Data quality -------------------------------------------------------------------------


def data_quality() -> None:
    st.title("Data quality")
    rejected = mart("segmentation__rejected_rows")
    st.metric("Rejected rows", fig.fmt_int(len(rejected)))
    by_reason = derived("rejected_by_reason", ("segmentation__rejected_rows",))
    st.subheader("Rejected rows by input and reason")
    if by_reason.empty:
        st.info("No input row was rejected.")
    else:
        chart(
            alt.Chart(by_reason)
            .mark_bar()
            .encode(
                x=alt.X("sum(rows):Q", title="Rows"),
                y=alt.Y("input_name:N", title=None, sort="-x"),
                color=alt.Color("reason_code:N", title="Reason"),
                tooltip=["input_name", "reason_code", alt.Tooltip("rows:Q", format=",")],
            )
            .properties(height=240)
        )
    st.subheader("Reconciliation per input")
    recon = derived(
        "reconciliation", ("segmentation__rejected_rows", "segmentation__customer_features")
    )
    table(
        pd.DataFrame(
            {
                "Input": recon["input"],
                "Rejected": recon["rejected_rows"].map(fig.fmt_int),
                "Accepted": recon["accepted_rows"].map(
                    lambda v: fig.NA if v is None or pd.isna(v) else fig.fmt_int(v)
                ),
                "Accepted counted as": recon["accepted_as"],
            }
        )
    )
    st.caption(
        "Every build's row_reconciliation test proves input rows = accepted + rejected per"
        " input; the public marts carry the accepted customers and orders."
    )
    st.subheader("By reason")
    table(
        pd.DataFrame(
            {
                "Input": by_reason["input_name"],
                "Reason": by_reason["reason_code"],
                "Rows": by_reason["rows"].map(fig.fmt_int),
            }
        )
    )


# --- Fit diagnostics ----------------------------------------------------------------------


def fit() -> None:
    st.title("Fit diagnostics")
    runs = mart("segmentation__clustering_runs").sort_values("fitted_at")
    gates = mart("segmentation__quality_gates")
    if runs.empty:
        st.info("No published fit yet.")
        return
    latest = runs.iloc[-1]
    columns = st.columns(4)
    columns[0].metric("k", fig.fmt_int(latest["k"]))
    columns[1].metric("Silhouette", f"{latest['silhouette']:.3f}")
    columns[2].metric("Fit sample", fig.fmt_int(latest["sample_size"]))
    columns[3].metric("Runs", fig.fmt_int(len(runs)))
    scores = derived("k_scores", ("segmentation__clustering_runs",))
    st.subheader(f"Model selection: {latest['k_selection']} by k (latest run)")
    base = alt.Chart(scores).encode(
        x=alt.X("k:O", title="k"),
        y=alt.Y("score:Q", title=str(latest["k_selection"])),
        tooltip=["k", alt.Tooltip("score:Q", format=".3f"), "is_chosen"],
    )
    chart(
        (
            base.mark_line(point=True)
            + base.transform_filter("datum.is_chosen").mark_point(
                size=220, color="red", filled=True
            )
        ).properties(height=280)
    )
    st.caption("Only k whose fit meets the quality gates can be chosen (docs/decisions/0014).")
    st.subheader("Runs over time")
    if len(runs) > 1:
        chart(
            alt.Chart(runs)
            .mark_line(point=True)
            .encode(
                x=alt.X("fitted_at:T", title="Fitted at"),
                y=alt.Y("silhouette:Q", title="Silhouette"),
                tooltip=["fitted_at:T", "k", alt.Tooltip("silhouette:Q", format=".3f")],
            )
            .properties(height=240)
        )
    table(
        pd.DataFrame(
            {
                "Fitted at": runs["fitted_at"].map(fig.fmt_time),
                "Fit": runs["fit_id"],
                "k": runs["k"].map(fig.fmt_int),
                "Silhouette": runs["silhouette"].map(lambda v: f"{v:.3f}"),
                "Sample": runs["sample_size"].map(fig.fmt_int),
                "Assigned": runs["assigned_customers"].map(fig.fmt_int),
            }
        ).iloc[::-1]
    )
    st.subheader("Quality gates of the latest fit")
    table(
        pd.DataFrame(
            {
                "Gate": gates["gate_name"],
                "Segment": gates["segment_id"].map(lambda v: fig.NA if pd.isna(v) else str(int(v))),
                "Observed": gates["observed_value"].map(
                    lambda v: f"{v:,.3f}".rstrip("0").rstrip(".")
                ),
                "Bound": gates["bound_value"].map(lambda v: f"{v:,.3f}".rstrip("0").rstrip(".")),
                "Passed": gates["is_passed"].map({True: "yes", False: "NO"}),
            }
        )
    )


# --- Predicted value ----------------------------------------------------------------------


VALUE_MARTS = (
    "segmentation__customer_value", "segmentation__value_model", "segmentation__value_backtest",
)  # fmt: skip
TIER_COLOURS = alt.Scale(
    domain=[*fig.VALUE_TIERS, fig.NO_PREDICTION], range=["#1a9850", "#fdae61", "#d73027", "#bbbbbb"]
)


def status_text(status: object) -> str:
    return fig.NA if status is None or pd.isna(status) else str(status)


def value() -> None:
    st.title("Predicted value")
    missing = [m for m in VALUE_MARTS if optional_mart(m) is None]
    if missing:
        st.info(f"No predicted value in this build: {', '.join(missing)} not built yet.")
        return
    fits = derived("value_fits", ("segmentation__value_model",))
    full = fits[fits["fit_scope"] == "full"]
    full = full.iloc[0] if len(full) else None
    st.caption(
        "BG/NBD (how often customers buy and when they stop) and Gamma-Gamma (spend per"
        " purchase), fitted in the warehouse (docs/decisions/0022); one row per customer with"
        " an order in segmentation__customer_value."
    )
    top = st.columns([2, 2, 3, 2])
    if full is not None:
        top[0].metric("BG/NBD", status_text(full["bgnbd_status"]))
        top[1].metric("Gamma-Gamma", status_text(full["gamma_gamma_status"]))
        top[2].metric("Fitted at", fig.fmt_time(full["fitted_at"]))
        top[3].metric("As of", fig.fmt_time(full["as_of_date"])[:10])
        if full["bgnbd_status"] != "fitted" or full["gamma_gamma_status"] != "fitted":
            st.warning(
                "The value model could not be fitted on this build: predictions are null"
                f" (BG/NBD: {status_text(full['bgnbd_status'])}; Gamma-Gamma:"
                f" {status_text(full['gamma_gamma_status'])})."
            )
    else:
        st.warning("The value model has no full fit in segmentation__value_model.")

    tiers = derived("value_tiers", ("segmentation__customer_value",))
    st.subheader("Value tiers")
    left, right = st.columns([2, 3])
    with left:
        chart(
            alt.Chart(tiers)
            .mark_bar()
            .encode(
                x=alt.X("customers:Q", title="Customers"),
                y=alt.Y("tier:N", sort=list(tiers["tier"]), title=None),
                color=alt.Color("tier:N", scale=TIER_COLOURS, legend=None),
                tooltip=[
                    alt.Tooltip("tier:N", title="Tier"),
                    alt.Tooltip("customers:Q", title="Customers", format=","),
                    alt.Tooltip("customer_share:Q", title="Share", format=".1%"),
                    alt.Tooltip("predicted_value:Q", title="Predicted value", format=",.0f"),
                    alt.Tooltip("mean_predicted_value:Q", title="Mean", format=",.2f"),
                ],
            )
            .properties(height=45 * len(tiers) + 20)
        )
    with right:
        table(
            pd.DataFrame(
                {
                    "Tier": tiers["tier"],
                    "Customers": tiers["customers"].map(fig.fmt_int),
                    "Share": tiers["customer_share"].map(fig.fmt_pct),
                    "Predicted value": tiers["predicted_value"].map(fig.fmt_int),
                    "Mean per customer": tiers["mean_predicted_value"].map(fig.fmt_num),
                    "Mean P(alive)": tiers["mean_probability_alive"].map(fig.fmt_pct),
                }
            )
        )
    st.caption(
        "Predicted value: expected spend over the next segmentation__value_months (default 12"
        " months), discounted, in the orders' currency. Tiers rank the customers with a"
        " prediction; customers without one are counted apart."
    )

    left, right = st.columns(2)
    with left:
        st.subheader("Probability alive")
        bins = derived("probability_alive_bins", ("segmentation__customer_value",))
        if bins["customers"].sum() == 0:
            st.info("No customer has a probability alive: the BG/NBD fit failed (status above).")
        else:
            chart(
                alt.Chart(bins)
                .mark_bar()
                .encode(
                    x=alt.X("bin_start:Q", bin="binned", title="Probability alive",
                            axis=alt.Axis(format="%")),
                    x2="bin_end:Q",
                    y=alt.Y("customers:Q", title="Customers"),
                    tooltip=[
                        alt.Tooltip("bin_start:Q", title="From", format=".0%"),
                        alt.Tooltip("bin_end:Q", title="To", format=".0%"),
                        alt.Tooltip("customers:Q", title="Customers", format=","),
                    ],
                )
                .properties(height=260)
            )  # fmt: skip
            st.caption(
                "One-time buyers have probability alive 1, as BG/NBD defines it. Hover a bar"
                " for its customers."
            )
    with right:
        st.subheader("Value audiences")
        sizes = derived(
            "value_audience_sizes", ("segmentation__customer_value", "segmentation__audiences")
        )
        cards = st.columns(len(sizes))
        for card, row in zip(cards, sizes.itertuples(), strict=True):
            card.metric(row.audience_name, fig.fmt_int(row.flagged_customers))
        table(
            pd.DataFrame(
                {
                    "Audience": sizes["audience_name"],
                    "Customers": sizes["flagged_customers"].map(fig.fmt_int),
                    "Members": sizes["member_count"].map(fig.fmt_int),
                    "Held out": sizes["holdout_count"].map(fig.fmt_int),
                }
            )
        )
        st.caption(
            "Customers: flagged in segmentation__customer_value; members and held out: the"
            " audiences predicted_value:high_value_at_risk and predicted_value:likely_to_buy_soon"
            " in segmentation__audiences (0 until a customer has been in one)."
        )

    st.subheader("Model parameters")
    table(
        pd.DataFrame(
            {
                "Fit": fits["fit_scope"],
                "BG/NBD": fits["bgnbd_status"].map(status_text),
                "r": fits["r"].map(fig.fmt_sig),
                "alpha": fits["alpha"].map(fig.fmt_sig),
                "a": fits["a"].map(fig.fmt_sig),
                "b": fits["b"].map(fig.fmt_sig),
                "Gamma-Gamma": fits["gamma_gamma_status"].map(status_text),
                "p": fits["p"].map(fig.fmt_sig),
                "q": fits["q"].map(fig.fmt_sig),
                "gamma": fits["gamma"].map(fig.fmt_sig),
                "Sample": fits["sample_size"].map(fig.fmt_int),
                "Period (days)": fits["period_days"].map(fig.fmt_int),
                "Fitted through": fits["fitted_through_date"].map(lambda d: fig.fmt_time(d)[:10]),
                "Fitted at": fits["fitted_at"].map(fig.fmt_time),
            }
        )
    )
    st.caption(
        "full: fitted on the whole history, gives the predictions; calibration: fitted on the"
        " history before the holdout period, gives the backtest. alpha is in periods."
    )

    st.subheader("Backtest: holdout purchases, actual vs predicted")
    calibration = fits[fits["fit_scope"] == "calibration"]
    if len(calibration):
        fit = calibration.iloc[0]
        columns = st.columns(4)
        columns[0].metric("Backtest customers", fig.fmt_int(fit["holdout_customers"]))
        columns[1].metric("Actual purchases", fig.fmt_int(fit["actual_holdout_purchases"]))
        columns[2].metric("Predicted purchases", fig.fmt_int(fit["predicted_holdout_purchases"]))
        columns[3].metric("Mean absolute error", fig.fmt_num(fit["mean_absolute_error"], 3))
        st.caption(
            f"Calibration up to {fig.fmt_time(fit['calibration_end_date'])[:10]}; holdout"
            f" to {fig.fmt_time(fit['as_of_date'])[:10]}. Purchases are purchase days."
        )
    backtest = mart("segmentation__value_backtest").sort_values("calibration_purchases")
    long = derived("backtest_long", ("segmentation__value_backtest",))
    if long.empty:
        st.info("No backtest: the calibration period has no customer.")
    else:
        order = list(backtest["calibration_purchases_label"])
        base = alt.Chart(long).encode(
            x=alt.X("calibration_purchases_label:O", sort=order, axis=alt.Axis(labelAngle=0),
                    title="Repeat purchases in the calibration period"),
            y=alt.Y("mean_holdout_purchases:Q", title="Mean purchases in the holdout period"),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=["actual", "predicted"],
                                            range=["#4c78a8", "#e45756"])),
            strokeDash=alt.StrokeDash("series:N", legend=None,
                                      scale=alt.Scale(domain=["actual", "predicted"],
                                                      range=[[1, 0], [5, 3]])),
            tooltip=[
                alt.Tooltip("calibration_purchases_label:O", title="Calibration purchases"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("mean_holdout_purchases:Q", title="Mean", format=".2f"),
                alt.Tooltip("customer_count:Q", title="Customers", format=","),
            ],
        )  # fmt: skip
        chart((base.mark_line() + base.mark_point(filled=True)).properties(height=300))
    table(
        pd.DataFrame(
            {
                "Calibration purchases": backtest["calibration_purchases_label"],
                "Customers": backtest["customer_count"].map(fig.fmt_int),
                "Actual mean": backtest["actual_mean_holdout_purchases"].map(fig.fmt_num),
                "Predicted mean": backtest["predicted_mean_holdout_purchases"].map(fig.fmt_num),
                "Actual": backtest["actual_holdout_purchases"].map(fig.fmt_int),
                "Predicted": backtest["predicted_holdout_purchases"].map(fig.fmt_num),
            }
        )
    )


# --- Customer lookup ----------------------------------------------------------------------


def customer() -> None:
    st.title("Customer lookup")
    segments = mart("segmentation__customer_segments_v1")
    state = mart("segmentation__sync_current_state")
    memberships = mart("segmentation__audience_memberships")
    history = mart("segmentation__segment_membership_history")
    default = st.query_params.get("customer_id", "")
    customer_id = st.text_input("Customer id", value=default, placeholder="e.g. C0000001").strip()
    if not customer_id:
        st.info("Enter a customer id to see the customer's current labels and their history.")
        return
    row = segments[segments["customer_id"] == customer_id]
    if row.empty:
        st.warning(f"No customer {customer_id} in segmentation__customer_segments.")
        return
    row = row.iloc[0]
    columns = st.columns(4)
    segment = (
        fig.NA
        if pd.isna(row["segment_id"])
        else f"{int(row['segment_id'])} · {row['segment_name']}"
    )
    columns[0].metric("Segment", segment)
    columns[1].metric("RFM segment", row["rfm_segment"] or fig.NA)
    columns[2].metric("Lifecycle stage", row["lifecycle_stage"] or fig.NA)
    columns[3].metric("Value tier", row["value_tier"] or fig.NA)
    if not row["is_eligible"]:
        st.caption(f"Not clustered: {row['ineligibility_reason']}.")
    current = state[state["customer_id"] == customer_id]
    if len(current):
        st.caption(
            f"Priority audience: {current.iloc[0]['priority_audience_id'] or fig.NA};"
            f" user audiences: {current.iloc[0]['user_audiences'] or fig.NA}."
        )
    st.subheader("Audiences now")
    mine = memberships[memberships["customer_id"] == customer_id].sort_values("audience_id")
    table(
        pd.DataFrame(
            {
                "Audience": mine["audience_id"],
                "Held out": mine["is_holdout"].map({True: "yes", False: "no"}),
                "Priority audience": mine["is_priority_audience"].map({True: "yes", False: "no"}),
                "Since": mine["entered_at"].map(fig.fmt_time),
            }
        )
    )
    st.subheader("Label history")
    past = fig.customer_history(history, customer_id)
    table(
        pd.DataFrame(
            {
                "Kind": past["label_kind"],
                "Label": past["label_name"].fillna(past["label"]),
                "From": past["valid_from"].map(fig.fmt_time),
                "To": past["valid_to"].map(fig.fmt_time),
                "Current": past["is_current"].map({True: "yes", False: "no"}),
            }
        )
    )
