"""Plain-text targets read back by PP-OCR: an order-free token F1, the order judged from the image, a CER per line.

Three figures, because each hides what the others show. A whole-image reading misorders the lines of a
multi-column page (the design card: real PDF pages read at median page CER 0.07 but token F1 0.967), so the
whole image is compared with the target as a bag of tokens, in any order. But a bag of fifty words
hides one wrong word, so where the record's meta gives each target line's box (`boxes`: one
[left, top, right, bottom] per line, as the smoke engine writes), each line is cut out, read alone
(`renderers.ppocr.read_crops`) and compared character by character with its target line: its CER,
and whether it reads back exactly but for what PP-OCR confuses on clean type (`blind`). A line that does
not is read again from crops with other margins (`SECOND_LOOKS`): PP-OCR's own slips depend on the crop, a
wrong target does not, so a line counts as misread only when no look reads it exactly, and the drawing does
not settle it: a line that differs from its reading in a span or two of a few characters has both drawn in the
page's own faces and matched with its crop (`pipelines.readers.arbiter`), and is cleared only where the target's
drawing fits clearly better (PP-OCR drops the backslash of `/\\r` in every look). The score
is the lowest of the token F1, the exact-line figure (1 less PROBLEM_COST per line misread: one changed
character on a page of a hundred lines flags it; for handwriting, 1 - the worst line's CER) and the layout
figure: one wrong line is enough to flag a sample. The layout figure (`pipelines.readers.order`) does not trust the engine's
boxes or order: it derives columns and reading order from the lines PP-OCR itself detects, and
counts as a problem, each costing PROBLEM_COST, each pair of consecutive target lines that does not
follow that order (a visual line written as several target lines counts too) and each detected line
the target does not account for (a dropped line is a detected line nothing matches). Code points
are not this module's business: a target's characters are checked without a reader first
(`pipelines.readers.codepoints`), so the folds below cannot hide a wrong one.

Tokens are words in Latin script and single characters in CJK script (it has no spaces), after NFKC
normalisation, case kept, punctuation dropped: punctuation is PP-OCR's weakest output and rarely
what a wrong target gets wrong.

Line CERs compare both sides after folding what PP-OCR cannot tell apart, so that a figure counts
wrong characters rather than the reader's blind spots: look-alike punctuation (the hyphen and dash
family, middle dots and bullets, curly and straight quotes, ellipses: its dictionary lacks U+2010,
U+2027 and U+22EF altogether, and it reads curly quotes as straight ones) becomes one form, and
whitespace next to a CJK character is dropped (the Chinese recogniser does not emit the space a
typesetter puts between Chinese and Latin text), and case is ignored (small capitals draw
"Introduction" as INTRODUCTION). No letter or digit is ever folded into another, and the unfolded
CER is kept beside the folded one (`cer_raw`). A line of one character is read without context,
which PP-OCR cannot do reliably (a table's lone "-" read as "1"): it counts in the CER over all
lines but cannot be the worst line that flags a sample.
"""

from __future__ import annotations

import functools
import json
import math
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pipelines.readers import Reading, arbiter
from pipelines.readers.order import MIN_CHARS, WHOLE, Placed, accounted, judge, short
from renderers import capture, ppocr
from renderers.result import DrawnText
from renderers.scripts import HAN_RANGES
from shards.format import record_meta

# Whole images are read at their own size up to this side (detection never upscales a small image
# several-fold, which costs 8x and misreads; see tests/renderers/test_ppocr.py) and shrunk beyond it.
READ_OPTIONS = ppocr.ReadOptions(det_side=2048, det_limit="max")
CJK_CHAR = f"[\u3040-\u30ff{HAN_RANGES}\uac00-\ud7af]"  # a character PP-OCR reads alone: kana, Han, Hangul
TOKEN = re.compile(rf"{CJK_CHAR}|(?:(?!{CJK_CHAR})[^\W_])+")
# Punctuation PP-OCR reads as one form (after NFKC, which already spells U+2026 "..."): form -> look-alikes.
LOOK_ALIKES = {"-": "\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "\u00b7": "\u30fb\u2027\u2022\u2219\u22c5",
               '"': "\u201c\u201d\u201e\u201f\u2033", "'": "\u2018\u2019\u201a\u201b\u2032", "...": "\u22ef"}
