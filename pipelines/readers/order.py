"""Reading order judged from the image: do the target's lines follow the lines PP-OCR detects, in reading order?

An order-free token F1 scores a page whose two columns were read row by row (0.998 on such a page)
as high as a right one, and re-reading each target line by the engine's own box in the engine's own
order never sees an order the engine got wrong. So the order is derived here from what the reader
detects, not from the engine: the detected line boxes are split into columns at gutters (x ranges
that hardly any box covers, with boxes on both sides), into bands at boxes that cross a gutter or
stand centred in one (titles, a centred page number), and ranked band by band, column by column left to right, top to
bottom; detections side by side on one baseline of a column (a table row's cells, a justified line cut at a
wide gap) are joined into one line first. Each target line long enough to be told apart is matched to
the detected line it is (fuzzy ratio), or to the one it is a fragment of; then each pair of
consecutive matched target lines is judged: in order when the second's detection ranks after the
first's. Two target lines that are pieces of one detected line count as out of order: one visual
line written as several target lines (a justified line split into words) is the defect.

Also returned: which detected lines no target line accounts for (a line dropped from the target
shows up as a detection nothing matches).
"""

from __future__ import annotations

import functools
import warnings
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz

MIN_CHARS = 6  # lines shorter than this (after folding) match too many others to be placed
WHOLE = 75  # fuzzy ratio from which a target line IS a detected line
PIECE = 90  # partial ratio from which a shorter target line is a piece of a detected line
NEAR = 2  # ranks a repeated line's detection may stand from where its neighbours put it (`_by_position`)
EXACT = 95  # fuzzy ratio from which a detected line is all of its target line: no piece of that line is left over
GUTTER_SHARE = 0.03  # a gutter may be crossed by this share of the boxes (a centred page number, a title)
EDGE_LINES = 3  # lines across the columns above or below them all that leave a gutter whole (a title, a footnote)
EDGE_SHARE = 0.5  # or up to this share of the boxes in the shorter column, if more (a paper's title block),
TALL = 12  # where that column holds at least this many boxes (a table's few rows under four lines of prose do not)
Box = tuple[float, float, float, float]


@dataclass
class Placed:
    """A detected line: its page, box and folded text, its (band, column) once `placed`, and the recogniser's
    confidence in its reading."""

    page: int
    box: Box
    text: str
    place: tuple[float, float] = (0.0, 0.0)
    score: float = 1.0


def placed(found: list[Placed]) -> list[Placed]:
    """The detected lines with their (band, column) set, page by page."""
    for page in {p.page for p in found}:
        on_page = [p for p in found if p.page == page]
        for p, place in zip(on_page, places([p.box for p in on_page])):
            p.place = place
    return found


