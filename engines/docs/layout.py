"""Reading order from line boxes: top to bottom, the columns of a multi-column stretch one after another.

A PDF's content order is whatever its producer wrote (a header last, columns interleaved), so the target's
order is rebuilt from geometry alone. The page's lines are cut into horizontal bands (lines whose heights
overlap); consecutive bands join one stretch while they keep its gutters (as many, narrowed at most), a
gutter being a vertical strip at least `GUTTER` line heights wide, inside the page's text area, that no
line crosses. A line across a gutter (a title, a single-column paragraph, a centred page number) or a large
vertical gap starts a new stretch, and so does a last line centred on the page (a page number under the middle
of three columns crosses no gutter). A stretch with gutters is read column by column, one without line by
line; so is a stretch where fewer than `MIN_ROWS` bands have lines on both sides of a gutter (a justified line's
wide gap is not a column), and a gutter right of which no two bands' lines start at one x is none (a column's
lines do; the text after a justified list item's first word starts where the line's spacing put it).
This is a recursive XY-cut that cuts horizontally only where the column structure changes, so two columns whose
baselines happen to align are not read across.

The trade-off: one level of columns (no columns inside columns), and a right column that starts higher than
its left neighbour can be read first; both are rare on real pages, and the reader's order-free F1 measures
what matters for training either way. Within a column, the pieces of a band on one baseline are one visual
line (`Ordered.rows`: MuPDF cuts a justified or spaced-out line at its wide gaps, a bullet from its item).
Paragraphs are runs of rows of a column with no more than half a line of space between them and similar heights.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

Box = tuple[float, float, float, float]  # left, top, right, bottom in pixels, y down
Interval = tuple[float, float]
GUTTER = 0.5  # the narrowest gutter, in median line heights (3-column registers leave under one)
NARROW = 4.0  # the narrowest column, in median line heights (bullets and line numbers are narrower)
# A stretch is read as columns only when this many of its bands have lines on both sides of a gutter: the wide
# gaps of two justified Chinese lines with Latin words ("使用 dpkg 的 "--ignore-" over "depends" 和其它") can
# line up, and were read as two columns of two lines, each visual line cut in two.
MIN_ROWS = 3
ALIGN = 0.1  # line heights: two lines start at one x when their starts differ by no more (a column's lines share one)
NOTE_ROWS = 2  # a column's foot notes: this many rows or more (one row's pitch cannot be told)
NOTE_PITCH = 0.85  # set this tight or tighter than the column's rows
NOTE_SMALL = 0.9  # with a row this small or smaller than the column's median line
BODY_ROWS = 6  # the rows above a note block that give the body's pitch and line height
WIDE = 2.0  # a gap this many line heights wide in two lines is a gutter however few lines have it (a word gap is
# under one; a Federal Register gutter 2.5)


@dataclass(frozen=True)
class Ordered:
    """Lines in reading order.

    Attributes:
        rows: the visual lines in reading order, each the indices of its pieces (boxes given) left to right:
            a PDF's text layer cuts a line at every wide gap (a justified or spaced-out line, a bullet and its
            item, a running head and its page number), and a reader sees one line.
        paragraphs: indices into `rows` cut into paragraphs (runs of rows), in reading order.
        columns: the most columns of any stretch of the page.
    """

    rows: list[list[int]]
    paragraphs: list[list[int]]
    columns: int

    @property
    def order(self) -> list[int]:
        """Indices into the boxes given, in reading order."""
        return [i for row in self.rows for i in row]


def _bands(boxes: list[Box], idx: list[int]) -> list[list[int]]:
    """Lines grouped into horizontal bands: a line joins the band whose vertical extent it overlaps."""
    bands: list[list[int]] = []
    bottom = -1e18
    for i in sorted(idx, key=lambda i: (boxes[i][1], boxes[i][0])):
        top, height = boxes[i][1], boxes[i][3] - boxes[i][1]
        if bands and top < bottom - 0.25 * height:
            bands[-1].append(i)
            bottom = max(bottom, boxes[i][3])
        else:
            bands.append([i])
            bottom = boxes[i][3]
    return bands


def _free(boxes: list[Box], band: list[int], left: float, right: float) -> list[Interval]:
    """The stretches of [left, right] that no line of the band covers."""
    free, x = [], left
    for i in sorted(band, key=lambda i: boxes[i][0]):
        if boxes[i][0] > x:
            free.append((x, boxes[i][0]))
        x = max(x, boxes[i][2])
    if x < right:
        free.append((x, right))
    return free


def _intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    return [(max(p, q), min(r, s)) for p, r in a for q, s in b if min(r, s) > max(p, q)]


def _gutters(free: list[Interval], left: float, right: float, width: float) -> list[Interval]:
    """The free stretches that are gutters: inside the text area (not its margins) and `width` wide or more."""
    return [(p, q) for p, q in free if p > left and q < right and q - p >= width]


def reading_order(lines: list[Box], pictures: list[Box] = ()) -> Ordered:
    """The reading order of a page's lines.

    Args:
        lines: each line's axis-aligned box in pixels.
        pictures: the boxes of the page's drawn pictures (figures, logos; no text of their own). A picture holds
            its place in its column: a figure's height inside a column is no gap that ends the column's stretch
            (the caption and heading under a left column's figure were read after the right column).

    Returns:
        the order, the paragraphs and the column count (see `Ordered`), of `lines` alone.
    """
    if not lines:
        return Ordered([], [], 0)
    h = median(b[3] - b[1] for b in lines)
    ordered = _ordered([*lines, *pictures], h, len(lines))
    rows, at = [], {}  # the rows of lines (a picture is a row of its own), and each kept row's new index
    for k, row in enumerate(ordered.rows):
        if kept := [i for i in row if i < len(lines)]:
            at[k] = len(rows)
            rows.append(kept)
    paragraphs = [p for p in ([at[k] for k in run if k in at] for run in ordered.paragraphs) if p]
    return Ordered(rows, paragraphs, ordered.columns)


def _ordered(boxes: list[Box], h: float, pictures_from: int | None = None) -> Ordered:
    """`reading_order` of every box given, `h` the median line height; the boxes from `pictures_from` on are
    pictures."""
    pictures_from = len(boxes) if pictures_from is None else pictures_from
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    stretches: list[tuple[list[list[int]], list[Interval]]] = []  # (bands, free stretches they share)
    last_bottom = -1e18
    bands_of_page = _bands(boxes, list(range(len(boxes))))
    for k, band in enumerate(bands_of_page):
        free = _free(boxes, band, left, right)
        top = min(boxes[i][1] for i in band)
        footer = k == len(bands_of_page) - 1 and _centred(boxes, band, left, right)
        if stretches and top - last_bottom < 2.5 * h and not footer:
            bands, shared = stretches[-1]
            had = _gutters(shared, left, right, GUTTER * h)
            # a gutter the band narrows survives; a new one the band opens in a stretch with gutters (a heading's
            # number beside its title, under an indent of the stretch) is not one of the stretch's
            common = [iv for iv in _intersect(shared, free) if not had or iv[1] - iv[0] < GUTTER * h
                      or not (left < iv[0] and iv[1] < right) or any(_meets(iv, g) for g in had)]
            kept = _gutters(common, left, right, GUTTER * h)
            # gutters fewer than two bands have lines on both sides of are unconfirmed: a justified line's
            # word gaps look like gutters too, so losing some of them does not end the stretch
            confirmed = len(kept) == len(had) or (bool(kept) and _spanning(boxes, bands, had) < 2)
            joins = confirmed if had else not _gutters(free, left, right, GUTTER * h)
            if joins:
                bands.append(band)
                stretches[-1] = (bands, common)
                last_bottom = max(last_bottom, max(boxes[i][3] for i in band))
                continue
        stretches.append(([band], free))
        last_bottom = max(boxes[i][3] for i in band)
    _pull_back(boxes, stretches, left, right, h)
    rows: list[list[int]] = []
    paragraphs: list[list[int]] = []
    columns = 1
    split = []  # each stretch: its column cuts, each line's column, how many bands have lines in two columns
    for bands, shared in stretches:
        members = [i for band in bands for i in band]
        gutters = _aligned(boxes, bands, _gutters(shared, left, right, GUTTER * h), h)
        cuts = _column_cuts(boxes, members, [(p + q) / 2 for p, q in gutters], h)
        gutters = [(p, q) for p, q in gutters if (p + q) / 2 in cuts]
        column_of = {i: sum((boxes[i][0] + boxes[i][2]) / 2 > c for c in cuts) for i in members}
        split.append((gutters, cuts, column_of, sum(len({column_of[i] for i in band}) > 1 for band in bands)))
    grid = [(p + q) / 2 for gutters, _, _, spanning in split if spanning >= MIN_ROWS for p, q in gutters]
    for (bands, _), (gutters, cuts, column_of, spanning) in zip(stretches, split, strict=True):
        # aligned word gaps of a few lines are no columns, unless the page's columns go on there or the gaps are
        # wider than any word gap: two lines of each column under a figure (a Federal Register page's "(3) In the
        # ... chapter," beside "paragraph with the information in figure 2 to" was read as one line)
        columns_go_on = spanning >= 2 and all(any(p < g < q for g in grid) or q - p >= WIDE * h for p, q in gutters)
        if spanning < MIN_ROWS and not columns_go_on:
            cuts, column_of = [], dict.fromkeys(column_of, 0)
        columns = max(columns, len(cuts) + 1)
        cols: list[list[int]] = [[] for _ in range(len(cuts) + 1)]
        for i in (i for band in bands for i in band):
            cols[column_of[i]].append(i)
        notes: list[list[int]] = []  # each column's foot notes, read after all the stretch's columns
        for col in cols:
            lines = _column_rows(boxes, col, pictures_from)
            if len(cols) > 1:
                cut = notes_from(boxes, lines, h)
                lines, notes = lines[:cut], notes + lines[cut:]
            for block in (lines, notes) if col is cols[-1] else (lines,):
                paragraphs.extend([len(rows) + k for k in run]
                                  for run in _paragraphs([_union(boxes, r) for r in block]))
                rows.extend(block)
    return Ordered(rows, paragraphs, columns)


def _column_rows(boxes: list[Box], col: list[int], pictures_from: int) -> list[list[int]]:
    """A column's rows top to bottom: its lines' (`_rows` of each band), each picture a row of its own where it
    stands. A picture beside lines makes no band with them: an IEEE biography's photo (painted over), as tall as
    eight lines beside it, made them one band, and its rows were joined in x order ("tonomous" and "University of
    Barcelona (2000)," of one justified line read seven lines apart)."""
    rows = [row for band in _bands(boxes, [i for i in col if i < pictures_from]) for row in _rows(boxes, band)]
    for i in sorted((i for i in col if i >= pictures_from), key=lambda i: boxes[i][1]):
        at = next((k for k, row in enumerate(rows) if min(boxes[j][1] for j in row) > boxes[i][1]), len(rows))
        rows.insert(at, [i])
    return rows


def notes_from(boxes: list[Box], lines: list[list[int]], h: float) -> int:
    """Where a column's foot notes begin among its rows (len(rows) where it has none): footnotes are read after
    all columns, as Nougat reads them and as a generated page sets them (full width, under the columns). A note
    block stands at a column's foot in smaller type: after a gap, `NOTE_ROWS` or more rows (to the column's end) set
    tighter than the `BODY_ROWS` above them (`NOTE_PITCH` of their pitch at most, bottom to bottom, which a note's
    raised mark does not change), one of them `NOTE_SMALL` of their line height or less (a mark raises a note's
    first row to the body's height; an abstract above sets the column's own pitch tighter). The DPR paper's first
    page sets its notes under the left column only, and they were read between the columns. Rows under a picture
    (a figure's caption) are none."""
    units = [_union(boxes, r) for r in lines]
    pitches = [b[3] - a[3] for a, b in zip(units, units[1:])]  # pitches[k]: row k's baseline to row k + 1's
    # notes are at most a third of their column, under `BODY_ROWS` of body: a table's tight rows under a column's
    # headings are none (a real report's balance sheet, read column by column, lost its left column to the end)
    for start in range(max(BODY_ROWS, -(-2 * len(lines) // 3)), len(lines) - NOTE_ROWS + 1):
        body = units[max(0, start - BODY_ROWS):start]
        pitch = median(pitches[max(0, start - BODY_ROWS):start - 1])
        if (pitches[start - 1] > pitch and max(pitches[start:]) <= NOTE_PITCH * pitch
                and body[-1][3] - body[-1][1] <= 2 * h
                and min(u[3] - u[1] for u in units[start:]) <= NOTE_SMALL * median(u[3] - u[1] for u in body)):
            return start
    return len(lines)


def _pull_back(boxes: list[Box], stretches: list[tuple[list[list[int]], list[Interval]]], left: float, right: float,
               h: float) -> None:
    """Move into each stretch with gutters the last bands of the single-column stretch just above it whose lines
    cross none of its gutters: a right column that starts higher than its left neighbour ("compose key.", the end
    of a paragraph begun on the page before, above the left column's heading) opened no gutter alone and was read
    before the left column. A band that crosses a gutter (a running head, a title) stays, and so does every band
    above it. The stretch above is single-column when fewer than `MIN_ROWS` of its bands have lines on both sides of
    a gap it shares, as the columns are read: a running head at the left and a centred title share a gap that no
    band has lines on both sides of (docs index 42, seed 0: the right column's first line was read before the left
    column, its second joined to the left column's heading)."""
    for k in range(1, len(stretches)):
        bands, shared = stretches[k]
        gutters = _aligned(boxes, bands, _gutters(shared, left, right, GUTTER * h), h)
        above, above_shared = stretches[k - 1]
        if not gutters or _spanning(boxes, above, _gutters(above_shared, left, right, GUTTER * h)) >= MIN_ROWS:
            continue
        while above:
            band, top = above[-1], min(boxes[i][1] for band in bands for i in band)
            if (top - max(boxes[i][3] for i in band) >= 2.5 * h
                    or any(boxes[i][0] < q and boxes[i][2] > p for i in band for p, q in gutters)):
                break
            bands.insert(0, above.pop())
    stretches[:] = [(bands, shared) for bands, shared in stretches if bands]


def _aligned(boxes: list[Box], bands: list[list[int]], gutters: list[Interval], h: float) -> list[Interval]:
    """The gutters right of which the stretch's lines start at one x in two bands or more, as a column's lines do
    (but for a paragraph's indent). Justified list items with one word before a wide gap ("• aptitude   提供一个")
    leave a strip no line crosses, but the text after it starts wherever the line's spacing put it (290, 309, 298 px
    on a built zh page): read as a column, each item's first line was cut from its word and its continuation."""
    def starts_align(edge: float) -> bool:
        starts = sorted(min(xs) for band in bands if (xs := [boxes[i][0] for i in band if boxes[i][0] >= edge]))
        return any(b - a <= ALIGN * h for a, b in zip(starts, starts[1:], strict=False))

    return [(p, q) for p, q in gutters if starts_align(q)]


def _meets(a: Interval, b: Interval) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def _spanning(boxes: list[Box], bands: list[list[int]], gutters: list[Interval]) -> int:
    """How many bands have lines on both sides of one of the gutters, and no other gutter between those lines: a
    heading beside the right column's caption leaves one wide gap, which tells no gutter inside it from another (the
    word gap "feature of" of the justified line under it, left in the gap, is no gutter the heading confirms)."""
    def witness(band: list[int], p: float, q: float) -> bool:
        ends, starts = [boxes[i][2] for i in band if boxes[i][2] <= p], [boxes[i][0] for i in band if boxes[i][0] >= q]
        return bool(ends and starts) and not any(max(ends) <= a and b <= min(starts) and (a, b) != (p, q)
                                                 for a, b in gutters)

    return sum(any(witness(band, p, q) for p, q in gutters) for band in bands)


def _centred(boxes: list[Box], band: list[int], left: float, right: float) -> bool:
    """Whether a band is one short line centred on the text area (a page number, "Page 3 of 10"): under the
    middle column of three it leaves the gutters free, yet it is read after the columns, not inside them."""
    if len(band) != 1:
        return False
    x0, _, x1, _ = boxes[band[0]]
    return x1 - x0 <= 0.5 * (right - left) and abs((x0 + x1) - (left + right)) <= 0.04 * (right - left)


def _rows(boxes: list[Box], band: list[int]) -> list[list[int]]:
    """A band's lines (of one column) joined into visual lines: left to right, a piece joins the row before it
    when it starts right of the row's end and shares half its height (the same baseline), whatever the gap."""
    rows: list[list[int]] = []
    for i in sorted(band, key=lambda i: boxes[i][0]):
        if rows:
            last = _union(boxes, rows[-1])
            b = boxes[i]
            shared = min(last[3], b[3]) - max(last[1], b[1])
            if b[0] >= last[2] - 0.1 * (b[3] - b[1]) and shared >= 0.5 * min(last[3] - last[1], b[3] - b[1]):
                rows[-1].append(i)
                continue
        rows.append([i])
    return rows


def _union(boxes: list[Box], idx: list[int]) -> Box:
    """The box around the boxes `idx`."""
    return (min(boxes[i][0] for i in idx), min(boxes[i][1] for i in idx),
            max(boxes[i][2] for i in idx), max(boxes[i][3] for i in idx))


def _column_cuts(boxes: list[Box], members: list[int], cuts: list[float], h: float) -> list[float]:
    """The cuts left once every column narrower than `NARROW` line heights is merged into its neighbour.

    A strip of list bullets or line numbers beside its text leaves a gutter too, but is not a column: its
    marks belong to the lines beside them.
    """
    while cuts:
        widths = [0.0] * (len(cuts) + 1)
        for i in members:
            k = sum((boxes[i][0] + boxes[i][2]) / 2 > c for c in cuts)
            widths[k] = max(widths[k], boxes[i][2] - boxes[i][0])
        narrow = next((k for k, w in enumerate(widths) if w < NARROW * h), None)
        if narrow is None:
            break
        cuts = cuts[:narrow] + cuts[narrow + 1:] if narrow < len(cuts) else cuts[:-1]
    return cuts


def _paragraphs(boxes: list[Box]) -> list[list[int]]:
    """Runs of the rows (boxes, in order) of one column: a new run starts after half a line of space or at a
    change of line height; returns positions in `boxes`."""
    runs: list[list[int]] = []
    for i in range(len(boxes)):
        if runs:
            prev = boxes[runs[-1][-1]]
            h0, h1 = prev[3] - prev[1], boxes[i][3] - boxes[i][1]
            gap = boxes[i][1] - prev[3]
            same_row = boxes[i][1] < prev[3] - 0.25 * h1
            if same_row or (gap <= 0.5 * min(h0, h1) and max(h0, h1) <= 1.3 * min(h0, h1)):
                runs[-1].append(i)
                continue
        runs.append([i])
    return runs