FOLD = str.maketrans({c: form for form, alike in LOOK_ALIKES.items() for c in alike})
CJK_PUNCT = r"[\u3000-\u303f\uff00-\uffef]"
SPACE_BY_CJK = re.compile(rf"\s+(?={CJK_CHAR}|{CJK_PUNCT})|(?<={CJK_CHAR})\s+|(?<={CJK_PUNCT})\s+")
SHOWN = 8  # how many missed tokens a Reading lists
# What PP-OCR's line reading cannot settle on clean or captured type, measured on right docs and doc_slices
# targets (`blind`): form -> the characters it reads for it (or that it reads it as), each made the form.
CONFUSABLE = {"l": "i1|!", "o": "0", "s": "$", ".": "\u3002", ",": "\u3001", "[": "\u3010", "]": "\u3011",
              "<": "\u300a", ">": "\u300b"}
# Marks it reads as a space, as another mark or not at all: `_` under a line, quotes ("/dev/" read as */dev/*,
# an opening curly quote dropped), corner brackets, geometric bullets set in prose (绿色"●"表示 read 绿色""表示), a
# caret between quotes ('"^"、".*"' read '""、".*"' by every look and margin, docs_173 of the 200-page build).
FAINT = "_\"'`*^\u300c\u300d\u300e\u300f\u25cf\u25aa\u25a0\u25e6\u25cb"
CONFUSED = str.maketrans({**{c: form for form, alike in CONFUSABLE.items() for c in alike}, **dict.fromkeys(FAINT)})
# Glyph pairs that draw one glyph when set tight, and what PP-OCR reads them as: "()" is a "0" (a serif face's
# "malloc()" read "malloc0" by whole line, word crop, and stretched crops alike), "/\\" a Greek capital lambda
# (read "A", U+2206 or U+2227). Each side made one form; no letter or digit becomes another.
# A dash beside the Han numeral one draws one long stroke: "Bison — 一个" is read "Bison ——个" by whole line,
# crops and the page's own detection alike (docs_73 of the 80-page build); a 一 away from a dash is compared.
# A backslash alone between quotes leans into the closing one: '"\\" 向后搜索' read '"”向后搜索' or '""向后搜索' by every
# look (a reused docs page in four multicrop samples of the 200-sample build); a backslash anywhere else is compared.
DRAWN_AS = {"()": "o", "/\\": "a", "\u03bb": "a", "\u2206": "a", "\u2227": "a", "-\u4e00": "-", "\u4e00-": "-",
            '"\\"': '""'}
