"""How a chart looks: size, aspect, font, colours, legend, data labels, markers, drawn per chart.

Variety here is what keeps a model from learning one template, but every choice must keep the
chart readable and its target verifiable: a chart with several series always gets a legend (its
series names are in the target), a pie without a legend names its slices beside them, and the
chart grows with its number of categories so their labels fit.
"""

from __future__ import annotations

import numpy as np

from engines.charts.content import ChartContent, content_texts
from engines.charts.spec import ChartSpec, ChartStyle
from renderers.fonts import covering_faces, face_keys
from engines.charts.palettes import BACKGROUNDS, PALETTES

FONT_WEIGHTS = {"dejavu-sans": 4, "dejavu-serif": 2, "noto-sans-cjk": 3, "noto-serif-cjk": 1}


def _pick(rng: np.random.Generator, options: list, weights: list[float] | None = None):
    if weights is None:
        return options[int(rng.integers(len(options)))]
    p = np.asarray(weights, dtype=float)
    return options[int(rng.choice(len(options), p=p / p.sum()))]


def draw_style(rng: np.random.Generator, content: ChartContent) -> ChartStyle:
    n = len(content.categories) * (len(content.series) if content.kind == "grouped_bar" else 1)
    radial = content.kind in ("pie", "donut", "radar")
    width = int(rng.integers(min(900, 480 + max(0, n - 6) * 45), 1025))
    aspect = rng.uniform(0.75, 1.1) if radial else rng.uniform(0.55, 0.95)
    height = int(np.clip(round(width * aspect), 360, 1000))
    # Only faces with a glyph for every text the chart shows (a user's table may hold any script).
    fonts = covering_faces(content_texts(content), face_keys(cjk=content.lang == "zh")) or ["dejavu-sans"]
    font = _pick(rng, fonts, [FONT_WEIGHTS[f] for f in fonts])
    font_size = int(np.clip(round(width / 62 + rng.normal(0, 1.0)), 10, 16))
    palette = PALETTES[_pick(rng, sorted(PALETTES))]
    shift = int(rng.integers(len(palette)))
    background, text_color = _pick(rng, BACKGROUNDS, [8, 2, 2, 1, 1, 1])
    return ChartStyle(
        width=width, height=height, font=font, font_size=font_size,
        title_size=font_size + int(rng.integers(3, 9)), title_bold=bool(rng.random() < 0.7),
        title_align=_pick(rng, ["center", "left"], [7, 3]),
        colors=palette[shift:] + palette[:shift], background=background, text_color=text_color,
        grid=bool(rng.random() < 0.7), markers=bool(rng.random() < 0.6),
        legend_position=_pick(rng, ["top", "bottom", "right"], [2, 1, 1]),
        bar_width=round(float(rng.uniform(0.5, 0.8)), 2), line_width=float(_pick(rng, [1.5, 2.0, 2.5, 3.0])),
    )


def draw_spec(rng: np.random.Generator, content: ChartContent) -> ChartSpec:
    """The full spec: the content as given, a style and the legend / data-label switches."""
    style = draw_style(rng, content)
    multi = len(content.series) > 1
    if content.kind in ("pie", "donut"):
        legend = bool(rng.random() < 0.5)
    else:
        legend = multi or bool(rng.random() < 0.15)
    # Labels over several series of points (lines, dots) collide often; such charts get them rarely.
    crowded = multi and content.kind in ("multi_line", "area", "scatter", "bar_line")
    data_labels = content.kind != "radar" and bool(rng.random() < (0.2 if crowded else 0.5))
    return ChartSpec(content.kind, content.categories, content.series, content.number_format, content.title,
                     content.source, content.x_title, content.y_title, legend, data_labels, style)
