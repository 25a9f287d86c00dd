"""Simulate scenario shops from latent persona behaviour, to test k selection and clustering.

    python -m segmentation_scenarios.generate --scenario all --customers 4000 --out DIR

This is a second generator family, deliberately independent of
`segmentation_demo.generate`: the demo plants personas and bad rows that the
package was developed against, so recovering them proves little about data
nobody tuned for. Here each persona is a set of latent distributions
(`scenarios.Persona`); every customer draws their own parameters from them
(noise customers draw each parameter from a randomly chosen persona), and the
raw rows are simulated from those parameters: orders from gamma-distributed
gaps over an active span, order lines from a Dirichlet category mix and a
price level, sessions and events from browse, cart-abandonment and device
propensities, marketing touches from open and click propensities.

Each scenario folder holds the input CSVs (all text, empty = null, no bad
rows), `ground_truth.csv` (customer_id -> persona) and `manifest.json`
(true k, shares, inputs, and the dbt vars mapping the shop's vocabulary). The
same arguments give byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import fields
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from segmentation_demo.load import COLUMNS, load
from segmentation_scenarios.scenarios import BASE, EVENT_ROLES, SCENARIOS, Persona, Scenario

# Every timestamp stays at or before END: staging rejects timestamps in the future.
END = int(np.datetime64("2026-10-31T23:59:59", "s").astype(np.int64))
DAY = 86_400
PRODUCTS_PER_CATEGORY = 200
MAX_ORDERS = 150  # hard cap per customer: bounds the (customers x orders) matrix
MAX_EXTRA_SESSIONS = 300  # cap of browse + abandoned sessions per customer


DEFAULT_VARS = {
    "segmentation__event_types": list(EVENT_ROLES),
    "segmentation__cart_event_types": ["add_to_cart"],
    "segmentation__purchase_event_types": ["purchase"],
    "segmentation__mobile_device_types": ["mobile", "tablet"],
    "segmentation__app_platforms": ["ios_app", "android_app"],
}

# Session templates as indexes into EVENT_ROLES; app sessions start with app_open instead.
R = {role: i for i, role in enumerate(EVENT_ROLES)}
TEMPLATES = [
    [R["page_view"], R["product_view"], R["add_to_cart"], R["checkout_start"], R["purchase"]],
    [R["page_view"], R["product_view"], R["add_to_cart"]],
    [R["page_view"], R["product_view"], R["add_to_cart"], R["remove_from_cart"]],
    [R["page_view"], R["search"], R["product_view"]],
    [R["page_view"], R["product_view"]],
    [R["login"], R["page_view"], R["product_view"], R["product_view"]],
]
PURCHASE, ABANDON, ABANDON_REMOVE, BROWSE_SEARCH, BROWSE, BROWSE_LOGIN = range(6)

GEOGRAPHY = [
    ("US", "CA", "Los Angeles"), ("US", "NY", "New York"), ("US", "TX", "Austin"),
    ("GB", "ENG", "London"), ("GB", "SCT", "Glasgow"), ("DE", "BE", "Berlin"),
    ("DE", "BY", "Munich"), ("FR", "IDF", "Paris"), ("NL", "NH", "Amsterdam"),
    ("JP", "13", "Tokyo"),
]  # fmt: skip
EDUCATION = ["secondary", "vocational", "bachelor", "master", "doctorate"]
OCCUPATION = ["employee", "manager", "self_employed", "student", "retired", "homemaker"]
ACQUISITION = ["organic", "paid_search", "social", "referral", "email", "affiliate"]


# ---------------------------------------------------------------- parameters


def _beta(rng: np.random.Generator, mean: np.ndarray, kappa: np.ndarray) -> np.ndarray:
    mean = np.clip(mean, 0.005, 0.995)
    return rng.beta(mean * kappa, (1 - mean) * kappa)


def _lognormal(rng: np.random.Generator, median: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(len(median)))


def draw_parameters(
    scenario: Scenario, group: np.ndarray, noise: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Each customer's own latent parameters, drawn around their persona's distributions.

    `group` indexes the scenario's personas (prospects use BASE, appended last).
    A noise customer takes every parameter from an independently chosen persona,
    so its combination of traits belongs to no persona.
    """
    personas = [*scenario.personas.values(), BASE]
    n_personas = len(scenario.personas)
    n_categories = len(scenario.categories)
    params: dict[str, np.ndarray] = {}
    for spec in fields(Persona):
        if spec.name == "share":
            continue
        source = np.where(noise, rng.integers(0, n_personas, len(group)), group)
        values = [getattr(p, spec.name) for p in personas]
        if spec.name == "category_weights":
            table = np.array(
                [np.full(n_categories, 1.0) if v is None else np.asarray(v) for v in values]
            )
            table = table / table.sum(axis=1, keepdims=True)
            focus = np.array([p.category_focus for p in personas])[source]
            alpha = table[source] * (focus * n_categories)[:, None]
            mix = rng.gamma(np.maximum(alpha, 0.05))
            params["category_probs"] = mix / mix.sum(axis=1, keepdims=True)
            continue
        if spec.name == "category_focus":
            continue
        if spec.name == "channel_weights":
            table = np.array(values, dtype=float)
            if table.shape[1] != len(scenario.order_channels):
                raise ValueError(f"channel_weights must match {scenario.order_channels}")
            mix = rng.gamma(table[source] / table[source].sum(axis=1, keepdims=True) * 8 + 0.05)
            params["channel_probs"] = mix / mix.sum(axis=1, keepdims=True)
            continue
        table = np.array(values, dtype=float)
        chosen = table[source]
        name = spec.name
        if name in ("first_ago", "stop_ago"):
            params[name] = rng.uniform(chosen[:, 0], chosen[:, 1])
        elif name in ("gap", "browse", "income"):
            params[name] = _lognormal(rng, chosen[:, 0], chosen[:, 1])
        elif name in ("gap_cv", "price_z", "hour", "age"):
            params[name] = chosen[:, 0] + chosen[:, 1] * rng.standard_normal(len(group))
        elif name in (
            "discount",
            "depth",
            "returns",
            "weekend",
            "abandon",
            "mobile",
            "opens",
            "clicks",
        ):
            params[name] = _beta(rng, chosen[:, 0], chosen[:, 1])
        elif name in ("one_time", "max_orders"):
            params[name] = chosen
        elif name == "lines":
            params[name] = chosen * np.exp(0.25 * rng.standard_normal(len(group)))
        elif name == "app":
            params[name] = rng.random(len(group)) < chosen
        elif name == "touches":
            params[name] = chosen * np.exp(0.3 * rng.standard_normal(len(group)))
        else:  # pragma: no cover - a new Persona field needs a sampler here
            raise ValueError(f"no sampler for persona field {name}")
    params["gap_cv"] = np.clip(params["gap_cv"], 0.05, 2.5)
    params["gap"] = np.maximum(params["gap"], 2.0)
    params["age"] = np.clip(params["age"], 18, 85)
    # The span must be real: the first order comes at least two weeks before the stop.
    params["first_ago"] = np.clip(params["first_ago"], 0.0, scenario.history_days - 1)
    params["stop_ago"] = np.clip(params["stop_ago"], 0.0, np.maximum(params["first_ago"] - 14, 0))
    params["first_ago"] = np.maximum(params["first_ago"], params["stop_ago"] + 14)
    return params