def _gutters(boxes: list[Box]) -> list[tuple[float, float]]:
    """x ranges between columns: crossed by at most GUTTER_SHARE of the boxes, with text on both sides.

    Boxes crossing an x above the boxes beside it on both sides (a title over the columns) or below them (a
    footnote, a page footer) do not count where they are at most EDGE_LINES together, or EDGE_SHARE of the boxes in
    the shorter column beside the x where that is more and that column is `TALL` (a paper's title, authors,
    affiliation, abstract and keywords, eight lines over two columns of twenty boxes): they cut the page into bands
    and leave the gutter between the columns whole. A captured two-column page of 88 detections under a chapter
    title and over a two-line footnote had three boxes across its gutter, over the limit of two, so its rows were
    chained across the columns and a right target was flagged. The columns' extent is where both sides have boxes:
    a footnote's short last line stands beside the gutter on the left alone, and taken for a column line it made
    the footnote's two long lines above it count (a reused docs page of the multicrop build, four samples flagged).
    More lines above and below short columns count: a receipt's three head lines and closing line around its items
    and prices, or prose over a table of a few rows, make no columns (the rows would be read cell by cell).
    """
    if len(boxes) < 4:
        return []
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    width = max(1, int(right - left))
    xs = np.arange(width + 1)[:, None]
    x0 = np.array([int(b[0] - left) for b in boxes])
    x1 = np.array([int(b[2] - left) for b in boxes])
    centre = np.array([(b[1] + b[3]) / 2 for b in boxes])
    covers = (xs >= x0) & (xs <= x1)  # (x, box)
    sides = (xs > x1, xs < x0)  # (x, box): the box stands left of x, right of x
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an x with no box on one side has no columns there
        spans = [_second(np.where(side, centre, np.nan)) for side in sides]
    top, bottom = np.maximum(spans[0][0], spans[1][0]), np.minimum(spans[0][1], spans[1][1])  # NaN: one side empty
    above, below = (covers & (centre < top)).sum(axis=1), (covers & (centre > bottom)).sum(axis=1)
    # a band over tall columns may be taller than a table's prose may be over its few rows
    shorter = np.minimum(*(side.sum(axis=1) for side in sides))
    most = np.where(shorter >= TALL, np.maximum(EDGE_LINES, EDGE_SHARE * shorter), EDGE_LINES)
    edges = above + below
    cover = (covers.sum(axis=1) - np.where(edges <= most, edges, 0)).tolist()
    limit = max(2, int(GUTTER_SHARE * len(boxes)))  # a centred page number and a short line's tail may cross
    runs, start = [], None
    for x, c in enumerate(cover + [limit + 1]):
        if c <= limit and start is None:
            start = x
        elif c > limit and start is not None:
            if start > 0 and x <= width and x - start >= 0.01 * width:
                runs.append((left + start, left + x))
            start = None
    # A gutter needs a column on each side, not a ragged margin: a sixth of the boxes left and right of it,
    # side by side (a letter's sender block above its recipient's, right and left, is not two columns).
    return [(a, b) for a, b in runs if _side_by_side([bx for bx in boxes if bx[2] <= a + 1],
                                                     [bx for bx in boxes if bx[0] >= b - 1], len(boxes) / 6)]


