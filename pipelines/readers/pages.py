"""Formatted full pages: a generated page redrawn from its target; any other page read by PP-OCR, an order-free F1.

A page the `pages` engine generated records how it was typeset (`meta["style"]`); its target is typeset
again in that style and compared with the image pixel for pixel (`read_redrawn`, through
`pipelines.readers.page_redraw`; `best_redraw`, which a captured multi-crop stitch shares, its pages captured
together: `pipelines.readers.composed`): a right target gives the page again (24 of 24 right pages, 0 changed
pixels), while one changed digit or letter, two lines swapped, a line dropped or split changes hundreds
of pixels. An order-free token F1 saw none of these (bench/results/mutate-pages.json); PP-OCR cannot be
asked for order either, since it reads tables and two-column Chinese in its own order and drops lines.

A real paper's page (typeset with the paper's own preamble, which the sample does not record) is read strictly
(`read_paper`, through `pipelines.readers.paper_pages`: PP-OCR's lines in the image's reading order, each found in
the target exactly, in order). A page with no recorded style otherwise (a page of a composed sample built before
`meta.page_meta`) is scored by `read_f1`, the token F1 between PP-OCR's
whole-page reading and the text the target's markdown says is printed.
Markup is stripped from the target (`#` heading marks, list bullets, `\\( \\)` and `\\[ \\]`, tabular
commands, keeping each cell's text). Math is compared loosely:
PP-OCR reads a formula as a string of symbols no target spells the same way, so a formula contributes
only its words (`\\sin`, `\\text{...}`, `\\mathrm{...}`) and its numbers, and what a formula reads as is
left out of both bags: tokens under three characters (`x2`, `dt`, but also "of", "in"), tokens that mix
letters with digits or Greek (`d2g`, `θ`). CJK characters count one by one, as in `pipelines.readers.text`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from PIL import Image

from pipelines.readers import Reading, paper_pages
from pipelines.readers.ink import CHANGED, redraw_agreement
from pipelines.readers.page_redraw import MATH, TABULAR, NotPageMarkdown, redraw
from pipelines.readers.text import SHOWN, read_lines, token_f1, tokens
from renderers import capture
from renderers.errors import RenderError
from renderers.scripts import HAN_RANGES
from shards.format import record_meta

MATH_WORDS = re.compile(r"\\(?:text|mathrm|operatorname|textrm|mbox)\{([^{}]*)\}|\\([a-z]{3,})\b|(\d+(?:\.\d+)?)")
COMPARED = re.compile(rf"[A-Za-z\u00c0-\u024f]{{3,}}|\d{{3,}}|[{HAN_RANGES}]")
FUNCTIONS = {"sin", "cos", "tan", "exp", "log", "ln", "sinh", "cosh", "tanh", "det", "lim", "max", "min", "sup", "inf",
             "arctan", "arcsin", "arccos", "tr", "rank", "diag", "span", "sgn", "erf", "mod", "gcd"}
TABLE_COMMANDS = re.compile(r"\\(?:toprule|midrule|bottomrule|hline|cline|cmidrule)(\([a-z]*\))?(\{[^}]*\})?"
                            r"|\\(?:multicolumn|multirow)\{[^}]*\}\{[^}]*\}|\\\\|&")


def _math_text(latex: str) -> str:
    """What of a formula a reader can be asked to find: its words and numbers."""
    out = []
    for text, command, number in MATH_WORDS.findall(latex):
        if text:
            out.append(text)
        elif command in FUNCTIONS:
            out.append(command)
        elif number:
            out.append(number)
    return " ".join(out)


def _table_text(body: str) -> str:
    """A tabular's cell texts (formulas in cells loosely, as `_math_text`)."""
    cells = TABLE_COMMANDS.sub(" ", body)
    cells = re.sub(r"\$(.*?)\$", lambda m: " " + _math_text(m[1]) + " ", cells)
    return re.sub(r"\\[A-Za-z]+|[{}]", " ", cells)


def printed_text(target: str) -> str:
    """The text a page's markdown says is printed, markup removed, math and tables as their readable words."""
    text = TABULAR.sub(lambda m: " " + _table_text(m[2]) + " ", target)
    text = MATH.sub(lambda m: " " + _math_text(m[1] or m[2] or m[4] or "") + " ", text)
    return re.sub(r"(?m)^#+ |^- ", "", text)


def _kept(bag: Counter) -> Counter:
    """The tokens compared: CJK characters, Latin words and numbers of three characters or more.

    Tokens that mix letters with digits or other scripts ("d2g", "5yeμ0τ", a lone "θ") are what a
    formula reads as; they are left out of both bags, as are short words.
    """
    return Counter({t: n for t, n in bag.items() if COMPARED.fullmatch(t)})


