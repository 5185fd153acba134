"""A real paper's page read strictly: lines from the image, their order from the image, their characters exact.

A real paper's page (`pages --source`) cannot be typeset again as a generated page is (its preamble, macros and
floats are the paper's own), and an order-free token F1 sees only code-point changes: two paragraphs swapped or
a line left out score as high as a right target. So, as the docs reader does for real PDFs
(`pipelines.readers.text`, `pipelines.readers.order`), the lines are read from the image by PP-OCR and placed
in the image's reading order (columns split at gutters, rows joined), and the target is judged from them, in
the other direction, since a target paragraph is many printed lines: each detected line long enough to place
is found in the target's printed text (`reading`: markup stripped, in the target's order), and

- two consecutive detected lines of prose found in the other order are a pair out of order (paragraphs swapped;
  a line placed over inline math only when wholly before the line above it: its formula's letters place it
  loosely);
- a detected line of prose that the target does not hold is a line the target dropped (or changed beyond
  finding);
- a detected line found in prose (or, over formulas, the prose between them) must be there exactly as
  `text.blind` folds it (the docs allowances: what
  PP-OCR cannot tell apart; a line-end hyphen TeX added), in one of its looks (`text.SECOND_LOOKS`): a changed
  letter is a misread line;
- a run of the target's prose that no detected line covers is text the page does not print;
- the equation numbers (`\\tag{4b}`) must be those read at the margin, in that order (a changed number, a
  dropped or moved row of an `align`);
- two consecutive target lines that together are in one detected line are a printed line written as two (a
  line split into words);
- a line printed between two lines the target holds side by side (no formula between) is a line it dropped, what
  ever it reads as (a code line);
- a formula LaTeX refuses alone, and LaTeX markup in the prose (`MARKUP`), are nothing a page prints (a prose line
  moved into a display, a display's row moved out of it).

Formulas and tables are compared loosely by PP-OCR: their letters and digits place a line (`loose`), since a
formula reads as symbols no target spells the same way. Each formula is checked from the image instead
(`pipelines.readers.paper_formulas`): typeset alone from the target, it must be printed as typeset in the band its
place in the target gives (on the lines placed over it, or between the lines placed before and after it): a
changed letter or digit inside math, or a formula moved to another paragraph, is one formula not found.
Each problem costs `text.PROBLEM_COST` (`layout`); `pages.read_paper` scores the lowest of that figure and the
order-free F1.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np
from PIL import Image
from rapidfuzz import fuzz

from pipelines.readers.order import MIN_CHARS, Placed, _rows, before, placed
from pipelines.readers.page_redraw import MATH, TABULAR
from pipelines.readers.paper_formulas import Anchor, Formula, check
from pipelines.readers.text import (
    PROBLEM_COST,
    SECOND_LOOKS,
    _level,
    _read_under_read_again,
    _unlevel,
    blind,
    read_texts,
    skew,
)
from renderers import ppocr

# What the target writes that the page does not print as written: displayed and inline math, math
# environments, tabulars (their cells printed in a grid), LaTeX table rules and commands.
LOOSE = re.compile(f"{MATH.pattern}|{TABULAR.pattern}", re.S)  # a tabular's body is group 6
TAG = re.compile(r"\\tag\*?\{([^{}]*)\}")
PRINTED_TAG = re.compile(r"\(\d+[a-z]?\)")  # an equation number as the page prints it, alone on its line
COMMAND = re.compile(r"\\[A-Za-z]+|[{}^_&$\\]")
# LaTeX markup in the target's prose (outside math, tables and code blocks): a page prints no `\\mathcal` or
# `\\tag{7b}` as text, so prose holding one is math the target took out of its formula (a display's row moved
# past its `\\end{align*}`); right real pages' prose holds none
CODE = re.compile(r"```.*?```", re.S)
MARKUP = re.compile(r"\\[A-Za-z]+|\\\\|&\s*=")
PLACE = 80  # partial ratio from which a detected line is placed in the target's text
PROSE = 0.6  # share of letters from which a detected line is prose, which the target must hold (a formula is not)
SPARSE = 0.6  # characters a line height under which a line's reading is too sparse for its box
UNREAD = (-1, -1, True)  # the place of a line read as nothing when read again alone
UNCOVERED = 40  # characters of the target's prose in a row that no detected line covers: text not printed


def reading(target: str) -> tuple[str, list[bool]]:
    """The target's printed text as `blind` compares it (markup stripped, `#` and list marks gone), with each
    character marked loose when it comes from a formula or a table (only its letters and digits kept)."""
    text, mask, _ = _reading(target)
    return text, mask


def _reading(target: str) -> tuple[str, list[bool], list[Formula]]:
    """`reading`, and the target's formulas with where each stands in that text."""
    text, mask, formulas, at = "", [], [], 0
    body = re.sub(r"(?m)^#+ |^- |^\d+\. ", "", target)
    for m in LOOSE.finditer(body):
        prose = blind(body[at:m.start()])
        loose = blind(COMMAND.sub(" ", m[1] or m[2] or m[4] or m[6] or "")) or "~"  # a lone \\theta is a place too
        if not m[0].startswith(r"\begin{tabular}"):  # a formula (a tabular's cells are left to the loose reading)
            start = len(text) + len(prose)
            para = body.rfind("\n\n", 0, m.start())
            note = body.startswith("\\({ }^{", para + 2 if para >= 0 else 0)  # in a footnote's paragraph
            formulas.append(Formula(start, start + len(loose), m[1] or m[2] or m[4] or "", m[1] is None, m[3] or "",
                                    note))
        text, mask, at = text + prose + loose, mask + [False] * len(prose) + [True] * len(loose), m.end()
    prose = blind(body[at:])
    return text + prose, mask + [False] * len(prose), formulas


