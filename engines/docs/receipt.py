"""A shop's till receipt: what it sells at the prices it charges, the quantities bought, and sums that add up.

A receipt once showed three to eight items at 1-8 of anything, so a pharmacy's cough syrup and a bookshop's
cookbook cost the same. Here each shop sells its own goods at prices in the range such a shop charges (in the
shop's country's currency), some bought several at a time (a line "3 @ 1.29" under the item, the line's amount
the product), and the sums are computed in cents so that they add up as printed: a US receipt's subtotal plus
sales tax is its total; a UK receipt's items include VAT, and its net plus VAT is its total (a greengrocer's food
carries neither: the US exempts it, the UK rates it zero; nor does a UK bookshop's). A payment line
follows: a card (its last four digits, the total charged) or cash (tendered, and the change).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from engines.everyday import STREETS, UK_CITIES, US_CITIES, day, en_day

# Shops by their name: what each sells, at (lowest, highest) prices in the shop's currency
GROCERIES = {"Coffee beans 500 g": (5.5, 11.0), "Whole milk 1 l": (0.9, 1.6), "Bread, sourdough": (2.5, 4.8),
             "Apples 1 kg": (1.8, 3.5), "Pasta 500 g": (0.8, 2.2), "Olive oil 750 ml": (5.0, 11.0),
             "Cheddar 200 g": (2.2, 4.5), "Tomatoes 500 g": (1.2, 2.8), "Rice 2 kg": (2.5, 5.5),
             "Orange juice 1 l": (1.5, 3.5), "Eggs (12)": (2.8, 5.5), "Butter 250 g": (2.0, 4.2),
             "Bananas 1 kg": (0.9, 1.8), "Greek yoghurt 500 g": (1.8, 3.6), "Chicken breast 500 g": (4.0, 8.5),
             "Tinned tomatoes 400 g": (0.6, 1.4), "Cornflakes 500 g": (1.8, 3.9), "Tea bags (80)": (2.2, 4.9)}
SHOPS: dict[str, dict[str, tuple[float, float]]] = {
    "Corner Market": {**GROCERIES, "Batteries AA (4)": (3.0, 6.5), "Dish soap 500 ml": (1.2, 3.0),
                      "Kitchen roll (2)": (1.8, 3.5), "Newspaper": (1.5, 3.5)},
    "Fresh Foods": GROCERIES,
    "Green Grocer": {"Apples 1 kg": (1.8, 3.5), "Tomatoes 500 g": (1.2, 2.8), "Bananas 1 kg": (0.9, 1.8),
                     "Carrots 1 kg": (0.7, 1.6), "Potatoes 2.5 kg": (1.8, 3.8), "Onions 1 kg": (0.8, 1.8),
                     "Lettuce": (0.7, 1.5), "Lemons (4)": (1.2, 2.4), "Strawberries 400 g": (2.0, 4.5),
                     "Spinach 200 g": (1.0, 2.2), "Avocados (2)": (1.8, 3.5), "Mushrooms 250 g": (1.0, 2.2),
                     "Cucumber": (0.6, 1.2), "Grapes 500 g": (2.0, 4.0), "Peppers (3)": (1.5, 2.8),
                     "Broccoli": (0.8, 1.8)},
    "City Pharmacy": {"Paracetamol 500 mg (16)": (0.8, 3.5), "Ibuprofen 200 mg (24)": (1.5, 5.5),
                      "Plasters (20)": (2.0, 4.5), "Hand cream 75 ml": (3.0, 8.5), "Toothpaste 75 ml": (1.5, 4.5),
                      "Vitamin C (30)": (3.5, 8.0), "Cough syrup 150 ml": (5.0, 9.5), "Sunscreen SPF 30": (6.0, 14.0),
                      "Shampoo 250 ml": (2.5, 7.5), "Cotton pads (80)": (1.2, 2.8), "Allergy tablets (14)": (3.0, 9.0),
                      "Throat lozenges (24)": (3.5, 6.5), "Toothbrush": (1.5, 4.5), "Lip balm": (1.5, 4.0),
                      "Antiseptic cream 30 g": (2.5, 5.0)},
    "Book Nook": {"Paperback novel": (7.99, 12.99), "Notebook A5": (3.5, 9.0), "Ballpoint pens (3)": (2.0, 4.5),
                  "Greeting card": (2.5, 4.5), "Road atlas": (9.99, 16.99), "Cookbook": (14.99, 28.0),
                  "Bookmark": (1.5, 3.5), "Picture book": (6.99, 12.99), "Wrapping paper": (2.0, 4.0),
                  "Pencil set (12)": (3.5, 8.5), "Hardback biography": (16.99, 25.0), "Diary 2025": (6.0, 14.0),
                  "Sticky notes (6)": (3.0, 6.0), "Puzzle book": (3.99, 7.99), "Travel guide": (11.99, 19.99)},
    "Hillside Hardware": {"Wood screws 4x40 (100)": (3.5, 6.0), "Paint brush 25 mm": (2.5, 6.0),
                          "Masking tape 25 mm": (2.5, 4.5), "LED bulb E27": (3.0, 7.0),
                          "Extension lead 4-way": (9.0, 18.0), "Sandpaper (10)": (3.0, 6.0),
                          "WD-40 200 ml": (4.0, 7.0), "Claw hammer": (9.0, 20.0), "Batteries AA (4)": (3.0, 6.5),
                          "Cable ties (100)": (2.5, 5.0), "Wall plugs (50)": (2.0, 4.0), "Tape measure 5 m": (5.0, 12.0),
                          "Wood glue 250 ml": (3.5, 7.0), "Work gloves": (4.0, 9.0), "Drill bits (5)": (5.0, 12.0)},
    "Blue Door Cafe": {"Flat white": (2.9, 3.8), "Cappuccino": (2.8, 3.7), "Pot of tea": (2.2, 3.2),
                       "Hot chocolate": (2.9, 3.9), "Croissant": (2.2, 3.2), "Toasted sandwich": (5.0, 7.5),
                       "Soup of the day": (4.5, 6.5), "Carrot cake": (3.0, 4.5), "Scone with jam": (2.8, 3.9),
                       "Orange juice": (2.5, 3.5), "Sparkling water": (1.5, 2.5), "Porridge": (3.5, 5.0),
                       "Avocado toast": (6.5, 9.5), "Brownie": (2.5, 3.5), "Iced latte": (3.2, 4.2)},
}
SALES_TAX = (0.0625, 0.07, 0.0825, 0.08875)  # US state and local rates on the subtotal
UNTAXED = frozenset({"Fresh Foods", "Green Grocer"})  # food: most US states exempt it, the UK rates it zero
UK_VAT = frozenset({"City Pharmacy", "Hillside Hardware", "Blue Door Cafe"})  # a UK shop selling at the standard rate
CARDS = ("Visa", "Mastercard", "Amex", "Debit")
THANKS = ("Thank you for your purchase", "Thank you for shopping with us", "Please keep your receipt")


@dataclass(frozen=True)
class Line:
    """One item bought: its name, how many, the unit price and the line's amount, both in cents."""

    name: str
    quantity: int
    unit: int
    amount: int


