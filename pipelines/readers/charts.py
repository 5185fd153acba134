"""Chart targets checked strictly: the chart drawn again from the target alone must be the image, and PP-OCR must read it.

A chart's target is a table of what the chart shows, in one of three forms (`--target-format`): OneChart's
dict (GOT), an HTML table (DeepSeek-OCR) or a Markdown table (PaddleOCR-VL), all parsed by
`engines.charts.targets.read_target`. The reading is in three steps:

1. **The chart again, from the target alone.** Titles, subtitle, axis titles (a second axis's too, with
   the series read on it), reference label, annotation, source note, series names, categories and values
   come from the target; only how the chart looks (kind, size, font, colours, legend and data-label
   switches, publisher style, the point an annotation is drawn at, degradation) comes from meta, as the molecule
   and geometry readers redraw a target in its recorded style. The chart is drawn by the recorded
   renderer and compared with the image pixel for pixel. Every value moves a mark against the axis the
   chart draws (a bar's end, a line's or a point's position, a slice's angle) and every text is drawn, so
   a changed, dropped or added value, label, title, subtitle or note changes the picture: the score is
   1 - (pixels that differ) / `DIFF_PX`, so more than `STRAY_PX` differing pixels flag it at the 0.9
   threshold (right targets redraw to the very same pixels). A target that does not parse, or does not
   draw, is 0.
2. **The promises a picture cannot settle** (0 when broken): values not printed as data labels are
   multiples of the reading unit of the scale they are drawn on (a tenth of a tick step, 1-2-2.5-5) and
   written with no more decimals than it has, so a value changed by less than a pixel is still caught; the numbers
   on a numeric x scale likewise; every value is written as the chart's one number format writes it;
   an "Average" reference line prints the mean of the values; an annotation ("Peak: 2008") names its
   point's peak or low; a dual-axis chart's values read on the scale of their own axis.
3. **PP-OCR** reads the image (only when steps 1-2 pass, so a broken target costs no reading): the share of
   the target's titles, series names, category labels and printed values found in the reading. This is the
   independent route that catches a renderer drawing a text illegibly, which a redraw by the same renderer
   cannot; PP-OCR misses small
   text now and then (3.8% of 160 right charts read under 0.9), so a reading only lowers the score under
   `OCR_FLOOR`. A chart whose first reading misses anything is read again at twice its size.

Matching in step 3 is forgiving where PP-OCR errs: texts are compared after NFKC, case folding and removing
whitespace, as substrings of the whole reading or, from 6 characters on, at a fuzzy partial-match ratio of
90; values as numbers, digits only, each printed value needing its own reading.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import Image
from rapidfuzz import fuzz

from engines.charts.content.builtin import average_line, extreme_note
from engines.charts.engine import redrawn
from engines.charts.layout.axes import axis_groups, plain_axis, x_axis
from engines.charts.layout.readable import decimals_of, multiple, quantum
from engines.charts.spec import (
    HORIZONTAL,
    Annotation,
    ChartSpec,
    ChartStyle,
    NumberFormat,
    Reference,
    Series,
)
from engines.charts.targets import ParsedChart, read_target
from pipelines.readers import Reading
from pipelines.readers.text import READ_OPTIONS, SHOWN, read_lines
from renderers import ppocr
from renderers.errors import RenderError
from renderers.result import Rendered
from shards.format import record_meta

DIFF_PX = 50  # differing pixels that score 0; right targets redraw with none differing
STRAY_PX = DIFF_PX // 10  # differing pixels a picture may have and still agree (flagged from here on)
DIFF_LEVEL = 4  # a pixel differs when a channel differs by more than this (of 255): redraws are exact
OCR_FLOOR = 0.75  # a PP-OCR recall under this lowers the score (right charts: 3.8% under 0.9)
FUZZY_MIN_CHARS = 6
FUZZY_RATIO = 90
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
WRITTEN = re.compile(r"(-?)(\D*?)(\d+(?:\.(\d+))?)(\D*)")  # sign, prefix, digits (decimals), suffix


@dataclass
class ChartItems:
    """What a chart target names, by role, for the PP-OCR reading.

    Attributes:
        titles: title, subtitle, source, axis titles, reference label.
        series: series names (when the target names them).
        categories: category labels.
        values: every value as the target writes it ("12.50", "12.5%").
    """

    titles: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)


def chart_items(target: str, horizontal: bool = False) -> ChartItems:
    """The items of a chart target in any of the three formats.

    Raises:
        ValueError: the target is none of a OneChart dict, an HTML table or a Markdown table.
    """
    parsed = read_target(target, horizontal)
    series = list(parsed.series or [])
    if len(series) == 1 and not target.lstrip().startswith("{"):
        series = []  # a table's lone value column header may name a series no legend draws: not an item
    return ChartItems(list(parsed.texts.values()), series, parsed.categories,
                      [v for column in parsed.values for v in column])


def number_format(written: list[str]) -> tuple[NumberFormat, list[float]]:
    """The one number format that writes every value exactly as given, and the values.

    Raises:
        ValueError: a value that is not a number, or values written in different formats.
    """
    parsed = [WRITTEN.fullmatch(w) for w in written]
    if not all(parsed):
        raise ValueError(f"not a chart value: {written[[m is None for m in parsed].index(True)]!r}")
    first = parsed[0]
    fmt = NumberFormat(len(first.group(4) or ""), first.group(2), first.group(5))
    values = [(-1 if m.group(1) else 1) * float(m.group(3)) + 0.0 for m in parsed]
    for text, value in zip(written, values):
        if fmt.text(value) != text:
            raise ValueError(f"{text!r} is not written as the chart's other values ({fmt.text(value)!r})")
    return fmt, values


def chart_from_target(parsed: ParsedChart, recorded: dict[str, Any]) -> ChartSpec:
    """The chart the target describes, drawn as `recorded` (meta's spec) says it looks.

    Only the looks come from `recorded`: kind, style, legend and data-label switches. A single series
    the target does not name keeps the recorded name, which the image does not draw (no legend names it).

    Raises:
        ValueError: the target does not describe a chart of the recorded kind.
    """
    dual = "y2_title" in parsed.texts and len(parsed.values) > 1  # the last series reads on the right axis
    fmt, values = number_format([v for column in parsed.values[:-1 if dual else None] for v in column])
    y2_format = None
    if dual:  # written in the right axis's own format
        y2_format, right = number_format(parsed.values[-1])
        values += right
    n = len(parsed.categories)
    names = parsed.series
    if names is None:
        if (recorded["legend"] or recorded["style"].get("end_labels")) and recorded["kind"] not in ("pie", "donut"):
            raise ValueError("the chart names its series in a legend or at its lines' ends; the target names none")
        names = [recorded["series"][0]["name"]]
    series = [Series(name, values[k * n:(k + 1) * n]) for k, name in enumerate(names)]
    texts = parsed.texts
    x_values = x_format = None
    if recorded.get("x_values") is not None:
        x_format, x_values = number_format(parsed.categories)
    reference = None
    if "reference" in texts:
        found = NUMBER.findall(texts["reference"])
        if not found:
            raise ValueError(f"the reference label {texts['reference']!r} prints no value")
        sign = -1 if re.search(r"-\D*" + re.escape(found[-1]) + r"\D*$", texts["reference"]) else 1
        reference = Reference(sign * float(found[-1].replace(",", "")) + 0.0, texts["reference"])
    if ("y2_title" in texts) != ("y2_series" in texts) or \
            texts.get("y2_series", names[-1]) != names[-1] or ("y2_title" in texts) != bool(recorded.get("y2_title")):
        raise ValueError("a second value axis needs its title and the series read on it (the line), as drawn")
    annotation = None
    if "annotation" in texts:
        if not recorded.get("annotation"):
            raise ValueError("the target annotates a point the chart does not")
        annotation = Annotation(texts["annotation"], recorded["annotation"]["series"], recorded["annotation"]["index"])
    return ChartSpec(recorded["kind"], parsed.categories, series, fmt, texts.get("title"), texts.get("source"),
                     texts.get("x_title"), texts.get("y_title"), recorded["legend"], recorded["data_labels"],
                     ChartStyle(**recorded["style"]), texts.get("subtitle"), reference, x_values, x_format,
                     texts.get("y2_title"), annotation, y2_format)


def broken_promises(spec: ChartSpec) -> list[str]:
    """What the target states that the engine promises never to (a picture alone cannot tell)."""
    broken = []
    if not spec.data_labels and (spec.cartesian or spec.kind == "radar"):
        for group in axis_groups(spec):  # each series on the scale it reads on
            unit = quantum(plain_axis(spec, group).step)
            off = [v for s in group for v in spec.series[s].values if not multiple(v, unit)]
            if off:
                broken.append(f"values {off[:3]} are not multiples of the scale's reading unit {unit}")
            written = spec.format_of(group[0]).decimals
            if written > decimals_of(unit):
                broken.append(f"values written with {written} decimals; their scale reads {decimals_of(unit)}")
    if spec.x_values is not None:
        unit = quantum(x_axis(spec).step)
        if not all(multiple(x, unit) for x in spec.x_values):
            broken.append(f"x values are not multiples of the x scale's reading unit {unit}")
    if spec.reference is not None:
        means = {average_line(spec.series[0].values, spec.number_format, lang).text for lang in ("en", "zh")}
        if spec.reference.text not in means:
            broken.append(f"the reference label {spec.reference.text!r} is not the mean of the values "
                          f"({' / '.join(sorted(means))})")
    if spec.annotation is not None:
        values = spec.series[spec.annotation.series].values
        notes = {extreme_note(values, spec.categories, lang, low) for lang in ("en", "zh") for low in (False, True)}
        if spec.annotation not in notes:
            broken.append(f"the annotation {spec.annotation.text!r} does not name that point's peak or low")
    return broken


def differing(a: Image.Image, b: Image.Image) -> np.ndarray:
    """Where two images differ by more than DIFF_LEVEL in a channel (everywhere when their sizes differ)."""
    if a.size != b.size:
        return np.ones((a.height, a.width), dtype=bool)
    diff = np.abs(np.asarray(a.convert("RGB"), dtype=np.int16) - np.asarray(b.convert("RGB"), dtype=np.int16))
    return diff.max(axis=2) > DIFF_LEVEL


def not_shown(drawn: Rendered, image: Image.Image, mask: np.ndarray) -> list[str]:
    """The target's texts the image does not show where the redraw puts them, most different first.

    Only texts over differing pixels are looked at: PP-OCR recognises the image there (recognition
    alone, no detection) and a text read otherwise is named, so a changed label is named by itself
    even when it moved everything around it.
    """
    h, w = mask.shape
    suspects = []
    for t in drawn.texts:
        xs, ys = [p[0] for p in t.quad], [p[1] for p in t.quad]
        box = mask[max(0, int(min(ys))):min(h, int(max(ys)) + 1), max(0, int(min(xs))):min(w, int(max(xs)) + 1)]
        if t.text.strip() and box.any():
            suspects.append(t)
    read = ppocr.read_crops(image, [t.quad for t in suspects])
    ratios = [(fuzz.ratio(_squash(t.text), _squash(r.text)), t.text) for t, r in zip(suspects, read)]
    return list(dict.fromkeys(text for ratio, text in sorted(ratios) if ratio < 100))[:SHOWN]


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


def ocr_recall(items: ChartItems, recorded: dict[str, Any], images: list[Image.Image]) -> tuple[float, dict]:
    """Recall of the target's titles, labels and printed values in a PP-OCR reading of the image.

    The chart is read at its own size; when that misses anything, it is read again at twice its size
    (small data labels and pie labels are found then), and each line found first is recognised again
    alone without the angle classifier (which sometimes turns a long row of axis labels, "2012Q3
    2012Q4 ...", upside down, but is needed for the y axis's title); the readings are pooled.
    """
    check = _check(items, recorded)
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
    return (1 - lost / checked if checked else 1.0), details


def read(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Score a chart sample: the chart redrawn from its target alone against the image, the engine's
    promises about its values, then a PP-OCR reading of its texts.

    Args:
        record: the sample's JSON record; meta's `spec` gives the chart's looks, `renderer` and
            `degrade` how it was drawn.
        images: the chart (one image).

    Returns:
        1 - differing pixels / DIFF_PX (0 for a target that does not parse or draw, or breaks a
        promise), lowered to the PP-OCR recall where that is under OCR_FLOOR; details say why.
    """
    meta = record_meta(record)
    recorded = meta["spec"]
    try:
        parsed = read_target(record["target"], recorded["kind"] in HORIZONTAL)
        spec = chart_from_target(parsed, recorded)
    except ValueError as exc:
        return Reading(0.0, {"error": f"the target does not describe the chart: {exc}"})
    broken = broken_promises(spec)
    if broken:
        return Reading(0.0, {"error": "; ".join(broken)})
    try:
        drawn = redrawn({**meta, "spec": spec.to_dict()})
    except RenderError as exc:
        return Reading(0.0, {"error": f"the target does not draw: {exc.reason} {exc.excerpt}"})
    mask = differing(drawn.image, images[0])
    score = max(0.0, 1 - int(mask.sum()) / DIFF_PX)
    details: dict[str, Any] = {"differing_pixels": int(mask.sum())}
    if mask.sum() > STRAY_PX:
        details["missed"] = not_shown(drawn, images[0], mask)
    else:  # the picture agrees: now the independent reading
        recall, details["ocr"] = ocr_recall(chart_items(record["target"], spec.horizontal), recorded, images)
        details["ocr_recall"] = round(recall, 4)
        if recall < OCR_FLOOR:
            score = min(score, recall)
    return Reading(score, details)
