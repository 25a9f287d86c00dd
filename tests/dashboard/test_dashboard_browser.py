"""The dashboard in a real browser: one app start on the build, headless Chromium (Debian's
`chromium`, driven by Playwright's Python API; no browser download), every page visited
twice. The first visit opens the page's URL (as the exposures name it): it must run to the
end without an exception or error element, and its screenshot goes to target/dashboard/.
The second visit goes to each page through the app's navigation, as a user moves between
pages once the app is open: its load (click until the page has run and every chart has
drawn) must take at most MAX_LOAD_SECONDS, the caches then being warm. A full reload of
each page (a new browser session on the warm server) is measured too and reported. Key
figures on the pages must equal the marts. Load times go to
target/dashboard/page_loads.json."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pandas as pd
import pytest
from conftest import ROOT, load

figures = load("figures")

MAX_LOAD_SECONDS = 2.0
# A full reload also starts the browser's Streamlit client and a new session: reported, and
# held to a looser bound that catches a page gone slow rather than a busy machine.
MAX_RELOAD_SECONDS = 5.0
SHOTS = ROOT / "target" / "dashboard"
# url path (the exposures name the same) -> (its title in the navigation, a text it shows)
PAGES = {
    "": ("Overview", "Customer segments"),
    "personas": ("Personas", "Personas"),
    "rfm": ("RFM", "RFM"),
    "movement": ("Lifecycle and movement", "Lifecycle and movement"),
    "audiences": ("Audiences", "Audiences"),
    "campaigns": ("Campaigns", "Campaigns"),
    "data-quality": ("Data quality", "Data quality"),
    "fit": ("Fit diagnostics", "Fit diagnostics"),
    "value": ("Value", "Predicted value"),
    "customer": ("Customer lookup", "Customer lookup"),
}
FIRST: dict[str, float] = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app(build):
    port = free_port()
    env = {**os.environ, "SEGMENTATION_DUCKDB_PATH": str(build)}
    SHOTS.mkdir(parents=True, exist_ok=True)
    log = (SHOTS / "streamlit.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "streamlit_app.py"),
         "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.close()
            pytest.fail(f"streamlit did not start:\n{(SHOTS / 'streamlit.log').read_text()}")
        time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        pytest.fail("no chromium on the PATH: `make chromium` installs Debian's package")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                     .every(c => c.querySelector('canvas, svg'))"""


def ran(page, slug: str) -> None:
    """Wait until the page has run to its end (its marker, written last) and charts drew."""
    page.wait_for_selector(f"#page-ready-{slug or 'overview'}", state="attached", timeout=60_000)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    page.wait_for_function(CHARTS_DRAWN)


def visit(page, url: str, slug: str) -> float:
    """Open the page's URL; seconds until it has run and every chart has drawn."""
    started = time.perf_counter()
    page.goto(url)
    ran(page, slug)
    return time.perf_counter() - started


def navigate(page, slug: str) -> float:
    """Go to the page through the app's navigation; seconds until it has run and drawn."""
    link = page.locator('[data-testid="stSidebarNav"] a').filter(has_text=PAGES[slug][0])
    started = time.perf_counter()
    link.first.click()
    ran(page, slug)
    return time.perf_counter() - started


def assert_no_error(page, slug: str) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()
    for alert in page.locator('[data-testid="stAlert"]').all():
        text = alert.inner_text()
        assert "error" not in text.lower() and "not found" not in text.lower(), (slug, text)


def screenshot(page, slug: str) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport first."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], section')]"
        ".map(e => e.scrollHeight), 1000)"
    )
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 6000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"{slug or 'overview'}.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def metric(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label)
    )
    return card.locator('[data-testid="stMetricValue"]').first.inner_text().strip()


