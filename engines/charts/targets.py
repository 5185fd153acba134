"""A chart's target text in the format a model family trains on, and the texts it obliges the image to show.

- `onechart` (GOT and OneChart): a python dict, `{"title", "source", "x_title", "y_title", "values"}`,
  "None" for what the chart does not show; `values` is flat (`{label: value}`) for one unnamed
  series and nested (`{series: {label: value}}`) whenever the image names its series (several
  series, or one with a legend entry or a name at its line's end). A chart that draws a subtitle,
  a second value axis, a reference line's label or an annotation gets a `"subtitle"` key after the
  title, and `"y2_title"` (the right axis's title) with `"y2_series"` (the series read on it),
  `"reference"` and `"annotation"` keys after the axis titles, so the dict of the many charts
  without them stays OneChart's own.
- `html` (as DeepSeek-OCR trains charts, "to save tokens"): one `<table>`, the title (and subtitle,
  after `<br>`) as its caption, a header row (the category axis title, then one column per series,
  its header empty when the image does not name the series) and a row per category; then the value
  axis's title, those extra keys and the source note, each a `<p class="key">` keyed as in
  OneChart's dict.
- `markdown` (as PaddleOCR-VL reads charts): the title and subtitle as lines, the same table in
  Markdown, then those notes as `key: text` lines.

`read_target` parses any of the three back (the charts reader rebuilds the chart from it).

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
import re
import typing
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Literal

from engines.charts.layout.wrap import squash
from engines.charts.spec import ChartSpec

Format = Literal["onechart", "html", "markdown"]
FORMATS = typing.get_args(Format)


def _json(value: str | None) -> str:
    return json.dumps(value or "None", ensure_ascii=False)


def _number(spec: ChartSpec, series: int, index: int) -> str:
    shown = spec.label(series, index)
    return shown if spec.format_of(series).plain else json.dumps(shown, ensure_ascii=False)


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
    fields += _extras(spec)
    return "{" + ", ".join([f'"{key}": {_json(value)}' for key, value in fields] + [f'"values": {values}']) + "}"


def _extras(spec: ChartSpec) -> list[tuple[str, str]]:
    """The keys only some charts have, in order: a second value axis's title and the series read on it, a
    reference line's label, an annotation."""
    out = []
    if spec.y2_title is not None:
        out += [("y2_title", spec.y2_title), ("y2_series", ", ".join(spec.series[s].name for s in spec.right_series))]
    if spec.reference is not None:
        out.append(("reference", spec.reference.text))
    if spec.annotation is not None:
        out.append(("annotation", spec.annotation.text))
    return out


def _rows(spec: ChartSpec) -> list[list[str]]:
    """The chart as a table: a header (category title, series names), then one row per category."""
    category_title = (spec.y_title if spec.horizontal else spec.x_title) or ""
    if len(spec.series) == 1 and not spec.names_series:
        names = [""]  # an unnamed series: its column has no header, as its values have no name in the image
    else:
        names = [s.name for s in spec.series]
    body = [[c] + [spec.label(s, i) for s in range(len(spec.series))] for i, c in enumerate(spec.categories)]
    return [[category_title] + names] + body


def _notes(spec: ChartSpec) -> list[tuple[str, str]]:
    """The drawn texts a table's header and caption have no place for, keyed as in OneChart's dict: the
    value axis's title, a second axis's title and the series read on it, the reference line's label, an
    annotation and the source note."""
    value_axis = "x_title" if spec.horizontal else "y_title"
    texts = [(value_axis, getattr(spec, value_axis))] + _extras(spec) + [("source", spec.source)]
    return [(key, text) for key, text in texts if text]


def html_table(spec: ChartSpec) -> str:
    """`<table>` with the title (and subtitle) as its caption, `<th>` header cells and `<td>` cells, then
    the other texts (`_notes`) as `<p class="key">`."""
    rows = _rows(spec)
    heading = "<br>".join(html.escape(t) for t in (spec.title, spec.subtitle) if t)
    caption = f"<caption>{heading}</caption>" if heading else ""
    head = "<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in rows[0]) + "</tr>"
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows[1:])
    notes = "".join(f'<p class="{key}">{html.escape(text)}</p>' for key, text in _notes(spec))
    return f"<table>{caption}{head}{body}</table>{notes}"


def markdown_table(spec: ChartSpec) -> str:
    """A Markdown table (pipes in cells escaped), the title and subtitle as lines above it, the other texts
    (`_notes`) as `key: text` lines below it."""
    rows = [[c.replace("|", "\\|") for c in row] for row in _rows(spec)]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * len(rows[0])]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    heading = [t for t in (spec.title, spec.subtitle) if t]
    notes = [f"{key}: {text}" for key, text in _notes(spec)]
    return "\n".join((heading + [""] if heading else []) + lines + ([""] + notes if notes else []))


def chart_target(spec: ChartSpec, fmt: str = "onechart") -> str:
    """The target text of `spec` in format `fmt` (one of FORMATS)."""
    return {"onechart": onechart, "html": html_table, "markdown": markdown_table}[fmt](spec)


def target_texts(spec: ChartSpec) -> Counter:
    """Every string the target names that the image must show, squashed (`wrap.squash`), with how often."""
    needed = [t for t in (spec.title, spec.subtitle, spec.source, spec.x_title, spec.y_title, spec.y2_title) if t]
    if spec.reference is not None:
        needed.append(spec.reference.text)
    if spec.annotation is not None:
        needed.append(spec.annotation.text)
    if spec.x_values is None:
        needed += spec.categories  # a numeric scatter plot's points are read off its x scale instead
    if spec.names_series:
        needed += [s.name for s in spec.series]
    if spec.data_labels:
        needed += [spec.label(s, i) for s in range(len(spec.series)) for i in range(len(spec.categories))]
    return Counter(squash(t) for t in needed)