def prose_markup(target: str) -> list[str]:
    """The LaTeX markup (`MARKUP`) the target's prose holds, outside math, tables and code blocks."""
    return MARKUP.findall(LOOSE.sub(" ", CODE.sub(" ", target)))


def _find(line: str, text: str, after: int = 0) -> tuple[float, int, int]:
    """(partial ratio, start, end) of the best place of `line` in `text`: where it stands exactly, the first place
    from `after` (the previous line's; a page may print a line twice, a title and a citation of it), else the
    first before it; else where it fits best from `after`, else anywhere."""
    for start in (text.find(line, after), text.find(line)):
        if start >= 0:
            return 100.0, start, start + len(line)
    best = (0.0, 0, 0)
    for start in (after, 0):
        if len(line) <= len(text) - start:
            found = fuzz.partial_ratio_alignment(line, text[start:])
            best = max(best, (found.score, start + found.dest_start, start + found.dest_end))
            if best[0] >= PLACE:
                break
    return best


def _exact(line: str, text: str, start: int, end: int) -> bool:
    """Whether the detected line is in the target's text exactly where it was placed (a line-end hyphen TeX
    added aside)."""
    window = text[max(0, start - len(line)):end + len(line)]
    return line in window or (line.endswith("-") and line[:-1] in window)


