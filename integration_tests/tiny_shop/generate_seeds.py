"""Write the tiny shop's raw data as two seed CSVs (run once; the output is committed).

    python integration_tests/tiny_shop/generate_seeds.py

A typical small shop, shaped like dbt-labs' jaffle_shop: 100 customers (about
a fifth never ordered), integer ids, order amounts in cents, a few hundred
orders over 18 months. Deterministic: the same script writes the same bytes.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

SEEDS = Path(__file__).resolve().parent / "seeds"
CUSTOMERS = 100
START = date(2024, 1, 1)
DAYS = 547  # to 2025-06-30
FIRST_NAMES = ["Ana", "Ben", "Chloe", "Dev", "Emma", "Finn", "Gia", "Hugo", "Ines", "Jon"]
LAST_INITIALS = "ABCDEFGHIJKLMNOPRSTW"
# persona -> (share of customers, orders (min, max), amount in cents (min, max), active days)
PERSONAS = {
    "prospect": (0.18, (0, 0), (0, 0), (0, DAYS)),
    "one_off": (0.30, (1, 1), (1_500, 4_500), (0, DAYS)),
    "regular": (0.24, (3, 6), (3_000, 7_000), (120, DAYS)),
    "big_spender": (0.14, (4, 9), (12_000, 30_000), (60, DAYS)),
    "lapsed": (0.14, (2, 4), (2_000, 6_000), (0, 200)),
}
STATUSES = ["completed"] * 8 + ["shipped", "returned"]


def generate(seed: int = 14) -> tuple[list[list], list[list]]:
    rng = random.Random(seed)
    personas = [
        name for name, (share, *_) in PERSONAS.items() for _ in range(round(share * CUSTOMERS))
    ]
    rng.shuffle(personas)
    customers, orders = [], []
    for customer_id, persona in enumerate(personas[:CUSTOMERS], start=1):
        _, (low, high), (cents_low, cents_high), (first_day, last_day) = PERSONAS[persona]
        customers.append([customer_id, rng.choice(FIRST_NAMES), rng.choice(LAST_INITIALS) + "."])
        days = sorted(rng.sample(range(first_day, last_day), rng.randint(low, high)))
        for day in days:
            status = STATUSES[rng.randrange(len(STATUSES))]
            cents = rng.randint(cents_low, cents_high)
            orders.append([customer_id, (START + timedelta(days=day)).isoformat(), status, cents])
    orders.sort(key=lambda row: (row[1], row[0]))
    return customers, [[order_id, *row] for order_id, row in enumerate(orders, start=1)]


def main() -> None:
    customers, orders = generate()
    for name, header, rows in [
        ("raw_customers", ["id", "first_name", "last_name"], customers),
        ("raw_orders", ["id", "user_id", "order_date", "status", "amount_cents"], orders),
    ]:
        with (SEEDS / f"{name}.csv").open("w", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