PAIRS = re.compile("|".join(map(re.escape, DRAWN_AS)))
# A digit group's separator: PP-OCR reads a table figure's comma as a full stop ("375,495" as "375.495", measured on
# right docs tables); the engine copies figures from its text layer and never rewrites one, and a changed digit
# still reads otherwise.
SEPARATOR = re.compile(r"(?<=\d),(?=\d)")
# Accents PP-OCR's dictionary drops ("Loïc" read "Loic"): a letter's combining marks; the letter itself is compared.
MARKS = re.compile(r"[\u0300-\u036f]")
# A list item's bullet opening a line: PP-OCR drops a leading ● or • from a line crop (docs_53, docs_70 of the
# 80-page mutation build: right pages flagged for it alone); a bullet is no letter, and items stay lines.
BULLET = re.compile("^[\u00b7\u25cf\u25aa\u25a0\u25e6\u2023\u2219\u25cb]\\s*")
# A full stop touching a quote mark reads as part of the quote ('".*\\.cpio"' read '"*\\.cpio"', '“硬件识别”.' read
# '“硬件识别”': docs_48, docs_53 of the 80-page build, by every look): dropped with the `FAINT` mark it touches (a
# quote read as "*" keeps its full stop: '"/dev/".' read '*/dev/*.'). A comma too: on a scan, '"cd ./source;". 如下'
# was read '"cd./source;"，如下' by every look (multicrop_175 of the 200-sample build).
FAINT_DOT = re.compile(f"(?<=[{re.escape(FAINT)}])[.,]|[.,](?=[{re.escape(FAINT)}])")
# Chinese pauses and full stops it does not see beside Latin type: an enumeration comma after a Latin word or digit
# ("predepends、recommends、" read "predependsrecommends"), a full stop after a closing bracket ("provides)。" read
# "provides)", "invocation'”)。" read "invocation')"): every look and margin of docs_173 and multicrop_48 of the 200-sample
# builds. Only these marks beside these neighbours are dropped; a pause between Chinese characters is compared.
LATIN_PAUSE = re.compile(r"(?<=[a-z0-9])\u3001|(?<=\))\u3002")
# A footnote's mark, set small and raised ("via SSH¹", "¹ Debian system uses..."): PP-OCR reads it as a quote, as a
# digit or not at all (docs 15, 35, 62, 139 and 175 of the 200-page build, every look). A line reads as its target
# with its marks dropped too; the mark's code point is checked without a reader (`codepoints`), and a mark the
# target drops where the page prints one was never seen by this reader either (a quote is `FAINT`).
SUPERSCRIPT = re.compile("[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+")
# Marks a capture's blur and ink spread draw alike (measured: `reads_as`): "c" and "e"; a comma's tail blurred away
# ("preferences" file," read 'file.' on a photo, docs_47), a semicolon's ("6.91%；净利润" read "6.91%：净利润" on a scan
# by every look, docs_193 of the 200-page build).
CAPTURE_SLIPS = {frozenset("ce"), frozenset(",."), frozenset(";:")}
# Runs it reads one too few or too many of: thin strokes side by side ("ll" of a sans-serif "kill"), dots of an
# ellipsis ("......" read as "....."), a Chinese dash's two halves; each made one.
RUN = re.compile(r"([l.-])\1+")
TILTED = math.sin(math.radians(0.3))  # a page turned less than this is read by its boxes as they are
UNDER_READ = 0.25  # a detection read as fewer characters than this many per line height of its width is read again
SECOND_LOOKS = (0.5, 0.05)  # crop margins, in line heights, a misread line is read again with (the first: 0.15)
UNSURE = 0.7  # PP-OCR's confidence under which a detection may be no line the target dropped (`doubted`)
TEXTURE_CHARS = 2  # a detection this short that a reading doubts is a stroke read as text (`doubted`)
DRAWING_TALL = 2.5  # a detection this many median line heights tall or more may be a drawing (`drawing`)
DRAWING_SURE = 0.9  # ... unless both readings are at least this sure of it
PROBLEM_COST = 0.5  # what one line out of order, split or missing costs: one flags a docs sample (threshold 0.6)


ImageKey = tuple[bytes, tuple[int, int], str]


def _key(image: Image.Image) -> ImageKey:
    return image.tobytes(), image.size, image.mode


def _image(key: ImageKey) -> Image.Image:
    return Image.frombytes(key[2], key[1], key[0])


# A sample scored again with another target (`bench.mutate`) is not read again.
@functools.lru_cache(maxsize=4)
def _crops_cached(page: ImageKey, boxes: tuple[tuple[float, ...], ...]) -> list[DrawnText]:
    return ppocr.read_crops(_image(page), boxes)


def forget_readings() -> None:
    """Drop every reading kept for scoring a sample again (whole images and line crops)."""
    _crops_cached.cache_clear()
    _flattened.cache_clear()
    ppocr.forget_readings()


def read_texts(images: list[Image.Image]) -> list[list[DrawnText]]:
    """Every text line PP-OCR finds in each image, top to bottom."""
    return [r.texts for r in ppocr.read_many(images, READ_OPTIONS)]


def read_lines(images: list[Image.Image]) -> list[str]:
    """Every text line PP-OCR finds in the images, page after page, each top to bottom."""
    return [t.text for texts in read_texts(images) for t in texts]


def tokens(text: str) -> Counter:
    """The text's tokens with their counts: Latin-script words and single CJK characters."""
    return Counter(TOKEN.findall(unicodedata.normalize("NFKC", text)))


def token_f1(read: Counter, target: Counter) -> tuple[float, float, float]:
    """(precision, recall, F1) of the read tokens against the target's, counting repeats.

    Two empty bags agree perfectly; an empty reading of a non-empty target scores 0.
    """
    if not read and not target:
        return 1.0, 1.0, 1.0
    common = sum((read & target).values())
    precision = common / max(1, sum(read.values()))
    recall = common / max(1, sum(target.values()))
    return precision, recall, 2 * common / (sum(read.values()) + sum(target.values()))