REDRAWN = 0.95  # threshold of a redrawn page: a right target redraws the page exactly, one changed pixel scores 0.9
# Grey levels a captured page's pixel may differ by from its redraw, captured the same way, before it counts. The
# replay is exact (16 right captured pages: 0 pixels over 4 levels), while a capture's blur softens one changed
# letter in an inline fraction (e -> r, photographed) to at most 27 levels: `CHANGED` would count none of it.
CAPTURED_LEVELS = 8


def read(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Score a page: a generated page by its redraw (`read_redrawn`), a real paper's page strictly (`read_paper`),
    any other (and a generated page of a build older than `meta["pictures"]`) by its token F1 (`read_f1`)."""
    meta = record_meta(record)
    if meta.get("style") and "pictures" in meta:  # built since figures' drawings are recorded
        return read_redrawn(record["target"], meta, images[0])
    if meta.get("source") and not meta.get("style") and len(images) == 1:  # a real paper's page
        return read_paper(record, images)
    return read_f1(record, images)


def read_paper(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """A real paper's page: the lowest of the order-free F1 (`read_f1`) and the strict reading's figure
    (`pipelines.readers.paper_pages`: lines out of order, dropped, misread or not printed)."""
    f1 = read_f1(record, images)
    judged = paper_pages.judge_page(record["target"], images[0], record_meta(record))
    figure = paper_pages.layout(judged)
    return Reading(min(f1.score, figure), {**f1.details, "layout": figure, "order": judged})


def read_redrawn(target: str, meta: dict[str, Any], image: Image.Image) -> Reading:
    """A generated page's target typeset again in the page's style (`pipelines.readers.page_redraw`), captured as
    the page was, against the page: the best ending's `redraw_agreement` (a captured page's pixels counted from
    `CAPTURED_LEVELS`), under the threshold `REDRAWN` (`best_redraw`).

    A target that is no page's markdown, or that LaTeX refuses, scores 0 with the reason.
    """
    levels = CAPTURED_LEVELS if (meta.get("capture") or {}).get("preset", "none") != "none" else CHANGED
    reading, _ = best_redraw(target, meta, lambda page: redraw_agreement(
        capture.replay(page, meta).convert("RGB"), image.convert("RGB"), True, levels))
    if reading.details["redrawn"] and reading.score < REDRAWN:  # how far PP-OCR's reading is off too (a pass a
        reading.details["f1"] = read_f1({"target": target, "meta": meta}, [image]).details  # right page is spared)
    return reading


Drawer = Callable[[], list[Image.Image | RenderError]]


def best_redraw(target: str, meta: dict[str, Any], agreement: Callable[[Image.Image], dict[str, Any]],
                draw: Drawer | None = None) -> tuple[Reading, Image.Image | None]:
    """The ending of the target's redraw that agrees best with the page (`agreement`: a drawing's
    `redraw_agreement` figure against what the page shows, however the caller captures and places it), and
    that drawing. `draw` typesets the target (default: `page_redraw.redraw`; a caller that needs the drawings
    first passes them, kept).

    A target that is no page's markdown, or that LaTeX refuses, scores 0 with the reason (and no drawing).
    """
    try:
        drawn = draw() if draw else redraw(target, meta)
    except NotPageMarkdown as exc:
        return Reading(0.0, {"redrawn": False, "error": f"not page markdown: {exc}"}, REDRAWN), None
    except RenderError as exc:
        return Reading(0.0, {"redrawn": False, "error": f"{exc.reason}: {exc.excerpt[:100]}"}, REDRAWN), None
    figures = [agreement(page) if not isinstance(page, RenderError)
               else {"changed_px": -1, "score": 0.0, "error": page.reason} for page in drawn]
    best = max(range(len(figures)), key=lambda k: figures[k]["score"])
    details = {"redrawn": True, "ending": best, **figures[best],
               "changed_px_by_ending": [f["changed_px"] for f in figures]}
    page = drawn[best]
    return Reading(figures[best]["score"], details, REDRAWN), None if isinstance(page, RenderError) else page


def read_f1(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Score a page: the token F1 between PP-OCR's whole-page reading and the target's printed text.

    Args:
        record: the sample's JSON record (its target is the page's Mathpix markdown).
        images: the page image.

    Returns:
        The F1 as score, with precision, recall, the compared token counts and the tokens missed.
    """
    read_tokens = _kept(tokens("\n".join(read_lines(images))))
    target_tokens = _kept(tokens(printed_text(record["target"])))
    precision, recall, f1 = token_f1(read_tokens, target_tokens)
    return Reading(f1, {"f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4),
                        "target_tokens": sum(target_tokens.values()), "read_tokens": sum(read_tokens.values()),
                        "missed": sorted((target_tokens - read_tokens).elements())[:SHOWN]})
