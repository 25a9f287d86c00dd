"""Daily batches applied to the raw input tables, for the "incremental equals full" sequence test.

The sequence test (tests/python/test_incremental_sequence.py on DuckDB,
integration_tests/snowflake/run_sequence.py on fakesnow, docs/incremental.md) starts
from a small generated shop loaded as the raw landing schema and applies five days of
loads to it, building after each. The rows of each day are made here, with their own
seeded random generator and value lists: nothing goes through the demo generator's
code path, so a bug there cannot hide one in the incremental build.

    prepare_base(con, schema, events_loaded_at=...)   # add loaded_at, fill it for every row
    record = apply_day(con, schema, day, ...)         # day 1..5; returns what it did

- day 1: new customers with orders, order lines, events, touches and attributes;
- day 2: new orders and events for existing customers, plus late rows (orders and
  events dated 1-2 days before the newest existing time: inside the lookback);
- day 3: a status correction (an older order becomes `returned`, its loaded_at
  bumped), an exact copy of an accepted event and an order row reusing an existing
  order_id (both rejected as `duplicate_key` in a full build), and a few new orders;
- day 4: an erased customer (gone from customers and from every input) and a customer
  removed from customers only (their rows become `unknown_customer`), new orders, and
  two customers who stay customers but lose every event (one) or every order and
  order line (the other): the feature state's tombstone path;
- day 5: nothing new.

Only duckdb and the standard library are used, so the fakesnow venv runs it too, on
the fakesnow server's DuckDB connection (`schema` then names the catalog too:
'"SEGMENTATION_CI".segmentation_raw'). Every value is landed as text, as the loader
(segmentation_demo/load.py) lands them; `loaded_at` too ('YYYY-MM-DD HH:MM:SS', UTC).
The same base data, seed and day give the same rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

# The inputs that carry the optional `loaded_at` column (issue 16).
LOADED_AT_INPUTS = ("orders", "order_items", "events", "marketing_touches")
# The day after the demo generator's reference date (2026-06-30): day d's rows happen
# on FIRST_DAY + d - 1 and are loaded at 01:00 the day after.
FIRST_DAY = date(2026, 7, 1)
DAYS = 5
SEED = 2016

_CATEGORIES = {  # category -> (unit price low, high)
    "electronics": (80, 900), "home": (10, 120), "fashion": (15, 110), "beauty": (5, 60),
    "sports": (15, 140), "books": (6, 35), "toys": (8, 70), "grocery": (2, 20),
    "furniture": (120, 1200), "jewelry": (90, 1100),
}  # fmt: skip
_PLACES = [("US", "Texas", "Dallas"), ("GB", "Wales", "Cardiff"), ("DE", "Saxony", "Leipzig"),
           ("FR", "Occitanie", "Toulouse"), ("ES", "Valencia", "Valencia")]  # fmt: skip
_DEVICES = [("desktop", "windows", "chrome", "web"), ("mobile", "android", "app", "android_app"),
            ("mobile", "ios", "app", "ios_app"), ("tablet", "ios", "safari", "web")]  # fmt: skip
_BROWSING = ["page_view", "product_view", "search", "add_to_cart", "checkout_start", "app_open"]


def load_time(day: int) -> str:
    """When day `day`'s batch is loaded (day 0: the base data): 01:00 the day after."""
    return f"{FIRST_DAY + timedelta(days=day)} 01:00:00"


def _moment(rng: random.Random, day: date, earliest: int = 6, latest: int = 22) -> str:
    seconds = rng.randrange(earliest * 3600, latest * 3600)
    return str(datetime.combine(day, datetime.min.time()) + timedelta(seconds=seconds))