@dataclass(frozen=True)
class Receipt:
    """A receipt's figures (cents): its lines, their sum, the tax (a US rate on the subtotal, or the VAT the UK
    total includes), the total, and what was paid (`tendered` = total for a card)."""

    shop: str
    uk: bool
    lines: tuple[Line, ...]
    subtotal: int
    rate: float
    tax: int
    total: int
    card: str  # "" for cash
    tendered: int


def draw(rng: np.random.Generator, most: int) -> Receipt:
    """A receipt of 4 to `most` (at most 15) different items; a line of several takes two of `most`."""
    shop = str(rng.choice(list(SHOPS)))
    goods = SHOPS[shop]
    n = int(rng.integers(4, max(5, min(15, most - 1) + 1)))
    names = [str(x) for x in rng.choice(list(goods), min(n, len(goods)), replace=False)]
    lines: list[Line] = []
    used = 0
    for name in names:
        low, high = goods[name]
        unit = int(round(float(rng.uniform(low, high)) * 100))
        unit = unit - unit % 10 + int(rng.choice([9, 9, 5, 0]))  # prices end in 9, 5 or 0 cents
        several = high < 6 and rng.random() < 0.3 and used + 2 <= most - (len(names) - len(lines) - 1)
        quantity = int(rng.integers(2, 5)) if several else 1
        used += 2 if several else 1
        lines.append(Line(name, quantity, unit, quantity * unit))
    subtotal = sum(line.amount for line in lines)
    uk = bool(rng.random() < 0.5)
    if uk:  # UK prices include VAT at 20%: the total is the items' sum, a sixth of it VAT
        rate, total = (0.2 if shop in UK_VAT else 0.0), subtotal
        tax = total - int(round(total / (1 + rate)))
    else:
        rate = 0.0 if shop in UNTAXED else float(rng.choice(SALES_TAX))
        tax = int(round(subtotal * rate))
        total = subtotal + tax
    card = str(rng.choice(CARDS)) if rng.random() < 0.7 else ""
    note = next(v for v in (500, 1000, 2000, 5000, 10000, 20000) if v >= total) if total <= 20000 else total
    tendered = total if card else int(note)
    return Receipt(shop, uk, tuple(lines), subtotal, rate, tax, total, card, tendered)


