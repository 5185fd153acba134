"""Reading a table's row labels as points in time, so a chart runs left to right, oldest first.

Statistics portals publish the newest period first ("2023, 2022, 2021 ..."); a chart of that table
drawn in row order would run backwards in time. A label is a time when it reads as a year
("1820", "2019年", "FY2019", "2019/20"), a quarter ("Q1 2019", "2019Q1", "2019年一季度"), a month
("Jan 2019", "2019-01", "2019年1月", "January 2019") or a date ("2019-01-15"); a table whose every
label is one, in strictly monotone order, is a time series, and reversed when it runs backwards.
"""

from __future__ import annotations

import re

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
ZH_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4}
_PATTERNS: list[tuple[re.Pattern, callable]] = [
    (re.compile(r"^(?:FY\s?)?((?:1[5-9]|20)\d\d)(?:年)?(?:/(\d\d))?$", re.I), lambda m: (int(m[1]), 0, 0)),
    (re.compile(r"^Q([1-4])[\s\-/]*((?:1[5-9]|20)\d\d)$", re.I), lambda m: (int(m[2]), int(m[1]) * 3, 0)),
    (re.compile(r"^((?:1[5-9]|20)\d\d)[\s\-/]*Q([1-4])$", re.I), lambda m: (int(m[1]), int(m[2]) * 3, 0)),
    (re.compile(r"^((?:1[5-9]|20)\d\d)年?([一二三四])季度$"), lambda m: (int(m[1]), ZH_QUARTERS[m[2]] * 3, 0)),
    (re.compile(r"^((?:1[5-9]|20)\d\d)[\-/.](\d{1,2})(?:[\-/.](\d{1,2}))?$"),
     lambda m: (int(m[1]), int(m[2]), int(m[3] or 0))),
    (re.compile(r"^((?:1[5-9]|20)\d\d)年(\d{1,2})月(?:(\d{1,2})日)?$"), lambda m: (int(m[1]), int(m[2]), int(m[3] or 0))),
    (re.compile(r"^([A-Za-z]{3})[a-z]*\.?[\s\-]+((?:1[5-9]|20)\d\d)$"), lambda m: (int(m[2]), _month(m[1]), 0)),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/((?:1[5-9]|20)\d\d)$"), lambda m: (int(m[3]), int(m[1]), int(m[2]))),
]


def _month(name: str) -> int:
    return MONTHS.index(name.lower()) + 1 if name.lower() in MONTHS else 99


def time_key(label: str) -> tuple[int, int, int] | None:
    """(year, month, day) a label stands for (a quarter as its last month), or None if it is no time."""
    for pattern, key in _PATTERNS:
        match = pattern.match(label.strip())
        if match:
            found = key(match)
            return found if found[1] <= 12 else None
    return None


def chronology(labels: list[str]) -> str | None:
    """"forward" or "backward" when every label is a time in strictly monotone order, else None."""
    keys = [time_key(label) for label in labels]
    if len(keys) < 2 or any(k is None for k in keys):
        return None
    if all(a < b for a, b in zip(keys, keys[1:])):
        return "forward"
    if all(a > b for a, b in zip(keys, keys[1:])):
        return "backward"
    return None
