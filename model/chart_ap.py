"""OneChart's chart metric: AP@strict / @slight / @high over (row, column, value) triples.

Predictions and references may be in any of the charts engine's target formats (`--target-format`):
OneChart's dict, an HTML table or a Markdown table; `parse_values` reads each into the same dict.

What OneChart's ChartSE evaluation (`ChartSE_eval/SCRM.py`, `csv_eval`) computes, for the
`values` dict of a chart's JSON:
- each entry becomes a triple: `{series: {x: v}}` -> (series, x, v), `{x: v}` -> (x, "value", v);
  heads are lower-cased, the value keeps only digits, '.' and '-' and is a float when it parses;
  the two heads are sorted, so (series, x) and (x, series) agree;
- a predicted triple matches a reference triple when both values are numbers within the relative
  tolerance (|p - r| / |r|) and the joined heads are within the word tolerance (Levenshtein) or
  one contains the other; otherwise when the whole joined triples are within the word tolerance;
- a chart's similarity is |matched| / |union|, the union counting a tolerated match once;
- AP at a threshold is the share of charts whose similarity reaches it; AP@strict/slight/high
  is its mean over thresholds 0.50, 0.55, ..., 0.95, with (word, number) tolerances
  strict (0, 0), slight (2, 0.05), high (5, 0.1); EM is strict AP at similarity 1.

OneChart drops charts whose prediction does not parse; here they count as similarity 0 (and the
share that parsed is reported), and OneChart's positional re-labelling of "value" heads is left out.
Beside the values, `texts_em` is the share of charts whose predicted texts (title, subtitle, source
note, axis titles, reference line label: `engines.charts.targets.read_target`) are exactly the
reference's, none missing and none added.
Roles are OneChart's own (and right): the prediction is matched against the reference.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from rapidfuzz.distance import Levenshtein

from engines.charts.targets import read_target

TOLERANCES = {"strict": (0, 0.0), "slight": (2, 0.05), "high": (5, 0.1)}
THRESHOLDS = [round(0.5 + 0.05 * i, 2) for i in range(10)]
Triple = tuple[str, str, Any]


def parse_values(text: str) -> dict[str, Any] | None:
    """The values of a chart in any of the engine's target formats, as OneChart's `values` dict; None if unreadable.

    A OneChart dict gives its `values` (or `data`), unclosed braces closed as OneChart does; an HTML
    table (DeepSeek-OCR's format) or a Markdown table (PaddleOCR-VL's) gives `{row: value}` for one
    value column with an empty header (an unnamed series) and `{column: {row: value}}` otherwise.
    """
    text = text.strip()
    if "<table" in text.lower():
        return _table_values(_html_rows(text))
    if text.lstrip().startswith("|") or "\n|" in text:
        return _table_values(_markdown_rows(text))
    text += "}" * max(0, text.count("{") - text.count("}"))
    try:
        chart = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(chart, dict):
        return None
    values = chart.get("values", chart.get("data"))
    return values if isinstance(values, dict) else None


def _html_rows(text: str) -> list[list[str]]:
    """The cell texts of each `<tr>` of an HTML table (entities decoded, tags inside cells dropped)."""
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", text, re.IGNORECASE | re.DOTALL):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.IGNORECASE | re.DOTALL)
        rows.append([html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def _markdown_rows(text: str) -> list[list[str]]:
    """The cells of each row of a Markdown table (the `---` rule skipped, escaped pipes kept in cells)."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip("|"))]
        filled = [c for c in cells if c]
        if filled and all(re.fullmatch(r":?-{3,}:?", c) for c in filled):
            continue
        rows.append(cells)
    return rows


def _table_values(rows: list[list[str]]) -> dict[str, Any] | None:
    """A header row and body rows as a OneChart `values` dict (None for fewer than two rows or columns)."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    header, body = rows[0], [r for r in rows[1:] if len(r) == len(rows[0])]
    if len(header) == 2 and not header[1]:  # one unnamed series
        return {r[0]: r[1] for r in body}
    return {name: {r[0]: r[k] for r in body} for k, name in enumerate(header) if k}


def triples(values: dict[str, Any]) -> set[Triple]:
    out: set[Triple] = set()
    for key, value in values.items():
        items = value.items() if isinstance(value, dict) else [("value", value)]
        for sub, v in items:
            heads = sorted((str(key).lower(), str(sub).lower()))
            out.add((heads[0], heads[1], _value(v)))
    return out


def _value(v: Any) -> float | str:
    cleaned = re.sub(r"[^\d.-]", "", str(v))
    try:
        return float(cleaned)
    except ValueError:
        return cleaned.lower()


def _matches(p: Triple, r: Triple, tol_word: int, tol_num: float) -> bool:
    if isinstance(p[2], float) and isinstance(r[2], float):
        if abs(p[2] - r[2]) / (abs(r[2]) + 1e-6) > tol_num:
            return False
        ph, rh = p[0] + p[1], r[0] + r[1]
        return Levenshtein.distance(ph, rh) <= tol_word or ph in rh or rh in ph
    return Levenshtein.distance("".join(map(str, p)), "".join(map(str, r))) <= tol_word


def similarity(pred: set[Triple], ref: set[Triple], tol_word: int, tol_num: float) -> float:
    """|matched predictions| / |union|, a tolerated (inexact) match counted once in the union."""
    matched = {p for p in pred if any(_matches(p, r, tol_word, tol_num) for r in ref)}
    union = len(pred | ref) - len(matched - (pred & ref))
    return len(matched) / union if union else 1.0


def chart_texts(text: str) -> dict[str, str] | None:
    """The texts a chart target or prediction gives by key (title, subtitle, source, x_title, y_title,
    reference), or None when it is not a well-formed chart table."""
    try:
        return read_target(text).texts
    except ValueError:
        return None


def chart_ap(preds: list[str], refs: list[str]) -> dict[str, float]:
    """ap_strict, ap_slight, ap_high, em, texts_em and parsed (the share of predictions that parsed) over charts.

    Raises:
        ValueError: a reference that is not a chart JSON with a `values` dict.
    """
    pairs = []
    for pred, ref in zip(preds, refs, strict=True):
        ref_values = parse_values(ref)
        if ref_values is None:
            raise ValueError(f"reference is not a chart JSON with a values dict: {ref[:80]!r}")
        pred_values = parse_values(pred)
        pairs.append((triples(pred_values) if pred_values is not None else None, triples(ref_values)))
    out: dict[str, float] = {}
    for name, (tol_word, tol_num) in TOLERANCES.items():
        sims = [similarity(p, r, tol_word, tol_num) if p is not None else 0.0 for p, r in pairs]
        out[f"ap_{name}"] = sum(_ap(sims, t) for t in THRESHOLDS) / len(THRESHOLDS)
        if name == "strict":
            out["em"] = _ap(sims, 1.0)
    same_texts = [chart_texts(pred) == chart_texts(ref) is not None for pred, ref in zip(preds, refs)]
    out["texts_em"] = sum(same_texts) / len(same_texts) if same_texts else 0.0
    out["parsed"] = sum(p is not None for p, _ in pairs) / len(pairs) if pairs else 0.0
    return out


def _ap(sims: list[float], threshold: float) -> float:
    return sum(s >= threshold for s in sims) / len(sims) if sims else 0.0