TEXT_KEYS = ("title", "subtitle", "source", "x_title", "y_title", "y2_title", "y2_series", "reference", "annotation")
NOTE_KEYS = ("x_title", "y_title", "y2_title", "y2_series", "reference", "annotation", "source")


@dataclass
class ParsedChart:
    """A chart target read back: its texts by key (those it gives), series names, categories and values.

    Attributes:
        texts: title, subtitle, source, x_title, y_title, y2_title, y2_series, reference, annotation: the
            ones the target gives.
        series: the series names, or None for one series the target does not name.
        categories: the category labels, in order.
        values: per series, per category, each value as written ("12.50", "12.5%").
    """

    texts: dict[str, str]
    series: list[str] | None
    categories: list[str]
    values: list[list[str]]


def read_target(target: str, horizontal: bool = False) -> ParsedChart:
    """Parse a target of any format back; `horizontal` says the categories run down the left (a table's
    first header cell is then the y axis's title, else the x axis's).

    Raises:
        ValueError: the text is none of the three formats, or not a well-formed one (a row of another
            length, series over other categories, an unknown key), naming what is wrong.
    """
    text = target.strip()
    if text.startswith("{"):
        return _read_onechart(text)
    if re.match(r"<(table|caption)\b", text, re.I):
        parser = _HtmlTable()
        parser.feed(text)
        parser.close()
        return _read_table(parser.heading, parser.rows, parser.notes, horizontal)
    if re.search(r"^\s*\|", text, re.M):
        return _read_markdown(text, horizontal)
    raise ValueError(f"not a OneChart dict, HTML table or Markdown table: {target[:60]!r}")


def _read_onechart(text: str) -> ParsedChart:
    data = json.loads(text, parse_float=str, parse_int=str)  # numbers keep their written digits
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
        raise ValueError(f"a OneChart dict needs a 'values' dict: {text[:60]!r}")
    unknown = set(data) - set(TEXT_KEYS) - {"values"}
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)} in a OneChart dict")
    texts = {k: str(data[k]) for k in TEXT_KEYS if data.get(k) not in (None, "None")}
    values = data["values"]
    nested = bool(values) and all(isinstance(v, dict) for v in values.values())
    columns = list(values.values()) if nested else [values]
    categories = list(columns[0])
    if any(list(c) != categories for c in columns):
        raise ValueError("the series of a OneChart dict give different categories")
    return ParsedChart(texts, list(values) if nested else None, categories,
                       [[str(v) for v in c.values()] for c in columns])


class _HtmlTable(HTMLParser):
    """A chart's HTML table: the caption's lines, the rows of <th>/<td> cell texts, the <p class> notes."""

    def __init__(self) -> None:
        super().__init__()
        self.heading: list[str] = []
        self.rows: list[list[str]] = []
        self.notes: list[tuple[str, str]] = []
        self._open: tuple[str, list[str]] | None = None  # (what is being read, its text so far)

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._open = ("cell", [])
        elif tag == "caption":
            self._open = ("caption", [])
        elif tag == "br" and self._open and self._open[0] == "caption":
            self.heading.append("".join(self._open[1]).strip())
            self._open = ("caption", [])
        elif tag == "p":
            self._open = (dict(attrs).get("class") or "", [])

    def handle_endtag(self, tag: str) -> None:
        if self._open is None:
            return
        what, parts = self._open
        done = "".join(parts).strip()
        if tag in ("td", "th") and what == "cell" and self.rows:
            self.rows[-1].append(done)
        elif tag == "caption" and what == "caption":
            self.heading.append(done)
        elif tag == "p":
            self.notes.append((what, done))
        else:
            return
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1].append(data)


def _read_markdown(text: str, horizontal: bool) -> ParsedChart:
    """Title lines, a Markdown table (`\\|` a pipe inside a cell), then `key: text` note lines."""
    heading, rows, notes = [], [], []
    for line in (raw.strip() for raw in text.splitlines()):
        if line.startswith("|"):
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line[1:-1] if line.endswith("|")
                                                                          else line[1:])]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):  # the |---|---| rule under the header
                rows.append(cells)
        elif line and rows:
            key, sep, note = line.partition(": ")
            notes.append((key, note) if sep else ("", line))
        elif line:
            heading.append(line)
    return _read_table(heading, rows, notes, horizontal)


def _read_table(heading: list[str], rows: list[list[str]], notes: list[tuple[str, str]],
                horizontal: bool) -> ParsedChart:
    """A header row (category axis title, series names), a row per category (label, values), texts around."""
    if len(rows) < 2 or len(rows[0]) < 2 or any(len(r) != len(rows[0]) for r in rows):
        raise ValueError("a chart table needs a header and rows of one length")
    if len(heading) > 2:
        raise ValueError(f"a chart table has a title and a subtitle at most, not {heading}")
    texts = dict(zip(("title", "subtitle"), heading))
    for key, note in notes:
        if key not in NOTE_KEYS or key in texts:
            raise ValueError(f"a note keyed {key!r} ({note!r}) is not one of {NOTE_KEYS} given once")
        texts[key] = note
    header, body = rows[0], rows[1:]
    if header[0]:
        texts["y_title" if horizontal else "x_title"] = header[0]
    names = None if len(header) == 2 and not header[1] else header[1:]
    return ParsedChart({k: texts[k] for k in TEXT_KEYS if texts.get(k)}, names, [r[0] for r in body],
                       [[r[k] for r in body] for k in range(1, len(header))])
