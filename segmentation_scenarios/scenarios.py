"""The scenario shops: personas as latent behaviour parameters, and each shop's vocabulary.

A persona is not a list of output values but a set of distributions that each
customer's own parameters are drawn from (a Beta for a propensity, a
lognormal for a rate or a level); `generate.py` then simulates the raw rows
from the customer's parameters. Within-persona spread (small `kappa`, large
`sigma`) is what makes neighbouring personas overlap.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

Beta = tuple[float, float]  # (mean, concentration): larger concentration = tighter
LogNormal = tuple[float, float]  # (median, sigma of the log)
Normal = tuple[float, float]  # (mean, standard deviation)
Range = tuple[float, float]  # uniform (low, high)


@dataclass(frozen=True)
class Persona:
    """Latent behaviour of one planted group; every field is a distribution over customers."""

    share: float = 0.0
    one_time: bool = False  # exactly one order; otherwise at least two
    first_ago: Range = (400.0, 1095.0)  # days before the end of history of the first order
    stop_ago: Range = (0.0, 45.0)  # days before the end when the customer stops buying
    gap: LogNormal = (60.0, 0.45)  # the customer's mean days between orders
    gap_cv: Normal = (0.8, 0.2)  # coefficient of variation of gaps (regularity)
    max_orders: int = 80
    lines: float = 1.8  # mean order lines per order (1 + Poisson)
    price_z: Normal = (0.0, 0.5)  # price level: which products within a category
    category_weights: tuple[float, ...] | None = None  # Dirichlet mean; None = uniform
    category_focus: float = 3.0  # Dirichlet concentration: small = one favourite category
    discount: Beta = (0.25, 6.0)  # share of orders with a discount
    depth: Beta = (0.15, 12.0)  # discount as a share of the basket
    returns: Beta = (0.06, 20.0)  # share of orders returned or cancelled
    channel_weights: tuple[float, ...] = (0.6, 0.3, 0.1)  # over the shop's order channels
    weekend: Beta = (0.29, 8.0)  # share of orders placed on a weekend
    hour: Normal = (14.0, 3.5)  # usual hour of day of an order
    browse: LogNormal = (1.5, 0.5)  # browse-only sessions per order
    abandon: Beta = (0.3, 8.0)  # share of cart sessions without a purchase
    mobile: Beta = (0.5, 4.0)  # share of sessions on a mobile device
    app: float = 0.3  # probability the customer adopted the app
    touches: float = 16.0  # marketing messages received over the customer's life
    opens: Beta = (0.25, 6.0)  # share of messages opened
    clicks: Beta = (0.2, 6.0)  # share of opened messages clicked
    age: Normal = (40.0, 12.0)
    income: LogNormal = (55_000.0, 0.4)


BASE = Persona()


def persona(share: float, base: Persona = BASE, **changes: object) -> Persona:
    """A persona that differs from the average shopper `base` only in `changes`.

    A scenario may pass its own `base` (the shop's average shopper, e.g. with a
    longer history) so that every persona shares the behaviours it does not change.
    """
    return replace(base, share=share, **changes)  # type: ignore[arg-type]


# Event roles the simulator emits, in the order of the package's default event_types.
EVENT_ROLES = (
    "page_view", "product_view", "search", "add_to_cart", "remove_from_cart",
    "checkout_start", "purchase", "app_open", "login",
)  # fmt: skip
DEFAULT_EVENTS = {role: role for role in EVENT_ROLES}

DEFAULT_CATEGORIES = (
    ("electronics", 180.0), ("home", 45.0), ("fashion", 40.0), ("beauty", 22.0),
    ("sports", 55.0), ("books", 14.0), ("toys", 28.0), ("grocery", 9.0),
)  # fmt: skip


@dataclass(frozen=True)
class Scenario:
    """One synthetic shop: its personas, vocabulary, money format and inputs."""

    description: str
    separates: str
    personas: dict[str, Persona]
    seed: int
    noise_share: float = 0.0
    prospect_share: float = 0.0
    history_days: int = 1095
    money_scale: float = 1.0  # currency multiplier applied to every price
    money_decimals: int = 2  # 0 = whole units (cents, yen)
    inputs: tuple[str, ...] = (
        "customers", "orders", "order_items", "events", "marketing_touches",
        "customer_attributes",
    )  # fmt: skip
    categories: tuple[tuple[str, float], ...] = DEFAULT_CATEGORIES  # (name, base price)
    order_channels: tuple[str, ...] = ("web", "app", "store")
    events: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_EVENTS))
    mobile_devices: tuple[str, str] = ("mobile", "tablet")
    desktop_device: str = "desktop"
    app_platforms: tuple[str, str] = ("ios_app", "android_app")  # (ios, android)
    web_platform: str = "web"


GARDEN = (
    ("plants", 25.0), ("seeds", 6.0), ("tools", 60.0), ("pots", 18.0),
    ("furniture", 240.0), ("lighting", 70.0), ("decor", 30.0),
)  # fmt: skip

# The devices_app shop names its events its own way (mapped by vars).
DEVICE_SHOP_EVENTS = {
    "page_view": "view",
    "product_view": "item_view",
    "search": "find",
    "add_to_cart": "basket_add",
    "remove_from_cart": "basket_remove",
    "checkout_start": "checkout",
    "purchase": "order_placed",
    "app_open": "app_launch",
    "login": "sign_in",
}  # fmt: skip


# Shops whose average shopper has a longer history or a faster cadence, so that
# per-customer rates and last-active dates rest on enough orders.
_DEAL_SHOP = replace(BASE, first_ago=(600.0, 1095.0), gap=(25.0, 0.45))
_LONG_HISTORY = replace(BASE, first_ago=(760.0, 1095.0), gap=(30.0, 0.45))


SCENARIOS: dict[str, Scenario] = {
    "three_clear": Scenario(
        description="Three well-separated personas of similar size (sanity check).",
        separates="everything at once: spend, discounts, devices, app, recency, e-mail response",
        seed=1001,
        personas={
            "bargain_app_browsers": persona(
                0.34,
                gap=(25.0, 0.3),
                price_z=(-1.2, 0.3),
                discount=(0.8, 30.0),
                mobile=(0.88, 30.0),
                app=0.95,
                browse=(3.5, 0.25),
                abandon=(0.6, 30.0),
                opens=(0.6, 30.0),
                first_ago=(300.0, 900.0),
            ),
            "premium_desktop": persona(
                0.33,
                gap=(80.0, 0.3),
                price_z=(1.3, 0.3),
                discount=(0.04, 40.0),
                mobile=(0.1, 30.0),
                app=0.02,
                browse=(0.7, 0.25),
                abandon=(0.12, 30.0),
                opens=(0.12, 30.0),
                first_ago=(500.0, 1095.0),
            ),
            "lapsed_occasional": persona(
                0.33,
                gap=(120.0, 0.3),
                first_ago=(850.0, 1095.0),
                stop_ago=(420.0, 700.0),
                discount=(0.35, 30.0),
                mobile=(0.5, 30.0),
                app=0.2,
                opens=(0.04, 30.0),
            ),
        },
    ),
    "five_unequal_overlap": Scenario(
        description="Five personas of 4 %-33 % with overlapping distributions in a garden shop.",
        separates="5-6 features each (frequency, spend, discounts, devices, app, e-mail), "
        "no single column separates them",
        seed=1002,
        categories=GARDEN,
        order_channels=("online", "phone", "garden_centre"),
        mobile_devices=("phone", "tablet"),
        desktop_device="computer",
        app_platforms=("iphone_app", "android_app"),
        web_platform="website",
        personas={
            "weekend_gardeners": persona(
                0.33,
                gap=(40.0, 0.35),
                weekend=(0.6, 8.0),
                price_z=(-0.3, 0.4),
                discount=(0.25, 10.0),
                mobile=(0.6, 10.0),
                app=0.3,
                browse=(1.5, 0.35),
                opens=(0.3, 10.0),
                category_weights=(0.35, 0.25, 0.1, 0.15, 0.02, 0.03, 0.1),
            ),
            "landscapers": persona(
                0.27,
                gap=(18.0, 0.35),
                lines=3.0,
                price_z=(0.4, 0.4),
                discount=(0.35, 10.0),
                mobile=(0.25, 10.0),
                app=0.15,
                browse=(0.7, 0.35),
                opens=(0.12, 10.0),
                category_weights=(0.25, 0.1, 0.35, 0.15, 0.05, 0.05, 0.05),
            ),
            "deal_seekers": persona(
                0.20,
                gap=(45.0, 0.35),
                price_z=(-0.9, 0.4),
                discount=(0.7, 10.0),
                abandon=(0.55, 10.0),
                mobile=(0.8, 10.0),
                app=0.6,
                browse=(3.0, 0.35),
                opens=(0.55, 10.0),
            ),
            "patio_upgraders": persona(
                0.16,
                gap=(130.0, 0.35),
                first_ago=(400.0, 1095.0),
                price_z=(1.1, 0.4),
                discount=(0.08, 10.0),
                mobile=(0.25, 10.0),
                app=0.1,
                abandon=(0.45, 10.0),
                category_weights=(0.05, 0.02, 0.08, 0.1, 0.45, 0.2, 0.1),
            ),
            "dormant_hobbyists": persona(
                0.04,
                gap=(80.0, 0.35),
                first_ago=(700.0, 1095.0),
                stop_ago=(250.0, 550.0),
                opens=(0.06, 10.0),
                mobile=(0.45, 10.0),
                app=0.25,
                browse=(1.0, 0.35),
            ),
        },
    ),
    "nine_personas": Scenario(
        description="Nine personas of 3 %-20 %.",
        separates="a different pair or triple of traits per persona "
        "(frequency, spend, discounts, devices, app, recency, e-mail, baskets)",
        seed=1003,
        personas={
            "loyal_regulars": persona(0.20, gap=(12.0, 0.25), opens=(0.45, 15.0)),
            "big_spenders": persona(0.16, price_z=(1.7, 0.3), lines=2.8, discount=(0.05, 20.0)),
            "coupon_clippers": persona(
                0.14, discount=(0.92, 20.0), depth=(0.3, 12.0), price_z=(-0.9, 0.35)
            ),
            "app_natives": persona(0.12, mobile=(0.95, 25.0), app=0.98, browse=(4.0, 0.3)),
            "lapsed": persona(0.10, first_ago=(700.0, 1095.0), stop_ago=(400.0, 700.0)),
            "desktop_researchers": persona(
                0.09, mobile=(0.06, 20.0), app=0.02, browse=(5.0, 0.3), abandon=(0.65, 15.0)
            ),
            "newcomers": persona(0.08, first_ago=(40.0, 150.0), gap=(20.0, 0.35)),
            "email_responders": persona(
                0.08, opens=(0.85, 25.0), clicks=(0.55, 10.0), discount=(0.45, 12.0)
            ),
            "rare_big_baskets": persona(
                0.03, gap=(150.0, 0.2), lines=6.0, first_ago=(700.0, 1095.0)
            ),
        },
    ),
    "rhythm": Scenario(
        description="Four personas separated mainly by buying rhythm.",
        separates="gap length and regularity (so order count, mean and stddev of gaps); "
        "similar spend and devices",
        seed=1004,
        personas={
            "weekly_regulars": persona(
                0.30, gap=(9.0, 0.2), gap_cv=(0.2, 0.05), first_ago=(150.0, 400.0)
            ),
            "monthly_regulars": persona(0.25, gap=(32.0, 0.2), gap_cv=(0.2, 0.05)),
            "bursty": persona(0.25, gap=(45.0, 0.3), gap_cv=(1.8, 0.25)),
            "seasonal_rare": persona(
                0.20, gap=(170.0, 0.2), gap_cv=(0.3, 0.08), first_ago=(600.0, 1095.0)
            ),
        },
    ),
    "discounts": Scenario(
        description="Four personas separated mainly by discount behaviour.",
        separates="share of discounted orders and discount depth (and e-mail for promo "
        "responders; deal hunters buy a little cheaper); otherwise similar",
        seed=1005,
        personas={
            "full_price": persona(0.40, base=_DEAL_SHOP, discount=(0.01, 50.0), depth=(0.05, 20.0)),
            "sometimes_discounted": persona(
                0.30, base=_DEAL_SHOP, discount=(0.4, 40.0), depth=(0.12, 20.0)
            ),
            "deal_hunters": persona(
                0.20,
                base=_DEAL_SHOP,
                discount=(0.95, 40.0),
                depth=(0.3, 20.0),
                price_z=(-0.4, 0.5),
            ),
            "promo_responders": persona(
                0.10,
                base=_DEAL_SHOP,
                discount=(0.7, 25.0),
                depth=(0.2, 20.0),
                opens=(0.85, 25.0),
                clicks=(0.55, 10.0),
            ),
        },
    ),
    "devices_app": Scenario(
        description="Four personas separated mainly by device and app use, own event names.",
        separates="mobile session share, app adoption, sessions per order and cart "
        "abandonment; similar spend and rhythm",
        seed=1006,
        events=DEVICE_SHOP_EVENTS,
        personas={
            "desktop_web": persona(
                0.30, mobile=(0.05, 25.0), app=0.02, browse=(0.9, 0.25), abandon=(0.3, 15.0)
            ),
            "mobile_web": persona(
                0.30, mobile=(0.88, 25.0), app=0.03, browse=(1.6, 0.25), abandon=(0.55, 20.0)
            ),
            "app_first": persona(
                0.25, mobile=(0.95, 30.0), app=0.98, browse=(4.0, 0.25), abandon=(0.15, 20.0)
            ),
            "omnichannel": persona(
                0.15, mobile=(0.45, 30.0), app=0.9, browse=(2.5, 0.25), abandon=(0.3, 15.0)
            ),
        },
    ),
    "category_affinity": Scenario(
        description="Four personas separated mainly by which categories they buy.",
        separates="category mix (favourite category, concentration) and so price tier and "
        "basket value; otherwise similar",
        seed=1007,
        personas={
            "tech_buyers": persona(
                0.30,
                category_weights=(0.75, 0.06, 0.02, 0.01, 0.12, 0.02, 0.01, 0.01),
                category_focus=20.0,
            ),
            "style_and_beauty": persona(
                0.30,
                category_weights=(0.01, 0.04, 0.55, 0.35, 0.02, 0.01, 0.01, 0.01),
                category_focus=20.0,
            ),
            "home_and_pantry": persona(
                0.25,
                category_weights=(0.01, 0.5, 0.03, 0.04, 0.01, 0.02, 0.02, 0.37),
                category_focus=20.0,
            ),
            "books_and_toys": persona(
                0.15,
                category_weights=(0.01, 0.02, 0.02, 0.01, 0.03, 0.55, 0.35, 0.01),
                category_focus=20.0,
            ),
        },
    ),
    "recency_only": Scenario(
        description="Three personas that differ only in when they were last active.",
        separates="last-active date only (active now / faded 7-10 months ago / gone over "
        "15 months); everything else from the same distributions",
        seed=1008,
        personas={
            "active": persona(0.45, base=_LONG_HISTORY, stop_ago=(0.0, 15.0)),
            "faded": persona(0.30, base=_LONG_HISTORY, stop_ago=(200.0, 320.0)),
            "gone": persona(0.25, base=_LONG_HISTORY, stop_ago=(450.0, 720.0)),
        },
    ),
    "dominant_half": Scenario(
        description="Five personas, one holding half of the customers, the smallest 3 %.",
        separates="the mass is average shoppers; the others differ in spend, discounts, "
        "app use or recency",
        seed=1009,
        personas={
            "mainstream": persona(0.50),
            "discount_mobile": persona(
                0.25, discount=(0.9, 25.0), mobile=(0.92, 25.0), app=0.95, price_z=(-0.8, 0.35)
            ),
            "lapsed": persona(0.12, first_ago=(700.0, 1095.0), stop_ago=(400.0, 700.0)),
            "frequent_regulars": persona(0.10, gap=(10.0, 0.25), opens=(0.65, 15.0)),
            "luxury_few": persona(
                0.03,
                price_z=(2.2, 0.3),
                lines=3.0,
                discount=(0.02, 30.0),
                mobile=(0.12, 15.0),
                app=0.03,
            ),
        },
    ),
    "noisy": Scenario(
        description="Six personas plus 5 % noise customers with random parameters.",
        separates="a few traits per persona; noise customers mix parameters of random personas",
        seed=1010,
        noise_share=0.05,
        personas={
            "regulars": persona(0.25, gap=(14.0, 0.3), opens=(0.5, 12.0)),
            "premium": persona(0.20, price_z=(1.5, 0.35), lines=2.4, discount=(0.04, 20.0)),
            "bargain": persona(0.17, discount=(0.88, 15.0), price_z=(-1.0, 0.35)),
            "app_users": persona(0.15, mobile=(0.92, 20.0), app=0.97, browse=(3.5, 0.3)),
            "lapsed": persona(0.10, first_ago=(700.0, 1095.0), stop_ago=(400.0, 700.0)),
            "window_shoppers": persona(
                0.08, browse=(6.0, 0.3), abandon=(0.75, 15.0), mobile=(0.15, 15.0), app=0.03
            ),
        },
    ),
    "retail_realistic": Scenario(
        description="18 months of a retail shop where most customers bought once.",
        separates="one-time vs repeat; one-timers by discount/price/recency (cheap "
        "discounted vs full-price gifts), repeaters by frequency, spend and recency",
        seed=1011,
        history_days=540,
        prospect_share=0.02,
        personas={
            "deal_one_timers": persona(
                0.34,
                one_time=True,
                first_ago=(0.0, 540.0),
                discount=(0.97, 40.0),
                depth=(0.3, 15.0),
                price_z=(-1.0, 0.35),
                lines=1.3,
                mobile=(0.75, 10.0),
                opens=(0.3, 6.0),
            ),
            "gift_one_timers": persona(
                0.24,
                one_time=True,
                first_ago=(0.0, 540.0),
                discount=(0.02, 40.0),
                price_z=(1.2, 0.35),
                lines=1.5,
                weekend=(0.55, 6.0),
                mobile=(0.3, 10.0),
                app=0.03,
                opens=(0.08, 6.0),
                touches=6.0,
            ),
            "regulars": persona(
                0.22,
                first_ago=(200.0, 540.0),
                stop_ago=(0.0, 30.0),
                gap=(40.0, 0.3),
                app=0.45,
            ),
            "vips": persona(
                0.06,
                first_ago=(300.0, 540.0),
                stop_ago=(0.0, 20.0),
                gap=(14.0, 0.3),
                price_z=(1.3, 0.35),
                lines=2.8,
                app=0.75,
                opens=(0.55, 10.0),
            ),
            "lapsed_repeaters": persona(
                0.12,
                first_ago=(400.0, 540.0),
                stop_ago=(230.0, 340.0),
                gap=(40.0, 0.3),
                opens=(0.1, 6.0),
            ),
        },
    ),
    "orders_only": Scenario(
        description="Only customers and orders; four personas separated by what orders carry.",
        separates="order frequency, basket value, recency and discounts",
        seed=1012,
        inputs=("customers", "orders"),
        personas={
            "frequent_small": persona(0.35, gap=(15.0, 0.3), price_z=(-1.0, 0.35), lines=1.3),
            "big_ticket": persona(
                0.25, gap=(120.0, 0.3), price_z=(1.6, 0.35), lines=2.6, first_ago=(500.0, 1095.0)
            ),
            "lapsed": persona(0.20, first_ago=(700.0, 1095.0), stop_ago=(400.0, 700.0)),
            "discount_driven": persona(
                0.20, discount=(0.9, 20.0), depth=(0.3, 15.0), price_z=(-0.3, 0.45)
            ),
        },
    ),
}

# The money scenarios share personas: spend level and frequency separate them.
_MONEY_PERSONAS = {
    "budget_frequent": persona(0.40, gap=(12.0, 0.3), price_z=(-1.3, 0.3), lines=1.5),
    "mid_market": persona(0.30, gap=(45.0, 0.3), price_z=(0.0, 0.35)),
    "premium_rare": persona(
        0.20, gap=(180.0, 0.25), price_z=(1.8, 0.3), lines=2.6, first_ago=(600.0, 1095.0)
    ),
    "bargain_lapsed": persona(
        0.10,
        discount=(0.8, 15.0),
        price_z=(-0.5, 0.4),
        first_ago=(700.0, 1095.0),
        stop_ago=(400.0, 700.0),
    ),
}
SCENARIOS["cents_currency"] = Scenario(
    description="Four personas with every amount in cents ('4599' for 45.99).",
    separates="spend level, frequency, discounts and recency; money x100 as whole numbers",
    seed=1013,
    money_scale=100.0,
    money_decimals=0,
    personas=_MONEY_PERSONAS,
)
SCENARIOS["yen_currency"] = Scenario(
    description="Four personas with every amount in yen (x150, whole numbers).",
    separates="spend level, frequency, discounts and recency; money x150 as whole numbers",
    seed=1014,
    money_scale=150.0,
    money_decimals=0,
    personas=_MONEY_PERSONAS,
)
