"""How a chart looks: size, aspect, font, colours, legend, data labels, markers, drawn per chart.

Variety here is what keeps a model from learning one template, but every choice must keep the
chart readable and its target complete: a chart with several series always gets a legend or
its series named at the lines' ends (its series names are in the target, and a single series
gets either only with its name in the target too), a pie always shows its values or percentages, series colours differ by a CIEDE2000
floor (`colors`) and lines whose colours are still close also differ by dash and marker, and a
chart without data labels has its values resampled to what its scale can tell (`readable`).
A share of charts is drawn in a publisher style (`PUBLISHERS`), the looks one kind of publisher
keeps to, bundled, and recorded as `style.publisher`.
"""

from __future__ import annotations

import re

import numpy as np

from engines.base import pick
from engines.charts.content.builtin import EXTREMES, average_line, extreme_note
from engines.charts.content.model import ChartContent, content_texts
from engines.charts.content.values import check_apart
from engines.charts.draw.colors import CLOSE, closest_pair, distinct
from engines.charts.draw.palettes import (
    BACKGROUND_WEIGHTS,
    BACKGROUNDS,
    PALETTES,
    axis_color,
    grid_color,
)
from engines.charts.layout.readable import snap_to_scale
from engines.charts.spec import DASHES, STACKED, SYMBOLS, ChartSpec, ChartStyle, look_share
from renderers.errors import RenderError
from renderers.fonts import covering_faces, face_keys

FONT_WEIGHTS = {"dejavu-sans": 4, "dejavu-serif": 2, "noto-sans-cjk": 3, "noto-serif-cjk": 1}
# Publisher styles: the looks a kind of publisher keeps to, bundled; name -> (kinds it draws, share of them).
# "portal": a statistics portal's chart (left bold title, light grid, one strong colour, every value printed,
# the source note bottom left with the portal's copyright); "long_series": a development bank's long series
# (no legend: each series named at its line's end, no markers); "panels": small multiples (a small panel per
# series, named over it, on one shared scale).
PUBLISHERS = {"portal": (("bar", "hbar", "grouped_bar", "line"), 0.2),
              "long_series": (("line", "multi_line", "area"), 0.3),
              "panels": (("multi_line",), 0.15)}
# Portals of our own invention (never a real publisher's name: the note claims no real brand's authorship).
PORTALS = ("Statlas", "Datagraph Atlas", "Numbra Charts", "Chartwell Data", "Figura Stats")
PORTAL_COLORS = ("#1f5fa8", "#0b7a75", "#2d6cdf", "#1b4f72")
LINE_KINDS = ("line", "multi_line", "area", "radar", "bar_line")


def draw_colors(rng: np.random.Generator, n: int, background: str) -> tuple[str, list[str]]:
    """(palette name, n colours) from a randomly rotated palette, all told apart from each other and the background.

    Raises:
        RenderError: "colors_indistinct" when no palette has n such colours (more slices than any can tell apart).
    """
    names = sorted(PALETTES)
    shift = int(rng.integers(8))
    for k in rng.permutation(len(names)):
        palette = PALETTES[names[k]]
        picked = distinct(palette[shift:] + palette[:shift], n, background)
        if picked:
            return names[k], picked
    raise RenderError("colors_indistinct", f"{n} colours on {background}")


def publisher(rng: np.random.Generator, content: ChartContent, looks: str = "mixed") -> str:
    """The publisher style a chart is drawn in ("" for none): only one whose kinds hold the chart's, and
    long series and small multiples only for a chart over time; `looks` as `spec.Looks`."""
    names = list(PUBLISHERS)
    for k in rng.permutation(len(names)):
        kinds, share = PUBLISHERS[names[k]]
        if content.kind in kinds and (names[k] == "portal" or content.time) and rng.random() < look_share(looks, share):
            return names[k]
    return ""


