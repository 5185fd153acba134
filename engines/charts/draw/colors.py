"""Colour differences as people see them (CIEDE2000), so that a chart's series can be told apart.

A palette rotated at random may put two near-identical colours side by side (a blue and a slate
blue, an orange on a beige background); RGB distance does not say how alike they look, CIEDE2000
does (1 is a just-noticeable difference, 20 is clearly another colour). The chart's colours are
picked so that every pair of series (or pie slices) and every colour against the background
differ by at least a floor; lines whose colours are still close get dash styles and markers too.
"""

from __future__ import annotations

import functools
import math

MIN_BETWEEN = 20.0  # CIEDE2000 floor between two series (or slices) of one chart
MIN_ON_BACKGROUND = 15.0  # floor between a series colour and the background
CLOSE = 32.0  # below this two lines also differ by dash style and marker


@functools.lru_cache(maxsize=512)
def lab(color: str) -> tuple[float, float, float]:
    """CIELAB (D65) of a "#rrggbb" colour."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(color[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


@functools.lru_cache(maxsize=4096)
def delta_e(a: str, b: str) -> float:
    """CIEDE2000 difference of two "#rrggbb" colours."""
    return delta_e_lab(lab(a), lab(b))


def delta_e_lab(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """CIEDE2000 difference of two CIELAB colours (Sharma, Wu and Dalal's formulation)."""
    (l1, a1, b1), (l2, a2, b2) = first, second
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_bar - 30)) + 0.24 * math.cos(math.radians(2 * h_bar))
         + 0.32 * math.cos(math.radians(3 * h_bar + 6)) - 0.20 * math.cos(math.radians(4 * h_bar - 63)))
    sl = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    sc, sh = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    rt = (-2 * math.sqrt(cp_bar**7 / (cp_bar**7 + 25**7))
          * math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2)))))
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh))


def distinct(candidates: list[str], n: int, background: str) -> list[str] | None:
    """The first `n` of `candidates` (in order) that differ enough from each other and the background.

    Returns None when fewer than `n` such colours exist.
    """
    picked: list[str] = []
    for color in candidates:
        if delta_e(color, background) >= MIN_ON_BACKGROUND and all(delta_e(color, p) >= MIN_BETWEEN for p in picked):
            picked.append(color)
            if len(picked) == n:
                return picked
    return None


def closest_pair(colors: list[str]) -> float:
    """The smallest CIEDE2000 difference between two of `colors` (inf for fewer than two)."""
    return min((delta_e(a, b) for i, a in enumerate(colors) for b in colors[i + 1 :]), default=math.inf)


def mix(a: str, b: str, t: float) -> str:
    """The colour `t` of the way from `a` to `b` (both "#rrggbb")."""
    return "#" + "".join(f"{round(int(a[i:i + 2], 16) * (1 - t) + int(b[i:i + 2], 16) * t):02x}" for i in (1, 3, 5))