@dataclass
class DayRecord:
    """What a day's batch did, for the sequence test's assertions."""

    day: int
    as_of_date: date | None = None  # the newest order date after the batch
    new_customers: list[str] = field(default_factory=list)
    orders_added: int = 0  # order rows that a full build accepts
    events_added: int = 0  # event rows that a full build accepts
    late_orders: list[str] = field(default_factory=list)
    late_events: int = 0
    corrected_order: str | None = None
    corrected_customer: str | None = None
    corrected_rate: float | None = None  # their share of returned/cancelled orders after it
    duplicate_event: tuple[str, str] | None = None  # (customer_id, occurred_at)
    reused_order: tuple[str, str] | None = None  # (order_id, ordered_at of the new row)
    erased_customer: str | None = None
    orphaned_customer: str | None = None
    orphaned_rows: dict[str, int] = field(default_factory=dict)  # input -> rows
    removed_orders: int = 0  # accepted orders that leave the features (day 4)
    removed_events: int = 0
    # Customers still in customers whose every event (or every order and order line) the
    # day deleted: their feature state row must go (day 4).
    eventless_customer: str | None = None
    orderless_customer: str | None = None
    # The customers whose accepted events (orders or order lines), up to the as-of date,
    # the batch changed: the feature state models must recompute these and only these
    # (or drop them, when nothing is left). Rows rejected as duplicates change nothing.
    changed_event_customers: list[str] = field(default_factory=list)
    changed_order_customers: list[str] = field(default_factory=list)