def portal_look(rng: np.random.Generator, style: ChartStyle, content: ChartContent) -> str:
    """A portal's looks on `style` (in place); returns the source note with the portal's copyright."""
    style.title_align, style.title_bold, style.grid, style.publisher = "left", True, True, "portal"
    style.background, style.text_color = "#ffffff", "#333333"
    style.grid_color, style.axis_color = grid_color(style.background, "#bbbbbb"), axis_color("#ffffff", "#333333")
    style.palette, style.colors = draw_colors(rng, len(style.colors), style.background)  # told apart on white
    if len(content.series) == 1:
        style.colors = [pick(rng, PORTAL_COLORS)] + style.colors[1:]
    named = [int(y) for t in content_texts(content) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", t)]
    named += [content.notes["year"]] if "year" in content.notes else []  # real figures' year, even untitled
    first = min(max(named + [2020]), 2025)  # published after the latest year the chart names
    mark = f"© {pick(rng, PORTALS)} {int(rng.integers(first, 2026))}"
    return f"{content.source} {mark}" if content.source else mark


def draw_style(rng: np.random.Generator, content: ChartContent) -> ChartStyle:
    n = len(content.categories) * (len(content.series) if content.kind == "grouped_bar" else 1)
    radial = content.kind in ("pie", "donut", "radar")
    width = int(rng.integers(min(900, 480 + max(0, n - 6) * 45), 1025))
    aspect = rng.uniform(0.75, 1.1) if radial else rng.uniform(0.55, 0.95)
    height = int(np.clip(round(width * aspect), 360, 1000))
    # Only faces with a glyph for every text the chart shows (a user's table may hold any script).
    fonts = covering_faces(content_texts(content), face_keys(cjk=content.lang == "zh")) or ["dejavu-sans"]
    font = pick(rng, fonts, [FONT_WEIGHTS[f] for f in fonts])
    font_size = int(np.clip(round(width / 62 + rng.normal(0, 1.0)), 10, 16))
    background, text_color = pick(rng, BACKGROUNDS, BACKGROUND_WEIGHTS)
    n_colors = len(content.categories) if content.kind in ("pie", "donut") else len(content.series)
    palette, colors = draw_colors(rng, n_colors, background)
    markers = bool(rng.random() < 0.6)
    dashes, symbols = ["solid"] * len(content.series), ["circle"] * len(content.series)
    if content.kind == "scatter":
        symbols = [SYMBOLS[s % len(SYMBOLS)] for s in range(len(content.series))]
    elif content.kind in LINE_KINDS and closest_pair(colors[: len(content.series)]) < CLOSE:
        dashes = [DASHES[(s + s // len(SYMBOLS)) % len(DASHES)] for s in range(len(content.series))]
        symbols = [SYMBOLS[s % len(SYMBOLS)] for s in range(len(content.series))]
        markers = True
    return ChartStyle(
        width=width, height=height, font=font, font_size=font_size,
        title_size=font_size + int(rng.integers(3, 9)), title_bold=bool(rng.random() < 0.7),
        title_align=pick(rng, ["center", "left"], [7, 3]), colors=colors, background=background,
        text_color=text_color, grid_color=grid_color(background, text_color),
        axis_color=axis_color(background, text_color), grid=bool(rng.random() < 0.7), markers=markers,
        legend_position=pick(rng, ["top", "bottom", "right"], [2, 1, 1]),
        bar_width=round(float(rng.uniform(0.5, 0.8)), 2), line_width=float(pick(rng, [1.5, 2.0, 2.5, 3.0])),
        dashes=dashes, symbols=symbols, palette=palette,
    )


def draw_spec(rng: np.random.Generator, content: ChartContent, exact: bool = False, looks: str = "mixed") -> ChartSpec:
    """The full spec: the content, a style and the legend / data-label switches, in a publisher's style now
    and then (`looks`: how often, `spec.Looks`).

    `exact` (a user's table) keeps every value as given, so every value gets a data label; otherwise
    a chart drawn without data labels has its values resampled to its scale's reading precision.
    """
    style = draw_style(rng, content)
    multi = len(content.series) > 1
    pie = content.kind in ("pie", "donut")
    legend = bool(rng.random() < 0.5) if pie else multi or bool(rng.random() < 0.15)
    look, source = publisher(rng, content, looks) if not exact else "", content.source
    if look == "portal":
        source = portal_look(rng, style, content)
    elif look == "long_series":
        style.end_labels, style.publisher, legend = True, "long_series", False
        style.markers = style.markers and "dashed" in style.dashes  # lines told apart by dash keep their markers
    elif look == "panels":
        style.panels, style.publisher, legend = True, "panels", False
    # Labels over several series of points (lines, dots) collide often; such charts get them rarely.
    crowded = (multi and content.kind in ("multi_line", "area", "scatter", "bar_line")) or content.x_values
    share = 0.15 if crowded else 0.3 if len(content.categories) > 10 else 0.5
    parts = content.notes.get("stack") == "percent"  # resampled shares would no longer add up to 100
    data_labels = pie or exact or parts or look == "portal" or (content.kind != "radar" and bool(rng.random() < share))
    data_labels = data_labels and look != "panels"  # small panels are read off their shared scale
    spec = ChartSpec(content.kind, content.categories, content.series, content.number_format, content.title,
                     source, content.x_title, content.y_title, legend, data_labels, style,
                     content.subtitle, content.reference, content.x_values, content.x_format,
                     y2_title=content.y2_title, annotation=content.annotation,
                     y2_format=content.y2_format)
    drawn = spec.kind in STACKED and min(v for s in spec.series for v in s.values) > 0
    snap_to_scale(spec)
    if drawn and min(v for s in spec.series for v in s.values) <= 0:
        raise RenderError("part_unreadable", "a stacked part reads as 0 on the chart's scale: it would not be seen")
    if spec.reference is not None:  # the mean of the values as drawn, after any resampling to the scale
        spec.reference = average_line(spec.series[0].values, spec.number_format, content.lang)
    if spec.annotation is not None:  # the extreme of the values as drawn
        spec.annotation = extreme_note(spec.series[0].values, spec.categories, content.lang,
                                       spec.annotation.text.startswith(EXTREMES[content.lang][1]))
    check_apart(spec)
    return spec
