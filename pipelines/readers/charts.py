"""Chart targets read back by PP-OCR: the share of what the target names that a reading of the image finds.

A chart's target is a table of what the chart shows, in one of three forms (`--target-format`): OneChart's
dict (GOT), an HTML table (DeepSeek-OCR) or a Markdown table (PaddleOCR-VL). `chart_items` parses any of
them into items with a role: titles (title, source, axis titles, a table's caption), series names,
category labels and values. A reading cannot check what the chart does not print, so the score counts
titles, series names and category labels always, and values only where the chart prints them as data
labels (meta's `spec.data_labels`; a value read off a scale is not printed), and category labels not
where they are points on a numeric x scale (`spec.x_values`). The score is the recall of those items:
a swapped target or a blank image scores near 0, one wrong label of ten costs 0.1 and is named in
`missed`. PP-OCR misses small text (pie labels, dense data labels) at a chart's own size, so a chart
whose first reading misses anything is read again (see `read`): 31% of 160 correct charts were, which
makes a chart cost 2.6 single readings on average (`bench.validate`). On those 160 correct charts,
92.5% score 1.0 and 3.8% score under 0.9: the reader's ceiling, which sets the engine's threshold.

Matching is forgiving where PP-OCR errs and strict where targets err: texts are compared after NFKC,
case folding and removing whitespace (so labels wrapped over lines still match), as substrings of the
whole reading or, from 6 characters on, at a fuzzy partial-match ratio of 90 (one wrong character in
a long title); values are compared as numbers, digits only (no sign, unit or thousands separator),
each printed value needing its own reading.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from PIL import Image
from rapidfuzz import fuzz

from pipelines.readers import Reading
from pipelines.readers.text import READ_OPTIONS, SHOWN, read_lines
from renderers import ppocr
from shards.format import record_meta

FUZZY_MIN_CHARS = 6
FUZZY_RATIO = 90
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
TITLE_KEYS = ("title", "source", "x_title", "y_title")


@dataclass
class ChartItems:
    """What a chart target names, by role.

    Attributes:
        titles: title, source, axis titles (OneChart); a table's caption or title line and first header cell.
        series: series names (a nested OneChart dict; a table's header cells after the first).
        categories: category labels (OneChart's value keys; a table's first column).
        values: every value as the target writes it ("12.50", "12.5%").
    """

    titles: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)


def _onechart(target: str) -> ChartItems:
    """OneChart's dict; numbers keep their written digits (json's number hooks return the token text)."""
    data = json.loads(target, parse_float=str, parse_int=str)
    values = data.get("values") if isinstance(data, dict) else None
    if not isinstance(values, dict):
        raise ValueError(f"a OneChart dict needs a 'values' dict: {target[:60]!r}")
    items = ChartItems(titles=[str(data[k]) for k in TITLE_KEYS if data.get(k) not in (None, "None")])
    nested = values and all(isinstance(v, dict) for v in values.values())
    for name, column in (values.items() if nested else [(None, values)]):
        if name is not None:
            items.series.append(name)
        items.categories += [c for c in column if c not in items.categories]
        items.values += [str(v) for v in column.values()]
    return items


class _TableParser(HTMLParser):
    """Rows of <th>/<td> cell texts, and every text outside the cells (caption, headings)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.outside: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif data.strip():
            self.outside.append(data.strip())


def _html(target: str) -> ChartItems:
    parser = _TableParser()
    parser.feed(target)
    parser.close()
    return _table(parser.rows, parser.outside)


def _markdown(target: str) -> ChartItems:
    """A Markdown table (`\\|` is a pipe inside a cell); other non-empty lines are titles."""
    rows, outside = [], []
    for line in target.splitlines():
        line = line.strip()
        if line.startswith("|"):
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip("|"))]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):  # the |---|---| rule under the header
                rows.append(cells)
        elif line:
            outside.append(line.lstrip("#").strip().strip("*_").strip())
    return _table(rows, outside)


def _table(rows: list[list[str]], outside: list[str]) -> ChartItems:
    """A header row (category axis title, series names), then one row per category: label, values.

    A lone value column's header is not an item: it may name a series the chart never draws.
    """
    if not rows:
        raise ValueError("no table rows")
    header, body = rows[0], rows[1:]
    return ChartItems(titles=[t for t in outside + header[:1] if t],
                      series=[s for s in header[1:] if s] if len(header) > 2 else [],
                      categories=[r[0] for r in body if r and r[0]],
                      values=[v for r in body for v in r[1:] if v])