def _squash_spaces(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def fold(text: str) -> str:
    """The text as line CERs compare it: NFKC, one space per run, look-alike punctuation folded, no
    whitespace next to CJK characters or punctuation, lower case."""
    return SPACE_BY_CJK.sub("", _squash_spaces(text).translate(FOLD)).lower()


def cer(read: str, truth: str) -> float:
    """Levenshtein distance over the truth's length, capped at 1 (an empty truth: 0 if nothing was read)."""
    return min(1.0, Levenshtein.distance(read, truth) / len(truth)) if truth else float(bool(read))


def line_cers(image: Image.Image, lines: list[str], boxes: list[list[float]]) -> list[dict[str, Any]]:
    """Each non-empty target line read alone from its box: the text read and its character error rate.

    Args:
        image: the sample's image.
        lines: the target's lines.
        boxes: one [left, top, right, bottom] per line, in image pixels.

    Returns:
        one {"target", "read", "cer", "cer_raw"} per non-empty line: "cer" compares the `fold`ed texts,
        "cer_raw" the texts with only whitespace runs squashed to one space.

    Raises:
        ValueError: a box has no area.
    """
    pairs = [(line, box) for line, box in zip(lines, boxes) if line.strip()]
    read = _crops_cached(_key(image), tuple(tuple(box) for _, box in pairs))
    out = []
    for (line, _), got in zip(pairs, read):
        truth, text = _squash_spaces(line), _squash_spaces(got.text)
        out.append({"target": truth, "read": text, "cer": cer(fold(text), fold(truth)), "cer_raw": cer(text, truth),
                    "line": " ".join(line.split())})  # its own code points: a footnote's ¹ is no 1 (`SUPERSCRIPT`)
    return out


def read(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Printed text: `score_text` with every line required to read back exactly."""
    return score_text(record, images, exact_lines=True)


def read_handwritten(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Handwriting: `score_text` without the exact-line requirement. PP-OCR misreads a few characters of most
    handwritten lines (CER about 5% on right pages), so requiring exact lines scored every page 0 and told the
    user nothing; the F1, order and line CERs are what the report shows per language."""
    return score_text(record, images, exact_lines=False)


def score_text(record: dict[str, Any], images: list[Image.Image], exact_lines: bool) -> Reading:
    """Score a plain-text sample: the lowest of the token F1 on the whole image, the reading-order and
    line-structure figure judged from PP-OCR's own detections (`layout`), and where line boxes exist the
    exact-line figure (`exact_lines`) or else 1 - the worst line CER. The worst line's CER is one reading of one
    crop with punctuation compared: a two-character line "符。" read "符" scored 0.5 and flagged a right page
    (docs_73 of the 80-page build), where the exact-line check reads every line in several looks and compares
    every letter, digit and CJK character; so with exact lines it is reported, not scored.

    Args:
        record: the sample's JSON record (target, meta, ...).
        images: its decoded images (line boxes are used only for a single image).

    Returns:
        the score and its figures: precision, recall, f1, the tokens missed, the order judgement, and
        with line boxes the micro CER over lines, the worst line's CER and what was read there.
    """
    target = record["target"]
    images, boxes = flat(record, images)
    found = [_read_under_read_again(texts, image) for texts, image in zip(read_texts(images), images)]
    read_tokens, target_tokens = tokens("\n".join(t.text for texts in found for t in texts)), tokens(target)
    precision, recall, f1 = token_f1(read_tokens, target_tokens)
    folded = [fold(line) for line in target.split("\n")]
    tilts = [skew(texts) for texts in found]
    order = judge(folded, [Placed(page, _level(t.quad, tilts[page]), fold(t.text), score=t.score)
                           for page, texts in enumerate(found) for t in texts])
    # a detection read again is a piece of no target line a detection of its own reads whole
    whole = set(order.pop("read_whole"))
    heights = [statistics.median(b[3] - b[1] for b in (_level(t.quad, tilt) for t in texts)) if texts else 0.0
               for texts, tilt in zip(found, tilts)]
    _look_again(order, [line for line in folded if line not in whole], images, tilts, heights)
    details: dict[str, Any] = {"f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4),
                               "missed": sorted((target_tokens - read_tokens).elements())[:SHOWN],
                               "layout": layout(order), "order": order}
    score = min(f1, details["layout"])
    lines = target.split("\n")
    if not boxes or len(images) != 1:
        return Reading(score, details)
    if len(boxes) != len(lines):
        details["lines"] = f"{len(boxes)} boxes for {len(lines)} target lines: lines not compared"
        return Reading(score, details)
    boxes = [_tilted(box, tilts[0]) for box in boxes]
    per_line = line_cers(images[0], lines, boxes)
    worst = max(per_line, key=lambda r: (len(fold(r["target"])) > 1, r["cer"]))
    chars = sum(len(r["target"]) for r in per_line)
    details.update(cer=round(sum(r["cer"] * len(r["target"]) for r in per_line) / chars, 4),
                   cer_raw=round(sum(r["cer_raw"] * len(r["target"]) for r in per_line) / chars, 4),
                   worst_line_cer=round(worst["cer"], 4), worst_line=worst)
    if not exact_lines:
        return Reading(min(score, 1.0 - worst["cer"]), details)
    meta = record_meta(record)
    misread = _misread(images[0], list(zip(per_line, [box for line, box in zip(lines, boxes) if line.strip()])),
                       bool(meta.get("capture")), found[0], tilts[0])
    drawn = _drawn(images[0], misread, meta)
    misread = [r for r, settled in drawn if not (settled and settled["cleared"])]
    exact = max(0.0, 1.0 - PROBLEM_COST * len(misread))
    details.update(lines_misread=len(misread), misread=misread[:4], exact=exact)
    if drawn:
        details["drawn"] = [{**r, **settled} for r, settled in drawn if settled][:4]
    return Reading(min(score, exact), details)


def flat(record: dict[str, Any], images: list[Image.Image]) -> tuple[list[Image.Image], list[list[float]] | None]:
    """The images and the line boxes (`meta["boxes"]`) to read: a single image whose recorded capture moved its
    text (a curled, turned or slanted photo, a scaled screenshot) taken back to the drawn image's grid
    (`renderers.capture.flatten`) with its boxes taken back too. A curl's box is widened by its sag (a 25 px line's
    box 126 px tall, holding three lines), which no crop margin undoes; the capture's blur, light and noise stay.
    The images and boxes as they are otherwise (or where the meta does not say the drawn image's size, `box`)."""
    meta = record_meta(record)
    boxes, recorded, drawn = meta.get("boxes"), meta.get("capture"), meta.get("box")
    if len(images) != 1 or not recorded or not drawn:
        return images, boxes
    params = capture.CaptureParams.from_dict(recorded)
    if not params.moves:
        return images, boxes
    image, flat_boxes = _flattened(_key(images[0]), json.dumps(recorded, sort_keys=True),
                                   (drawn[2] - drawn[0], drawn[3] - drawn[1]), tuple(map(tuple, boxes or ())))
    return [image], [list(box) for box in flat_boxes] if boxes else boxes


# A sample scored again with another target (`bench.mutate`) is not flattened again.
@functools.lru_cache(maxsize=2)
def _flattened(image: ImageKey, recorded: str, guess: tuple[float, float],
               boxes: tuple[tuple[float, ...], ...]) -> tuple[Image.Image, tuple[tuple[float, ...], ...]]:
    params = capture.CaptureParams.from_dict(json.loads(recorded))
    size = capture.clean_size(params, image[1], guess)
    return capture.flatten(_image(image), params, size), tuple(tuple(capture.unmap_box(b, params, size))
                                                                for b in boxes)


def skew(texts: list[DrawnText]) -> float:
    """The page's tilt in radians (y down), the median of its long detections' top edges: a scan or photo turns the
    page, and the axis-aligned boxes of a turned page's long lines overlap their neighbours (one line's box holds
    half the next), so rows would merge and crops would cut two lines."""
    angles = [math.atan2(t.quad[1][1] - t.quad[0][1], t.quad[1][0] - t.quad[0][0]) for t in texts
              if t.bbox[2] - t.bbox[0] > 4 * (t.bbox[3] - t.bbox[1])]
    return statistics.median(angles) if angles else 0.0


def _level(quad: Sequence[tuple[float, float]], angle: float) -> tuple[float, float, float, float]:
    """The box around a quad turned back by the page's tilt (about the origin: the same for every line of a page)."""
    c, s = math.cos(angle), math.sin(angle)
    xs, ys = [x * c + y * s for x, y in quad], [y * c - x * s for x, y in quad]
    return min(xs), min(ys), max(xs), max(ys)


def _unlevel(box: Sequence[float], angle: float) -> tuple[tuple[float, float], ...]:
    """The quad on the image of a box `_level` gave (its corners turned forward by the page's tilt)."""
    c, s = math.cos(angle), math.sin(angle)
    corners = ((box[0], box[1]), (box[2], box[1]), (box[2], box[3]), (box[0], box[3]))
    return tuple((x * c - y * s, x * s + y * c) for x, y in corners)


def _tilted(box: Sequence[float], angle: float) -> Sequence[Any]:
    """A line's axis-aligned box (an engine's, around its line turned by a capture) as the quad of the line itself,
    turned by the page's tilt: the crop then holds the line and not halves of its neighbours. The box unchanged on
    a level page, where the tilt does not fit the box, or when it is a quad already (a scene's eight numbers)."""
    c, s = math.cos(abs(angle)), math.sin(abs(angle))
    if len(box) != 4 or s < TILTED or c * c - s * s <= 0:
        return box
    width, height = box[2] - box[0], box[3] - box[1]
    length, thick = (width * c - height * s) / (c * c - s * s), (height * c - width * s) / (c * c - s * s)
    if thick <= 0 or length <= 0:
        return box
    centre = np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])
    u = np.array([math.cos(angle), math.sin(angle)]) * length / 2
    v = np.array([-math.sin(angle), math.cos(angle)]) * thick / 2
    return tuple(tuple(float(x) for x in p) for p in (centre - u - v, centre + u - v, centre + u + v, centre - u + v))