# ---------------------------------------------------------------- simulation


def _pick(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of `probs` (rows sum to 1)."""
    u = rng.random(len(probs))
    return np.minimum((u[:, None] > np.cumsum(probs, axis=1)).sum(axis=1), probs.shape[1] - 1)


def simulate_orders(
    p: dict[str, np.ndarray], buyers: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(customer index, timestamp) of every order, sorted by time then customer."""
    n = len(buyers)
    first = END - p["first_ago"] * DAY
    stop = END - p["stop_ago"] * DAY
    shape = 1.0 / p["gap_cv"] ** 2
    gaps = rng.gamma(shape[:, None], (p["gap"] / shape)[:, None], (n, MAX_ORDERS - 1)) * DAY
    times = first[:, None] + np.concatenate([np.zeros((n, 1)), np.cumsum(gaps, axis=1)], axis=1)
    index = np.arange(MAX_ORDERS)[None, :]
    valid = (times <= stop[:, None]) & (index < p["max_orders"][:, None])
    one_time = p["one_time"].astype(bool)
    valid[one_time] = index[0] == 0
    # Repeat buyers buy at least twice: a too-short span gets its second order inside it.
    short = ~one_time & (valid.sum(axis=1) < 2)
    times[short, 1] = first[short] + rng.uniform(0.3, 1.0, short.sum()) * (
        stop[short] - first[short]
    )
    valid[short, 1] = True
    valid[~buyers] = False
    customer, _ = np.nonzero(valid)
    moment = times[valid]
    # Weekend habit: move the order back to the nearest weekend day or weekday.
    day = np.floor(moment / DAY).astype(np.int64)
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    want_weekend = rng.random(len(day)) < p["weekend"][customer]
    day = np.where(want_weekend & (weekday < 5), day - weekday - 1, day)
    day = np.where(~want_weekend & (weekday == 5), day - 1, day)
    day = np.where(~want_weekend & (weekday == 6), day - 2, day)
    hour = np.mod(p["hour"][customer] + 2.5 * rng.standard_normal(len(day)), 24)
    stamp = day * DAY + (hour * 3600).astype(np.int64)
    stamp = np.minimum(stamp, END)
    order = np.lexsort((customer, stamp))
    return customer[order], stamp[order]


def simulate_lines(
    scenario: Scenario,
    p: dict[str, np.ndarray],
    order_customer: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Order lines: category from the customer's mix, product from their price level."""
    n_lines = 1 + rng.poisson(np.maximum(p["lines"][order_customer] - 1, 0))
    line_order = np.repeat(np.arange(len(order_customer)), n_lines)
    customer = order_customer[line_order]
    category = _pick(rng, p["category_probs"][customer])
    z = p["price_z"][customer] + 0.5 * rng.standard_normal(len(customer))
    product = np.clip(
        np.round((z + 3) / 6 * (PRODUCTS_PER_CATEGORY - 1)), 0, PRODUCTS_PER_CATEGORY - 1
    ).astype(np.int64)
    # Products are priced from cheap to premium around the category's base price.
    base = np.array([price for _, price in scenario.categories])
    ladder = np.exp(0.45 * (np.arange(PRODUCTS_PER_CATEGORY) / (PRODUCTS_PER_CATEGORY - 1) * 6 - 3))
    minor = scenario.money_scale * 10**scenario.money_decimals
    prices = np.maximum(np.round(base[:, None] * ladder[None, :] * minor), 1).astype(np.int64)
    quantity = 1 + rng.poisson(0.35, len(customer))
    return {
        "order": line_order,
        "category": category,
        "product": product,
        "quantity": quantity,
        "unit_price": prices[category, product],
    }


def simulate_sessions(
    p: dict[str, np.ndarray],
    order_customer: np.ndarray,
    order_stamp: np.ndarray,
    group_is_prospect: np.ndarray,
    signup: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Sessions: one per order plus abandoned-cart and browse-only sessions."""
    n = len(signup)
    orders = np.bincount(order_customer, minlength=n)
    abandon = np.minimum(p["abandon"], 0.9)
    extra_cart = rng.poisson(np.where(group_is_prospect, 0.5, orders * abandon / (1 - abandon)))
    extra_browse = rng.poisson(np.where(group_is_prospect, 2.0, orders * p["browse"]))
    extra_cart = np.minimum(extra_cart, MAX_EXTRA_SESSIONS // 3)
    extra_browse = np.minimum(extra_browse, MAX_EXTRA_SESSIONS - extra_cart)
    # Browsing happens around the buying span (prospects: from signup on).
    first_order = np.full(n, END, dtype=np.int64)
    last_order = np.full(n, 0, dtype=np.int64)
    np.minimum.at(first_order, order_customer, order_stamp)
    np.maximum.at(last_order, order_customer, order_stamp)
    low = np.where(orders > 0, first_order - 30 * DAY, signup)
    high = np.where(orders > 0, np.minimum(last_order + 20 * DAY, END), END)
    high = np.maximum(high, low + 1)
    extra = extra_cart + extra_browse
    extra_customer = np.repeat(np.arange(n), extra)
    extra_start = rng.uniform(low[extra_customer], high[extra_customer]).astype(np.int64)
    rank = np.arange(len(extra_customer)) - np.repeat(np.cumsum(extra) - extra, extra)
    is_cart = rank < extra_cart[extra_customer]
    u = rng.random(len(extra_customer))
    extra_kind = np.where(
        is_cart,
        np.where(u < 0.3, ABANDON_REMOVE, ABANDON),
        np.where(u < 0.3, BROWSE_SEARCH, np.where(u < 0.45, BROWSE_LOGIN, BROWSE)),
    )
    customer = np.concatenate([order_customer, extra_customer])
    start = np.concatenate([order_stamp - 900, extra_start])
    kind = np.concatenate([np.full(len(order_customer), PURCHASE), extra_kind])
    order = np.lexsort((kind, start, customer))
    customer, start, kind = customer[order], start[order], kind[order]
    mobile = rng.random(len(customer)) < p["mobile"][customer]
    app = mobile & p["app"][customer] & (rng.random(len(customer)) < 0.75)
    return {"customer": customer, "start": start, "kind": kind, "mobile": mobile, "app": app}


def simulate_touches(
    scenario: Scenario, p: dict[str, np.ndarray], signup: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Weekly campaigns; each customer receives some after signing up and opens/clicks some."""
    history_start = END - scenario.history_days * DAY
    weeks = scenario.history_days // 7 - 1  # the last campaign leaves a week to respond
    first_week = np.clip((signup - history_start) // (7 * DAY) + 1, 0, weeks - 1)
    eligible = weeks - first_week
    count = np.minimum(rng.poisson(p["touches"] * eligible / 52.0), eligible)
    customer = np.repeat(np.arange(len(signup)), count)
    week = first_week[customer] + (rng.random(len(customer)) * eligible[customer]).astype(np.int64)
    # One message per customer and campaign: drop repeated draws of the same week.
    key = np.unique(customer * 10_000 + week)
    customer, week = key // 10_000, key % 10_000
    m = len(customer)
    sent = history_start + week * 7 * DAY + 10 * 3600 + rng.integers(0, 3600, m)
    opened = rng.random(m) < p["opens"][customer]
    clicked = opened & (rng.random(m) < p["clicks"][customer])
    converted = clicked & (rng.random(m) < 0.15)
    opened_at = np.minimum(sent + rng.exponential(5 * 3600, m).astype(np.int64) + 60, END)
    clicked_at = np.minimum(opened_at + rng.exponential(600, m).astype(np.int64) + 5, END)
    converted_at = np.minimum(clicked_at + rng.exponential(7200, m).astype(np.int64) + 60, END)
    return {
        "customer": customer,
        "week": week,
        "push": rng.random(m) < 0.15,
        "sent": sent,
        "opened_at": np.where(opened, opened_at, -1),
        "clicked_at": np.where(clicked, clicked_at, -1),
        "converted_at": np.where(converted, converted_at, -1),
    }


# ---------------------------------------------------------------- formatting


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers, pa.int64()), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def _stamps(seconds: np.ndarray, fmt: str = "%Y-%m-%d %H:%M:%S") -> pa.Array:
    """Text timestamps; negative seconds mean null."""
    values = pa.array(np.maximum(seconds, 0).astype("datetime64[s]"), mask=seconds < 0)
    return pc.strftime(values, format=fmt)


def _money(minor: np.ndarray, decimals: int) -> pa.Array:
    """Plain decimal text ('12.50') from integer minor units; whole numbers when decimals=0."""
    whole = pc.cast(pa.array(minor // 10**decimals, pa.int64()), pa.string())
    if decimals == 0:
        return whole
    frac = pc.utf8_lpad(pc.cast(pa.array(minor % 10**decimals, pa.int64()), pa.string()), 2, "0")
    return pc.binary_join_element_wise(whole, frac, ".")


def _text(vocabulary: list[str] | tuple[str, ...], index: np.ndarray) -> pa.Array:
    """Vocabulary values by index; -1 means null."""
    return pc.take(pa.array(list(vocabulary), pa.string()), pa.array(index, mask=index < 0))


def _write(folder: Path, name: str, columns: dict[str, pa.Array]) -> None:
    table = pa.table({c: columns[c] for c in COLUMNS.get(name, list(columns))})
    options = pacsv.WriteOptions(quoting_style="needed")
    pacsv.write_csv(table, folder / f"{name}.csv", write_options=options)


# ---------------------------------------------------------------- scenario


def _counts(total: int, shares: list[float]) -> np.ndarray:
    """Exact group sizes from shares (largest remainder), so shares hold at any size."""
    raw = np.array(shares) * total
    counts = np.floor(raw).astype(np.int64)
    remainder = total - counts.sum()
    counts[np.argsort(-(raw - counts), kind="stable")[:remainder]] += 1
    return counts


def scenario_vars(scenario: Scenario) -> dict[str, object]:
    """The dbt vars that map this shop's vocabulary and inputs; only those off the defaults."""
    names = scenario.events
    candidate: dict[str, object] = {
        "segmentation__event_types": [names[role] for role in EVENT_ROLES],
        "segmentation__cart_event_types": [names["add_to_cart"]],
        "segmentation__purchase_event_types": [names["purchase"]],
        "segmentation__mobile_device_types": list(scenario.mobile_devices),
        "segmentation__app_platforms": list(scenario.app_platforms),
    }
    found = {k: v for k, v in candidate.items() if v != DEFAULT_VARS[k]}
    if "events" not in scenario.inputs:
        found = {}  # vocabulary of an absent input does not matter
    for optional in ("order_items", "events", "marketing_touches", "customer_attributes"):
        if optional not in scenario.inputs:
            found[f"segmentation__using_{optional}"] = False
    return found


def generate_scenario(
    name: str, out_dir: Path | str, customers: int = 4000, seed: int | None = None
) -> dict[str, object]:
    """Write scenario `name`'s inputs, ground truth and manifest into `out_dir`.

    Returns the manifest. The seed defaults to the scenario's fixed seed.
    """
    scenario = SCENARIOS[name]
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    seed = scenario.seed if seed is None else seed
    rng = np.random.default_rng(seed)

    names = list(scenario.personas)
    shares = [p.share for p in scenario.personas.values()]
    labels = [*names, "noise", "prospect"]
    sizes = _counts(customers, [*shares, scenario.noise_share, scenario.prospect_share])
    label = rng.permutation(np.repeat(np.arange(len(labels)), sizes))
    noise = label == len(names)
    prospect = label == len(names) + 1
    group = np.where(prospect, len(names), np.where(noise, 0, label))
    p = draw_parameters(scenario, group, noise, rng)
    n = customers

    order_customer, order_stamp = simulate_orders(p, ~prospect, rng)
    n_orders = len(order_customer)
    first_order = np.full(n, END, dtype=np.int64)
    np.minimum.at(first_order, order_customer, order_stamp)
    history_start = END - scenario.history_days * DAY
    signup = np.where(
        prospect,
        rng.integers(history_start, END - DAY, n),
        first_order - rng.exponential(20 * DAY, n).astype(np.int64) - 3600,
    )

    # Order values come from the simulated lines even when order_items is not written.
    lines = simulate_lines(scenario, p, order_customer, rng)
    subtotal = np.bincount(
        lines["order"], weights=lines["quantity"] * lines["unit_price"], minlength=n_orders
    ).astype(np.int64)
    discounted = rng.random(n_orders) < p["discount"][order_customer]
    depth = _beta(rng, p["depth"][order_customer], np.full(n_orders, 20.0))
    discount = np.where(discounted, np.maximum(np.round(subtotal * depth), 1), 0).astype(np.int64)
    returned = rng.random(n_orders) < p["returns"][order_customer]
    status = np.where(returned, np.where(rng.random(n_orders) < 0.75, 1, 2), 0)
    channel = _pick(rng, p["channel_probs"][order_customer])

    customer_ids = _ids("c", np.arange(1, n + 1), 6)
    order_ids = _ids("o", np.arange(1, n_orders + 1), 7)
    dec = scenario.money_decimals
    _write(
        folder,
        "orders",
        {
            "order_id": order_ids,
            "customer_id": pc.take(customer_ids, pa.array(order_customer)),
            "ordered_at": _stamps(order_stamp),
            "order_total": _money(subtotal - discount, dec),
            "discount_total": _money(discount, dec),
            "channel": _text(scenario.order_channels, channel),
            "status": _text(["completed", "returned", "cancelled"], status),
        },
    )

    geo = rng.integers(0, len(GEOGRAPHY), n)
    gender = _pick(rng, np.tile([0.49, 0.46, 0.02, 0.03], (n, 1)))
    birth = END // DAY - (p["age"] * 365.25).astype(np.int64) - rng.integers(0, 365, n)
    income = np.round(p["income"] / 100).astype(np.int64) * 100
    income_missing = rng.random(n) < 0.15
    _write(
        folder,
        "customers",
        {
            "customer_id": customer_ids,
            "email": pc.binary_join_element_wise(customer_ids, "shop.example", "@"),
            "signup_at": _stamps(signup),
            "birth_date": _stamps(birth * DAY, "%Y-%m-%d"),
            "gender": _text(["female", "male", "diverse"], np.where(gender == 3, -1, gender)),
            "income": pa.array(income.astype(str), mask=income_missing),
            "education": _text(EDUCATION, rng.integers(0, len(EDUCATION), n)),
            "occupation": _text(OCCUPATION, rng.integers(0, len(OCCUPATION), n)),
            "country": _text([g[0] for g in GEOGRAPHY], geo),
            "region": _text([g[1] for g in GEOGRAPHY], geo),
            "city": _text([g[2] for g in GEOGRAPHY], geo),
            "postal_code": _ids("", rng.integers(1000, 99999, n), 5),
            "acquisition_channel": _text(ACQUISITION, rng.integers(0, len(ACQUISITION), n)),
        },
    )

    if "order_items" in scenario.inputs:
        category_names = [c for c, _ in scenario.categories]
        _write(
            folder,
            "order_items",
            {
                "order_id": pc.take(order_ids, pa.array(lines["order"])),
                "product_id": pc.binary_join_element_wise(
                    _text(category_names, lines["category"]),
                    _ids("", lines["product"], 3),
                    "-",
                ),
                "category": _text(category_names, lines["category"]),
                "quantity": pc.cast(pa.array(lines["quantity"]), pa.string()),
                "unit_price": _money(lines["unit_price"], dec),
            },
        )

    if "events" in scenario.inputs:
        _write(folder, "events", _events(scenario, p, order_customer, order_stamp, prospect,
                                         signup, customer_ids, rng))  # fmt: skip

    if "marketing_touches" in scenario.inputs:
        t = simulate_touches(scenario, p, signup, rng)
        _write(
            folder,
            "marketing_touches",
            {
                "customer_id": pc.take(customer_ids, pa.array(t["customer"])),
                "campaign_id": _ids("cmp", t["week"], 4),
                "channel": _text(["email", "push"], t["push"].astype(np.int64)),
                "sent_at": _stamps(t["sent"]),
                "opened_at": _stamps(t["opened_at"]),
                "clicked_at": _stamps(t["clicked_at"]),
                "converted_at": _stamps(t["converted_at"]),
            },
        )

    if "customer_attributes" in scenario.inputs:
        _write(folder, "customer_attributes", _attributes(scenario, p, customer_ids, rng))

    _write(
        folder,
        "ground_truth",
        {"customer_id": customer_ids, "persona": _text(labels, label)},
    )
    manifest: dict[str, object] = {
        "scenario": name,
        "description": scenario.description,
        "separates": scenario.separates,
        "true_k": len(names),
        "personas": [
            {"name": k, "share": v.share, "one_time": v.one_time}
            for k, v in scenario.personas.items()
        ],
        "noise_share": scenario.noise_share,
        "prospect_share": scenario.prospect_share,
        "customers": customers,
        "seed": seed,
        "history_days": scenario.history_days,
        "money": {"scale": scenario.money_scale, "decimals": scenario.money_decimals},
        "latest_timestamp": str(np.datetime64(END, "s")).replace("T", " "),
        "inputs": list(scenario.inputs),
        "vars": scenario_vars(scenario),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _events(
    scenario: Scenario,
    p: dict[str, np.ndarray],
    order_customer: np.ndarray,
    order_stamp: np.ndarray,
    prospect: np.ndarray,
    signup: np.ndarray,
    customer_ids: pa.Array,
    rng: np.random.Generator,
) -> dict[str, pa.Array]:
    s = simulate_sessions(p, order_customer, order_stamp, prospect, signup, rng)
    n_sessions = len(s["customer"])
    n = len(signup)
    # Device, OS, platform and browser per session from the customer's habits.
    ios_owner = rng.random(n) < 0.5
    mac_owner = rng.random(n) < 0.3
    tablet = s["mobile"] & (rng.random(n_sessions) < 0.2)
    device = np.where(s["mobile"], np.where(tablet, 1, 0), 2)
    ios = ios_owner[s["customer"]]
    os_index = np.where(s["mobile"], np.where(ios, 0, 1), np.where(mac_owner[s["customer"]], 2, 3))
    platform = np.where(s["app"], np.where(ios, 0, 1), 2)
    u = rng.random(n_sessions)
    browser = np.select(
        [s["app"], os_index == 0, os_index == 1, os_index == 2],
        [-1, np.where(u < 0.8, 0, 1), 1, np.where(u < 0.6, 0, 1)],
        np.where(u < 0.65, 1, np.where(u < 0.9, 2, 3)),
    )
    # Expand sessions into events by template; app sessions open with app_open.
    lengths = np.array([len(t) for t in TEMPLATES])[s["kind"]]
    flat = np.concatenate(TEMPLATES)
    offsets = np.concatenate([[0], np.cumsum([len(t) for t in TEMPLATES])[:-1]])
    session = np.repeat(np.arange(n_sessions), lengths)
    position = np.arange(len(session)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    role = flat[offsets[s["kind"]][session] + position]
    is_app = s["app"][session]
    role = np.where(is_app & (position == 0), R["app_open"], role)
    # Seconds since the session start: cumulative steps restarted at each session.
    step = rng.integers(20, 180, len(session))
    running = np.cumsum(step)
    opening = np.cumsum(lengths) - lengths
    elapsed = running - np.repeat(running[opening] - step[opening], lengths)
    stamp = np.minimum(s["start"][session] + elapsed, END)
    vocab = scenario.events
    return {
        "customer_id": pc.take(customer_ids, pa.array(s["customer"][session])),
        "occurred_at": _stamps(stamp),
        "event_type": _text([vocab[r] for r in EVENT_ROLES], role),
        "session_id": _ids("s", session + 1, 8),
        "device_type": _text([*scenario.mobile_devices, scenario.desktop_device], device[session]),
        "os": _text(["ios", "android", "macos", "windows"], os_index[session]),
        "browser": _text(["safari", "chrome", "edge", "firefox"], browser[session]),
        "platform": _text([*scenario.app_platforms, scenario.web_platform], platform[session]),
    }


def _attributes(
    scenario: Scenario, p: dict[str, np.ndarray], customer_ids: pa.Array, rng: np.random.Generator
) -> dict[str, pa.Array]:
    """Declared survey answers for about 60 % of customers, consistent with their behaviour."""
    n = len(customer_ids)
    answered = np.nonzero(rng.random(n) < 0.6)[0]
    interest = np.argmax(p["category_probs"][answered], axis=1)
    sensitivity = np.digitize(p["discount"][answered], [0.2, 0.5])
    newsletter = (p["opens"][answered] > 0.3).astype(np.int64)
    household = rng.integers(1, 6, len(answered))
    categories = [c for c, _ in scenario.categories]
    values = [
        _text(categories, interest),
        _text(["low", "medium", "high"], sensitivity),
        _text(["no", "yes"], newsletter),
        pc.cast(pa.array(household), pa.string()),
    ]
    attribute_names = ["interest", "price_sensitivity", "newsletter", "household_size"]
    who = pc.take(customer_ids, pa.array(answered))
    return {
        "customer_id": pa.concat_arrays([who] * 4),
        "attribute": pa.concat_arrays(
            [pa.array([a] * len(answered), pa.string()) for a in attribute_names]
        ),
        "value": pa.concat_arrays(values),
    }


# ---------------------------------------------------------------- loading and CLI


def load_scenario(
    folder: Path | str, database: Path | str, schema: str = "segmentation_raw"
) -> dict[str, int]:
    """Create `<schema>.<input>` in the DuckDB `database` for each input the scenario has."""
    folder = Path(folder)
    inputs = json.loads((folder / "manifest.json").read_text())["inputs"]
    return load(folder, Path(database), schema, inputs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", required=True, help=f"all or one of {', '.join(SCENARIOS)}")
    parser.add_argument("--customers", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.scenario == "all":
        chosen = [(name, args.out / name) for name in SCENARIOS]
    elif args.scenario in SCENARIOS:
        chosen = [(args.scenario, args.out)]
    else:
        parser.error(f"unknown scenario {args.scenario!r}")
    for name, folder in chosen:
        began = time.perf_counter()
        manifest = generate_scenario(name, folder, args.customers, args.seed)
        print(
            f"{name}: true_k {manifest['true_k']}, {args.customers:,} customers -> {folder} "
            f"({time.perf_counter() - began:.1f}s)"
        )


if __name__ == "__main__":
    main()