def chart_items(target: str) -> ChartItems:
    """Parse a chart target in any of the three formats, told apart by their first characters.

    Raises:
        ValueError: the target is none of a OneChart dict, an HTML table or a Markdown table.
    """
    text = target.lstrip()
    if text.startswith("{"):
        return _onechart(text)
    if re.match(r"<(table|caption|tr)\b", text, re.I):
        return _html(text)
    if re.search(r"^\s*\|", text, re.M):
        return _markdown(text)
    raise ValueError(f"not a OneChart dict, HTML table or Markdown table: {target[:60]!r}")


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _digits(text: str) -> list[str]:
    return [n.replace(",", "") for n in NUMBER.findall(unicodedata.normalize("NFKC", text))]


def _found(item: str, reading: str) -> bool:
    """Whether a text appears in the squashed reading: exactly, nearly (long texts), or word by word.

    Word by word catches a label wrapped over lines whose pieces the reading interleaves with its
    neighbours' ("Q2" ... "2012" under every tick of a quarterly axis).
    """
    want = _squash(item)
    if want in reading or (len(want) >= FUZZY_MIN_CHARS and fuzz.partial_ratio(want, reading) >= FUZZY_RATIO):
        return True
    words = item.split()
    return len(words) > 1 and all(_squash(w) in reading for w in words)


@dataclass
class _Check:
    """The items a reading must find, by role, and which of them one reading missed."""

    wanted: dict[str, list[str]]
    values: Counter
    counted: list[str]
    missed: dict[str, list[str]] = field(default_factory=dict)

    def against(self, lines: list[str]) -> int:
        """Check the wanted items against the lines read; returns how many counted items were missed."""
        reading = _squash("".join(lines))
        self.missed = {role: [t for t in texts if not _found(t, reading)] for role, texts in self.wanted.items()}
        if self.values:
            read_values = Counter(d for line in lines for d in _digits(line))
            self.missed["value"] = sorted((self.values - read_values).elements())
        return sum(len(self.missed[role]) for role in self.counted)


def _check(items: ChartItems, spec: dict[str, Any]) -> _Check:
    """What to look for: titles, series names, category labels unless they are points on a numeric x
    scale, and the values, counted only where the chart prints them as data labels."""
    groups = {"title": items.titles, "series": items.series,
              "category": [] if spec.get("x_values") else items.categories}
    wanted = {role: list(dict.fromkeys(texts)) for role, texts in groups.items() if texts}
    values = Counter(d for v in items.values for d in _digits(v))
    counted = list(wanted) + (["value"] if values and spec.get("data_labels") else [])
    return _Check(wanted, values, counted)


def read(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Score a chart sample: recall of its target's titles, labels and printed values in a PP-OCR reading.

    The chart is read at its own size; when that misses anything, it is read again at twice its size
    (small data labels and pie labels are found then), and each line found first is recognised again
    alone without the angle classifier (which sometimes turns a long row of axis labels, "2012Q3
    2012Q4 ...", upside down, but is needed for the y axis's title); the readings are pooled.

    Args:
        record: the sample's JSON record; meta's `spec` says whether values are printed.
        images: the chart (one image).

    Returns:
        the recall, with the recall by role (values too where not printed, for information), how many
        items were checked, whether the second reading was needed, and the items missed.

    Raises:
        ValueError: the target is not a chart table in a known format (or not valid JSON).
    """
    check = _check(chart_items(record["target"]), record_meta(record).get("spec", {}))
    first = ppocr.read_many(images, READ_OPTIONS)
    lines = [t.text for rendered in first for t in rendered.texts]
    lost, reread = check.against(lines), False
    if lost:
        lines += read_lines([im.resize((2 * im.width, 2 * im.height), Image.LANCZOS) for im in images])
        lines += [t.text for im, rendered in zip(images, first)
                  for t in ppocr.read_crops(im, [drawn.quad for drawn in rendered.texts])]
        lost, reread = check.against(lines), True
    totals = {role: len(texts) for role, texts in check.wanted.items()}
    if check.values:
        totals["value"] = sum(check.values.values())
    checked = sum(totals[role] for role in check.counted)
    details = {"checked": checked, "values_printed": "value" in check.counted, "reread": reread,
               "recall_by_role": {role: round(1 - len(check.missed[role]) / n, 4) for role, n in totals.items()},
               "missed": [t for role in check.counted for t in check.missed[role]][:SHOWN]}
    return Reading(1 - lost / checked if checked else 1.0, details)