def _read_under_read_again(texts: list[DrawnText], image: Image.Image) -> list[DrawnText]:
    """The detections, each read far too short for its box read again alone from its box (a slice's mixed
    Chinese and English line with wide gaps, 887 px wide, whole-image read as "←("): the order judge must see
    what the line says, not the reading's slip."""
    thin = [i for i, t in enumerate(texts)
            if len(t.text) < UNDER_READ * (t.bbox[2] - t.bbox[0]) / max(1.0, t.bbox[3] - t.bbox[1])]
    if not thin:
        return texts
    again = ppocr.read_crops(image, [texts[i].quad for i in thin], pad=SECOND_LOOKS[0])
    out = list(texts)
    for i, got in zip(thin, again):
        if len(got.text) > len(texts[i].text):
            out[i] = DrawnText(got.text, texts[i].quad, got.score, texts[i].page)
    return out


def _look_again(order: dict[str, Any], lines: list[str], images: list[Image.Image], tilts: list[float],
                heights: Sequence[float] = ()) -> None:
    """Read each detected line no target line accounts for again, alone from its box: a whole-page reading
    garbles a line now and then ("he~ 1i~ q les" for '"~/.bashrc" files.'), and a line the target dropped still
    reads as itself. Those the second reading finds in the target are no longer counted (`order` is updated), nor
    are those PP-OCR doubts (`doubted`, with one garbled detection forgiven for each target line left unplaced), nor
    a `drawing` (`heights`: each page's median detection height)."""
    if not order["unmatched_found"]:
        return
    again = [t for page, box in order["unmatched_boxes"]
             for t in ppocr.read_crops(images[page], [_unlevel(box, tilts[page])], pad=SECOND_LOOKS[0])]
    left = list(order["unmatched_lines"])  # each accounts for one detected line (a page may print a line twice)
    seen = [blind(line) for line in lines]
    doubts: list[tuple[str, tuple[float, float]]] = []
    for got, first, sure, (page, box) in zip(again, order["unmatched_texts"], order["unmatched_scores"],
                                             order["unmatched_boxes"]):
        text = fold(got.text)
        same = next((line for line in left if fuzz.ratio(text, line) >= WHOLE), None)
        if same is not None:
            left.remove(same)
        # a second reading that says far less than the first ("t   s" for a whole line) settles nothing
        says = len(text.replace(" ", "")) >= min(2, len(first)) and 2 * len(text) >= len(blind(first))
        if says and (same is not None or accounted(text, lines) or any(blind(text) in b for b in seen)):
            order["unmatched_found"] -= 1
        elif len(first) < MIN_CHARS and not short(text):  # a short detection that reads as nothing alone is no line
            order["unmatched_found"] -= 1
        elif heights and drawing(box, heights[page], (sure, got.score)):
            order["unmatched_found"] -= 1
        else:
            doubts.append((first, (sure, got.score)))
    order["unmatched_found"] -= sum(doubted(doubts, len(left)))
    order["looked_again"] = [t.text for t in again[:4]]