def tables(page) -> list[pd.DataFrame]:
    """Every st.table on the page as text frames."""
    raw = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stTable"] table')].map(t => ({
              head: [...t.querySelectorAll('thead th')].map(c => c.innerText.trim()),
              rows: [...t.querySelectorAll('tbody tr')].map(r =>
                        [...r.querySelectorAll('th, td')].map(c => c.innerText.trim()))}))"""
    )
    frames = []
    for t in raw:
        head = t["head"]
        rows = [r[-len(head) :] for r in t["rows"]] if head else t["rows"]
        frames.append(pd.DataFrame(rows, columns=head or None))
    return frames


def table_with(page, column: str) -> pd.DataFrame:
    found = [t for t in tables(page) if column in t.columns]
    assert found, f"no table with a column {column!r}"
    return found[0]


@pytest.mark.parametrize("slug", list(PAGES), ids=lambda s: s or "overview")
def test_every_page_opens_without_error(app, page, slug) -> None:
    FIRST[slug or "overview"] = visit(page, f"{app}/{slug}", slug)
    assert_no_error(page, slug)
    assert page.get_by_text(PAGES[slug][1], exact=True).first.is_visible()
    screenshot(page, slug)


def test_every_page_loads_within_2_s_after_the_first(app, page) -> None:
    loads = {}
    # Start from the last page, so that the first click goes to another one.
    visit(page, f"{app}/customer", "customer")
    for slug in PAGES:
        seconds = navigate(page, slug)
        assert_no_error(page, slug)
        loads[slug or "overview"] = {"first_s": round(FIRST.get(slug or "overview", 0), 2),
                                     "second_s": round(seconds, 2)}  # fmt: skip
    for slug in PAGES:
        loads[slug or "overview"]["reload_s"] = round(visit(page, f"{app}/{slug}", slug), 2)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "page_loads.json").write_text(json.dumps(loads, indent=2) + "\n")
    for name, times in loads.items():
        print(
            f"{name}: first {times['first_s']:.2f} s, navigated {times['second_s']:.2f} s,"
            f" full reload {times['reload_s']:.2f} s"
        )
    slow = {k: v["second_s"] for k, v in loads.items() if v["second_s"] > MAX_LOAD_SECONDS}
    assert not slow, f"pages slower than {MAX_LOAD_SECONDS} s after the first visit: {slow}"
    slow = {k: v["reload_s"] for k, v in loads.items() if v["reload_s"] > MAX_RELOAD_SECONDS}
    assert not slow, f"full reloads slower than {MAX_RELOAD_SECONDS} s: {slow}"


def test_overview_figures_equal_the_marts(app, page, marts_of) -> None:
    visit(page, f"{app}/", "")
    segments = marts_of["segmentation__customer_segments_v1"]
    profiles = marts_of["segmentation__segment_profiles"]
    rejected = marts_of["segmentation__rejected_rows"]
    assert metric(page, "Customers") == figures.fmt_int(len(segments))
    assert metric(page, "Segments") == figures.fmt_int(segments["segment_id"].nunique())
    assert metric(page, "Segments") == figures.fmt_int(len(profiles))
    assert metric(page, "Rejected rows") == figures.fmt_int(len(rejected))
    shown = table_with(page, "Customers").set_index("Segment")
    for row in profiles.itertuples():
        assert shown.loc[str(row.segment_id), "Customers"] == figures.fmt_int(row.customer_count)
        assert shown.loc[str(row.segment_id), "Name"] == row.segment_name
        counted = int((segments["segment_id"] == row.segment_id).sum())
        assert counted == row.customer_count
    assert len(shown) == len(profiles)


def test_campaign_lift_on_the_page_equals_the_mart(app, page, marts_of) -> None:
    visit(page, f"{app}/campaigns", "campaigns")
    effectiveness = marts_of["segmentation__campaign_effectiveness"]
    lifts = figures.lift_with_intervals(effectiveness)
    # The page opens on the campaign that reached the most members of one audience.
    campaign = effectiveness.sort_values("treated_customers", ascending=False).iloc[0][
        "campaign_id"
    ]
    shown = table_with(page, "Lift").set_index("Audience id")
    expected = lifts[(lifts["campaign_id"] == campaign) & (lifts["audience_kind"] != "rfm_segment")]
    assert len(shown) == len(expected) > 0
    for row in expected.itertuples():
        assert shown.loc[row.audience_id, "Lift"] == figures.fmt_pp(row.order_rate_lift)
        assert shown.loc[row.audience_id, "Treated"] == figures.fmt_int(row.treated_customers)
        assert shown.loc[row.audience_id, "Holdout"] == figures.fmt_int(row.holdout_customers)
        assert shown.loc[row.audience_id, "95% interval"] == (
            f"{figures.fmt_pp(row.lift_low)} to {figures.fmt_pp(row.lift_high)}"
        )
        print(f"{campaign} {row.audience_id}: page {shown.loc[row.audience_id, 'Lift']},"
              f" mart {row.order_rate_lift:+.6f}")  # fmt: skip


def test_rejected_rows_on_the_page_equal_the_mart(app, page, marts_of) -> None:
    visit(page, f"{app}/data-quality", "data-quality")
    rejected = marts_of["segmentation__rejected_rows"]
    assert metric(page, "Rejected rows") == figures.fmt_int(len(rejected))
    shown = table_with(page, "Reason")
    counts = rejected.groupby(["input_name", "reason_code"]).size()
    assert len(shown) == len(counts)
    for record in shown.itertuples(index=False):
        assert record.Rows == figures.fmt_int(counts[(record.Input, record.Reason)])


def test_customer_lookup_shows_current_labels(app, page, marts_of) -> None:
    segments = marts_of["segmentation__customer_segments_v1"]
    customer = segments.dropna(subset=["segment_id"]).sort_values("customer_id").iloc[0]
    visit(page, f"{app}/customer?customer_id={customer['customer_id']}", "customer")
    assert_no_error(page, "customer")
    assert metric(page, "Segment").startswith(f"{int(customer['segment_id'])} ·")
    assert metric(page, "Lifecycle stage") == customer["lifecycle_stage"]
    history = marts_of["segmentation__segment_membership_history"]
    assert len(table_with(page, "Kind")) == int(
        (history["customer_id"] == customer["customer_id"]).sum()
    )


def test_value_page_figures_equal_the_marts(app, page, marts_of) -> None:
    visit(page, f"{app}/value", "value")
    assert_no_error(page, "value")
    customer_value = marts_of["segmentation__customer_value"]
    model = marts_of["segmentation__value_model"]
    backtest = marts_of["segmentation__value_backtest"]
    audiences = marts_of["segmentation__audiences"].set_index("audience_id")
    # Customers per tier, counted from the mart itself.
    shown = table_with(page, "Tier").set_index("Tier")
    counts = customer_value["predicted_value_tier"].fillna(figures.NO_PREDICTION).value_counts()
    assert int(counts.sum()) == len(customer_value)
    for tier in figures.VALUE_TIERS:
        assert shown.loc[tier, "Customers"] == figures.fmt_int(counts.get(tier, 0)), tier
        in_tier = customer_value["predicted_value_tier"] == tier
        total = customer_value.loc[in_tier, "predicted_value"].sum()
        assert shown.loc[tier, "Predicted value"] == figures.fmt_int(total), tier
    # The full fit's parameters, status and time.
    full = model.set_index("fit_scope").loc["full"]
    assert metric(page, "BG/NBD") == full["bgnbd_status"]
    assert metric(page, "Fitted at") == figures.fmt_time(full["fitted_at"])
    parameters = table_with(page, "alpha").set_index("Fit")
    for name in ("r", "alpha", "a", "b", "p", "q", "gamma"):
        assert parameters.loc["full", name] == figures.fmt_sig(full[name]), name
    # The two value audiences: flagged customers, and the audiences mart's members.
    sizes = table_with(page, "Held out").set_index("Audience")
    for flag, audience_id, name in figures.VALUE_AUDIENCES:
        assert metric(page, name) == figures.fmt_int(customer_value[flag].sum())
        assert sizes.loc[name, "Customers"] == figures.fmt_int(customer_value[flag].sum())
        listed = audience_id in audiences.index
        members = audiences.loc[audience_id, "member_count"] if listed else 0
        assert sizes.loc[name, "Members"] == figures.fmt_int(members)
    # The backtest table, row by row.
    rows = table_with(page, "Calibration purchases").set_index("Calibration purchases")
    assert len(rows) == len(backtest)
    for row in backtest.itertuples():
        shown_row = rows.loc[row.calibration_purchases_label]
        assert shown_row["Customers"] == figures.fmt_int(row.customer_count)
        assert shown_row["Predicted mean"] == figures.fmt_num(row.predicted_mean_holdout_purchases)
        assert shown_row["Actual mean"] == figures.fmt_num(row.actual_mean_holdout_purchases)
    print(
        "value page: tiers "
        + ", ".join(f"{t} {shown.loc[t, 'Customers']}" for t in figures.VALUE_TIERS)
        + f"; full fit r {parameters.loc['full', 'r']} (mart {full['r']:.6f}),"
        f" alpha {parameters.loc['full', 'alpha']}, status {full['bgnbd_status']}"
    )
