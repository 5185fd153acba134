"""Rough climate normals of the built-in cities, so a temperature or rainfall chart looks like the place.

A winter of 25-29 °C in Sydney, or the same curve for Oslo and Guangzhou, teaches a model nothing
true. Each city has its annual mean temperature (°C), the half-range of its seasonal cycle, its
hemisphere and its annual rainfall (mm), rounded from public climate normals; a month's value is
the seasonal cycle at that month (peaking in July in the north, January in the south) plus noise.
"""

from __future__ import annotations

import math

# city -> (annual mean °C, seasonal half-range °C, +1 north / -1 south, annual rainfall mm, monsoon share)
CITIES: dict[str, tuple[float, float, int, float, float]] = {
    "London": (11.3, 6.8, 1, 690, 0.15), "Paris": (12.3, 7.9, 1, 640, 0.15), "Tokyo": (15.8, 10.6, 1, 1530, 0.4),
    "Berlin": (10.0, 9.6, 1, 570, 0.25), "Sydney": (18.2, 4.9, -1, 1210, 0.2), "Toronto": (9.4, 13.5, 1, 830, 0.15),
    "Chicago": (10.3, 14.5, 1, 990, 0.3), "Boston": (10.8, 12.5, 1, 1110, 0.1), "Seattle": (11.5, 7.3, 1, 950, -0.6),
    "Madrid": (15.0, 10.2, 1, 420, -0.5), "Rome": (15.7, 8.8, 1, 800, -0.5), "Vienna": (11.0, 10.3, 1, 620, 0.3),
    "Dublin": (9.8, 5.0, 1, 760, 0.1), "Oslo": (6.3, 10.5, 1, 760, 0.3), "Lisbon": (17.4, 5.9, 1, 770, -0.7),
    "Prague": (8.4, 10.0, 1, 490, 0.35), "Denver": (10.4, 11.5, 1, 400, 0.3), "Austin": (20.9, 9.3, 1, 860, 0.1),
    "北京": (12.9, 15.0, 1, 580, 0.8), "上海": (17.1, 11.7, 1, 1170, 0.45), "广州": (22.6, 7.9, 1, 1720, 0.6),
    "深圳": (23.0, 7.0, 1, 1930, 0.65), "成都": (16.5, 10.0, 1, 870, 0.7), "杭州": (17.5, 12.2, 1, 1450, 0.4),
    "武汉": (17.1, 12.9, 1, 1270, 0.45), "西安": (14.1, 13.0, 1, 560, 0.5), "南京": (16.0, 12.5, 1, 1090, 0.45),
    "重庆": (18.5, 10.2, 1, 1100, 0.5), "天津": (12.9, 15.2, 1, 550, 0.8), "苏州": (16.5, 12.0, 1, 1100, 0.4),
    "长沙": (17.6, 12.0, 1, 1360, 0.35), "郑州": (14.8, 13.2, 1, 640, 0.6), "青岛": (12.9, 12.2, 1, 690, 0.7),
    "厦门": (21.0, 7.8, 1, 1350, 0.55), "昆明": (15.4, 5.8, 1, 1000, 0.8), "大连": (11.1, 13.5, 1, 600, 0.7),
    "沈阳": (8.4, 19.0, 1, 690, 0.8), "合肥": (16.2, 12.5, 1, 1000, 0.4),
}


def _cycle(city: str, month: int) -> float:
    """The seasonal cycle at `month` (0 = January) for the city's hemisphere, in [-1, 1]."""
    return math.cos(2 * math.pi * (month - (6 if CITIES[city][2] > 0 else 0)) / 12)


def temperature(city: str, month: int | None) -> float:
    """Mean temperature of a month (None: of the year) in °C."""
    mean, half, _, _, _ = CITIES[city]
    return mean if month is None else mean + half * _cycle(city, month)


def rainfall(city: str, month: int | None) -> float:
    """Rainfall of a month (None: of the year) in mm."""
    total, monsoon = CITIES[city][3], CITIES[city][4]
    return total if month is None else total / 12 * (1 + monsoon * _cycle(city, month))