def drawing(box: Sequence[float], height: float, scores: Sequence[float]) -> bool:
    """Whether a detection no target line accounts for is a drawing's strokes read as text: `DRAWING_TALL` times the
    page's median detection height or more, and doubted by either reading (under `DRAWING_SURE`). A figure's chart
    was detected as 88 to 140 px "lines" on pages of 30 px lines and read "iiillm", "iulul", "山ıllıu" at 0.53 to
    0.80 (docs_144, docs_148 of the 200-page build: right pages flagged for it alone); a line the target dropped is
    of the page's own size, and a heading twice as tall reads sure."""
    return box[3] - box[1] >= DRAWING_TALL * height > 0 and min(scores) < DRAWING_SURE


def doubted(detections: Sequence[tuple[str, Sequence[float]]], unplaced: int) -> list[bool]:
    """Which detections that no target line accounts for (each its text and its readings' confidences: the
    whole image's, then its crop's) are no line the target dropped, by how far PP-OCR doubts them. The one rule
    of the text, scene and fine-grained readers (`_look_again`, `pipelines.readers.scene.unaccounted`):

    - `TEXTURE_CHARS` characters or fewer that either reading scores under `UNSURE`: a stroke of the photo or
      page read as text (a seed head read "K", then nothing), never a line;
    - any other that both readings score under `UNSURE`: a right line garbled ("dtng g eng cs s aess" at 0.47 to
      0.59, where a line the target dropped reads at 0.9 and more), forgiven once for each of the `unplaced`
      target lines no detection accounts for (a line dropped from the target and garbled too is one such
      detection more than there are unplaced lines).
    """
    out = []
    for text, scores in detections:
        texture = len(text.strip()) <= TEXTURE_CHARS and min(scores) < UNSURE
        garbled = not texture and max(scores) < UNSURE and unplaced > 0
        unplaced -= garbled
        out.append(texture or garbled)
    return out