def _second(centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per x (row), the second lowest and second highest of the centres of the boxes on one side of it (NaN for
    none; the only one where one): where the columns beside x begin and end. One title line cut in two by the
    detector ("Facebook AI" left of the DPR paper's gutter, "‡Princeton University" right of it) is no column's
    first line: taken for one, the four title lines under it counted as crossing the columns, no gutter was found
    and the two columns were read row by row."""
    ordered = np.sort(centres, axis=1)  # NaN last
    count = np.sum(~np.isnan(centres), axis=1, keepdims=True)
    top = np.where(count >= 2, ordered[:, 1:2], ordered[:, :1])
    high = np.take_along_axis(ordered, np.maximum(count - 2, 0), axis=1)
    bottom = np.where(count >= 2, high, np.take_along_axis(ordered, np.maximum(count - 1, 0), axis=1))
    return top, bottom


def _side_by_side(left: list[Box], right: list[Box], least: float) -> bool:
    """Whether two groups of boxes, each of at least `least` and of two lines one above the other, share some of
    their height (a slice's first line cut at the wide gaps around "PAM" is no column: nothing stands below it)."""
    if len(left) < least or len(right) < least or not (_stacked(left) and _stacked(right)):
        return False
    return min(max(b[3] for b in left), max(b[3] for b in right)) > max(min(b[1] for b in left),
                                                                       min(b[1] for b in right))


def _stacked(boxes: list[Box]) -> bool:
    """Whether some two of the boxes stand one above the other (neither overlaps the other's height by half)."""
    top = min(boxes, key=lambda b: b[3])
    return any(not _same_row(top, b) and b[1] >= top[1] for b in boxes)


def _same_row(a: Box, b: Box) -> bool:
    """Whether two boxes share more than half of the lower one's height: they stand on one baseline."""
    return min(a[3], b[3]) - max(a[1], b[1]) > 0.5 * min(a[3] - a[1], b[3] - b[1])


def places(boxes: list[Box]) -> list[tuple[float, float]]:
    """Each box's (band, column) on its page (see the module docstring); within one, rows top to bottom."""
    gutters = _gutters(boxes)
    # across the columns: a box crossing a gutter's middle (a title; a footnote's line ending inside the gutter, which
    # no column's line reaches), or centred in one (a page number narrower than the gutter)
    spanning = [any(b[0] < (a + z) / 2 < b[2] or a < (b[0] + b[2]) / 2 < z for a, z in gutters) for b in boxes]
    cuts = sorted((b[1] + b[3]) / 2 for b, s in zip(boxes, spanning) if s)
    out = []
    for b, s in zip(boxes, spanning):
        before = sum(c < (b[1] + b[3]) / 2 for c in cuts)
        # a column's line begins past the gutter's middle: a detection's box may start a few pixels inside the
        # gutter (a short last line "order)" at 670 beside a gutter measured to 672 from its column's other lines)
        out.append((2.0 * before + 2, 0.0) if s else (2.0 * before + 1, float(sum(b[0] >= (a + z) / 2
                                                                                  for a, z in gutters))))
    return out


def before(a: Placed, b: Placed) -> bool:
    """Whether detected line a is read before b: by page, band, column, then row, a row's pieces left to right."""
    if (a.page, *a.place) != (b.page, *b.place):
        return (a.page, *a.place) < (b.page, *b.place)
    if _same_row(a.box, b.box):
        return a.box[0] < b.box[0]
    return a.box[1] + a.box[3] < b.box[1] + b.box[3]


def _rows(found: list[Placed], across: bool = False) -> list[Placed]:
    """Detected lines side by side on one baseline of one column (`across`: of the page, gutters or not) joined
    into one, left to right: the detector cuts a table row at its cells and a justified line at its wide gaps, and
    a reader reads either as one line."""
    rows: list[list[Placed]] = []
    for p in sorted(found, key=lambda p: (p.page, *((0, 0) if across else p.place), p.box[1] + p.box[3])):
        if rows and _one_row(rows[-1][-1], p, across):
            rows[-1].append(p)
        else:
            rows.append([p])
    out = []
    for row in rows:
        row.sort(key=lambda p: p.box[0])
        box = (min(p.box[0] for p in row), min(p.box[1] for p in row), max(p.box[2] for p in row),
               max(p.box[3] for p in row))
        out.append(Placed(row[0].page, box, " ".join(p.text for p in row), row[0].place, min(p.score for p in row)))
    return out


def _one_row(a: Placed, b: Placed, across: bool = False) -> bool:
    """Whether two detected lines stand side by side on one baseline, with no gutter between them (`across`: or
    with one)."""
    return (a.page, *((0, 0) if across else a.place)) == (b.page, *((0, 0) if across else b.place)) and _same_row(
        a.box, b.box)


def _match(line: str, found: list[Placed], rank: list[int], used: set[int],
           after: int) -> tuple[int, bool, float] | None:
    """(index of the detected line this target line is, whether it is only a piece of it, the fuzzy ratio), or None.

    A page may print one line twice (a repeated paragraph): of detected lines that fit about as well,
    one not yet taken is chosen, the first in reading order after the previous target line's.
    """
    ratios = [fuzz.ratio(line, p.text) for p in found]
    best = max(ratios, default=0.0)
    if best >= WHOLE:
        # a page printing a table's header twice, its pieces joined once with two spaces and once with one: the
        # second is not the first detection again while the other, still free, is the line too
        free = max((r for i, r in enumerate(ratios) if i not in used), default=0.0)
        fits = ([i for i, r in enumerate(ratios) if r >= min(best - 3, max(free - 3, WHOLE)) and i not in used]
                or [ratios.index(best)])
        later = [i for i in fits if rank[i] > after]
        i = min(later or fits, key=lambda i: rank[i])
        return i, False, ratios[i]
    pieces = [(fuzz.partial_ratio(line, p.text), i) for i, p in enumerate(found) if len(p.text) >= 1.5 * len(line)]
    ratio, i = max(pieces, default=(0.0, -1))
    return (i, True, ratio) if ratio >= PIECE else None


def _by_position(matched: list[tuple[str, int, bool, float]], where: list[int], found: list[Placed],
                 rank: list[int], used: set[int]) -> list[tuple[str, int, bool, float]]:
    """Give a line the target writes several times, each time, the detection of it nearest to where its neighbours put
    it (`where`: each match's target line): the previous placed line's rank plus the target lines between, within
    `NEAR` ranks. Which of identical lines is which cannot be seen, so only their positions tell: matched greedily,
    one taken early (after a missed neighbour) turned every later repeat around its neighbours (a page's four lists
    each with "2. 解决软件包依赖关系"), and matched k-th to k-th, a blind text printing the same lines again and again
    was judged out of order when one of them was garbled in the whole-page reading. Where no detection of the line
    stands there but one no target line matched does (that garbled reading), the occurrence is left unplaced: the
    detection is read again alone and must then read as it (`pipelines.readers.text`). Else the match stays."""
    counts = Counter(line for line, _, piece, _ in matched if not piece)
    out: list[tuple[str, int, bool, float]] = []
    taken: set[int] = set()
    last = None  # (rank, target line) of the last placed match
    for (line, i, piece, ratio), k in zip(matched, where, strict=True):
        if not piece and counts[line] > 1 and last is not None:
            expected = last[0] + (k - last[1])
            near = [j for j, p in enumerate(found) if abs(rank[j] - expected) <= NEAR and j not in taken]
            mine = [j for j in near if fuzz.ratio(line, found[j].text) >= WHOLE]
            if mine:
                i = min(mine, key=lambda j: abs(rank[j] - expected))
                ratio = fuzz.ratio(line, found[i].text)
            elif any(j not in used for j in near):
                continue
        out.append((line, i, piece, ratio))
        taken.add(i)
        last = (rank[i], k)
    return out


def judge(lines: list[str], found: list[Placed]) -> dict[str, Any]:
    """The order of the target's (folded) lines judged against the detected lines.

    Returns:
        pairs (consecutive matched target lines judged), in_order, order (their share, 1.0 when none
        judged), split (pairs that are pieces of one detected line), out (the first few pairs out of
        order), unmatched_found (detected lines of MIN_CHARS or more that no target line matches), the
        first few of them, every one's (page, box) and confidence, the target lines matched to no detected line,
        and those read whole by one (read_whole: no other detection is a piece of them).
    """
    found = placed(found)
    # whole visual rows, gutters or not: what two short target lines together may be (a table row's cells)
    visual = [p for p in _rows(found, across=True) if " " in p.text]
    found = _rows(found)
    reading = sorted(range(len(found)), key=functools.cmp_to_key(
        lambda i, j: -1 if before(found[i], found[j]) else (1 if before(found[j], found[i]) else 0)))
    rank = [0] * len(found)
    for position, i in enumerate(reading):
        rank[i] = position
    matched, used, after, where = [], set(), -1, []
    for k, line in enumerate(lines):
        if len(line) >= MIN_CHARS:
            m = _match(line, found, rank, used, after)
            if m is not None:
                matched.append((line, *m))
                where.append(k)
                used.add(m[0])
                after = rank[m[0]]
    matched = _by_position(matched, where, found, rank, used)
    # A detection is one target line: a line matched to a detection another line matches far better is one the
    # reader missed, matched to a look-alike (two lines that differ in a few words), and is left unplaced.
    best_of: dict[int, float] = {}
    for _, i, piece, ratio in matched:
        best_of[i] = max(best_of.get(i, 0.0), 0.0 if piece else ratio)
    matched = [m for m in matched if m[2] or m[3] >= best_of[m[1]] - 3]
    pairs = in_order = split = 0
    out = []
    for (a_line, a, _, _), (b_line, b, _, _) in zip(matched, matched[1:]):
        pairs += 1
        if a == b or (found[a].page == found[b].page and _same_row(found[a].box, found[b].box)):
            # one visual line (a table row whose cells the detector placed in columns of their own too)
            split += 1
            out.append({"first": a_line, "then": b_line, "why": "pieces of one detected line"})
        elif before(found[a], found[b]):
            in_order += 1
        else:
            out.append({"first": a_line, "then": b_line, "why": "read in the other order"})
    # Short lines cannot be placed alone, but two consecutive ones that together are one detected line
    # (and neither is a detected line by itself) are a visual line split.
    whole = {line for line, _, piece, _ in matched if not piece}

    # a detection another target line reads whole is that line's, not two others joined
    own = {found[i].text for _, i, piece, ratio in matched if not piece and ratio >= EXACT}
    free = [p for p in found + visual if p.text not in own]

    def one_detected_line(a_line: str, b_line: str) -> bool:
        """Whether the two lines joined are (a piece of) one detection, which they fit better than either alone:
        a heading "意大利语的" and the next line "显示" joined fit the detection "意大利语的" at 77, but it is the
        heading's own. A detection some other target line reads whole is not one: "APT" and the next line, an item
        the whole-page reading garbled, joined fit its look-alike neighbour '"aptitude safe-upgrade" and "aptitude
        full-upgrade", or' better than the item alone (docs_143 of the 200-page build)."""
        text = f"{a_line} {b_line}"
        return any((fuzz.ratio(text, p.text) >= WHOLE
                    or (len(p.text) > len(text) and fuzz.partial_ratio(text, p.text) >= PIECE))
                   and fuzz.ratio(text, p.text) > max(fuzz.ratio(a_line, p.text), fuzz.ratio(b_line, p.text))
                   for p in free)

    for a_line, b_line in zip(lines, lines[1:]):
        joined = f"{a_line} {b_line}"
        if (a_line and b_line and len(joined) >= MIN_CHARS and not ({a_line, b_line} & whole)
                and (len(a_line) < MIN_CHARS or len(b_line) < MIN_CHARS) and one_detected_line(a_line, b_line)):
            pairs += 1
            split += 1
            out.append({"first": a_line, "then": b_line, "why": "together one detected line"})
    used = {i for _, i, _, _ in matched}
    long_found = [i for i, p in enumerate(found) if len(p.text) >= MIN_CHARS]
    # A detection inside a longer target line is a piece of it, unless that line is read whole by a detection of its
    # own: a notice's 落款 "省科学技术厅" under its head "省科学技术厅文件", a letter's date inside its body, dropped
    # from the target, were taken for pieces of those lines.
    read_whole = {line for line, _, piece, ratio in matched if not piece and ratio >= EXACT}
    pieces_of = [line for line in lines if line not in read_whole]
    unmatched = [found[i] for i in long_found if i not in used and not accounted(found[i].text, pieces_of)]
    # A short detection cannot be placed, but one that is in no target line at all is a line the target dropped.
    squeezed = [line.replace(" ", "") for line in lines]
    unmatched += [p for p in found if len(p.text) < MIN_CHARS and short(p.text)
                  and not any(p.text.replace(" ", "") in line for line in squeezed)]
    named = Counter(m[0] for m in matched)  # a line the target writes twice and the page shows once is unplaced once
    unplaced = []
    for line in lines:
        if len(line) >= MIN_CHARS:
            if named[line] > 0:
                named[line] -= 1
            else:
                unplaced.append(line)
    return {"pairs": pairs, "in_order": in_order, "order": round(in_order / pairs, 4) if pairs else 1.0,
            "split": split, "out": out[:4], "found_lines": len(long_found), "unmatched_found": len(unmatched),
            "unmatched_first": [p.text for p in unmatched[:4]], "unmatched_texts": [p.text for p in unmatched],
            "unmatched_boxes": [(p.page, list(p.box)) for p in unmatched],
            "unmatched_scores": [round(p.score, 3) for p in unmatched],
            "unmatched_lines": unplaced,
            "read_whole": sorted(read_whole)}


def accounted(text: str, lines: list[str]) -> bool:
    """Whether a detected line's text is a piece of a (longer) target line."""
    return any(fuzz.partial_ratio(text, line) >= PIECE for line in lines if len(line) >= 1.5 * len(text))


def short(text: str) -> bool:
    """Whether a detection too short to place still says enough to be missed: two letters, digits or CJK
    characters (a lone bullet or rule read as "-" or "1" says nothing)."""
    return sum(c.isalnum() for c in text) >= 2
