"""Generate the six segmentation inputs with planted personas and planted bad rows.

    python -m segmentation_demo.generate --customers 5000 --seed 42 --out DIR --format parquet

Writes `customers`, `orders`, `order_items`, `events`, `marketing_touches` and
`customer_attributes` as a raw landing zone (every column as text, nulls as
nulls), plus `ground_truth.csv` (customer_id -> persona, for tests only),
`bad_rows.csv` (each planted kind of bad row and its count) and
`manifest.json`. The same arguments give byte-identical files. Work is
vectorised with numpy and pyarrow and streamed in blocks of customers, so 1M
customers (about 10M orders, 30M order lines, 50M events) fit in memory and
minutes.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from segmentation_demo.load import COLUMNS

REFERENCE = np.datetime64("2026-06-30T23:59:59", "s")
HISTORY_START = np.datetime64("2021-01-01T00:00:00", "s")
DAY = 86_400
BLOCK = 100_000  # customers per block: bounds memory at 1M customers


CATEGORIES = np.array(
    ["electronics", "home", "fashion", "beauty", "sports", "books", "toys", "grocery",
     "furniture", "jewelry"]
)  # fmt: skip
CATEGORY_PRICE = np.array([300.0, 45.0, 40.0, 25.0, 50.0, 15.0, 30.0, 8.0, 450.0, 380.0])
PRODUCTS_PER_CATEGORY = 200

GEOGRAPHY = np.array(
    [
        ("US", "California", "Los Angeles"), ("US", "California", "San Francisco"),
        ("US", "New York", "New York"), ("US", "Texas", "Austin"), ("US", "Texas", "Houston"),
        ("GB", "England", "London"), ("GB", "England", "Manchester"),
        ("GB", "Scotland", "Edinburgh"), ("DE", "Bavaria", "Munich"),
        ("DE", "Berlin", "Berlin"), ("DE", "Hamburg", "Hamburg"), ("FR", "Ile-de-France", "Paris"),
        ("FR", "Auvergne-Rhone-Alpes", "Lyon"), ("NL", "North Holland", "Amsterdam"),
        ("NL", "South Holland", "Rotterdam"), ("ES", "Madrid", "Madrid"),
        ("ES", "Catalonia", "Barcelona"),
    ]
)  # fmt: skip
GENDERS = np.array(["female", "male", "non_binary"])
EDUCATION = np.array(["high_school", "bachelor", "master", "doctorate", "other"])
OCCUPATIONS = np.array(
    ["engineer", "teacher", "nurse", "student", "manager", "sales", "designer", "retired",
     "clerk", "self_employed"]
)  # fmt: skip
ACQUISITION = np.array(
    ["organic_search", "paid_search", "social", "referral", "email", "direct", "affiliate"]
)
ORDER_CHANNELS = np.array(["web", "mobile_app", "store"])
STATUSES = np.array(["completed", "returned", "cancelled"])
# (device_type, os, browser, platform)
DEVICES = np.array(
    [
        ("desktop", "windows", "chrome", "web"), ("desktop", "macos", "safari", "web"),
        ("desktop", "windows", "edge", "web"), ("desktop", "linux", "firefox", "web"),
        ("mobile", "ios", "safari", "web"), ("mobile", "android", "chrome", "web"),
        ("mobile", "ios", "app", "ios_app"), ("mobile", "android", "app", "android_app"),
        ("tablet", "ios", "safari", "web"), ("tablet", "ios", "app", "ios_app"),
    ]
)  # fmt: skip
BROWSE_EVENTS = np.array(
    ["page_view", "product_view", "search", "add_to_cart", "remove_from_cart",
     "checkout_start", "login", "app_open"]
)  # fmt: skip
TOUCH_CHANNELS = np.array(["email", "sms", "push"])
CAMPAIGNS = 40  # newsletters CMP001..CMP040, one burst of NEWSLETTER_SEND_DAYS each
NEWSLETTER_SEND_DAYS = 3
INTERESTS = np.array(["outdoors", "tech", "fashion", "home", "fitness", "travel"])
VALUES = np.array(["sustainability", "price", "quality", "convenience"])
CONTACTS = np.array(["email", "sms", "push", "none"])


@dataclass(frozen=True)
class Persona:
    """How one planted persona behaves; ranges are (low, high)."""

    name: str
    share: float
    tenure_days: tuple[int, int]
    age: tuple[float, float]  # mean, sd
    income: float  # median
    orders: tuple[float, int, int]  # poisson mean, minimum, maximum
    recent_window_days: int | None  # last order within this many days of the reference
    history_end_days: int  # no order in the last this-many days
    categories: tuple[float, ...]  # weights over CATEGORIES
    price_factor: float
    items_mean: float
    discount_probability: float
    discount_range: tuple[float, float]
    order_channels: tuple[float, float, float]  # web, mobile_app, store
    devices: tuple[float, ...]  # weights over DEVICES
    sessions: float
    events_per_session: float
    cart_probability: float
    purchase_probability: float
    browse_weights: tuple[float, ...]  # weights over BROWSE_EVENTS
    open_rate: float
    click_rate: float


PERSONAS = [
    Persona("loyal_high_spender", 0.15, (730, 1800), (45, 9), 95_000, (34, 12, 90), 30, 0,
            (3, 3, 3, 2, 2, 2, 1, 2, 1, 1), 1.35, 3.6, 0.08, (0.05, 0.1), (0.55, 0.4, 0.05),
            (4, 3, 0, 0, 0, 0, 3, 1, 0, 1), 12, 4, 0.5, 0.6, (4, 3, 1, 1, 0.2, 0.6, 1, 0.5),
            0.65, 0.35),
    Persona("bargain_hunter", 0.20, (365, 1800), (38, 11), 42_000, (15, 6, 50), 60, 0,
            (0.5, 1, 4, 3, 1, 0.5, 1, 5, 0, 0), 0.7, 3.4, 0.85, (0.2, 0.4), (0.6, 0.3, 0.1),
            (2, 1, 1, 0, 2, 3, 0, 1, 0, 0), 11, 4, 0.45, 0.45, (3, 3, 4, 1, 0.5, 0.5, 0.5, 0.2),
            0.5, 0.6),
    Persona("new_mobile_first", 0.15, (5, 90), (24, 3.5), 35_000, (1.2, 1, 3), None, 0,
            (2, 1, 4, 3, 2, 1, 1, 1, 0, 0), 1.0, 2.6, 0.2, (0.05, 0.15), (0.05, 0.9, 0.05),
            (0, 0, 0, 0, 0.2, 0.2, 5, 5, 0, 1), 6, 5, 0.4, 0.3, (3, 3, 2, 1, 0.3, 0.4, 0.2, 2),
            0.35, 0.2),
    Persona("lapsed", 0.15, (1100, 1950), (52, 10), 60_000, (5, 2, 20), None, 400,
            (2, 3, 2, 1, 2, 3, 2, 2, 1, 0.5), 1.0, 3.0, 0.25, (0.05, 0.15), (0.7, 0.1, 0.2),
            (5, 2, 2, 1, 0, 0, 0, 0, 1, 0), 3, 3, 0.3, 0.4, (4, 2, 1, 1, 0.3, 0.5, 0.5, 0.1),
            0.08, 0.1),
    Persona("big_ticket_occasional", 0.15, (365, 1800), (56, 7), 160_000, (1.5, 1, 4), 150, 0,
            (6, 0.5, 0, 0, 0.5, 0, 0, 0, 5, 5), 1.6, 1.5, 0.15, (0.05, 0.1), (0.6, 0.05, 0.35),
            (5, 5, 1, 1, 0, 0, 0, 0, 0.5, 0), 5, 5, 0.35, 0.4, (3, 5, 3, 1, 0.3, 0.6, 0.5, 0.1),
            0.3, 0.2),
    Persona("window_shopper", 0.15, (60, 1500), (28, 6), 45_000, (0.6, 1, 2), None, 0,
            (2, 2, 4, 3, 2, 1, 2, 1, 1, 1), 0.9, 2.2, 0.2, (0.05, 0.15), (0.4, 0.55, 0.05),
            (0.3, 0.3, 0, 0, 5, 5, 0, 0, 1, 0), 30, 5, 0.65, 0.03, (4, 5, 3, 3, 1.5, 0.4, 0.2, 0.1),
            0.25, 0.15),
    Persona("prospect", 0.05, (1, 1000), (35, 12), 50_000, (0, 0, 0), None, 0,
            (1,) * 10, 1.0, 1.0, 0.0, (0.0, 0.0), (1, 0, 0),
            (2, 1, 1, 0, 2, 2, 0, 0, 1, 0), 4, 3, 0.2, 0.0, (4, 3, 2, 1, 0.2, 0.1, 0.2, 0.1),
            0.2, 0.1),
]  # fmt: skip


@dataclass(frozen=True)
class Burst:
    """A targeted campaign: sent in a few days to one persona, less an audience's holdout.

    The persona stands for `audience_id`, the audience the demo build gives it
    (its cluster segment, matched by tests/dashboard/test_planted_effect.py).
    Members held out of that audience (`segmentation__audience_memberships`:
    md5('segmentation|<audience_id>|<customer_id>'), first four hex digits below
    10 %) are not sent it, as a CRM synced from the marts would do. The planted
    effect: each treated member places one extra order in the ten days after
    the send with probability `order_probability`, so the share of treated
    members who order in the outcome window rises by about
    order_probability x (1 - the holdout's share).
    """

    campaign_id: str
    persona: str
    audience_id: str
    starts_days_before_reference: int
    send_days: int
    order_probability: float


BURSTS = [
    Burst("CMP041", "bargain_hunter", "cluster_segment:5", 150, 3, 0.25),
    Burst("CMP042", "loyal_high_spender", "cluster_segment:6", 90, 3, 0.0),
]
HOLDOUT_SHARE = 0.1  # segmentation__holdout_share's default
PLANTED_ORDER_DAYS = 10


def holdout_fraction(audience_id: str, customer_id: str, salt: str = "segmentation") -> float:
    """The package's holdout digest (macros holdout_digest, hex_fraction) as a fraction."""
    digest = hashlib.md5(f"{salt}|{audience_id}|{customer_id}".encode()).hexdigest()
    return int(digest[:4], 16) / 65536


def _weights(values: tuple[float, ...]) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array / array.sum()


def _pick(rng: np.random.Generator, persona: np.ndarray, field: str, size_of: int) -> np.ndarray:
    """Index drawn per row from the row's persona's weights for `field`."""
    tables = np.stack([np.cumsum(_weights(getattr(p, field))) for p in PERSONAS])
    cumulative = tables[persona]
    draws = rng.random(size_of)[:, None]
    return np.minimum((draws > cumulative).sum(axis=1), cumulative.shape[1] - 1)


def _text(values: np.ndarray | pa.Array) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _timestamps(seconds: np.ndarray) -> pa.Array:
    """Epoch seconds as 'YYYY-MM-DD HH:MM:SS' text."""
    stamps = pa.array(seconds.astype("int64"), type=pa.timestamp("s"))
    return pc.strftime(stamps, format="%Y-%m-%d %H:%M:%S")


def _dates(seconds: np.ndarray) -> pa.Array:
    stamps = pa.array(seconds.astype("int64"), type=pa.timestamp("s"))
    return pc.strftime(stamps, format="%Y-%m-%d")


def _money(values: np.ndarray) -> pa.Array:
    return _text(np.round(values, 2))


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    padded = pc.utf8_lpad(_text(numbers), width=width, padding="0")
    return pc.binary_join_element_wise(pa.scalar(prefix), padded, "")


def _null_some(rng: np.random.Generator, values: pa.Array, share: float) -> pa.Array:
    mask = pa.array(rng.random(len(values)) < share)
    return pc.if_else(mask, pa.nulls(len(values), pa.string()), values)


REF_S = int(REFERENCE.astype("int64"))
START_S = int(HISTORY_START.astype("int64"))


def _orders(
    rng: np.random.Generator,
    o_persona: np.ndarray,
    owner_ids: pa.Array,
    ordered: np.ndarray,
    counters: dict[str, int],
) -> tuple[pa.Table, pa.Table]:
    """Orders placed at `ordered` (epoch seconds) by customers of these personas, with lines."""
    n_orders = len(o_persona)
    order_number = counters["order"] + np.arange(1, n_orders + 1)
    counters["order"] += n_orders

    # Order lines: categories and prices by persona; order totals from the lines.
    line_count = 1 + rng.poisson(np.array([p.items_mean for p in PERSONAS])[o_persona] - 1).clip(0)
    line_order = np.repeat(np.arange(n_orders), line_count)
    l_persona = o_persona[line_order]
    category = _pick(rng, l_persona, "categories", len(line_order))
    product = category * PRODUCTS_PER_CATEGORY + rng.integers(
        0, PRODUCTS_PER_CATEGORY, len(line_order)
    )
    base_price = CATEGORY_PRICE[category] * (0.6 + (product % 7) / 7.5)
    factor = np.array([p.price_factor for p in PERSONAS])[l_persona]
    unit_price = np.round(base_price * factor * rng.lognormal(0, 0.15, len(line_order)), 2)
    quantity = 1 + (rng.random(len(line_order)) < 0.2).astype("int64")
    gross = np.bincount(line_order, weights=quantity * unit_price, minlength=n_orders)
    gross = np.round(gross, 2)
    discounted = (
        rng.random(n_orders) < np.array([p.discount_probability for p in PERSONAS])[o_persona]
    )
    low = np.array([p.discount_range[0] for p in PERSONAS])[o_persona]
    high = np.array([p.discount_range[1] for p in PERSONAS])[o_persona]
    discount = np.where(discounted, np.round(gross * rng.uniform(low, high), 2), 0.0)
    total = np.round(gross - discount, 2)
    channel = _pick(rng, o_persona, "order_channels", n_orders)
    status = rng.choice(3, n_orders, p=[0.92, 0.05, 0.03])
    order_id = _ids("O", order_number, 9)
    orders = pa.table(
        {
            "order_id": order_id,
            "customer_id": owner_ids,
            "ordered_at": _timestamps(ordered),
            "order_total": _money(total),
            "discount_total": _money(discount),
            "channel": _text(ORDER_CHANNELS[channel]),
            "status": _text(STATUSES[status]),
        }
    )
    order_items = pa.table(
        {
            "order_id": order_id.take(pa.array(line_order)),
            "product_id": _ids("P", product + 1, 5),
            "category": _text(CATEGORIES[category]),
            "quantity": _text(quantity),
            "unit_price": _money(unit_price),
        }
    )
    return orders, order_items


def _newsletter_sends(drawn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Campaign number (1..CAMPAIGNS) and send time of the first newsletter burst from `drawn` on.

    Newsletter c starts at HISTORY_START + (c - 1) periods, the last four days
    before the reference date, and goes out over NEWSLETTER_SEND_DAYS. A moment
    after the last newsletter's start keeps its time (inside that newsletter's
    days). A send is thus never before the moment drawn, which is after the
    customer's signup unless they signed up in the last two days.
    """
    period = (REF_S - 4 * DAY - START_S) / (CAMPAIGNS - 1)
    position = (drawn - START_S) / period
    index = np.minimum(np.ceil(position), CAMPAIGNS - 1)
    offset = (position % 1) * NEWSLETTER_SEND_DAYS * DAY
    sent = np.where(position > CAMPAIGNS - 1, drawn, START_S + index * period + offset)
    return index.astype("int64") + 1, sent.astype("int64")


def _bursts(
    rng: np.random.Generator,
    persona: np.ndarray,
    customer_id: pa.Array,
    signup: np.ndarray,
    counters: dict[str, int],
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """The targeted campaigns' touches (BURSTS) and the orders planted among their treated."""
    names = [p.name for p in PERSONAS]
    ids = np.asarray(customer_id.to_pylist(), dtype=object)
    touch_owner, touch_sent, touch_campaign = [], [], []
    order_owner, order_at = [], []
    for burst in BURSTS:
        start = REF_S - burst.starts_days_before_reference * DAY
        members = np.nonzero((persona == names.index(burst.persona)) & (signup < start))[0]
        held_out = np.array(
            [holdout_fraction(burst.audience_id, c) < HOLDOUT_SHARE for c in ids[members]],
            dtype=bool,
        )
        treated = members[~held_out]
        sent = start + (rng.random(len(treated)) * burst.send_days * DAY).astype("int64")
        ordering = rng.random(len(treated)) < burst.order_probability
        delay = (rng.random(len(treated)) * PLANTED_ORDER_DAYS * DAY).astype("int64")
        touch_owner.append(treated)
        touch_sent.append(sent)
        touch_campaign.append(np.full(len(treated), burst.campaign_id, dtype=object))
        order_owner.append(treated[ordering])
        order_at.append((sent + delay)[ordering])
    t_owner = np.concatenate(touch_owner)
    sent = np.concatenate(touch_sent)
    t_persona = persona[t_owner]
    opened = rng.random(len(t_owner)) < np.array([p.open_rate for p in PERSONAS])[t_persona]
    click_rate = np.array([p.click_rate for p in PERSONAS])[t_persona]
    clicked = opened & (rng.random(len(t_owner)) < click_rate)
    converted = clicked & (rng.random(len(t_owner)) < 0.2)
    open_at = sent + rng.integers(60, 6 * 3600, len(t_owner))
    click_at = open_at + rng.integers(5, 600, len(t_owner))
    convert_at = click_at + rng.integers(60, 3600, len(t_owner))

    def maybe(flag: np.ndarray, seconds: np.ndarray) -> pa.Array:
        return pc.if_else(pa.array(flag), _timestamps(seconds), pa.nulls(len(flag), pa.string()))

    touches = pa.table(
        {
            "customer_id": customer_id.take(pa.array(t_owner)),
            "campaign_id": _text(np.concatenate(touch_campaign).astype(str)),
            "channel": _text(np.full(len(t_owner), "email")),
            "sent_at": _timestamps(sent),
            "opened_at": maybe(opened, open_at),
            "clicked_at": maybe(clicked, click_at),
            "converted_at": maybe(converted, convert_at),
        }
    )
    o_owner = np.concatenate(order_owner)
    orders, order_items = _orders(
        rng, persona[o_owner], customer_id.take(pa.array(o_owner)), np.concatenate(order_at),
        counters,
    )  # fmt: skip
    return touches, orders, order_items


def _block(
    rng: np.random.Generator,
    burst_rng: np.random.Generator,
    first: int,
    n: int,
    counters: dict[str, int],
) -> dict:
    """Generate customers first+1 .. first+n and everything they did.

    `rng` draws everything but the targeted campaigns (BURSTS) and their planted
    orders, which `burst_rng` draws: the other rows do not depend on the bursts.
    """
    shares = _weights(tuple(p.share for p in PERSONAS))
    persona = rng.choice(len(PERSONAS), size=n, p=shares)
    number = np.arange(first + 1, first + n + 1)
    customer_id = _ids("C", number, 7)

    def per(field: str, index: int | None = None) -> np.ndarray:
        values = np.array([getattr(p, field) if index is None else getattr(p, field)[index]
                           for p in PERSONAS])  # fmt: skip
        return values[persona]

    tenure = rng.uniform(per("tenure_days", 0), per("tenure_days", 1))
    signup = np.maximum(REF_S - tenure * DAY, START_S).astype("int64")
    age = np.clip(rng.normal(per("age", 0), per("age", 1)), 18, 85)
    birth = (REF_S - age * 365.25 * DAY).astype("int64")
    income = np.round(rng.lognormal(np.log(per("income")), 0.25) / 100) * 100
    geography = GEOGRAPHY[rng.integers(0, len(GEOGRAPHY), n)]
    customers = pa.table(
        {
            "customer_id": customer_id,
            "email": pc.binary_join_element_wise(
                pc.utf8_lower(customer_id), pa.scalar("@example.com"), ""
            ),
            "signup_at": _timestamps(signup),
            "birth_date": _null_some(rng, _dates(birth), 0.05),
            "gender": _null_some(rng, _text(GENDERS[rng.choice(3, n, p=[0.49, 0.48, 0.03])]), 0.04),
            "income": _null_some(rng, _text(income.astype("int64")), 0.08),
            "education": _text(EDUCATION[rng.integers(0, len(EDUCATION), n)]),
            "occupation": _text(OCCUPATIONS[rng.integers(0, len(OCCUPATIONS), n)]),
            "country": _text(geography[:, 0]),
            "region": _text(geography[:, 1]),
            "city": _text(geography[:, 2]),
            "postal_code": _text(rng.integers(10000, 99999, n)),
            "acquisition_channel": _text(ACQUISITION[rng.integers(0, len(ACQUISITION), n)]),
        }
    )

    # Orders: a count per customer, times inside the persona's window.
    order_count = np.clip(rng.poisson(per("orders", 0)), per("orders", 1), per("orders", 2))
    owner = np.repeat(np.arange(n), order_count)
    o_persona = persona[owner]
    window_end = REF_S - per("history_end_days")[owner] * DAY
    window_start = np.minimum(signup[owner], window_end - DAY)
    ordered = window_start + rng.random(len(owner)) * (window_end - window_start)
    first_of_customer = np.r_[0, np.cumsum(order_count)[:-1]][order_count > 0]
    recent = np.array([p.recent_window_days or 0 for p in PERSONAS])[o_persona]
    has_recent = recent[first_of_customer] > 0
    recent_rows = first_of_customer[has_recent]
    ordered[recent_rows] = REF_S - rng.random(len(recent_rows)) * recent[recent_rows] * DAY
    ordered = ordered.astype("int64")
    orders, order_items = _orders(
        rng, o_persona, customer_id.take(pa.array(owner)), ordered, counters
    )

    # Events: sessions on a primary device, a few events each; carts and purchases by persona.
    session_count = rng.poisson(per("sessions"))
    s_owner = np.repeat(np.arange(n), session_count)
    s_persona = persona[s_owner]
    primary = _pick(rng, persona, "devices", n)
    other = _pick(rng, s_persona, "devices", len(s_owner))
    device = np.where(rng.random(len(s_owner)) < 0.8, primary[s_owner], other)
    session_end = REF_S - np.array([p.history_end_days for p in PERSONAS])[s_persona] * DAY - DAY
    session_low = np.minimum(signup[s_owner], session_end - DAY)
    s_start = (session_low + rng.random(len(s_owner)) * (session_end - session_low)).astype("int64")
    events_in = 1 + rng.poisson(np.array([p.events_per_session for p in PERSONAS])[s_persona] - 1)
    session_number = counters["session"] + np.arange(1, len(s_owner) + 1)
    counters["session"] += len(s_owner)
    e_session = np.repeat(np.arange(len(s_owner)), events_in)
    e_persona = s_persona[e_session]
    first_event = np.cumsum(events_in) - events_in
    last_event = np.cumsum(events_in) - 1
    # Strictly increasing times inside a session, so no two events are exact copies.
    gaps = rng.integers(5, 240, len(e_session))
    elapsed = np.cumsum(gaps)
    offset = elapsed - np.repeat(elapsed[first_event] - gaps[first_event], events_in)
    occurred = s_start[e_session] + offset
    event_type = BROWSE_EVENTS[_pick(rng, e_persona, "browse_weights", len(e_session))]
    event_type = np.where(event_type == "add_to_cart", "product_view", event_type).astype(object)
    in_app = DEVICES[device, 3] != "web"
    event_type[first_event[in_app]] = "app_open"
    cart_rate = np.array([p.cart_probability for p in PERSONAS])[s_persona]
    buy_rate = np.array([p.purchase_probability for p in PERSONAS])[s_persona]
    has_cart = rng.random(len(s_owner)) < cart_rate
    has_purchase = rng.random(len(s_owner)) < buy_rate
    cart_event = np.where(events_in >= 2, last_event - 1, last_event)
    event_type[cart_event[has_cart]] = "add_to_cart"
    event_type[last_event[has_purchase]] = "purchase"
    e_device = DEVICES[device[e_session]]
    events = pa.table(
        {
            "customer_id": customer_id.take(pa.array(s_owner[e_session])),
            "occurred_at": _timestamps(occurred),
            "event_type": _text(event_type.astype(str)),
            "session_id": _ids("S", session_number, 10).take(pa.array(e_session)),
            "device_type": _text(e_device[:, 0]),
            "os": _text(e_device[:, 1]),
            "browser": _text(e_device[:, 2]),
            "platform": _text(e_device[:, 3]),
        }
    )

    # Marketing touches: a few newsletters per customer since signup, each with
    # the first newsletter burst from a moment drawn in the customer's time;
    # opens and clicks by persona. (The unused draw keeps every later value.)
    touch_count = np.minimum(rng.poisson(4, n), CAMPAIGNS)
    t_owner = np.repeat(np.arange(n), touch_count)
    t_persona = persona[t_owner]
    rng.integers(0, CAMPAIGNS, n)
    sent_low = np.minimum(signup[t_owner], REF_S - 2 * DAY)
    drawn = sent_low + rng.random(len(t_owner)) * (REF_S - 2 * DAY - sent_low)
    campaign, sent = _newsletter_sends(drawn)
    opened = rng.random(len(t_owner)) < np.array([p.open_rate for p in PERSONAS])[t_persona]
    click_rate = np.array([p.click_rate for p in PERSONAS])[t_persona]
    clicked = opened & (rng.random(len(t_owner)) < click_rate)
    converted = clicked & (rng.random(len(t_owner)) < 0.2)
    open_at = sent + rng.integers(60, 6 * 3600, len(t_owner))
    click_at = open_at + rng.integers(5, 600, len(t_owner))
    convert_at = click_at + rng.integers(60, 3600, len(t_owner))

    def maybe(flag: np.ndarray, seconds: np.ndarray) -> pa.Array:
        return pc.if_else(pa.array(flag), _timestamps(seconds), pa.nulls(len(flag), pa.string()))

    touches = pa.table(
        {
            "customer_id": customer_id.take(pa.array(t_owner)),
            "campaign_id": _ids("CMP", campaign, 3),
            "channel": _text(TOUCH_CHANNELS[rng.choice(3, len(t_owner), p=[0.7, 0.15, 0.15])]),
            "sent_at": _timestamps(sent),
            "opened_at": maybe(opened, open_at),
            "clicked_at": maybe(clicked, click_at),
            "converted_at": maybe(converted, convert_at),
        }
    )
    burst_touches, planted_orders, planted_lines = _bursts(
        burst_rng, persona, customer_id, signup, counters
    )
    touches = pa.concat_tables([touches, burst_touches])

    # Declared attributes: each customer answers some of four questions.
    names = np.array(
        ["interest_primary", "interest_secondary", "value_priority", "preferred_contact"]
    )
    answered = rng.random((n, 4)) < np.array([0.6, 0.4, 0.5, 0.7])
    a_owner, a_kind = np.nonzero(answered)
    favourite = np.array([1, 5, 2, 3, 1, 2, 0])[persona]  # persona-typical interest
    interest = np.where(
        rng.random(len(a_owner)) < 0.6, favourite[a_owner], rng.integers(0, 6, len(a_owner))
    )
    value = np.select(
        [a_kind <= 1, a_kind == 2],
        [INTERESTS[(interest + a_kind) % 6], VALUES[rng.integers(0, 4, len(a_owner))]],
        CONTACTS[rng.integers(0, 4, len(a_owner))],
    )
    attributes = pa.table(
        {
            "customer_id": customer_id.take(pa.array(a_owner)),
            "attribute": _text(names[a_kind]),
            "value": _text(value),
        }
    )
    truth = pa.table(
        {
            "customer_id": customer_id,
            "persona": _text(np.array([p.name for p in PERSONAS])[persona]),
        }
    )
    return {
        "customers": customers,
        "orders": pa.concat_tables([orders, planted_orders]),
        "order_items": pa.concat_tables([order_items, planted_lines]),
        "events": events,
        "marketing_touches": touches,
        "customer_attributes": attributes,
        "ground_truth": truth,
    }


def _rows(name: str, rows: list[dict]) -> pa.Table:
    """A table of `name`'s columns from dicts (missing keys are null)."""
    columns = COLUMNS[name]
    return pa.table({c: pa.array([r.get(c) for r in rows], type=pa.string()) for c in columns})


def _bad_rows(
    sample: dict[str, pa.Table],
) -> tuple[dict[str, pa.Table], list[tuple[str, str, int]]]:
    """Planted bad rows, each with exactly one problem, built from the first block's rows.

    New keys (C8..., O8..., S9...) keep them from cascading: no bad customer has
    orders, no bad order has lines. Exact copies of real rows are duplicates.
    """
    customer = sample["customers"].slice(0, 1).to_pylist()[0]
    order = sample["orders"].slice(0, 1).to_pylist()[0]
    item = sample["order_items"].slice(0, 1).to_pylist()[0]
    event = sample["events"].slice(0, 1).to_pylist()[0]
    touch = sample["marketing_touches"].slice(0, 1).to_pylist()[0]

    def copies(name: str, count: int) -> list[dict]:
        return sample[name].slice(0, count).to_pylist()

    def fresh_customer(number: int, **changes: str | None) -> dict:
        return {**customer, "customer_id": f"C8{number:06d}",
                "email": f"c8{number:06d}@example.com", **changes}  # fmt: skip

    def fresh_order(number: int, **changes: str | None) -> dict:
        return {**order, "order_id": f"O8{number:08d}", **changes}

    def fresh_event(number: int, **changes: str | None) -> dict:
        return {**event, "session_id": f"S9{number:09d}", **changes}

    plan: dict[str, list[tuple[str, list[dict]]]] = {
        "customers": [
            ("null_key", [fresh_customer(i, customer_id=None) for i in range(1, 4)]),
            ("duplicate_key", copies("customers", 3)),
            ("unparseable_timestamp", [fresh_customer(4, signup_at="not-a-date"),
                                       fresh_customer(5, signup_at="2024-13-45 25:00:00")]),
            ("future_timestamp", [fresh_customer(6, signup_at="2099-01-01 00:00:00"),
                                  fresh_customer(7, signup_at="2099-06-30 12:00:00")]),
            ("unparseable_number", [fresh_customer(8, income="n/a")]),
            ("negative_amount", [fresh_customer(9, income="-5000")]),
        ],
        "orders": [
            ("null_key", [fresh_order(i, order_id=None) for i in range(1, 4)]),
            ("duplicate_key", copies("orders", 3)),
            ("missing_required_value", [fresh_order(4, customer_id=None),
                                        fresh_order(5, ordered_at=None),
                                        fresh_order(6, order_total=None)]),
            ("unparseable_timestamp", [fresh_order(7, ordered_at="the day before"),
                                       fresh_order(8, ordered_at="2025-02-30 10:00:00")]),
            ("unparseable_number", [fresh_order(9, order_total="abc"),
                                    fresh_order(10, order_total="12,50")]),
            ("future_timestamp", [fresh_order(11, ordered_at="2099-01-01 00:00:00"),
                                  fresh_order(12, ordered_at="2098-12-24 18:30:00")]),
            ("negative_amount", [fresh_order(i, order_total="-19.99") for i in range(13, 16)]),
            ("unknown_customer", [fresh_order(i, customer_id=f"C9{i:06d}") for i in range(16, 19)]),
        ],
        "order_items": [
            ("missing_required_value", [{**item, "order_id": None},
                                        {**item, "category": None},
                                        {**item, "category": None, "product_id": "P99998"}]),
            ("unparseable_number", [{**item, "unit_price": "x"}, {**item, "unit_price": "1.2.3"}]),
            ("negative_amount", [{**item, "unit_price": "-5"}, {**item, "unit_price": "-0.01"}]),
            ("non_positive_quantity", [{**item, "quantity": "0"}, {**item, "quantity": "-1"}]),
            ("unknown_order", [{**item, "order_id": f"O9{i:08d}"} for i in range(1, 4)]),
        ],
        "events": [
            ("missing_required_value", [fresh_event(1, customer_id=None),
                                        fresh_event(2, occurred_at=None),
                                        fresh_event(3, event_type=None)]),
            ("unparseable_timestamp", [fresh_event(4, occurred_at="soon"),
                                       fresh_event(5, occurred_at="2024-02-31 00:00:00")]),
            ("future_timestamp", [fresh_event(6, occurred_at="2099-01-01 00:00:00"),
                                  fresh_event(7, occurred_at="2099-01-02 00:00:00")]),
            ("unknown_event_type", [fresh_event(i, event_type="teleport") for i in range(8, 11)]),
            ("duplicate_key", copies("events", 3)),
            ("unknown_customer", [fresh_event(i, customer_id=f"C9{i:06d}") for i in range(11, 14)]),
        ],
        "marketing_touches": [
            ("missing_required_value", [{**touch, "campaign_id": None},
                                        {**touch, "customer_id": None}]),
            ("unparseable_timestamp", [{**touch, "sent_at": "last tuesday"},
                                       {**touch, "sent_at": "2024-00-10 10:00:00"}]),
            ("future_timestamp", [{**touch, "sent_at": "2099-03-01 09:00:00"},
                                  {**touch, "sent_at": "2099-03-02 09:00:00"}]),
            ("duplicate_key", copies("marketing_touches", 2)),
            ("unknown_customer", [{**touch, "customer_id": f"C9{i:06d}"} for i in range(1, 3)]),
        ],
        "customer_attributes": [
            ("null_key", [{"customer_id": None, "attribute": "value_priority", "value": "price"},
                          {"customer_id": customer["customer_id"], "attribute": None,
                           "value": "tech"}]),
            ("duplicate_key", copies("customer_attributes", 2)),
            ("unknown_customer", [{"customer_id": f"C9{i:06d}", "attribute": "interest_primary",
                                   "value": "tech"} for i in range(1, 3)]),
        ],
    }  # fmt: skip
    tables = {
        name: _rows(name, [r for _, rows in kinds for r in rows]) for name, kinds in plan.items()
    }
    manifest = sorted(
        (name, code, len(rows)) for name, kinds in plan.items() for code, rows in kinds
    )
    return tables, manifest


class _Writer:
    """Streams tables of one input to a CSV or Parquet file, deterministically."""

    def __init__(self, path: Path, schema: pa.Schema, fmt: str) -> None:
        self.fmt = fmt
        if fmt == "parquet":
            self.writer = pq.ParquetWriter(path, schema, compression="zstd", compression_level=3)
        else:
            self.writer = pacsv.CSVWriter(path, schema)
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        if self.fmt == "parquet":
            self.writer.write_table(table, row_group_size=1_000_000)
        else:
            self.writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        self.writer.close()


def generate(out_dir: Path, customers: int, seed: int, fmt: str = "parquet") -> dict[str, int]:
    """Write every input, the ground truth and the bad-row manifest; return rows per file."""
    if customers < 10:
        raise ValueError("--customers must be at least 10")
    if fmt not in ("csv", "parquet"):
        raise ValueError("--format must be csv or parquet")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    schema = {name: pa.schema([(c, pa.string()) for c in cols]) for name, cols in COLUMNS.items()}
    writers = {name: _Writer(out_dir / f"{name}.{fmt}", schema[name], fmt) for name in COLUMNS}
    truth_path = out_dir / "ground_truth.csv"
    truth = pacsv.CSVWriter(
        truth_path, pa.schema([("customer_id", pa.string()), ("persona", pa.string())])
    )
    counters = {"order": 0, "session": 0}
    sample: dict[str, pa.Table] = {}
    try:
        for index, first in enumerate(range(0, customers, BLOCK)):
            rng = np.random.default_rng([seed, index])
            burst_rng = np.random.default_rng([seed, index, 1])
            block = _block(rng, burst_rng, first, min(BLOCK, customers - first), counters)
            truth.write_table(block.pop("ground_truth"))
            if not sample:
                sample = {name: table.slice(0, 5) for name, table in block.items()}
            for name, table in block.items():
                writers[name].write(table)
        bad, manifest = _bad_rows(sample)
        for name, table in bad.items():
            writers[name].write(table)
    finally:
        for writer in writers.values():
            writer.close()
        truth.close()
    with (out_dir / "bad_rows.csv").open("w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["input", "reason_code", "expected_rows"])
        out.writerows(manifest)
    counts = {name: writer.rows for name, writer in writers.items()}
    (out_dir / "manifest.json").write_text(
        json.dumps(
            {"seed": seed, "customers": customers, "format": fmt,
             "reference_date": str(REFERENCE), "rows": counts},
            indent=2, sort_keys=True,
        ) + "\n"
    )  # fmt: skip
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--format", choices=["csv", "parquet"], default="parquet")
    args = parser.parse_args(argv)
    counts = generate(args.out, args.customers, args.seed, args.format)
    print(f"wrote {args.out}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