def _misread(image: Image.Image, lines: list[tuple[dict[str, Any], Sequence[Any]]], captured: bool = False,
             found: Sequence[DrawnText] = (), tilt: float = 0.0) -> list[tuple[dict[str, Any], Sequence[Any]]]:
    """The lines (`line_cers` records with their boxes) that read back other than their target (`reads_as`) in
    every look, with their boxes: the first reading, the page's own detections inside the line's box (`pieces`: read
    with the whole image, which the reader has already), then crops with each of `SECOND_LOOKS`' margins."""
    suspects = [(r, box) for r, box in lines
                if len(blind(r["target"])) > 1 and not reads_as(r["read"], r["line"], captured)
                and not reads_as(pieces(found, box, tilt), r["line"], captured)]
    for pad in SECOND_LOOKS:
        if not suspects:
            break
        again = ppocr.read_crops(image, [box for _, box in suspects], pad=pad)
        suspects = [(r, box) for (r, box), got in zip(suspects, again) if not reads_as(got.text, r["line"], captured)]
    return suspects


def _drawn(image: Image.Image, misread: list[tuple[dict[str, Any], Sequence[Any]]],
           meta: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Each line misread in every look with the drawing's opinion of its disputed spans (`arbiter.settled`: the
    target and the first reading drawn in the page's faces and matched with its crop), None where it has none."""
    return [(r, arbiter.settled(image, box, r["target"], r["read"], meta, _same)) for r, box in misread]


def _same(a: str, b: str) -> bool:
    """Whether two spans of a line are what the exact-line check cannot tell apart."""
    return blind(a) == blind(b)


def pieces(found: Sequence[DrawnText], box: Sequence[Any], tilt: float) -> str:
    """What the whole-image reading says inside a line's box (an engine's box, or the quad `_tilted` made of it):
    the detections whose centre lies in it, left to right, one space apart. The detector cuts a table row at its
    cells, so a cell rule that a row's crop holds is outside every piece: a row's crop read the rule beside
    "-4.20" as part of the minus ("8,282.804.20") or as "☑", and dropped a "、" or a full stop beside a quote,
    where the page's own detections read each exactly (docs_43, 53, 62, 67 of the 80-page build). A detection
    that is not the line's adds text, so a look can only clear a line that reads as its target."""
    corners = _unlevel(box, 0.0) if isinstance(box[0], (int, float)) else box
    left, top, right, bottom = _level(corners, tilt)
    inside = []
    for t in found:
        x0, y0, x1, y1 = _level(t.quad, tilt)
        if left <= (x0 + x1) / 2 <= right and top <= (y0 + y1) / 2 <= bottom:
            inside.append((x0, t.text))
    return " ".join(text for _, text in sorted(inside))


def reads_as(read: str, target: str, captured: bool) -> bool:
    """Whether a line's reading says its target, as far as PP-OCR can tell: the same once `blind`, or, on a captured
    image (`meta["capture"]`: blur, ink spread, noise), but for one letter or mark that capture makes another
    (`CAPTURE_SLIPS`; "setcd" read as "seted" on a scan, a comma as a full stop). One slip a line, never on clean
    type: a target with one letter changed to its slip partner passes only on a captured image. A footnote's raised
    mark may go unread (`SUPERSCRIPT`)."""
    got, want = blind(read), blind(target)
    if got == want or (SUPERSCRIPT.search(target) and got == blind(SUPERSCRIPT.sub("", target))):
        return True
    ops = Levenshtein.editops(got, want) if captured else []
    return (len(ops) == 1 and ops[0].tag == "replace"
            and frozenset((got[ops[0].src_pos], want[ops[0].dest_pos])) in CAPTURE_SLIPS)


def blind(text: str) -> str:
    """The line as the exact-line check compares it: `fold`ed, and also what PP-OCR's line reading cannot settle made
    one: `CONFUSABLE` (l/i/1/I/|, o/0, $/S, Chinese and Western full stop, comma and brackets), glyph pairs set tight
    that draw one glyph (`DRAWN_AS`: "()" a zero, "/\\" a lambda, a dash and 一 one stroke), a digit group's comma a
    full stop (`SEPARATOR`), accents dropped (`MARKS`), a leading list `BULLET` dropped, `FAINT` marks dropped (`_`,
    quotes, `*`, `^`) and a full stop or comma touching a quote with them (`FAINT_DOT`), a Chinese pause after a Latin
    word and a full stop after a bracket dropped (`LATIN_PAUSE`), a `RUN` of thin strokes, dots or dashes
    made one, and every space dropped (it reads a table row's cell gaps and the space by Chinese text as none).
    Measured on right docs and doc_slices targets, clean and captured. No other letter, digit or CJK character is
    folded, so a changed one still reads back otherwise; code points are checked without a reader (`codepoints`), and
    a line split into words is the layout figure's to catch."""
    text = LATIN_PAUSE.sub("", fold(text).strip())
    text = MARKS.sub("", unicodedata.normalize("NFD", SEPARATOR.sub(".", BULLET.sub("", text))))
    text = FAINT_DOT.sub("", re.sub(r"\s+", "", text))  # '. "' read '."': a full stop touches a quote either way
    return RUN.sub(r"\1", PAIRS.sub(lambda m: DRAWN_AS[m.group()], text).translate(CONFUSED))


def layout(order: dict[str, Any]) -> float:
    """The order and line-structure figure: 1 less PROBLEM_COST for each judged pair of consecutive target
    lines out of the image's order (a visual line split over target lines counts), and for each detected
    line no target line accounts for. Counted, not shared out: one interleaved run or one dropped line
    in a page of a hundred lines is as wrong as in a page of three."""
    problems = order["pairs"] - order["in_order"] + order["unmatched_found"]
    return round(max(0.0, 1.0 - PROBLEM_COST * problems), 4)