def money(cents: int) -> str:
    return f"{cents // 100:,}.{cents % 100:02d}"


def rows(receipt: Receipt, rng: np.random.Generator) -> list[list[str]]:
    """The receipt's table rows: each item and its amount (a line of several, "3 @ 1.29" under it), then the sums
    and the payment."""
    sign = "£" if receipt.uk else "$"
    out: list[list[str]] = []
    for line in receipt.lines:
        out.append([line.name, money(line.amount)])
        if line.quantity > 1:
            out.append([f"{line.quantity} @ {money(line.unit)}", ""])
    total = ["Total", f"{sign}{money(receipt.total)}"]
    if not receipt.rate:
        out.append(total)
    elif receipt.uk:
        out += [total, ["Net", money(receipt.total - receipt.tax)], [f"VAT {receipt.rate:.0%}", money(receipt.tax)]]
    else:
        out += [["Subtotal", money(receipt.subtotal)], [f"Sales tax {receipt.rate * 100:g}%", money(receipt.tax)], total]
    if receipt.card:
        out.append([f"{receipt.card} **** {int(rng.integers(1000, 10000))}", money(receipt.total)])
    else:
        out += [["Cash", money(receipt.tendered)], ["Change", money(receipt.tendered - receipt.total)]]
    return out


def head(receipt: Receipt, rng: np.random.Generator) -> str:
    """The shop's name, address, the date and time, and the receipt's number, as HTML."""
    city = str(rng.choice(UK_CITIES if receipt.uk else US_CITIES))
    when = f"{en_day(day(rng, 2020, 2025))} {int(rng.integers(8, 21)):02d}:{int(rng.integers(60)):02d}"
    return (f"<h1>{html.escape(receipt.shop)}</h1>"
            f"<p class='centre'>{int(rng.integers(2, 400))} {rng.choice(STREETS)}<br/>{city}</p>"
            f"<p class='centre'>{when}<br/>Receipt no. {int(rng.integers(1000, 9999))}-{int(rng.integers(10 ** 5, 10 ** 6))}</p>")


def thanks(rng: np.random.Generator) -> str:
    return f"<p class='centre'>{rng.choice(THANKS)}</p>"
