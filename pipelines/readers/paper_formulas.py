"""A real paper's formulas checked from the image: each typeset alone from the target and found where the target's
order puts it.

PP-OCR cannot read math, so the strict reader (`pipelines.readers.paper_pages`) only lets a formula's letters place a
line: a target's `\\mathcal{N}_f` written `\\mathcal{N}_a`, or `u(0)` written `u(2)`, went unseen. A real paper
is typeset by pdflatex, its math in the paper's math font at its type size, and the page was rasterised at the
dpi its meta records; so each formula of the target is typeset alone (`renderers.latex`, with nothing of the
engine's conversion: the target's LaTeX as written, tags left to the margin check) in that font, size and dpi, and looked
for in the page by normalised cross-correlation (`cv2.matchTemplate`) inside the band the target's order gives it:
between the lines placed before and after it (displayed), or about the lines placed over it (inline). Where it
fits, its pieces (runs of ink between blank columns: a justified line stretches the space around `=`; an
environment's rows) are moved one by one to where they fit best, a few pixels about the last one, and each glyph
of a piece (connected ink) to its own sub-pixel place; then both sides, softened by a Gaussian of `SOFTEN_PX`,
are compared pixel for pixel. A right formula leaves 0-6 changed pixels in a piece; one changed letter or digit
a glyph's worth (`CHANGED_PX` or more), and a formula moved to another paragraph is not found in its band. A changed
subscript or superscript leaves only 4-10 pixels, under that floor, so each glyph is judged on its own scale too
(`glyph_levels`): the difference, softened so that a glyph's sub-pixel phase cancels, must stay under
`GLYPH_LEVELS_CHANGED` grey levels (for the paper's font) over its box, and no ink of the page joined to it may go
on unexplained above or below it. An `align`'s column pairs stand as far apart as the paper's line is wide: it is
typeset in a line of the width the placed lines span (`line_width`); a footnote's formula at the footnote size
(`NOTE_SIZE`). The equation numbers are typeset in the
paper's text font and found right of their formulas (`numbers`): PP-OCR misreads a few.

The paper's math font and type size are not recorded: the formulas are typeset in each font of `FONTS` (Computer
Modern, newtxmath, mathptmx) at 9, 10, 10.95 and 12 pt (each size's own designs) and the pair whose longest
formulas correlate best is the page's; where even that pair correlates under `FONT_FIT`, the page's math is in a
font the check does not reproduce and it abstains. (A paper's whole body may be in `\\small`: dynonet writes
`\\abstract{...}`, which opens the abstract's environment and never closes it, so its math is 9 pt in a narrower
measure, and displays wider than that measure are squeezed: `SQUEEZED_MU`.) A captured page (a scan or photo) is
flattened back (`capture.flatten`) and the typeset formula blurred as the capture recorded; where fewer than
`FIT_SHARE` of its formulas fit, the capture is too soft to tell glyphs apart and the check abstains.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any, Sequence

import cv2
import numpy as np
from PIL import Image

from pipelines.readers.ink import INK, near
from renderers import capture
from renderers.errors import RenderError
from renderers.latex import LatexConfig, render_latex

# The math fonts a paper may set its formulas in (each its package lines, loaded after amsmath and before bm):
# the one whose typeset formulas correlate best with the page is the paper's (`paper_style`).
FONTS = {"cm": r"\usepackage{amssymb}\usepackage{amsfonts}",  # Computer Modern (and lmodern's, alike at 144 dpi)
         "newtx": r"\usepackage{newtxtext}\usepackage{newtxmath}",  # Times-like (its digits newtxtext's; newtxmath
         # carries amssymb's symbols)
         "times": r"\usepackage{mathptmx}\usepackage{amssymb}"}  # Times (mathptmx)
SPREAD = ("align", "flalign", "multline")  # environments whose columns or lines stand where the line's width puts them
TAG = re.compile(r"\\(?:tag|label)\*?\{[^{}]*\}|\\(?:nonumber|notag)\b")
GAP_PX = 2  # blank columns that end a piece of a formula (a thin space is 2.5 px at 144 dpi; a letter's own gaps less)
SLACK_PX = 6  # how far a piece may stand from where the previous one put it (a justified line's stretched spaces)
ROW_SLACK_PX = 4  # how far a row of an environment may stand from where the row before put it (line spacing)
GLYPH_LEVELS = 64  # grey levels a softened pixel may differ by before it counts as changed (`ink.CHANGED`)
SOFTEN_PX = 0.8  # the Gaussian both sides are softened by before they are compared (what is left of a phase)
RULE_PX = 2  # a component this thin and three times as wide is a rule
# A piece differs from the page (a glyph changed) from this many changed pixels: right formulas of real papers'
# pages leave 0-6 in a piece (up to 15 where the paper's own spacing differs), one changed letter or digit 14-60, a
# script one 6-20 (calibrated on the 10 pages of bench/results/mutate-pages-real.json)
CHANGED_PX = 12
# A glyph differs from the page from this many grey levels of softened difference over its box, or this many pixels
# of the page's ink joined to it and unexplained (`glyph_levels`). Measured on the 15 real pages with formulas of
# bench/results/mutate-pages-real.json (their right targets and 6 more letters and digits changed in a formula
# each): right formulas at most 41 levels and 1 pixel; changed ones the piece count missed 33-82 levels (a script
# `a` for a `g`: 33, and 9 joined pixels, its descender). Those pages are all Computer Modern; Times' thin serifs
# leave more (right formulas of tests/pipelines/test_paper_formulas.py's page in newtxmath: up to 47)
GLYPH_LEVELS_CHANGED = {"cm": 45.0, "newtx": 55.0, "times": 55.0}
GLYPH_SOFTEN_PX = 1.2  # the Gaussian the difference is softened by (a glyph's phase is a pixel's fraction)
JOINED_PX = 5
MIN_GLYPH_PX = 4  # a glyph shorter than this (a dot, a prime) is judged with its piece only
FIT_SHARE = 0.75  # share of a captured page's formulas that must fit for the capture to be sharp enough to compare
MIN_INK_PX = 12  # a formula with less ink (a lone dot, a prime) places nothing: not checked
LINE_PX = 24  # a line's height at 144 dpi: the margin around a band
LINE_END_PX = 16  # blank columns beside a line's start or end (a justified line's widest space is less, a gutter more)


CELL_DOTS = re.compile(r"(&\s*)\\dots\b")


@dataclass(frozen=True)
class Formula:
    """One formula of the target.

    Attributes:
        start, end: where it stands in the text the strict reader places lines in (`paper_pages.reading`).
        latex: its body as the target writes it; display: displayed (`\\[ \\]` or an environment), env: the
            environment's name (`align*`) or ""; note: in a footnote (printed at the footnote size, `NOTE_SIZE`).
    """

    start: int
    end: int
    latex: str
    display: bool
    env: str = ""
    note: bool = False

    def snippet(self, size: str, medium: float = 4, width_pt: float = 0) -> str:
        """The formula as LaTeX typesets it alone in a paper of `size` points: inline in text style, displayed in
        a paragraph as wide as it needs (standalone's varwidth), equation numbers and labels left out (the margin
        check reads them), its binary operators spaced `medium` mu apart (TeX's 4mu, less where the paper's line
        squeezed them). An environment that spreads its columns over the line (`SPREAD`: an `align`'s column pairs
        stand as far apart as the line's width allows) is set in a line of the paper's width `width_pt`."""
        body = re.sub(r"\n\s*\n", "\n", TAG.sub("", self.latex)).strip()  # a blank line MathJax ignores
        body = CELL_DOTS.sub(r"\1{\\dots}", body)  # amsmath's \dots opening a cell looks ahead through the `&`
        # and stops pdflatex ("Missing control sequence inserted"); MathJax prints it, as braced dots do
        math = (f"\\begin{{{self.env}}}{body}\\end{{{self.env}}}" if self.env
                else f"\\[{body}\\]" if self.display else f"${body}$")
        if width_pt and self.env.rstrip("*") in SPREAD:
            math = f"\\begin{{minipage}}{{{width_pt:.1f}pt}}{math}\\end{{minipage}}"
        spacing = f"\\medmuskip={medium:g}mu" if medium != 4 else ""
        return f"\\fontsize{{{size}}}{{{float(size) * 1.2:g}}}\\selectfont{spacing}{math}"


def typeset(snippets: Sequence[str], dpi: float, font: str = "cm") -> list[np.ndarray | RenderError]:
    """The snippets typeset by pdflatex in the math font `font` (of `FONTS`) at `dpi`, each cropped to its ink
    (grey levels), in one batched compile; kept, since a target changed in one formula differs from the right one
    in that formula only."""
    todo = [s for s in dict.fromkeys(snippets) if (s, dpi, font) not in _DRAWN]
    if len(_DRAWN) + len(todo) > 4096:
        _DRAWN.clear()
        todo = list(dict.fromkeys(snippets))
    config = LatexConfig(dpi=dpi, margin_pt=1.0, class_options=("varwidth",), timeout_s=60.0)
    preamble = rf"\usepackage{{amsmath}}{FONTS[font]}\usepackage{{bm}}\usepackage{{mathtools}}"
    for snippet, drawn in zip(todo, render_latex(todo, preamble, config) if todo else []):
        if not isinstance(drawn, RenderError):
            grey = np.asarray(drawn.image.convert("L"))
            rows, cols = np.nonzero((grey < INK).any(axis=1))[0], np.nonzero((grey < INK).any(axis=0))[0]
            drawn = (grey[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1] if len(rows)
                     else RenderError("latex_blank", "no ink"))
        _DRAWN[(snippet, dpi, font)] = drawn
    return [_DRAWN[(s, dpi, font)] for s in snippets]


_DRAWN: dict[tuple[str, float, str], np.ndarray | RenderError] = {}


def _runs(inked: np.ndarray) -> list[tuple[int, int]]:
    """The runs of True in `inked`, split at `GAP_PX` False or more."""
    runs: list[tuple[int, int]] = []
    for k in np.flatnonzero(inked):
        if runs and k - runs[-1][1] < GAP_PX:
            runs[-1] = (runs[-1][0], int(k) + 1)
        else:
            runs.append((int(k), int(k) + 1))
    return runs


def _pieces(template: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The template's pieces (top, bottom, left, right), in reading order: its rows (an `align`'s lines, split at
    blank rows), each cut at blank columns (where a justified line's glue may stretch or shrink), each of those cut
    at blank rows again (a fraction's numerator, bar and denominator, which the paper's own size sets apart by its
    own measures)."""
    inked = template < INK
    return [(top + t, top + b, left, right) for top, bottom in _runs(inked.any(axis=1))
            for left, right in _runs(inked[top:bottom].any(axis=0))
            for t, b in _runs(inked[top:bottom, left:right].any(axis=1))]


def _offset(scores: np.ndarray, x: int, y: int) -> tuple[float, float]:
    """The sub-pixel place of a minimum of `scores` at (x, y): a parabola through it and its neighbours, each way."""
    def vertex(left: float, mid: float, right: float) -> float:
        bend = left - 2 * mid + right
        return 0.0 if bend <= 0 else float(np.clip(0.5 * (left - right) / bend, -0.5, 0.5))
    fx = vertex(*scores[y, x - 1:x + 2]) if 0 < x < scores.shape[1] - 1 else 0.0
    fy = vertex(*scores[y - 1:y + 2, x]) if 0 < y < scores.shape[0] - 1 else 0.0
    return fx, fy


Glyph = tuple[int, int, np.ndarray, bool]  # a glyph placed: its top and left in the band, its grey levels moved by
# the sub-pixel rest, whether it is a rule


def _fit(piece: np.ndarray, around: np.ndarray) -> tuple[int, int, int, list[Glyph]]:
    """Where in `around` the piece differs least (sum of squared grey differences), and how many pixels of the page
    there still differ from it by more than `GLYPH_LEVELS` grey levels once each of its glyphs (connected ink) is
    moved, a pixel either way and by the sub-pixel rest, to where it fits best (the page placed each glyph at its
    own sub-pixel phase): (x, y, changed, the glyphs as placed in `around`). Both sides count: ink the piece has
    and the page lacks, and ink the page has where the piece has none."""
    x, y = cv2.minMaxLoc(cv2.matchTemplate(around, piece, cv2.TM_SQDIFF))[2]
    h, w = piece.shape
    x0, y0 = max(0, x - 1), max(0, y - 1)
    page = around[y0:min(around.shape[0], y + h + 1), x0:min(around.shape[1], x + w + 1)]
    drawn = np.full(page.shape, 255.0, np.float32)
    count, _, stats, _ = cv2.connectedComponentsWithStats((piece < INK).astype(np.uint8), connectivity=8)
    rules = np.zeros(page.shape, bool)
    glyphs: list[Glyph] = []
    for left, top, gw, gh, _ in stats[1:count]:
        glyph = piece[top:top + gh, left:left + gw]
        ax, ay = x + left - 1 - x0, y + top - 1 - y0
        rule = bool(gh <= RULE_PX and gw >= 3 * gh)
        if rule:  # a fraction bar, an overline, a minus: its place, not its sub-pixel
            rules[max(0, ay + 1):ay + 1 + gh, max(0, ax + 1):ax + 1 + gw] = True  # weight (MuPDF keeps thin
            # rules a pixel thick)
        window = page[max(0, ay):ay + gh + 2, max(0, ax):ax + gw + 2]
        if window.shape[0] < gh or window.shape[1] < gw:
            continue
        scores = cv2.matchTemplate(window, glyph, cv2.TM_SQDIFF)
        gx, gy = cv2.minMaxLoc(scores)[2]
        fx, fy = _offset(scores, gx, gy)
        moved = cv2.warpAffine(glyph, np.float32([[1, 0, fx], [0, 1, fy]]), (gw, gh), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
        at = (slice(max(0, ay) + gy, max(0, ay) + gy + gh), slice(max(0, ax) + gx, max(0, ax) + gx + gw))
        drawn[at] = np.minimum(drawn[at], moved)
        glyphs.append((y0 + at[0].start, x0 + at[1].start, moved, rule))
    soft = [cv2.GaussianBlur(a.astype(np.float32), (0, 0), SOFTEN_PX) for a in (drawn, page)]
    return x, y, int(((np.abs(soft[0] - soft[1]) > GLYPH_LEVELS) & ~near(rules, 2)).sum()), glyphs


def glyph_levels(region: np.ndarray, placed: Sequence[Sequence[Glyph]]) -> list[list[tuple[float, int]]]:
    """For each glyph of each piece as placed in the band (rules and glyphs under `MIN_GLYPH_PX` tall left out): the
    most the page differs from it in grey levels over its box, once the difference (the formula drawn with every
    glyph at its place, less the page) is softened by `GLYPH_SOFTEN_PX`; and the page's ink joined to the ink in
    its box that no glyph drawn explains (pixels more than a pixel from any drawn ink) over or under the box.

    A piece's changed pixels count the same at any size, and a changed subscript leaves only a few (4-10: a
    script `4` for a `1` differs by its thin diagonal and bar, light greys at 144 dpi). Softened, a glyph the
    page prints a fraction of a pixel away from where it was placed leaves a difference of both signs side by side,
    which cancels; ink one side has and the other lacks does not, at any glyph size. Over its box only: a page's
    neighbouring ink (the prose before an inline formula, the tilde over another `b_j` the formula was found at)
    is no difference of the formula's own glyphs; but a page's glyph that goes on beyond the box (a script `g`
    where the target has an `a`, alike in the `a`'s box) is one glyph, joined ink."""
    flat = [g for piece in placed for g in piece]
    if not flat:
        return [[] for _ in placed]
    top = max(0, min(t for t, _, a, _ in flat) - LINE_PX // 2)
    bottom = min(region.shape[0], max(t + a.shape[0] for t, _, a, _ in flat) + LINE_PX // 2)
    page = region[top:bottom].astype(np.float32)
    drawn = np.full(page.shape, 255.0, np.float32)
    rules = np.zeros(page.shape, bool)
    for t, left, glyph, rule in flat:
        at = (slice(t - top, t - top + glyph.shape[0]), slice(left, left + glyph.shape[1]))
        drawn[at] = np.minimum(drawn[at], glyph)
        rules[at] |= rule
    differs = np.abs(cv2.GaussianBlur(drawn - page, (0, 0), GLYPH_SOFTEN_PX)) * ~near(rules, 2)
    _, joined = cv2.connectedComponents((page < INK).astype(np.uint8), connectivity=8)
    unexplained = np.where(near(drawn < INK, 1), 0, joined)
    out = []
    for piece in placed:
        out.append([])
        for t, left, glyph, rule in piece:
            if rule or glyph.shape[0] < MIN_GLYPH_PX:
                continue
            box = (slice(t - top, t - top + glyph.shape[0]), slice(left, left + glyph.shape[1]))
            inside = np.unique(joined[box])
            above_below = unexplained[:, box[1]]  # over or under the box: ink beside it is its neighbour's,
            # touching (a math `n` and the hyphen of `n-length`)
            out[-1].append((float(differs[box].max()), int(np.isin(above_below, inside[inside > 0]).sum())))
    return out


def _levelled(region: np.ndarray) -> np.ndarray:
    """The region's grey levels stretched so that its paper is white and its darkest ink black (a scan's light and
    contrast undone, as the typeset formula has them). Done once for the whole page: a band with little ink (a
    formula over the page number) has no black pixels at its 0.5th percentile, and stretching its grey edges to
    black thickened every glyph."""
    low, high = np.percentile(region, (0.5, 90))
    if high - low < 64:
        return region
    return np.clip((region.astype(np.float32) - low) * 255.0 / (high - low), 0, 255).astype(np.uint8)


def find(template: np.ndarray, page: np.ndarray, band: tuple[int, int, int, int],
         inline: bool = False, font: str = "cm") -> dict[str, Any]:
    """Where in `band` of the page (grey) the typeset formula fits best, and how many pixels differ there.

    The candidates are the few best places by normalised cross-correlation; at each, the template's pieces are
    moved one by one, each up to `SLACK_PX` across and a pixel up or down from where the previous piece stood (a
    new row of an environment up to `ROW_SLACK_PX`: the paper's line spacing), to where they differ least. An
    inline formula may be broken over two lines (`broken`): its pieces after or before the ones that fit are
    looked for once more. The candidate that differs least is the
    formula's place.
    """
    h, w = template.shape
    x0, y0, y1 = 0, max(0, min(band[1], page.shape[0] - h - 2)), min(page.shape[0], max(band[3], band[1] + h + 2))
    region = page[y0:y1]  # the band's lines across the page: a broken formula goes on at the left
    if region.shape[0] < h + 2 or region.shape[1] < w + 2 * SLACK_PX:
        return {"changed_px": 10 ** 9, "differs": True, "ncc": 0.0, "at": None}
    ncc = cv2.matchTemplate(region, template, cv2.TM_CCOEFF_NORMED)
    ncc[:, :max(0, band[0])] = -1  # the formula itself starts within the band
    ncc[:, band[2] + 1:] = -1
    region_f, template_f = region.astype(np.float32), template.astype(np.float32)
    pieces = _pieces(template)

    def follow(bx: int, by: int, first: int, stop: int, limit: int = 10 ** 9) -> list[tuple[int, list[Glyph]]]:
        """Changed pixels of each of pieces[first:stop], the formula's corner at (bx, by) (stopping once their sum
        reaches `limit`), with its glyphs as placed in the band."""
        out: list[tuple[int, list[Glyph]]] = []
        sx, sy, row = 0, 0, pieces[first][0]
        for k in range(first, stop):
            top, bottom, left, right = pieces[k]
            tall = ROW_SLACK_PX if top != row else 1
            wide = 3 * SLACK_PX if k == first else SLACK_PX  # the first piece: wherever the stretch put the start
            row = top
            ax, ay = max(0, bx + left + sx - wide), max(0, by + top + sy - tall)
            bx1 = min(region.shape[1], bx + right + sx + wide)
            by1 = min(region.shape[0], by + bottom + sy + tall)
            if bx1 - ax < right - left or by1 - ay < bottom - top:
                return out + [(10 ** 6, [])]
            x, y, changed, glyphs = _fit(template_f[top:bottom, left:right], region_f[ay:by1, ax:bx1])
            sx, sy = ax + x - bx - left, ay + y - by - top
            out.append((changed, [(ay + gy, ax + gx, a, r) for gy, gx, a, r in glyphs]))
            if sum(c for c, _ in out) >= limit:
                break
        return out

    summed = cv2.integral((region < INK).astype(np.uint8))  # ink counted over any rectangle of the band

    def at_edge(part: np.ndarray, within: np.ndarray, start: bool) -> tuple[int, int]:
        """Where `part` correlates best in `within` (rows from the band's top) with `LINE_END_PX` blank columns
        before it (a line's start) or after it (a line's end)."""
        ph, pw = part.shape
        ncc = cv2.matchTemplate(within, part, cv2.TM_CCOEFF_NORMED)
        ys, xs = np.mgrid[:ncc.shape[0], :ncc.shape[1]]
        lo = np.clip(xs - LINE_END_PX if start else xs + pw, 0, region.shape[1])
        hi = np.clip(xs if start else xs + pw + LINE_END_PX, 0, region.shape[1])
        ink = summed[ys + ph, hi] - summed[ys, hi] - summed[ys + ph, lo] + summed[ys, lo]
        ncc[ink > 0] = -1
        return cv2.minMaxLoc(ncc)[3]

    def broken(each: list[tuple[int, list[Glyph]]], by: int) -> list[tuple[int, list[Glyph]]]:
        """Changed pixels of each piece where the formula is broken over two lines (TeX breaks inline math after
        a binary operator or relation), the break before any piece up to the first that differs and the rest looked
        for once more at a line's start anywhere in the band; or the break after any piece from the last that
        differs on, the head looked for at a line's end above (a rule's piece, `=`, fits anywhere: it may end the
        head). The break that leaves the fewest changed pixels."""
        bad = [k for k, (c, _) in enumerate(each) if c >= CHANGED_PX]
        if not bad or (bad[0] == 0 and bad[-1] + 1 == len(pieces)):
            return each
        tries = [each]
        for cut in range(1, bad[0] + 1):  # the head fits: the rest goes on at a line's start
            left = pieces[cut][2]
            rest = np.ascontiguousarray(template[:, left:])
            if rest.shape[1] + 2 <= region.shape[1]:
                rx, ry = at_edge(rest, region, True)
                tries.append(each[:cut] + follow(rx - left, ry, cut, len(pieces)))
        above = region[:max(0, by - LINE_PX // 2) + h]
        for cut in range(bad[-1] + 1, len(pieces)) if bad[0] == 0 else ():  # the tail fits: the head ends a line
            head = np.ascontiguousarray(template[:, :max(p[3] for p in pieces[:cut])])
            if above.shape[0] >= h and above.shape[1] >= head.shape[1] + 2:
                hx, hy = at_edge(head, above, False)
                tries.append(follow(hx, hy, 0, cut) + each[cut:])
        return min(tries, key=lambda t: sum(c for c, _ in t))

    best: dict[str, Any] = {"changed_px": 10 ** 9, "differs": True, "ncc": 0.0, "at": None}
    for _ in range(CANDIDATES):
        _, score, _, (bx, by) = cv2.minMaxLoc(ncc)
        if score <= 0:
            break
        ncc[max(0, by - h // 2):by + h // 2 + 1, max(0, bx - w // 4):bx + w // 4 + 1] = -1  # the next candidate elsewhere
        limit = 10 ** 9 if best["differs"] else best["changed_px"]  # a place that differs more, but in no glyph,
        # is a better place than one that differs in a glyph
        each = follow(bx, by, 0, len(pieces), limit)
        if inline and len(each) == len(pieces) and sum(c for c, _ in each) < limit:
            each = broken(each, by)
        changed = sum(c for c, _ in each)
        if changed >= limit:
            continue
        levels = glyph_levels(region, [g for _, g in each])
        worst = max((level for piece in levels for level, _ in piece), default=0.0)
        joined = max((extra for piece in levels for _, extra in piece), default=0)
        differs = max(c for c, _ in each) >= CHANGED_PX or worst >= GLYPH_LEVELS_CHANGED[font] or joined >= JOINED_PX
        if (differs, changed) < (best["differs"], best["changed_px"]):
            best = {"changed_px": changed, "differs": differs, "pieces": [c for c, _ in each],
                    "glyph_levels": [round(max((v for v, _ in piece), default=0.0)) for piece in levels],
                    "joined_px": [max((e for _, e in piece), default=0) for piece in levels],
                    "ncc": round(float(score), 4), "at": (x0 + bx, y0 + by)}
    return best


CANDIDATES = 6  # places tried per formula (the best by correlation, each away from the ones before)


Anchor = tuple[int, int, tuple[float, float, float, float]]  # a placed line: its start, end in the text, its box


def band(formula: Formula, anchors: Sequence[Anchor], size: tuple[int, int]) -> tuple[int, int, int, int]:
    """Where the target's order says the formula is printed (the band its left edge lies in): on the lines placed
    over it, and the line before and after (an inline formula: a line's place in the text is not exact); else
    between the last line placed before it and the first after it (a displayed one), a line's height around."""
    width, height = size
    holding = [box for start, end, box in anchors if start < formula.end + 2 and end > formula.start - 2]
    if holding and not formula.display:
        top, bottom = min(b[1] for b in holding), max(b[3] for b in holding)
        return 0, max(0, int(top) - 2 * LINE_PX), width, min(height, int(bottom) + 2 * LINE_PX)
    before = [(end, box) for start, end, box in anchors if end <= formula.start + 2]
    after = [(start, box) for start, end, box in anchors if start >= formula.end - 2]
    top = max(before, key=lambda p: p[0])[1][1] if before else 0
    bottom = min(after, key=lambda p: p[0])[1][3] if after else height
    if bottom <= top:  # the next line stands above: another column
        top, bottom = 0, height
    return 0, max(0, int(top) - LINE_PX), width, min(height, int(bottom) + LINE_PX)


def _page(image: Image.Image, meta: dict[str, Any]) -> tuple[np.ndarray, float, Any]:
    """The page in grey, the blur its capture recorded, and a map from the image's boxes to the page's: a captured
    page is flattened back to the clean page's grid first and levelled (`_levelled`)."""
    recorded = meta.get("capture")
    if not recorded:
        return np.asarray(image.convert("L")), 0.0, lambda box: box
    params = capture.CaptureParams.from_dict(recorded)
    dpi = float(meta.get("dpi") or 144.0)
    guesses = [(w * dpi / 72, h * dpi / 72) for w, h in PAPER_PT]
    sizes = [capture.clean_size(params, image.size, guess) for guess in guesses]
    clean = next((s for s in sizes if capture.moved_size(params, s) == image.size), sizes[0])
    flat = capture.flatten(image, params, clean)
    return (_levelled(np.asarray(flat.convert("L"))), float(params.base.blur) / max(params.base.scale, 0.25),
            lambda box: capture.unmap_box(box, params, clean))


PAPER_PT = ((612, 792), (595, 842))  # US letter and A4, the sizes a paper's page comes in


def paper_style(formulas: Sequence[Formula], page: np.ndarray, dpi: float) -> tuple[str, str, float]:
    """The paper's math font (of `FONTS`) and type size (of `SIZES`, each with its own designs: cmmi9 is not cmmi10
    made smaller): those at which the formulas with the most letters correlate best with the page, with that
    correlation (their mean best normalised cross-correlation: 0.9-1 where the page's fonts are reproduced)."""
    key = (hashlib.md5(page.tobytes()).hexdigest(), dpi)
    if key not in _STYLES:
        longest = sorted(formulas, key=lambda f: (-len(re.sub(r"\\[A-Za-z]+|\W", "", f.latex)), f.latex))
        longest = longest[:2 * SIZE_FORMULAS]  # one LaTeX refuses (a broken target's) says nothing of the font
        longest = [f for f, t in zip(longest, typeset([f.snippet("10") for f in longest], dpi))
                   if not isinstance(t, RenderError)][:SIZE_FORMULAS]
        fits: dict[tuple[str, str], float] = {}
        for font in FONTS:
            drawn = typeset([f.snippet(size) for size in SIZES for f in longest], dpi, font)
            for k, size in enumerate(SIZES):
                shown = [t for t in drawn[k * len(longest):(k + 1) * len(longest)] if not isinstance(t, RenderError)
                         and t.shape[0] < page.shape[0] and t.shape[1] < page.shape[1]]
                fits[(font, size)] = sum(float(cv2.minMaxLoc(cv2.matchTemplate(page, t, cv2.TM_CCOEFF_NORMED))[1])
                                         for t in shown) / max(1, len(longest))
        font, size = max(fits, key=fits.__getitem__)
        _STYLES[key] = (font, size, round(fits[(font, size)], 4))
    return _STYLES[key]


_STYLES: dict[tuple[str, float], tuple[str, str, float]] = {}
SIZES = ("9", "10", "10.95", "12")  # a paper's type sizes in points (LaTeX's 9, 10, 11 and 12 pt)
# a footnote's type size for each (`\\footnotesize`: 8 pt in a 10 pt paper, and in its `\\small` body)
NOTE_SIZE = {"9": "8", "10": "8", "10.95": "9", "12": "10"}
SIZE_FORMULAS = 4  # formulas whose correlation finds the paper's font and size
# Below this mean correlation at the best font and size the page's math is in a font `FONTS` does not reproduce:
# every formula would differ, so none is judged. Measured on tests/pipelines/test_paper_formulas.py's page (a
# justified line's inline formula stretched correlates least): Computer Modern 0.76 (lmodern the same), newtxmath
# 0.73, mathptmx 0.89 in their own fonts; mathpazo 0.53 at best; real Computer Modern papers' pages 0.9-1
FONT_FIT = 0.55


def line_width(boxes: Sequence[Anchor], dpi: float) -> float:
    """The paper's line width in points, from its placed lines: a justified paragraph's lines all span it, so it is
    the median of the widths near the widest (at the 90th percentile: a heading or a wide display may stand out);
    0 where too few lines are placed to tell."""
    widths = sorted(box[2] - box[0] for _, _, box in boxes)
    if len(widths) < 4:
        return 0.0
    top = widths[int(0.9 * (len(widths) - 1))]
    return float(np.median([w for w in widths if w >= 0.95 * top])) * 72.0 / dpi


def numbers(found: Sequence[tuple[Formula, dict[str, Any]]], page: np.ndarray, style: tuple[str, str, float],
            blur: float) -> list[tuple[str, tuple[int, int, int, int]]]:
    """The target's equation numbers (`\\tag{4b}`) printed where they belong: each typeset in the paper's text font
    and size and found right of its formula's rows (`find`), with where it was found. PP-OCR reads the numbers too,
    but misreads a few (`(31)` as `(3l)`), where a number typeset is exact; one written elsewhere in the page (a
    reference in the prose: `(26b)`) is not right of the formula."""
    font, size, dpi = style
    wanted = [(f"({number})" if not star else number, d) for f, d in found if d["at"] is not None
              for star, number in NUMBER.findall(f.latex)]
    drawn = typeset([f"\\fontsize{{{size}}}{{{float(size) * 1.2:g}}}\\selectfont {text}" for text, _ in wanted], dpi,
                    font)
    shown = []
    for (text, d), template in zip(wanted, drawn):
        if isinstance(template, RenderError):
            continue
        template = cv2.GaussianBlur(template, (0, 0), blur) if blur else template
        (x, y), (h, w) = d["at"], d["size"]
        got = find(template, page, (x + w - SLACK_PX, y - LINE_PX // 2, page.shape[1], y + h + LINE_PX // 2),
                   font=font)
        if not got["differs"]:
            shown.append((text, (got["at"][0], got["at"][1], got["at"][0] + template.shape[1],
                                 got["at"][1] + template.shape[0])))
    return shown


NUMBER = re.compile(r"\\tag(\*?)\{([^{}]*)\}")


def _overlap(a: Sequence[float], b: Sequence[float]) -> float:
    """The share of the smaller of two boxes that the other covers."""
    w, h = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return max(0.0, w) * max(0.0, h) / smaller if smaller > 0 else 0.0


def check(formulas: Sequence[Formula], image: Image.Image, meta: dict[str, Any],
          anchors: Sequence[Anchor], marks: Sequence[tuple[float, float, float, float]] = ()) -> dict[str, Any]:
    """Each formula typeset alone in the paper's math font and type size (`paper_style`) and looked for in its
    band of the page (`find`); one that differs is typeset again with its binary operators closer (`SQUEEZED_MU`:
    TeX shrinks their spaces in a display wider than the line and in a tight justified line). Footnote marks
    (`{ }^{1}`, which `\\footnote` prints, not math) are left to the text. A page whose math no font of `FONTS`
    reproduces (best correlation under `FONT_FIT`), and a captured page on which fewer than `FIT_SHARE` of the
    formulas fit (too soft to tell a glyph from its neighbour), are not judged: their formulas are counted as not
    checked, not as wrong.

    Returns:
        {"formulas": how many, "checked": compared, "unmatched": how many not found as typeset (one changed
        letter, digit or symbol, or not where the target puts it), "unmatched_first": their LaTeX, "untypeset":
        how many LaTeX refused alone (a problem: no page prints a formula LaTeX refuses), "untypeset_first":
        their LaTeX, "font", "size": the paper's math font and type size, "fit": their
        correlation, "changed_px": per formula checked, "numbers": the target's equation numbers printed right of
        their formulas (`numbers`), "marks": for each of `marks` (boxes in the image where PP-OCR read an
        equation number), the number of the target printed there, or ""}.
    """
    formulas = [f for f in formulas if not NOTE_MARK.fullmatch(f.latex.strip())]
    if not formulas:
        return {"formulas": 0, "checked": 0, "unmatched": 0, "unmatched_first": [], "untypeset": 0,
                "untypeset_first": [], "font": "",
                "size": "", "fit": 0.0, "changed_px": [], "numbers": [], "marks": [""] * len(marks)}
    page, blur, to_page = _page(image, meta)
    dpi = float(meta.get("dpi") or 144.0)
    boxes = [(start, end, tuple(to_page(box))) for start, end, box in anchors]
    font, size, fit = paper_style(formulas, page, dpi)
    width = line_width(boxes, dpi)
    drawn = typeset([f.snippet(NOTE_SIZE[size] if f.note else size, width_pt=width) for f in formulas], dpi, font)
    refused = [f.latex.strip()[:80] for f, d in zip(formulas, drawn) if isinstance(d, RenderError) and d.reason
               not in UNJUDGED]  # no page prints a formula LaTeX refuses (a prose line moved into a display)
    drawn = drawn if fit >= FONT_FIT else []
    shape = (page.shape[1], page.shape[0])

    def look(formula: Formula, template: np.ndarray) -> dict[str, Any]:
        blurred = cv2.GaussianBlur(template, (0, 0), blur) if blur else template
        return {**find(blurred, page, band(formula, boxes, shape), not formula.display, font), "size": template.shape}

    found = [(f, look(f, t)) for f, t in zip(formulas, drawn)
             if not isinstance(t, RenderError) and int((t < INK).sum()) >= MIN_INK_PX]
    squeezed = [k for k, (f, d) in enumerate(found) if d["differs"]]
    for medium in SQUEEZED_MU if squeezed else ():  # a line squeezed by TeX: its binary operators closer
        tight = typeset([found[k][0].snippet(NOTE_SIZE[size] if found[k][0].note else size, medium, width)
                         for k in squeezed], dpi, font)
        for k, template in zip(squeezed, tight):
            if not isinstance(template, RenderError):
                again = look(found[k][0], template)
                if again["changed_px"] < found[k][1]["changed_px"]:
                    found[k] = (found[k][0], again)
    wrong = [f.latex.strip()[:80] for f, d in found if d["differs"]]
    shown = numbers(found, page, (font, size, dpi), blur)
    if meta.get("capture") and len(wrong) > (1 - FIT_SHARE) * len(found):
        found, wrong = [], []
    at = [tuple(to_page(box)) for box in marks]
    return {"formulas": len(formulas), "checked": len(found), "unmatched": len(wrong), "unmatched_first": wrong[:4],
            "untypeset": len(refused), "untypeset_first": refused[:4], "font": font, "size": size, "fit": fit,
            "changed_px": [d["changed_px"] for _, d in found], "numbers": [text for text, _ in shown],
            "marks": [next((text for text, box in shown if _overlap(box, mark) > 0.5), "") for mark in at]}


UNJUDGED = ("latex_blank", "render_timeout")  # a formula with no ink; a compile out of time (a loaded machine)
# `\\medmuskip` (the space about a binary operator: 4mu minus 4mu) tried for a displayed formula that does not
# fit as typeset: a display wider than the paper's line is shrunk there, its binary operators' spaces first (at
# 2mu steps a space is off by at most a pixel, which a piece's slack takes up)
SQUEEZED_MU = (2, 0)
NOTE_MARK = re.compile(r"\{ \}\^\{\d+\}")
