"""Mutation bench, the readers' own test: break built targets the ways real defects break them, count what is flagged.

    python -m bench.mutate data/docs [data/charts ...] [--n 24] [--seed 0] [--out bench/results/mutate.json]

A reader that flags nothing wrong looks exactly like a build with nothing wrong. So each build's
samples (a seeded sample of `--n`, read from its shards; the build itself is never written) are
scored as they are, then again with each target broken in one of the ways real defects break them
(`MUTATIONS`: one digit or symbol changed, a CJK compatibility ideograph or a look-alike code point
swapped in, two lines swapped, two runs of lines interleaved, a line split into words, a line or a
table row dropped, headers swapped, a chart value, label or title changed or dropped, a SMILES atom,
a **kern note, a TikZ coordinate changed; a fine-grained prompt's box moved or its colour changed; a composed
sample's page given another page's text). Every score goes through `pipelines.validate.score`, the
path a real validation takes (code-point check, then the engine's registered reader and threshold).

Reported per engine and mutation kind: how many samples the mutation applied to and the share of
them flagged; per engine, the share of good samples flagged. Goal: every kind >= 95% flagged, good
samples <= 2%. A mutation that does not apply to a sample (no digit to change, a one-line target)
is skipped for it, and a mutation that leaves the target unchanged is never counted.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engines.base import pick
from pipelines.readers import Reading
from pipelines.readers.charts import chart_items
from pipelines.readers.page_redraw import MATH
from pipelines.sampling import seeded_sample, shard_sizes
from pipelines.validate import score
from renderers.scripts import HAN
from shards.format import record_meta
from shards.reader import StoredSample
from tokenizer.protocol import COLORS, asked_box

RESULTS = Path(__file__).resolve().parent / "results"
Mutation = Callable[[str, dict[str, Any], np.random.Generator], str | None]
# Unified ideograph -> a compatibility ideograph drawn the same (NFKC maps the latter back to the former).
COMPAT = {unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0xF900, 0xFADA)
          if unicodedata.normalize("NFKC", chr(c)) != chr(c)}
CYRILLIC = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "x": "\u0445",
            "y": "\u0443", "i": "\u0456"}
# LaTeX symbols a wrong target swaps for a neighbour: (pattern, replacement).
SYMBOLS = ((r"\equiv", "="), (r"\ll", r"\gg"), (r"\leq", r"\geq"), (r"\alpha", r"\beta"), (r"\pm", r"\mp"),
           (r"\sin", r"\cos"), (r"\sum", r"\prod"), (r"\cup", r"\cap"), ("+", "-"), ("=", r"\neq"))
# Displayed math as a page's markdown writes it (`pipelines.readers.page_redraw.MATH` less its inline form).
DISPLAY = re.compile(MATH.pattern.split("|", 1)[1].replace(r"\3", r"\2"), re.S)  # its groups one fewer
COMMON_CJK = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主"
              "发年动同工也能下过子说产种面而方后多定行学法所民得经")


def _pick(rng: np.random.Generator, spots: list[Any]) -> Any:
    """`engines.base.pick`, or None where there is nothing to break."""
    return pick(rng, spots) if spots else None


def _replace_at(text: str, at: int, length: int, new: str) -> str:
    return text[:at] + new + text[at + length:]


def digit(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """One digit changed to another."""
    at = _pick(rng, [m.start() for m in re.finditer(r"\d", target)])
    if at is None:
        return None
    return _replace_at(target, at, 1, str((int(target[at]) + 1 + int(rng.integers(8))) % 10))


def letter(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """One letter of a word (or one CJK character) changed to another, outside LaTeX commands."""
    spots = [m.start() for m in re.finditer(r"(?<![\\A-Za-z])[A-Za-z](?=[A-Za-z]*(?![A-Za-z{]))", target)]
    spots += [m.start() for m in HAN.finditer(target)]
    at = _pick(rng, spots)
    if at is None:
        return None
    c = target[at]
    if HAN.match(c):
        return _replace_at(target, at, 1, _pick(rng, [k for k in COMMON_CJK if k != c]))
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    new = alphabet[(alphabet.index(c.lower()) + 1 + int(rng.integers(24))) % 26]
    return _replace_at(target, at, 1, new.upper() if c.isupper() else new)


def symbol(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """One LaTeX symbol swapped for its neighbour (\\equiv -> =, \\ll -> \\gg, + -> -)."""
    spots = [(m.start(), old, new) for old, new in SYMBOLS
             for m in re.finditer(re.escape(old) + (r"(?![A-Za-z])" if old[0] == "\\" else ""), target)]
    spot = _pick(rng, spots)
    return None if spot is None else _replace_at(target, spot[0], len(spot[1]), spot[2])


def compat_ideograph(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """A CJK character written as its compatibility ideograph (不 -> U+F967)."""
    at = _pick(rng, [i for i, c in enumerate(target) if c in COMPAT])
    return None if at is None else _replace_at(target, at, 1, COMPAT[target[at]])


def look_alike(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """A '-' written as U+2011, or a Latin letter of a word as its Cyrillic double."""
    spots = [(m.start(), "\u2011") for m in re.finditer(r"(?<=\w)-(?=\w)", target)]
    spots += [(m.start(), CYRILLIC[m.group()]) for m in re.finditer(r"(?<=[A-Za-z])[aeopcxyi]", target)]
    spot = _pick(rng, spots)
    return None if spot is None else _replace_at(target, spot[0], 1, spot[1])


def _lines(target: str) -> list[int]:
    return [i for i, line in enumerate(target.split("\n")) if len(line.strip()) > 1]


def swap_lines(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """Two adjacent non-empty lines swapped."""
    lines, full = target.split("\n"), _lines(target)
    pairs = [(a, b) for a, b in zip(full, full[1:]) if lines[a].strip() != lines[b].strip()]
    pair = _pick(rng, pairs)
    if pair is None:
        return None
    lines[pair[0]], lines[pair[1]] = lines[pair[1]], lines[pair[0]]
    return "\n".join(lines)


def interleave(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """Two runs of k lines (k up to 3) interleaved, as two columns' lines read row by row."""
    lines = target.split("\n")
    full = _lines(target)
    k = min(3, len(full) // 2)
    if k < 2:
        return None
    start = int(rng.integers(len(full) - 2 * k + 1))
    first, second = full[start:start + k], full[start + k:start + 2 * k]
    order = [i for pair in zip(first, second) for i in pair]
    moved = [lines[i] for i in order]
    for slot, text in zip(sorted(order), moved):
        lines[slot] = text
    return "\n".join(lines)


def _in_display(target: str) -> list[bool]:
    """For each line, whether it lies inside displayed math (`\\[...\\]`, `align` ...), where a line break is a
    space: such a line written word by word is the same formula, nothing a reader could flag."""
    spans = [(m.start(), m.end()) for m in DISPLAY.finditer(target)]
    inside, at = [], 0
    for line in target.split("\n"):
        inside.append(any(a <= at and at + len(line) <= b for a, b in spans))
        at += len(line) + 1
    return inside


def split_line(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """A line of three or more words written one word per line (outside displayed math, where a line break is a
    space)."""
    lines = target.split("\n")
    i = _pick(rng, [i for (i, line), shown in zip(enumerate(lines), _in_display(target))
                    if len(line.split()) >= 3 and not shown])
    if i is None:
        return None
    lines[i:i + 1] = lines[i].split()
    return "\n".join(lines)


def drop_line(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """One non-empty line dropped."""
    lines, full = target.split("\n"), _lines(target)
    if len(full) < 2:
        return None
    del lines[_pick(rng, full)]
    return "\n".join(lines)


def _rows(target: str) -> list[tuple[int, int]]:
    """(start, end) of each tabular row ending in \\\\, after the first (the header)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n\\]*(?:\\(?!\\)[^\n\\]*)*\\\\[^\n]*\n?", target)]


def drop_row(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """One body row of a tabular dropped."""
    rows = [r for r in _rows(target) if "&" in target[r[0]:r[1]]][1:]
    row = _pick(rng, rows)
    return None if row is None else target[:row[0]] + target[row[1]:]


def swap_headers(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """Two different header cells of a tabular swapped."""
    rows = [r for r in _rows(target) if "&" in target[r[0]:r[1]]]
    if not rows:
        return None
    start, end = rows[0]
    row = target[start:end]
    body, tail = row.split("\\\\", 1)
    cells = body.split("&")
    pairs = [(a, b) for a in range(len(cells)) for b in range(a + 1, len(cells))
             if cells[a].strip() != cells[b].strip() and cells[a].strip() and cells[b].strip()]  # a blank corner stays
    pair = _pick(rng, pairs)
    if pair is None:
        return None
    a, b = pair
    cells[a], cells[b] = (cells[b].strip().join(cells[a].split(cells[a].strip(), 1)),
                          cells[a].strip().join(cells[b].split(cells[b].strip(), 1)))
    return target[:start] + "&".join(cells) + "\\\\" + tail + target[end:]


def _chart_texts(target: str, roles: tuple[str, ...]) -> list[str]:
    items = chart_items(target)
    return [t for role in roles for t in getattr(items, role) if t and t in target]


def _chart_change(target: str, texts: list[str], rng: np.random.Generator, drop: bool) -> str | None:
    text = _pick(rng, sorted(set(texts)))
    if text is None:
        return None
    if drop:
        return target.replace(text, "", 1)
    changed = letter(text, {}, rng) or digit(text, {}, rng)
    return None if changed is None else target.replace(text, changed, 1)


def chart_value(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """One value of the chart's table changed by one digit."""
    values = [v for v in chart_items(target).values if re.search(r"\d", v)]
    value = _pick(rng, values)
    if value is None:
        return None
    at = target.find(value)
    return None if at < 0 else _replace_at(target, at, len(value), digit(value, meta, rng) or value)


def chart_label(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """One category label or series name changed by one letter or digit."""
    return _chart_change(target, _chart_texts(target, ("categories", "series")), rng, drop=False)


def chart_title(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """The title, subtitle, source or an axis title changed by one letter."""
    return _chart_change(target, _chart_texts(target, ("titles",)), rng, drop=False)


def chart_title_dropped(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """The title, subtitle, source or an axis title left out."""
    return _chart_change(target, _chart_texts(target, ("titles",)), rng, drop=True)


def smiles_atom(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """One atom of the SMILES changed (C -> N, N -> O, O -> S ...), written canonically as the engine writes."""
    from rdkit import Chem, rdBase

    smiles = target[len("<smiles>"):-len("</smiles>")]
    swaps = {"C": "N", "N": "O", "O": "S", "S": "O", "c": "n", "n": "c"}
    spots = [m.start() for m in re.finditer(r"(?<![A-Z])[CNOScn](?![a-z])", smiles)]
    for at in rng.permutation(spots) if spots else []:
        with rdBase.BlockLogs():
            mol = Chem.MolFromSmiles(_replace_at(smiles, int(at), 1, swaps[smiles[int(at)]]))
        if mol is not None:
            new = Chem.MolToSmiles(mol)
            if new != smiles:
                return f"<smiles>{new}</smiles>"
    return None


def kern_note(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """One note's pitch moved a step (a -> b, g -> a), its duration and accidentals kept."""
    steps = "abcdefg"
    spots = [m.start() for m in re.finditer(r"(?<=\d)([a-gA-G])(?![a-gA-G])", target)]
    at = _pick(rng, spots)
    if at is None:
        return None
    c = target[at]
    new = steps[(steps.index(c.lower()) + 1) % 7]
    return _replace_at(target, at, 1, new.upper() if c.isupper() else new)


def tikz_coordinate(target: str, meta: dict[str, Any], rng: np.random.Generator) -> str | None:
    """One number of a coordinate moved by 0.2 to 0.5 units."""
    spots = list(re.finditer(r"(?<=[(,])\s*(-?\d+(?:\.\d+)?)\s*(?=[,)])", target))
    m = _pick(rng, spots)
    if m is None:
        return None
    moved = float(m.group(1)) + float(rng.choice([-1, 1])) * float(rng.uniform(0.2, 0.5))
    return _replace_at(target, m.start(1), len(m.group(1)), f"{moved:.2f}".rstrip("0").rstrip("."))


@dataclass(frozen=True)
class Rewrite:
    """A mutation of more than the target: the prompt (the box or colour a fine-grained sample asks about), or a
    composed sample's pages, whose spans (`meta.page_texts`) the engine would have written for the broken target.

    Attributes:
        apply: (record, rng) -> the broken record, or None when the mutation does not apply.
    """

    apply: Callable[[dict[str, Any], np.random.Generator], dict[str, Any] | None]


def box_moved(record: dict[str, Any], rng: np.random.Generator) -> dict[str, Any] | None:
    """The prompt's box moved by its own height, up or down (the neighbouring lines, or the blank beside them),
    as an off-by-one region or a wrong page height would ask: the target still names the first region."""
    box = asked_box(record["prompt"])
    if box is None:
        return None
    x0, y0, x1, y1 = box
    height = y1 - y0
    moves = [dy for dy in (height, -height) if 0 <= y0 + dy and y1 + dy <= 1000]
    dy = _pick(rng, moves)
    if not dy:
        return None
    rest = record["prompt"][record["prompt"].index("] ") + 2:]
    return {**record, "prompt": f"{[x0, y0 + dy, x1, y1 + dy]} {rest}"}


def color_changed(record: dict[str, Any], rng: np.random.Generator) -> dict[str, Any] | None:
    """The colour the prompt names changed to another of GOT's (a frame drawn red, asked about as blue)."""
    found = re.match(r"\[(\w+)\] ", record["prompt"])
    if found is None or found.group(1) not in COLORS:
        return None
    other = _pick(rng, [c for c in COLORS if c != found.group(1)])
    return {**record, "prompt": f"[{other}] " + record["prompt"][found.end():]}


def _with_pages(record: dict[str, Any], pages: list[str]) -> dict[str, Any]:
    """The composed record with its pages' texts replaced, the separators between them kept and each page's span
    in `meta.page_texts` written again for the new target, as the engine writes them."""
    meta, target = record_meta(record), record["target"]
    spans = meta["page_texts"]
    gaps = [target[end:start] for (_, _, end), (_, start, _) in zip(spans, spans[1:])]
    out, new_spans = "", []
    for k, (span, page) in enumerate(zip(spans, pages)):
        out += gaps[k - 1] if k else ""
        new_spans.append([span[0], len(out), len(out) + len(page)])
        out += page
    return {**record, "target": out, "meta": json.dumps({**meta, "page_texts": new_spans}, ensure_ascii=False)}


def _page_texts(record: dict[str, Any]) -> list[str]:
    return [record["target"][start:end] for _, start, end in record_meta(record)["page_texts"]]


def on_a_page(kind: Mutation) -> Rewrite:
    """`kind` applied to one page of a composed sample (the first, in a seeded order, that it applies to)."""
    def apply(record: dict[str, Any], rng: np.random.Generator) -> dict[str, Any] | None:
        pages, meta = _page_texts(record), record_meta(record)
        for k in rng.permutation(len(pages)):
            broken = kind(pages[int(k)], meta, rng)
            if broken is not None and broken != pages[int(k)]:
                pages[int(k)] = broken
                return _with_pages(record, pages)
        return None

    apply.__doc__ = f"On one page: {kind.__doc__}"
    return Rewrite(apply)


def pages_swapped(record: dict[str, Any], rng: np.random.Generator) -> dict[str, Any] | None:
    """Two pages' (or tiles') texts swapped, as pages put out of order or a tile given its neighbour's text."""
    pages = _page_texts(record)
    pair = _pick(rng, [(a, b) for a in range(len(pages)) for b in range(a + 1, len(pages))
                       if pages[a].strip() != pages[b].strip()])
    if pair is None:
        return None
    pages[pair[0]], pages[pair[1]] = pages[pair[1]], pages[pair[0]]
    return _with_pages(record, pages)


TEXT = {"digit": digit, "letter": letter, "compat_ideograph": compat_ideograph, "look_alike": look_alike,
        "swap_lines": swap_lines, "interleave": interleave, "split_line": split_line, "drop_line": drop_line}
CHARTS = {"value": chart_value, "label": chart_label, "title": chart_title, "title_dropped": chart_title_dropped,
          "compat_ideograph": compat_ideograph, "look_alike": look_alike}
SCENE = {"letter": letter, "digit": digit, "look_alike": look_alike, "drop_line": drop_line,
         "swap_lines": swap_lines, "split_line": split_line}
COMPOSED = {"letter": on_a_page(letter), "drop_line": on_a_page(drop_line), "swap_lines": on_a_page(swap_lines),
            "pages_swapped": Rewrite(pages_swapped)}
MUTATIONS: dict[str, dict[str, Mutation | Rewrite]] = {
    "smoke": TEXT, "docs": TEXT, "doc_slices": TEXT, "pages": TEXT,
    "formulas": {"digit": digit, "symbol": symbol, "letter": letter},
    "tables": {"digit": digit, "letter": letter, "drop_row": drop_row, "swap_headers": swap_headers,
               "compat_ideograph": compat_ideograph, "look_alike": look_alike},
    "charts": CHARTS,
    "molecules": {"atom": smiles_atom},
    "sheet_music": {"note": kern_note},
    "geometry": {"coordinate": tikz_coordinate, "digit": digit},
    "scene": SCENE, "scene_crops": SCENE,
    "handwriting": {"letter": letter, "drop_line": drop_line, "swap_lines": swap_lines},
    "finegrained": {"letter": letter, "drop_line": drop_line, "box_moved": Rewrite(box_moved),
                    "color_changed": Rewrite(color_changed)},
    "multipage": COMPOSED, "multicrop": COMPOSED,
}


def mutate(sample: StoredSample, kind: Mutation | Rewrite, rng: np.random.Generator) -> StoredSample | None:
    """A copy of the sample with its target (or prompt, or pages) broken by `kind`, or None when the mutation does
    not apply."""
    if isinstance(kind, Rewrite):
        record = kind.apply(sample.record, rng)
    else:
        broken = kind(sample.record["target"], record_meta(sample.record), rng)
        record = None if broken is None else {**sample.record, "target": broken}
    if record is None or record == sample.record:
        return None
    copied = copy.copy(sample)
    copied.record = record
    return copied


def bench(folders: list[str], n: int, seed: int, out: Path | None = None) -> dict[str, Any]:
    """Score each build's seeded sample of n as it is and under every mutation of its engine (`mutation_table`),
    writing the result so far to `out` after each sample (a long run stopped early keeps what it measured)."""
    head = {"builds": folders, "n": n, "seed": seed}
    samples = (sample for folder in folders for _, sample in seeded_sample(shard_sizes(folder), n, seed))

    def save(result: dict[str, Any]) -> None:
        if out is not None:
            part = out.with_name(out.name + ".part")
            part.write_text(json.dumps({**head, **result}, ensure_ascii=False, indent=1) + "\n")
            part.replace(out)

    return {**head, **mutation_table(samples, seed, save)}


def mutation_table(samples: Iterable[StoredSample], seed: int,
                   checkpoint: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """Score each sample as it is and under every mutation of its engine.

    A sample whose own target is already flagged (an engine defect the reader caught) says nothing about
    whether its mutations would be: each row also counts the samples whose original passed.

    Returns:
        {"table": one row per (engine, kind) with applied, flagged, share, and applied_passing,
        flagged_passing over samples whose original passed; "good": per engine, samples,
        the share flagged and every score; "timeouts": per engine, readings not counted because a
        redraw ran out of time; "misses": the unflagged mutations and the flagged good samples, with
        their scores and figures}.
    """
    applied: dict[tuple[str, str], list[tuple[bool, bool]]] = defaultdict(list)
    good_scores: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    misses: list[dict[str, Any]] = []
    timeouts: dict[str, int] = defaultdict(int)
    for sample in samples:
        engine = sample.record["engine"]
        scored = score(sample)
        if scored is None:
            continue
        reading, threshold = scored
        if _timed_out(reading):
            timeouts[engine] += 1
            continue
        good_scores[engine].append((round(reading.score, 4), reading.score < threshold))
        passing = reading.score >= threshold
        if not passing:
            misses.append({"engine": engine, "kind": "good (flagged)", "key": sample.key,
                           "score": round(reading.score, 4), "details": reading.details})
        for name, kind in MUTATIONS.get(engine, {}).items():
            rng = np.random.default_rng([seed, sum(map(ord, name)), sum(map(ord, sample.key))])
            broken = mutate(sample, kind, rng)
            if broken is None:
                continue
            reading, threshold = score(broken)  # type: ignore[misc]
            if _timed_out(reading):
                timeouts[engine] += 1
                continue
            applied[(engine, name)].append((reading.score < threshold, passing))
            if reading.score >= threshold:
                misses.append({"engine": engine, "kind": name, "key": sample.key, "score": round(reading.score, 4),
                               "prompt": broken.record["prompt"], "target": broken.record["target"][:200],
                               "details": reading.details})
        print(f"{engine} {sample.key}: done", file=sys.stderr)
        if checkpoint is not None:
            checkpoint(_tally(applied, good_scores, timeouts, misses))
    return _tally(applied, good_scores, timeouts, misses)


def _tally(applied: dict[tuple[str, str], list[tuple[bool, bool]]], good_scores: dict[str, list[tuple[float, bool]]],
           timeouts: dict[str, int], misses: list[dict[str, Any]]) -> dict[str, Any]:
    table = []
    for (e, k), v in sorted(applied.items()):
        kept = [f for f, passing in v if passing]
        table.append({"engine": e, "kind": k, "applied": len(v), "flagged": sum(f for f, _ in v),
                      "share": round(sum(f for f, _ in v) / len(v), 3), "applied_passing": len(kept),
                      "flagged_passing": sum(kept)})
    good = {e: {"samples": len(v), "flagged": sum(f for _, f in v), "share": round(sum(f for _, f in v) / len(v), 3),
                "scores": sorted(x for x, _ in v)} for e, v in sorted(good_scores.items())}
    return {"table": table, "good": good, "timeouts": dict(timeouts), "misses": misses}


def _timed_out(reading: Reading) -> bool:
    """A redraw that ran out of time says nothing about the target (a loaded machine): not counted."""
    return "render_timeout" in str(reading.details.get("error", ""))


def describe(result: dict[str, Any]) -> str:
    """The table as Markdown: engine, kind, applied, share flagged; then good samples flagged."""
    rows = ["| engine | mutation | samples | flagged | of them, original passing | flagged |",
            "|---|---|---|---|---|---|"]
    rows += [f"| {r['engine']} | {r['kind']} | {r['applied']} | {r['share']:.0%} | {r['applied_passing']} | "
             + (f"{r['flagged_passing'] / r['applied_passing']:.0%} |" if r["applied_passing"] else "- |")
             for r in result["table"]]
    rows += [f"| {e} | good samples | {g['samples']} | {g['share']:.0%} | | |" for e, g in result["good"].items()]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mutate", description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", help="build folders of pipelines.build (read only)")
    parser.add_argument("--n", type=int, default=24, help="samples read from each build (default: 24)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(RESULTS / "mutate.json"))
    args = parser.parse_args(argv)
    result = bench(args.folders, args.n, args.seed, Path(args.out))
    print(describe(result))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