class Batches:
    """Applies the days to the raw tables of `schema` through a DuckDB connection."""

    def __init__(self, con, schema: str, events_loaded_at: bool = True, seed: int = SEED):
        self.con = con
        self.schema = schema
        self.events_loaded_at = events_loaded_at
        self.seed = seed
        self.used: set[str] = set()  # customers a day changed on purpose: not picked again

    # --- helpers -------------------------------------------------------------------
    def table(self, name: str) -> str:
        return f"{self.schema}.{name}"

    def has_loaded_at(self, name: str) -> bool:
        return name in LOADED_AT_INPUTS and (name != "events" or self.events_loaded_at)

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()

    def insert(self, name: str, rows: list[dict], day: int) -> int:
        if not rows:
            return 0
        columns = list(rows[0])
        if self.has_loaded_at(name):
            columns.append("loaded_at")
            rows = [{**row, "loaded_at": load_time(day)} for row in rows]
        values = ", ".join("(" + ", ".join("?" for _ in columns) + ")" for _ in rows)
        params = [None if row[c] is None else str(row[c]) for row in rows for c in columns]
        self.con.execute(
            f"insert into {self.table(name)} ({', '.join(columns)}) values {values}", params
        )
        return len(rows)

    def newest(self, column: str, name: str) -> datetime:
        # The raw text of accepted-looking rows: the planted bad rows are in 2099 or unparseable.
        [(value,)] = self.rows(
            f"select max(try_cast({column} as timestamp)) from {self.table(name)} "
            f"where try_cast({column} as timestamp) < timestamp '2030-01-01'"
        )
        return value

    def real_customers(self, min_orders: int) -> list[str]:
        """Base customers (C0...) with at least `min_orders` orders, events, touches and
        attributes, in id order."""
        return [
            customer
            for (customer,) in self.rows(
                f"select c.customer_id from {self.table('customers')} as c "
                # Not the first three: the generator's planted duplicates copy their rows.
                f"where c.customer_id like 'C0%' and c.customer_id > 'C0000003' "
                f"and (select count(*) from {self.table('orders')} as o "
                f"     where o.customer_id = c.customer_id) >= ? "
                f"and exists (select 1 from {self.table('events')} as e "
                f"     where e.customer_id = c.customer_id) "
                f"and exists (select 1 from {self.table('marketing_touches')} as t "
                f"     where t.customer_id = c.customer_id) "
                f"and exists (select 1 from {self.table('customer_attributes')} as a "
                f"     where a.customer_id = c.customer_id) "
                f"group by c.customer_id having count(*) = 1 order by c.customer_id",
                [min_orders],
            )
            if customer not in self.used
        ]

    def order(self, rng: random.Random, order_id: str, customer: str, at: str) -> tuple:
        """An order and its lines; the total is the lines' sum less the discount."""
        lines = []
        for position in range(rng.randint(1, 3)):
            category = sorted(_CATEGORIES)[rng.randrange(len(_CATEGORIES))]
            low, high = _CATEGORIES[category]
            quantity = rng.choice([1, 1, 1, 2, 3])
            price = round(rng.uniform(low, high), 2)
            lines.append(
                {
                    "order_id": order_id,
                    "product_id": f"P7{position}{rng.randrange(1000):03d}",
                    "category": category,
                    "quantity": quantity,
                    "unit_price": f"{price:.2f}",
                }
            )
        gross = sum(int(line["quantity"]) * float(line["unit_price"]) for line in lines)
        discount = round(gross * 0.1, 2) if rng.random() < 0.25 else 0
        order = {
            "order_id": order_id,
            "customer_id": customer,
            "ordered_at": at,
            "order_total": f"{gross - discount:.2f}",
            "discount_total": f"{discount:.2f}",
            "channel": rng.choice(["web", "mobile_app", "store"]),
            "status": "completed",
        }
        return order, lines

    def events(self, rng: random.Random, customer: str, day: date, session: str) -> list[dict]:
        device, os_name, browser, platform = _DEVICES[rng.randrange(len(_DEVICES))]
        start = datetime.fromisoformat(_moment(rng, day, 6, 20))
        rows = []
        for step in range(rng.randint(2, 5)):
            kind = "purchase" if step == 4 else _BROWSING[rng.randrange(len(_BROWSING))]
            rows.append(
                {
                    "customer_id": customer,
                    "occurred_at": str(start + timedelta(seconds=40 * step)),
                    "event_type": kind,
                    "session_id": session,
                    "device_type": device,
                    "os": os_name,
                    "browser": browser,
                    "platform": platform,
                }
            )
        return rows

    def orders_for(self, rng, day: int, customers: list[str], record: DayRecord, when: date):
        """One order with lines and one session of events per customer, on `when`."""
        orders, lines, events = [], [], []
        for number, customer in enumerate(customers, start=1):
            order, order_lines = self.order(
                rng, f"O7{day}{number:07d}", customer, _moment(rng, when)
            )
            orders.append(order)
            lines += order_lines
            events += self.events(rng, customer, when, f"S7{day}{number:08d}")
        record.orders_added += self.insert("orders", orders, day)
        self.insert("order_items", lines, day)
        record.events_added += self.insert("events", events, day)
        record.changed_order_customers += [o["customer_id"] for o in orders]
        record.changed_event_customers += [e["customer_id"] for e in events]
        return orders, events

    # --- the days --------------------------------------------------------------------
    def prepare_base(self) -> None:
        """Adds `loaded_at` to the inputs that carry it, set to the base load time for
        every row (events: left out when events_loaded_at is false, so the incremental
        build finds new events by their time within the lookback)."""
        for name in LOADED_AT_INPUTS:
            if self.has_loaded_at(name):
                self.con.execute(f"alter table {self.table(name)} add column loaded_at varchar")
                self.con.execute(f"update {self.table(name)} set loaded_at = ?", [load_time(0)])

    def apply_day(self, day: int) -> DayRecord:
        rng = random.Random(self.seed * 100 + day)
        record = DayRecord(day)
        when = FIRST_DAY + timedelta(days=day - 1)
        getattr(self, f"_day_{day}")(rng, day, when, record)
        record.changed_event_customers = sorted(set(record.changed_event_customers))
        record.changed_order_customers = sorted(set(record.changed_order_customers))
        [(newest,)] = self.rows(
            f"select max(try_cast(o.ordered_at as timestamp)) from {self.table('orders')} as o "
            f"where try_cast(o.ordered_at as timestamp) < timestamp '2030-01-01' "
            f"and o.customer_id in (select customer_id from {self.table('customers')})"
        )
        record.as_of_date = newest.date()
        return record

    def _day_1(self, rng: random.Random, day: int, when: date, record: DayRecord) -> None:
        customers, attributes, touches = [], [], []
        for number in range(1, 13):
            customer = f"C7{day}{number:05d}"
            country, region, city = _PLACES[rng.randrange(len(_PLACES))]
            customers.append(
                {
                    "customer_id": customer,
                    "email": f"{customer.lower()}@example.org",
                    "signup_at": _moment(rng, when, 0, 6),
                    "birth_date": str(date(rng.randint(1950, 2004), rng.randint(1, 9), 11)),
                    "gender": rng.choice(["female", "male", None]),
                    "income": str(rng.randrange(18, 190) * 1000),
                    "education": rng.choice(["bachelor", "master", "high_school"]),
                    "occupation": rng.choice(["nurse", "engineer", "designer"]),
                    "country": country,
                    "region": region,
                    "city": city,
                    "postal_code": f"{rng.randrange(10000, 99999)}",
                    "acquisition_channel": rng.choice(["social", "referral"]),
                }
            )
            attributes.append(
                {
                    "customer_id": customer,
                    "attribute": "interest_primary",
                    "value": sorted(_CATEGORIES)[rng.randrange(len(_CATEGORIES))],
                }
            )
            opened = _moment(rng, when, 8, 9) if rng.random() < 0.5 else None
            touches.append(
                {
                    "customer_id": customer,
                    "campaign_id": "CMP041",
                    "channel": "email",
                    "sent_at": _moment(rng, when, 0, 1),
                    "opened_at": opened,
                    "clicked_at": None,
                    "converted_at": None,
                }
            )
        self.insert("customers", customers, day)
        self.insert("customer_attributes", attributes, day)
        self.insert("marketing_touches", touches, day)
        record.new_customers = [c["customer_id"] for c in customers]
        # A second order for every other new customer.
        buyers = record.new_customers + record.new_customers[::2]
        self.orders_for(rng, day, buyers, record, when)

    def _day_2(self, rng: random.Random, day: int, when: date, record: DayRecord) -> None:
        existing = self.real_customers(min_orders=2)
        chosen = sorted(rng.sample(existing, 15))
        newest_order = self.newest("ordered_at", "orders")
        self.orders_for(rng, day, chosen, record, when)
        # Late rows: dated one and two days before the newest time before this batch.
        late_orders, late_lines, late_events = [], [], []
        for number, customer in enumerate(chosen[:4], start=1):
            at = newest_order - timedelta(days=1 + number % 2, hours=number)
            order, lines = self.order(rng, f"O7{day}L{number:06d}", customer, str(at))
            late_orders.append(order)
            late_lines += lines
            late_events += self.events(rng, customer, at.date(), f"S7{day}L{number:07d}")
        record.orders_added += self.insert("orders", late_orders, day)
        self.insert("order_items", late_lines, day)
        record.late_events = self.insert("events", late_events, day)
        record.events_added += record.late_events
        record.late_orders = [o["order_id"] for o in late_orders]
        record.changed_order_customers += [o["customer_id"] for o in late_orders]
        record.changed_event_customers += [e["customer_id"] for e in late_events]

    def _day_3(self, rng: random.Random, day: int, when: date, record: DayRecord) -> None:
        customers = self.real_customers(min_orders=3)
        corrected_customer, reused_customer = rng.sample(customers, 2)
        # A status correction of an older order: it becomes returned, loaded_at bumped.
        [(order_id,)] = self.rows(
            f"select min(order_id) from {self.table('orders')} where customer_id = ? "
            "and status = 'completed' and ordered_at < '2026-01-01'",
            [corrected_customer],
        )
        loaded = ", loaded_at = ?" if self.has_loaded_at("orders") else ""
        self.con.execute(
            f"update {self.table('orders')} set status = 'returned'{loaded} where order_id = ?",
            [load_time(day), order_id] if loaded else [order_id],
        )
        record.corrected_order, record.corrected_customer = order_id, corrected_customer
        record.changed_order_customers.append(corrected_customer)
        self.used |= {corrected_customer, reused_customer}
        [(record.corrected_rate,)] = self.rows(
            "select avg(case when status in ('returned', 'cancelled', 'refunded') then 1.0 "
            f"else 0.0 end) from {self.table('orders')} where customer_id = ?",
            [corrected_customer],
        )
        # An order row reusing an existing order_id: same customer, a later time, so the
        # existing row stays first by raw values and this one is the duplicate.
        [(reused_id,)] = self.rows(
            f"select min(order_id) from {self.table('orders')} where customer_id = ? "
            "and ordered_at < '2026-01-01' and order_id <> ?",
            [reused_customer, order_id],
        )
        order, _ = self.order(rng, reused_id, reused_customer, _moment(rng, when))
        self.insert("orders", [order], day)
        record.reused_order = (reused_id, order["ordered_at"])
        # An exact copy of an accepted event of yesterday (inside the lookback).
        [event] = self.rows(
            f"select customer_id, occurred_at, event_type, session_id, device_type, os, browser, "
            f"platform from {self.table('events')} where session_id like 'S72%' "
            "order by session_id, occurred_at limit 1"
        )
        names = ["customer_id", "occurred_at", "event_type", "session_id", "device_type", "os",
                 "browser", "platform"]  # fmt: skip
        self.insert("events", [dict(zip(names, event, strict=True))], day)
        record.duplicate_event = (event[0], event[1])
        # And an ordinary day: a few new orders, so the as-of date moves on.
        others = sorted(set(customers) - {corrected_customer, reused_customer})
        self.orders_for(rng, day, sorted(rng.sample(others, 5)), record, when)

    def _day_4(self, rng: random.Random, day: int, when: date, record: DayRecord) -> None:
        customers = self.real_customers(min_orders=3)
        erased, orphaned = rng.sample(customers, 2)
        record.erased_customer, record.orphaned_customer = erased, orphaned
        self.used |= {erased, orphaned}
        for customer in (erased, orphaned):
            [(orders,)] = self.rows(
                f"select count(*) from {self.table('orders')} where customer_id = ?", [customer]
            )
            [(events,)] = self.rows(
                f"select count(*) from {self.table('events')} where customer_id = ?", [customer]
            )
            record.removed_orders += orders
            record.removed_events += events
        for name in ("orders", "events", "marketing_touches", "customer_attributes"):
            [(count,)] = self.rows(
                f"select count(*) from {self.table(name)} where customer_id = ?", [orphaned]
            )
            record.orphaned_rows[name] = count
        # Erasure: the customer and every row of theirs, in every input.
        self.con.execute(
            f"delete from {self.table('order_items')} where order_id in "
            f"(select order_id from {self.table('orders')} where customer_id = ?)",
            [erased],
        )
        for name in ("orders", "events", "marketing_touches", "customer_attributes", "customers"):
            self.con.execute(f"delete from {self.table(name)} where customer_id = ?", [erased])
        # Removed from customers only: their rows stay and become unknown_customer.
        self.con.execute(f"delete from {self.table('customers')} where customer_id = ?", [orphaned])
        record.changed_order_customers += [erased, orphaned]
        record.changed_event_customers += [erased, orphaned]
        others = sorted(set(customers) - {erased, orphaned})
        buyers = sorted(rng.sample(others, 5))
        self.orders_for(rng, day, buyers, record, when)
        # Two customers stay customers but lose every event (one) or every order and its
        # lines (the other), all older than the lookback: their feature state row must be
        # deleted (a null fingerprint), and their features equal a full build's.
        eventless, orderless = rng.sample(sorted(set(others) - set(buyers)), 2)
        record.eventless_customer, record.orderless_customer = eventless, orderless
        self.used |= {eventless, orderless}
        [(events,)] = self.rows(
            f"select count(*) from {self.table('events')} where customer_id = ?", [eventless]
        )
        record.removed_events += events
        self.con.execute(f"delete from {self.table('events')} where customer_id = ?", [eventless])
        record.changed_event_customers.append(eventless)
        [(orders,)] = self.rows(
            f"select count(*) from {self.table('orders')} where customer_id = ?", [orderless]
        )
        record.removed_orders += orders
        self.con.execute(
            f"delete from {self.table('order_items')} where order_id in "
            f"(select order_id from {self.table('orders')} where customer_id = ?)",
            [orderless],
        )
        self.con.execute(f"delete from {self.table('orders')} where customer_id = ?", [orderless])
        record.changed_order_customers.append(orderless)

    def _day_5(self, rng: random.Random, day: int, when: date, record: DayRecord) -> None:
        """An unchanged day: nothing is loaded."""
