"""Small inline-SVG charts for the build report: bars, histograms, scatter plots.

The report must open offline as one file and be checked by a test in a browser, so its charts are
SVG written here as text: no plotting library, no script, no font files (the viewer's sans-serif
draws the labels), and every mark carries a class and a `<title>` (its exact figure as a tooltip),
so a reader hovering a bar and a test querying `rect.bar` see the same numbers.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

PALETTE = ("#4472c4", "#ed7d31", "#70ad47", "#ffc000", "#5b9bd5", "#a5a5a5", "#9e480e", "#264478")
FONT = 'font-family="sans-serif" font-size="12"'


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _svg(width: int, height: int, title: str, inner: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="plot" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" aria-label="{_esc(title)}" {FONT}><title>{_esc(title)}</title>'
            + "".join(inner) + "</svg>")


def nice_ceiling(v: float) -> float:
    """The smallest round number at least v whose quarters are round too (axis ends with five ticks)."""
    if v <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(v))
    return next(m * power for m in (1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10) if m * power >= v)


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 or float(x).is_integer() else f"{x:.3g}"


def bars(rows: Sequence[tuple[str, dict[str, float]]], title: str, width: int = 640) -> str:
    """Horizontal bars, one per row, each split into coloured segments (one legend entry per segment name).

    Args:
        rows: (label, {segment: value}) per bar; a plain bar chart has one segment name throughout.
        title: what the chart shows (its accessible name and tooltip).
        width: the SVG's width in pixels.

    Returns:
        the `<svg>` element: `rect.bar` per segment (`data-label`, `data-segment`, `data-value`), the
        total after each bar, and a legend when there are several segment names.
    """
    segments = list(dict.fromkeys(s for _, parts in rows for s in parts))
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(segments)}
    label_w, row_h, top = 170, 22, 8 + (22 if len(segments) > 1 else 0)
    scale = (width - label_w - 70) / max([sum(p.values()) for _, p in rows] + [1e-9])
    inner = [f'<rect x="{8 + 110 * i}" y="6" width="10" height="10" fill="{colour[s]}"/>'
             f'<text x="{22 + 110 * i}" y="15">{_esc(s)}</text>' for i, s in enumerate(segments) if len(segments) > 1]
    for k, (label, parts) in enumerate(rows):
        y, x = top + k * row_h, label_w
        inner.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{_esc(label)}</text>')
        for seg, value in parts.items():
            w = value * scale
            inner.append(f'<rect class="bar" x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                         f'fill="{colour[seg]}" data-label="{_esc(label)}" data-segment="{_esc(seg)}" '
                         f'data-value="{value}"><title>{_esc(label)} / {_esc(seg)}: {_fmt(value)}</title></rect>')
            x += w
        inner.append(f'<text x="{x + 4:.1f}" y="{y + 15}">{_fmt(sum(parts.values()))}</text>')
    return _svg(width, top + len(rows) * row_h + 8, title, inner)


def _axis(x0: float, x1: float, y: float, lo: float, hi: float, label: str) -> list[str]:
    """A horizontal axis from lo to hi with five ticks and a label underneath."""
    out = [f'<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="#666"/>']
    for i in range(5):
        v, x = lo + (hi - lo) * i / 4, x0 + (x1 - x0) * i / 4
        out.append(f'<text x="{x:.1f}" y="{y + 14}" text-anchor="middle">{_fmt(v)}</text>')
    out.append(f'<text x="{(x0 + x1) / 2:.1f}" y="{y + 30}" text-anchor="middle">{_esc(label)}</text>')
    return out


def histogram(values: Sequence[float], title: str, x_label: str, bins: int = 20, lo: float | None = None,
              hi: float | None = None, marker: float | None = None, marker_label: str = "", width: int = 640,
              height: int = 200) -> str:
    """A histogram of `values` in `bins` equal bins over [lo, hi] (default: their range).

    Args:
        values: the figures (at least one).
        title: what the chart shows.
        x_label: the axis label (with its unit).
        bins: how many bins.
        lo: the range's low end (default: 0, or the smallest value when negative).
        hi: the range's high end (default: a round number at or above the largest value).
        marker: an x to mark with a red vertical line (`line.marker`) labelled `marker_label`.
        marker_label: the marker's label, e.g. "threshold".
        width: the SVG's width in pixels.
        height: the SVG's height in pixels.

    Returns:
        the `<svg>` element: one `rect.bin` per non-empty bin with `data-count`.
    """
    lo = min(0.0, min(values)) if lo is None else lo
    hi = nice_ceiling(max(values) - lo) + lo if hi is None else hi
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, max(0, int((v - lo) / (hi - lo) * bins)))] += 1
    x0, x1, y0, y1 = 40, width - 16, 10, height - 40
    bin_w, peak = (x1 - x0) / bins, max(counts)
    inner = [f'<text x="{x0 - 4}" y="{y0 + 10}" text-anchor="end">{peak}</text>']
    for i, c in enumerate(counts):
        if c:
            h = (y1 - y0) * c / peak
            a, b = lo + (hi - lo) * i / bins, lo + (hi - lo) * (i + 1) / bins
            inner.append(f'<rect class="bin" x="{x0 + i * bin_w + 1:.1f}" y="{y1 - h:.1f}" width="{bin_w - 2:.1f}" '
                         f'height="{h:.1f}" fill="{PALETTE[0]}" data-count="{c}">'
                         f'<title>{_fmt(a)} to {_fmt(b)}: {c}</title></rect>')
    if marker is not None:
        x = x0 + (x1 - x0) * (marker - lo) / (hi - lo)
        inner.append(f'<line class="marker" x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y1}" stroke="#c00" '
                     f'stroke-dasharray="4 3"><title>{_esc(marker_label)} {_fmt(marker)}</title></line>'
                     f'<text x="{x - 4:.1f}" y="{y0 + 10}" text-anchor="end" fill="#c00">'
                     f'{_esc(marker_label)} {_fmt(marker)}</text>')
    return _svg(width, height, title, inner + _axis(x0, x1, y1, lo, hi, x_label))


def scatter(points: Sequence[tuple[float, float]], title: str, x_label: str, y_label: str,
            width: int = 640, height: int = 320) -> str:
    """Points on linear axes from 0 to a round maximum, e.g. image width against height.

    Returns:
        the `<svg>` element: one `circle.point` per distinct point, sized by how many samples share it.
    """
    counts: dict[tuple[float, float], int] = {}
    for p in points:
        counts[p] = counts.get(p, 0) + 1
    x_hi, y_hi = nice_ceiling(max(p[0] for p in points)), nice_ceiling(max(p[1] for p in points))
    x0, x1, y0, y1 = 56, width - 16, 10, height - 40
    inner = [f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="#666"/>',
             f'<text x="{x0 - 6}" y="{y0 + 10}" text-anchor="end">{_fmt(y_hi)}</text>',
             f'<text x="{x0 - 6}" y="{y1}" text-anchor="end">0</text>',
             f'<text transform="translate(14 {(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">{_esc(y_label)}</text>']
    for (x, y), c in sorted(counts.items()):
        cx, cy = x0 + (x1 - x0) * x / x_hi, y1 - (y1 - y0) * y / y_hi
        inner.append(f'<circle class="point" cx="{cx:.1f}" cy="{cy:.1f}" r="{min(3 + math.sqrt(c), 12):.1f}" '
                     f'fill="{PALETTE[0]}" fill-opacity="0.5" data-count="{c}">'
                     f'<title>{_fmt(x)} x {_fmt(y)}: {c}</title></circle>')
    return _svg(width, height, title, inner + _axis(x0, x1, y1, 0, x_hi, x_label))
