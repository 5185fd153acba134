"""Values a reader can take from the image: printed as data labels, or read off a labelled scale.

A chart without data labels can only be read to a fraction of its scale's step: a line between
the 20 and 40 grid lines is "about 34", not "33.87". Such a chart's values are resampled to the
scale's reading precision, a tenth of a step rounded to a 1-2-2.5-5 unit (`quantum`), and written
with just the decimals that unit needs, so the target never states more than the image shows. A
user's table keeps its exact values and so always carries data labels.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from engines.charts.layout.axes import ValueAxis, axis_groups, plain_axis
from engines.charts.spec import ChartSpec, NumberFormat
from renderers.errors import RenderError


def quantum(step: float) -> float:
    """The reading precision of a scale of `step`: step/10 rounded up to 1, 2, 2.5 or 5 x 10^k."""
    raw = step / 10
    exp = math.floor(math.log10(raw) + 1e-9)
    mantissa = next(m for m in (1, 2, 2.5, 5, 10) if m * 10.0**exp >= raw * (1 - 1e-9))
    return round(mantissa * 10.0**exp, 12)


def decimals_of(q: float) -> int:
    """How many decimals a multiple of `q` needs (2.5 -> 1, 0.05 -> 2, 20 -> 0)."""
    for d in range(0, 10):
        if abs(round(q, d) - q) < 1e-9:
            return d
    return 10


def snap(values: list[float], q: float) -> list[float]:
    d = decimals_of(q)
    return [round(round(v / q) * q, d) + 0.0 for v in values]


def _coarser(q: float) -> float:
    """The next reading unit above `q` in the 1-2-2.5-5 sequence."""
    exp = math.floor(math.log10(q) + 1e-9)
    mantissa = q / 10.0**exp
    return round(next((m for m in (2, 2.5, 5, 10) if m > mantissa + 1e-9), 20) * 10.0**exp, 12)


def multiple(value: float, q: float) -> bool:
    return abs(value / q - round(value / q)) < 1e-6


def settle(rows: list[list[float]], axis_of: Callable[[list[list[float]]], ValueAxis]) -> tuple[list[list[float]], float]:
    """`rows` snapped to the reading unit of the scale they are drawn on, and that unit.

    Snapping moves a value by at most half a unit, which can change the nice axis; it is redone
    with a coarser unit until the snapped values are multiples of the reading unit of their own axis.

    Raises:
        RenderError: "scale_unsettled" in the rare case no unit settles within a few tries.
    """
    q = quantum(axis_of(rows).step)
    for _ in range(6):
        snapped = [snap(r, q) for r in rows]
        reading = quantum(axis_of(snapped).step)
        if all(multiple(v, reading) for r in snapped for v in r):
            return snapped, q
        q = reading if reading > q else _coarser(q)
    raise RenderError("scale_unsettled", f"{rows}"[:80])


def snap_to_scale(spec: ChartSpec) -> None:
    """Resample the values of a chart without data labels to its scale's reading precision (in place);
    a dual-axis chart's series to the scale each reads on, each axis's written with its own scale's decimals
    (a quantity in whole units on the left, its growth to a tenth of a per cent on the right)."""
    if spec.data_labels or not (spec.cartesian or spec.kind == "radar"):
        return
    units = []
    for group in axis_groups(spec):
        def axis_of(rows: list[list[float]], group: list[int] = group) -> ValueAxis:
            for s, values in zip(group, rows):
                spec.series[s].values = values
            return plain_axis(spec, group)

        rows, q = settle([list(spec.series[s].values) for s in group], axis_of)
        axis_of(rows)
        units.append(q)
    fmt = spec.number_format
    if spec.y2_format is not None:  # the right axis's own decimals
        right = spec.y2_format
        spec.y2_format = NumberFormat(decimals_of(units[1]), right.prefix, right.suffix)
        units = units[:1]
    spec.number_format = NumberFormat(max(decimals_of(q) for q in units), fmt.prefix, fmt.suffix)
