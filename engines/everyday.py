"""Invented people, places, organisations, dates and contact details that everyday documents name (letters, notices,
receipts, forms), shared by the engines that draw such documents so that each does not keep its own copy.

Everything is invented: a real person's or company's name would put invented words and figures in their mouth.
Dates are `datetime.date`s, so a document's dates can be put in order (a reply after the letter it answers, a
meeting after the notice calling it) and written in each language's convention.
"""

from __future__ import annotations

import datetime

import numpy as np

from engines.base import pick

EN_NAMES = ("Alice Martin", "David Chen", "Maria Garcia", "James Wilson", "Sarah Johnson", "Thomas Becker",
            "Emily Clarke", "Robert Novak", "Laura Rossi", "Daniel Kim", "Anna Schmidt", "Peter Hughes")
STREETS = ("Maple Avenue", "Station Road", "High Street", "Oak Lane", "Church Street", "Park Road", "Mill Lane")
US_CITIES = ("Springfield, IL 62704", "Portland, OR 97205", "Austin, TX 78701", "Madison, WI 53703")
UK_CITIES = ("Cambridge CB2 1TN", "Leeds LS1 4AP", "Bristol BS1 5TR")
CITIES = US_CITIES + UK_CITIES
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ZH_NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周婷", "吴军")
ZH_AREA_CODES = ("010", "021", "020", "0571", "027", "025", "028", "029")  # Beijing, Shanghai, Guangzhou, ...


def day(rng: np.random.Generator, first: int = 2015, last: int = 2025) -> datetime.date:
    """A day of a year from `first` to `last`."""
    start = datetime.date(first, 1, 1)
    return start + datetime.timedelta(days=int(rng.integers((datetime.date(last, 12, 31) - start).days + 1)))


def later(rng: np.random.Generator, date: datetime.date, least: int, most: int) -> datetime.date:
    """A day `least` to `most` days after `date`."""
    return date + datetime.timedelta(days=int(rng.integers(least, most + 1)))


def en_day(date: datetime.date) -> str:
    """"March 5, 2024"."""
    return f"{MONTHS[date.month - 1]} {date.day}, {date.year}"


def zh_day(date: datetime.date) -> str:
    """"2024年3月5日"."""
    return f"{date.year}年{date.month}月{date.day}日"


def en_date(rng: np.random.Generator) -> str:
    return en_day(day(rng))


def zh_date(rng: np.random.Generator, year: int | None = None) -> str:
    return zh_day(day(rng, *(year, year) if year else (2015, 2025)))


def en_phone(rng: np.random.Generator, city: str) -> str:
    """A telephone number as the city's country writes it."""
    if city in UK_CITIES:
        return f"0{int(rng.integers(113, 118))} {int(rng.integers(200, 999))} {int(rng.integers(1000, 9999))}"
    return f"({int(rng.integers(201, 989))}) {int(rng.integers(200, 999))}-{int(rng.integers(1000, 9999))}"


def zh_phone(rng: np.random.Generator) -> str:
    """An office number with its area code: "010-65234187", "0571-8765432"."""
    code = pick(rng, ZH_AREA_CODES)
    digits = 11 - len(code)  # a local number of 8 digits under a 3-digit code, 7 under a 4-digit one
    return f"{code}-{int(rng.integers(2, 9))}{int(rng.integers(10 ** (digits - 1))):0{digits - 1}d}"


def email(name: str, domain: str) -> str:
    """"laura.rossi@example.org" for Laura Rossi."""
    return f"{name.lower().replace(' ', '.')}@{domain}"