def _prose_exact(line: str, text: str, mask: list[bool], start: int, end: int) -> bool:
    """Whether a detected line placed over a formula holds exactly the prose between the formulas of its place:
    each run of prose inside it; the run at its start the line may begin inside of, the one at its end end inside
    of (a place found by its formulas' letters may begin or end on a neighbouring line), but what the line holds of
    them must be theirs (a changed letter before a line's first formula)."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"0+", "".join("1" if k else "0" for k in mask[start:end]))]
    cut = line[:-1] if line.endswith("-") else line  # a line-end hyphen TeX added
    prose = _prose(line)
    for a, b in runs:
        first, last = a == 0, start + b >= end
        if (first or last) and not prose:  # a formula's reading: where its place ends is loose
            continue
        if first and last:  # no formula inside the place (one stands just beside it): the line is all prose
            return _exact(line, text, start, end)
        run = text[start + a:start + b]  # less the stops and commas beside a formula (PP-OCR reads them with it)
        run = run if first else re.sub(r"^\W+", "", run)
        run = run if last else re.sub(r"\W+$", "", run)
        if len(run) < 4 or run in line:
            continue
        if first and any(line.startswith(run[j:]) for j in range(len(run) - 3)):
            continue  # the line starts inside the run (the place begins on the line before)
        if last and any(cut.endswith(run[:j]) for j in range(4, len(run) + 1)):
            continue  # the line ends inside the run
        return False
    return True


def _prose(text: str) -> bool:
    """Whether a detected line reads as prose (two words, mostly letters): one the target must hold."""
    return len(re.findall(r"[^\W\d_]{3,}", text)) >= 2 and sum(c.isalpha() for c in text) >= PROSE * len(
        text.replace(" ", ""))


def _side_by_side(text: str, mask: list[bool], above: tuple[int, int, bool], below: tuple[int, int, bool]) -> bool:
    """Whether two placed lines stand next to each other in the target's text: the second starts where the first
    ends, a space or two apart, with no formula or table between (whose reading places no line)."""
    return 0 <= below[0] - above[1] <= 2 and not any(mask[above[1]:below[0] + 1])


def _sparse(row: Placed) -> bool:
    """Whether a line's reading holds far fewer characters than its box's width has room for (`SPARSE` a line
    height: prose holds about 2, a formula's reading 1.5)."""
    height = row.box[3] - row.box[1]
    return height > 0 and len(row.text.replace(" ", "")) * height < SPARSE * (row.box[2] - row.box[0])


def _mid(row: Placed) -> float:
    return (row.box[1] + row.box[3]) / 2


def _rank(rows: list[Placed]) -> list[Placed]:
    return sorted(rows, key=functools.cmp_to_key(lambda a, b: -1 if before(a, b) else (1 if before(b, a) else 0)))


def _image_box(box: tuple[float, float, float, float], tilt: float) -> tuple[float, float, float, float]:
    """A levelled line box as a box on the image (around its quad turned forward by the page's tilt)."""
    quad = _unlevel(box, tilt)
    return (min(x for x, _ in quad), min(y for _, y in quad), max(x for x, _ in quad), max(y for _, y in quad))


def _in_band(image: Image.Image, run: str, at: int, exact: list[tuple[Placed, int, int]]) -> bool:
    """Whether target text no detection covered is printed after all, between the lines placed before and after it
    (PP-OCR's detector now and then misses a whole line: a code line of braces), read from that band alone."""
    before_it = [(start, row) for row, start, _ in exact if start < at]
    after_it = [(start, row) for row, start, _ in exact if start >= at]
    if not before_it or not after_it:
        return False
    top, bottom = max(before_it, key=lambda p: p[0])[1].box, min(after_it, key=lambda p: p[0])[1].box
    if bottom[1] - top[3] < 0.5 * (top[3] - top[1]):
        return False
    band = (min(top[0], bottom[0]), top[3], max(top[2], bottom[2]), bottom[1])
    read = blind(ppocr.read_crops(image, [band], pad=0.05)[0].text)
    return len(read) >= MIN_CHARS and fuzz.partial_ratio(read, run) >= PLACE


def _at_margin(box: tuple[float, float, float, float], anchors: list[Anchor]) -> bool:
    """Whether a box stands at its column's right (or left) margin, where an equation's number is printed: as far
    right as the placed lines across it reach (a figure's label `(31)` stands inside the column). The margin is
    where most lines end (their 90th percentile: a wide table or a caption may stand out)."""
    across = [b for _, _, b in anchors if b[0] < box[2] and b[2] > box[0]]
    return bool(across) and (box[2] >= float(np.percentile([b[2] for b in across], 90)) - MARGIN_PX
                             or box[0] <= float(np.percentile([b[0] for b in across], 10)) + MARGIN_PX)


MARGIN_PX = 12  # how far from the placed lines' ends an equation's number may end (PP-OCR's boxes are loose)


def judge_page(target: str, image: Image.Image, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """The page's problems: detected lines out of order, not in the target, not exact; target prose not printed.

    A detected line placed in prose must be there exactly (in one of its looks); one placed over a formula or a
    table (`loose`) only covers it, and gives the formulas their bands (`paper_formulas.check`, with the page's
    `meta`: its dpi and capture). The order is judged on the lines of prose, consecutive in the image's reading
    order, those placed exactly and those placed over inline math (paragraphs with formulas swapped): a formula's
    pieces (a sum's limits above and below it) have no order a target says. A formula LaTeX refuses alone is one
    problem too: no page prints it (a prose line moved into a display).
    """
    text, mask, formulas = _reading(target)
    markup = prose_markup(target)
    texts = _read_under_read_again(read_texts([image])[0], image)
    tilt = skew(texts)
    detected = _rank(placed([Placed(0, _level(t.quad, tilt), t.text, score=t.score) for t in texts]))
    rows = _rank(_rows(detected))
    exact: list[tuple[Placed, int, int]] = []
    ordered: list[tuple[Placed, int, int, bool, str]] = []  # the lines the order is judged on: exact, or prose over math
    covered = [False] * len(text)
    missing, misread, after = [], [], 0
    anchors: list[Anchor] = []
    where: dict[int, tuple[int, int, bool]] = {}  # each row placed (exact or over math): its place, loose or not
    unfound: list[int] = []  # rows long enough to place that no place holds and that read as no prose
    for i, row in enumerate(rows):
        looks = [blind(row.text)]
        if len(looks[0]) < MIN_CHARS:
            continue
        place: tuple[int, int, bool] | None = None
        for k in range(len(SECOND_LOOKS) + 1):
            if k:  # read again alone, with another margin: PP-OCR's slips depend on the crop
                looks.append(blind(ppocr.read_crops(image, [_unlevel(row.box, tilt)], pad=SECOND_LOOKS[k - 1])[0].text))
                if len(looks[-1]) < MIN_CHARS:  # read as nothing alone: a line PP-OCR cannot settle is not judged
                    place = UNREAD  # (nor placed: an empty reading is found anywhere)
                    break
            score, start, end = _find(looks[-1], text, after)
            loose = any(mask[max(0, start - 2):end + 2])
            if score >= PLACE and (_prose_exact(looks[-1], text, mask, start, end) if loose
                                   else _exact(looks[-1], text, start, end)):
                place = (start, end, loose)
                break
            if k == 0 and score < PLACE and not _prose(row.text) and not _sparse(row):
                break  # a formula's or a figure's reading: nothing to find (a reading far too sparse for its box, a
                # line of prose PP-OCR read as `an  t   s o s r a -`, is read again alone)
        if place is UNREAD:
            continue
        if place is None:
            score, start, end = _find(looks[0], text, after)
            if score >= PLACE:
                misread.append(row.text)
                covered[start:end] = [True] * (end - start)
                anchors.append((start, end, _image_box(row.box, tilt)))
            elif _prose(row.text):
                missing.append(row.text)
            else:
                unfound.append(i)
            continue
        start, end, loose = place
        where[i] = place
        anchors.append((start, end, _image_box(row.box, tilt)))
        covered[max(0, start - 2):end + 2] = [True] * (min(len(text), end + 2) - max(0, start - 2))
        if not loose:
            exact.append((row, start, end))
            after = start
        if not loose or _prose(row.text):
            ordered.append((row, start, end, loose, looks[-1]))
    # a line printed between two lines the target holds side by side (nothing but a space between them, no formula)
    # is one the target dropped, whatever it reads as (a code line, `pages={612--626},`)
    missing += [rows[i].text for i in unfound if i - 1 in where and i + 1 in where
                and _side_by_side(text, mask, where[i - 1], where[i + 1])
                and _mid(rows[i - 1]) < _mid(rows[i]) < _mid(rows[i + 1])]
    # two consecutive lines in the other order; a line placed over a formula is placed less precisely (its formula's
    # letters), so it is out of order only when wholly before the line above it (paragraphs swapped), found nowhere
    # after it, and that line, where it was placed loosely too, nowhere before it (a formula's letters alike in two
    # places; a short exact line, a heading, is alike to some stretch of any long text)
    out = [(a[0].text, b[0].text) for a, b in zip(ordered, ordered[1:])
           if (b[2] <= a[1] and fuzz.partial_ratio(b[4], text[a[1]:]) < PLACE
               and (not a[3] or fuzz.partial_ratio(a[4], text[:b[2]]) < PLACE) if a[3] or b[3] else b[1] < a[1])]
    flags = "".join("1" if c or m else "0" for c, m in zip(covered, mask))
    unprinted = [text[m.start():m.end()] for m in re.finditer(f"0{{{UNCOVERED},}}", flags)
                 if not _in_band(image, text[m.start():m.end()], m.start(), exact)]
    # each formula typeset alone must be printed where the target's order puts it, as typeset (a changed letter or
    # digit inside math, which PP-OCR cannot read); the equation numbers too, right of their formulas
    marks = [p for p in detected if PRINTED_TAG.fullmatch(p.text.strip()) and _at_margin(_image_box(p.box, tilt), anchors)]
    math = check(formulas, image, meta or {}, anchors, [_image_box(p.box, tilt) for p in marks])
    # an equation's number is printed apart, at the margin: the numbers read there, in reading order, must be the
    # target's (a changed number, a dropped or moved row of an `align` is one more or out of place). Where the
    # image shows one of the target's numbers typeset at a mark, that is what is printed there (PP-OCR reads
    # `(31)` as `(3l)` now and then)
    tags = [blind(f"({tag})") for tag in TAG.findall(target)]
    printed = [blind(seen or p.text) for seen, p in zip(math["marks"], marks)]
    shown = "".join(blind(t.text) for t in texts) + "".join(blind(n) for n in math["numbers"])
    untagged = [tag for tag in tags if tag not in shown] + [tag for tag in printed if tag not in tags]
    untagged += [] if untagged or [t for t in printed if t in tags] == [t for t in tags if t in printed] else ["order"]
    # one printed line written as several target lines (a line split into words): two of them together are in one
    # detected line (an inline formula stands in its line: its reading may be nothing, `\\(\\overline{u}\\)`)
    lines = [blind(line) for line in LOOSE.sub(lambda m: "\n" if m[1] is None else " ~ ", target).split("\n")]
    rows_read = [blind(row.text) for row in rows]
    split = sum(1 for a, b in zip(lines, lines[1:])
                if len(a) > 1 and len(b) > 1 and any(a + b in r for r in rows_read))
    return {"lines": len(rows), "placed": len(exact), "pairs": max(0, len(exact) - 1),
            "formulas": math["formulas"], "formulas_unmatched": math["unmatched"],
            "formulas_first": math["unmatched_first"], "formulas_untypeset": math["untypeset"],
            "formulas_untypeset_first": math["untypeset_first"],
            "formula_font": math["font"], "formula_size": math["size"], "formula_fit": math["fit"],
            "formulas_changed_px": math["changed_px"],
            "tags_missing": len(untagged), "tags_first": untagged[:4], "split": split,
            "markup": len(markup), "markup_first": markup[:4],
            "out_of_order": len(out), "out": out[:4], "missing": len(missing), "missing_first": missing[:4],
            "misread": len(misread), "misread_first": misread[:4], "unprinted": len(unprinted),
            "unprinted_first": unprinted[:4]}


def layout(judged: dict[str, Any]) -> float:
    """1 less `PROBLEM_COST` for each problem `judge_page` found (counted, not shared out, as `text.layout`)."""
    problems = (judged["out_of_order"] + judged["missing"] + judged["misread"] + judged["unprinted"]
                + judged["tags_missing"] + judged["split"] + judged.get("formulas_unmatched", 0)
                + judged.get("formulas_untypeset", 0) + min(1, judged.get("markup", 0)))
    return round(max(0.0, 1.0 - PROBLEM_COST * problems), 4)
