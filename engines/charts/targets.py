"""A chart's target text in the format a model family trains on, and the texts it obliges the image to show.

- `onechart` (GOT and OneChart): a python dict, `{"title", "source", "x_title", "y_title", "values"}`,
  "None" for what the chart does not show; `values` is flat (`{label: value}`) for one unnamed
  series and nested (`{series: {label: value}}`) whenever the image names its series (several
  series, or one with a legend entry). A chart that draws a subtitle or a reference line's label
  gets a `"subtitle"` key after the title and a `"reference"` key after the axis titles, so the
  dict of the many charts without them stays OneChart's own.
- `html` (as DeepSeek-OCR trains charts, "to save tokens"): one `<table>`, a header row (the
  category axis title, then one column per series, its header empty when the image does not name
  the series) and a row per category; a subtitle follows the title in the caption after `<br>`,
  a reference line's label is a `<p>` after the table.
- `markdown` (as PaddleOCR-VL reads charts): the same table in Markdown, the title and subtitle as
  lines above it, a reference line's label as a line below it.

Every string the chart draws is in the target, except the axes' tick labels (the scale the values
are read against) and a pie's percentages beside its values.

One convention for numbers, in every format: a value is written exactly as the chart prints it (or
as its scale reads it, `readable`): the decimals shown, no thousands separators, and a unit drawn
on the value itself (%, $, ¥) stays on it, so "12.5%" is a string and 12.50 a bare number (a JSON
number token); a unit that only the axis title states ("Revenue ($ million)") stays in the title.
"""

from __future__ import annotations

import html
import json
from collections import Counter

from engines.charts.spec import ChartSpec
from engines.charts.wrap import squash

FORMATS = ("onechart", "html", "markdown")


def _json(value: str | None) -> str:
    return json.dumps(value or "None", ensure_ascii=False)


def _number(spec: ChartSpec, series: int, index: int) -> str:
    shown = spec.label(series, index)
    return shown if spec.number_format.plain else json.dumps(shown, ensure_ascii=False)


def onechart(spec: ChartSpec) -> str:
    """OneChart's dict, keys in order, values exactly as the chart shows them."""
    def flat(s: int) -> str:
        return "{" + ", ".join(f"{_json(c)}: {_number(spec, s, i)}" for i, c in enumerate(spec.categories)) + "}"

    if len(spec.series) == 1 and not spec.names_series:
        values = flat(0)
    else:
        values = "{" + ", ".join(f"{_json(s.name)}: {flat(k)}" for k, s in enumerate(spec.series)) + "}"
    fields = [("title", spec.title)] + ([("subtitle", spec.subtitle)] if spec.subtitle else [])
    fields += [("source", spec.source), ("x_title", spec.x_title), ("y_title", spec.y_title)]
    if spec.reference is not None:
        fields.append(("reference", spec.reference.text))
    return "{" + ", ".join([f'"{key}": {_json(value)}' for key, value in fields] + [f'"values": {values}']) + "}"


def _rows(spec: ChartSpec) -> list[list[str]]:
    """The chart as a table: a header (category title, series names), then one row per category."""
    category_title = (spec.y_title if spec.horizontal else spec.x_title) or ""
    if len(spec.series) == 1 and not spec.names_series:
        names = [""]  # an unnamed series: its column has no header, as its values have no name in the image
    else:
        names = [s.name for s in spec.series]
    body = [[c] + [spec.label(s, i) for s in range(len(spec.series))] for i, c in enumerate(spec.categories)]
    return [[category_title] + names] + body


def html_table(spec: ChartSpec) -> str:
    """`<table>` with the title (and subtitle) as its caption, `<th>` header cells and `<td>` cells, then a
    reference line's label as a `<p>`."""
    rows = _rows(spec)
    heading = "<br>".join(html.escape(t) for t in (spec.title, spec.subtitle) if t)
    caption = f"<caption>{heading}</caption>" if heading else ""
    head = "<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in rows[0]) + "</tr>"
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows[1:])
    note = f"<p>{html.escape(spec.reference.text)}</p>" if spec.reference is not None else ""
    return f"<table>{caption}{head}{body}</table>{note}"


def markdown_table(spec: ChartSpec) -> str:
    """A Markdown table (pipes in cells escaped), the title and subtitle as lines above it, a reference
    line's label as a line below it."""
    rows = [[c.replace("|", "\\|") for c in row] for row in _rows(spec)]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * len(rows[0])]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    heading = [t for t in (spec.title, spec.subtitle) if t]
    note = ["", spec.reference.text] if spec.reference is not None else []
    return "\n".join((heading + [""] if heading else []) + lines + note)


def chart_target(spec: ChartSpec, fmt: str = "onechart") -> str:
    """The target text of `spec` in format `fmt` (one of FORMATS)."""
    return {"onechart": onechart, "html": html_table, "markdown": markdown_table}[fmt](spec)


def target_texts(spec: ChartSpec) -> Counter:
    """Every string the target names that the image must show, squashed (`wrap.squash`), with how often."""
    needed = [t for t in (spec.title, spec.subtitle, spec.source, spec.x_title, spec.y_title) if t]
    if spec.reference is not None:
        needed.append(spec.reference.text)
    if spec.x_values is None:
        needed += spec.categories  # a numeric scatter plot's points are read off its x scale instead
    if spec.names_series:
        needed += [s.name for s in spec.series]
    if spec.data_labels:
        needed += [spec.label(s, i) for s in range(len(spec.series)) for i in range(len(spec.categories))]
    return Counter(squash(t) for t in needed)
