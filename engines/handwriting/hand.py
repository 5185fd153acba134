"""A writer: one hand's habits (pen font, size, slant, nib, wobble, baseline drift) and the pen paths of its lines.

Why a hand is drawn once per sample and then bent per character: a page by one person has one slant and one
size, but no two of its letters are identical. So `draw_hand` fixes the habits, and `write_lines` gives every
character its own small affine (size, rotation, shear around the hand's slant), a smooth wobble of its points,
and a baseline that drifts along the line; the pen (`renderers.pen`) draws the result with a width that swells
and tapers along each stroke. Latin text is written with a single-stroke font of `hersheytext`, Chinese with the
Make Me a Hanzi medians of `hanzi-writer-data` (a Chinese hand writes the Latin words of its text with its Latin
pen font). A character with no stroke data is never written: `drawable` says which text a hand can write, and
the engine only chooses such text.

Font hands write with a handwriting face, each glyph stamped with its own scale, rotation and baseline offset
(`write_lines` returns those stamps beside the strokes), so even a font hand's letters are not identical. English:
a quarter of the hands, Debian's handwriting fonts (dkg, Breip, Steve Hand), the floor, for variety. Chinese
(`FONT_SHARE`, `FONT_WEIGHTS`, `CURSIVE_SHARE`): 45% quick pen, 15% neat pen, 30% Ma Shan Zheng, 10% WenKai. Most
handwritten Chinese that gets read is a quick pen hand: strokes joined where the pen does not lift, stopped short,
bent, the characters uneven in size and slant on a wandering baseline. A quick hand writes the medians so
(`pen.cursive_strokes`, each character in one of `VARIANTS` forms per style) and its page must read back
(`gate`). The medians written as drawn are one neat writer's thin, even strokes; Ma Shan Zheng is a brush Kai hand
of Google Fonts (from Fontsource: `faces`), LXGW WenKai a printed Kai face, the floor. Three of Google Fonts'
Chinese handwriting faces are left out because their pages would not show their targets: each draws simplified
code points in traditional forms.
Long Cang (a quick pen hand) writes 时 as 時, 装 as 裝, 输 as 輸, 损 as 損, 单 as 單 (seen in a grid of 594 common
characters; PP-OCR reads most of them as the simplified character, so no reader catches them); Zhi Mang Xing (a
running brush hand) 则 as 則, 损 as 損, and PP-OCR misread 112 of the engine's 1,180 prose characters drawn clean
(Long Cang 35, Ma Shan Zheng 7); Liu Jian Mao Cao (grass script) 会 as 會, 点 as 點, and 10 of 55 characters misread.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from dataclasses import dataclass

import cv2
import numpy as np
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

from engines.handwriting import faces
from renderers import pen

# Single-stroke faces that read as handwriting once bent (the block-letter Sans as a printing hand); the Gothic,
# serif, technical and typewriter (Nixish) faces are left out (nobody writes like that), and Elfin, whose s is a long s.
LATIN_FONTS = ("HersheyScript1", "HersheyScriptMed", "EMSAllure", "EMSFelix", "HersheySans1")
FONT_DIR = "/usr/share/fonts/truetype"
# Debian fonts-dkg-handwriting, fonts-breip, fonts-sjfonts, fonts-lxgw-wenkai (files under FONT_DIR), and the
# Fontsource faces (`faces.PREFIX`). Left out: sjfonts' Delphine (its f reads as A), fonts-femkeklaver (its capitals
# are hollow outlines that do not read as letters), Long Cang, Zhi Mang Xing and Liu Jian Mao Cao (see above).
FONT_HANDS = {
    "en": ("fifthhorseman/dkg.ttf", "fifthhorseman/dkgIt.ttf", "breip/Breip.ttf", "sjfonts/SteveHand.ttf",
           "lxgw-wenkai/LXGWWenKai-Regular.ttf"),
    "zh": ("@fontsource/ma-shan-zheng", "lxgw-wenkai/LXGWWenKai-Regular.ttf"),
}
FONT_SHARE = {"en": 0.25, "zh": 0.4}  # of hands that write with a font instead of a pen
FONT_WEIGHTS = {"zh": (0.75, 0.25)}  # a font hand's chances among its language's (else all alike)
CURSIVE_SHARE = 0.75  # of Chinese pen hands that write quickly (`pen.Cursive`), the others neatly
# A quick hand's styles, `Hand.cursive` 1-3 (0 = the medians as drawn): ever longer reaches, shorter strokes, more bend
CURSIVE = (None, pen.Cursive(0.3, 0.08, 0.015), pen.Cursive(0.4, 0.12, 0.025), pen.Cursive(0.5, 0.15, 0.03))
QUICK_WOBBLE = 0.4  # a quick hand's wobble, as a share of a neat one's: a fast pen's line is smooth (its strokes bend)
VARIANTS = 4  # forms of each character a quick hand keeps (each its own trims, bends and joins), one drawn per use
# black, blue-black, blue, pencil, red-brown
INKS = ((20, 24, 30), (18, 32, 110), (12, 40, 140), (40, 40, 48), (90, 20, 20))
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
HANZI = "hanzi"  # `_source` of Chinese characters and full-width marks
# The narrowest word space of a font hand, in ems (the Hershey pen fonts space 0.38 em, with gaps between letters).
# Ma Shan Zheng spaces 0.21 em and its brush strokes reach past their advance: "ABRT PID" looked like "ABRTPID"
# while the target kept the space; at 0.5 em its word gap is 0.43 em of blank on average, 0.25 em at the least.
WORD_GAP = 0.5
STEP = 0.08  # ems between points after densifying, so a wobble (2-5 waves an em) bends long straight strokes too
# The side bearing, in ems, of a pen font's digit or mark set closer than its font sets it: the Hershey and EMS
# faces give digits a fixed width (Hershey Script's 1 is a quarter of its 0.66 em) and EMS Felix a comma 0.40 em
# for 0.08 of ink, so "18, 2024" was written "1 8 , 2 0 2 4", digits as far apart as words.
TIGHT = 0.08


@dataclass(frozen=True)
class Hand:
    """One writer's habits for a whole sample; JSON-safe via `dataclasses.asdict`.

    Attributes:
        lang: "en" or "zh" (a Chinese hand writes curly quotes as full-width marks).
        font: the pen font of Latin letters (one of `LATIN_FONTS`), or for a font hand the font file (`FONT_HANDS`).
        pen: True for a pen hand, False for a font hand.
        size: the em in pixels.
        slant: shear of every character (x moves by -slant * y; > 0 leans right).
        nib: pen width in pixels.
        jitter: strength of per-character distortion (0 = the font as designed).
        drift: baseline drift amplitude in pixels.
        spacing: extra space after each character, in ems.
        ink: the ink colour.
        cursive: how quickly a pen hand writes Chinese: 0 = each stroke as the medians draw it, 1-3 = `CURSIVE`.
    """

    lang: str
    font: str
    pen: bool
    size: float
    slant: float
    nib: float
    jitter: float
    drift: float
    spacing: float
    ink: tuple[int, int, int]
    cursive: int = 0


def draw_hand(rng: np.random.Generator, lang: str, size: tuple[float, float]) -> Hand:
    """A random writer of `lang` whose em lies in `size` (pixels, low and high)."""
    em = float(rng.uniform(*size))
    u = float(rng.random())
    use_pen = u >= FONT_SHARE[lang]
    quick = lang == "zh" and use_pen and u < FONT_SHARE[lang] + CURSIVE_SHARE * (1 - FONT_SHARE[lang])
    fonts = LATIN_FONTS if use_pen else FONT_HANDS[lang]
    weights = None if use_pen else FONT_WEIGHTS.get(lang)
    font = fonts[int(rng.choice(len(fonts), p=weights)) if weights else int(rng.integers(len(fonts)))]
    hand = Hand(lang=lang, font=font, pen=use_pen, size=round(em, 2), slant=round(float(rng.normal(0.12, 0.1)), 3),
                nib=round(float(em * rng.uniform(0.035, 0.06)), 2), jitter=round(float(rng.uniform(0.4, 1.0)), 3),
                drift=round(float(em * rng.uniform(0.02, 0.12)), 2), spacing=round(float(rng.uniform(-0.02, 0.06)), 3),
                ink=INKS[int(rng.integers(len(INKS)))])
    if not quick:
        return hand
    # a quick hand: its style, and more of every habit (size and slant from character to character, a wandering
    # baseline), its characters a little closer together
    return dataclasses.replace(hand, cursive=int(rng.integers(1, len(CURSIVE))), jitter=round(hand.jitter * 1.2, 3),
                               drift=round(hand.drift * 1.5, 2), spacing=round(hand.spacing - 0.03, 3))


def _densify(strokes: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """The strokes with points added so that none is more than `STEP` from the next (their corners all kept).

    All strokes of a glyph in one pass (a Chinese character has a dozen; per stroke, numpy's call overhead was
    most of a glyph's first use), the same points a stroke-by-stroke pass gives."""
    if not strokes:
        return strokes
    flat = np.concatenate(strokes)
    lens = np.array([len(st) for st in strokes])
    seg = np.diff(flat, axis=0)
    n = np.maximum(1, np.ceil(np.hypot(seg[:, 0], seg[:, 1]) / STEP).astype(int))
    n[np.cumsum(lens)[:-1] - 1] = 0  # no points between one stroke's end and the next one's start
    which = np.repeat(np.arange(len(seg)), n)
    frac = (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n) + 1) / np.repeat(np.maximum(n, 1), n)
    added = flat[which] + seg[which] * frac[:, None].astype(np.float32)
    # each stroke: its first point, then the points added along its segments
    first = np.cumsum(lens) - lens
    per = np.bincount(np.repeat(np.arange(len(lens)), lens)[:-1], n, len(lens)).astype(int)
    heads = np.cumsum(per) - per
    return tuple(np.concatenate([flat[f:f + 1], added[a:a + k]]) for f, a, k in zip(first, heads, per))


def _source(font: str, lang: str, char: str) -> str:
    """Where a hand's `char` is written from: `HANZI` (Make Me a Hanzi, or `pen.CJK_PUNCT`) or its Latin pen font.

    Glyphs are cached by this and the character, so that a Chinese character is read and densified once, not once
    for each of the Latin fonts a Chinese hand may write with."""
    return HANZI if CJK.match(char) or (lang == "zh" and char in pen.CJK_PUNCT) else font


@dataclass(frozen=True, eq=False)
class PenGlyph:
    """A character as a pen hand writes it: its densified strokes' points one after another (float32, (n, 2), em
    units) and each stroke's number of points (a line joins its characters' points, not its hundreds of strokes
    one by one), its advance in ems, and the nib's share at each point (float64: a neat stroke swells mid-stroke and
    tapers at its ends; a quick one is thin where the pen moves fast, `pen.cursive_strokes`)."""

    points: np.ndarray
    lengths: np.ndarray
    advance: float
    weights: np.ndarray


def _swell(lengths: np.ndarray) -> np.ndarray:
    """A neat pen's pressure along each stroke of `lengths` points: 0.7 at the ends, 1 mid-stroke (1 throughout a
    stroke of one or two points)."""
    stroke = np.repeat(np.arange(len(lengths)), lengths)
    t = (np.arange(int(lengths.sum())) - (np.cumsum(lengths) - lengths)[stroke]) / np.maximum(1, lengths - 1)[stroke]
    return np.where(lengths[stroke] > 2, 0.7 + 0.3 * np.sin(np.pi * t), 1.0)


@functools.lru_cache(maxsize=16384)
def _pen_glyph(source: str, char: str) -> PenGlyph | None:
    """`char` as `source` writes it (see `_source`), densified: the one cache of pen glyphs, read and bent into
    shape once per process."""
    g = pen.hanzi_glyph(char) if source == HANZI else pen.hershey_font(source).get(char)
    if g is None or (not g.strokes and char != " "):
        return None
    strokes = _densify(g.strokes)
    points = np.concatenate(strokes or [np.zeros((0, 2), np.float32)])
    lengths = np.array([len(st) for st in strokes], dtype=np.int64)
    advance = g.advance
    if source != HANZI and len(points) and not char.isalpha():  # a digit or a mark, written as a hand spaces it
        left, right = float(points[:, 0].min()), float(points[:, 0].max())
        if right - left + 2 * TIGHT < advance:
            points = points + np.array([TIGHT - left, 0.0], np.float32)
            advance = right - left + 2 * TIGHT
    return PenGlyph(points, lengths, advance, _swell(lengths))


# 600 Chinese samples (274 quick pages, a shard's worth) keep 7444 forms, the last 100 samples building 7% of theirs
@functools.lru_cache(maxsize=16384)
def _cursive_glyph(char: str, cursive: int, variant: int) -> PenGlyph:
    """Form `variant` of the Chinese character `char` as a quick hand of style `cursive` writes it: its own trims,
    bends and joins, drawn from a generator seeded by the three (so a form is the same in every process), kept for
    every later use."""
    g = pen.hanzi_glyph(char)
    rng = np.random.default_rng([ord(char), cursive, variant])
    points, lengths, weights = pen.cursive_strokes(g.strokes, CURSIVE[cursive], rng)
    return PenGlyph(points.astype(np.float32), lengths, g.advance, weights)


@functools.cache
def _cmap(font: str) -> frozenset[str]:
    if faces.is_face(font):
        return frozenset(faces.index(font))
    return frozenset(chr(c) for c in TTFont(f"{FONT_DIR}/{font}", lazy=True).getBestCmap())


def _file(font: str, char: str) -> str:
    """The font file a font hand writes `char` from: a Fontsource face's subset that holds it, else `font`."""
    return faces.index(font)[char] if faces.is_face(font) else f"{FONT_DIR}/{font}"


@functools.lru_cache(maxsize=512)  # a Chinese page writes from a few dozen subset files of one face, at one size
def _ttf(path: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, px)


@functools.lru_cache(maxsize=65536)
def _font_advance(font: str, px: int, char: str) -> float:
    """The advance of `char` in pixels; a space at least `WORD_GAP` ems, so that words stay apart on the page."""
    width = _ttf(_file(font, char), px).getlength(char)
    return max(width, WORD_GAP * px) if char == " " else width


@functools.lru_cache(maxsize=32768)
def _font_glyph(font: str, px: int, char: str) -> tuple[np.ndarray, int, int, float, bool]:
    """A font character's ink (uint8 alpha), its offset from the pen position on the baseline, its advance, and
    whether it has any ink."""
    face = _ttf(_file(font, char), px)
    left, top, right, bottom = face.getbbox(char, anchor="ls")
    img = Image.new("L", (max(1, right - left + 2), max(1, bottom - top + 2)))
    ImageDraw.Draw(img).text((1 - left, 1 - top), char, font=face, fill=255, anchor="ls")
    ink = np.asarray(img)
    return ink, left - 1, top - 1, _font_advance(font, px, char), bool(ink.any())  # measured when wrapping


def glyph(hand: Hand, char: str) -> PenGlyph | None:
    """The pen glyph `hand` writes `char` with (densified, cached), or None when it has none (an empty one counts).

    A font hand has no pen glyphs; `drawable` and `advance` ask its font.
    """
    return _pen_glyph(_source(hand.font, hand.lang, char), char)


@functools.lru_cache(maxsize=65536)
def _has_strokes(font: str, lang: str, char: str) -> bool:
    """Whether `_pen_glyph` has strokes for `char`, known without reading a Chinese character's file."""
    if CJK.match(char) or (lang == "zh" and char in pen.CJK_PUNCT):
        return char in pen.hanzi_chars()
    g = pen.hershey_font(font).get(char)
    return g is not None and (bool(g.strokes) or char == " ")


def drawable(hand: Hand, text: str) -> bool:
    """Whether every character of `text` has stroke data (a pen hand) or a glyph (a font hand) for `hand`."""
    if not hand.pen:
        cmap = _cmap(hand.font)
        return all(c in cmap and (c == " " or c.isprintable()) for c in set(text))
    return all(_has_strokes(hand.font, hand.lang, c) for c in set(text))


@functools.lru_cache(maxsize=16)
def _widths(hand: Hand) -> dict[str, float]:
    return {}


def _width(hand: Hand, char: str) -> float:
    if not hand.pen:
        return _font_advance(hand.font, int(round(hand.size)), char) + hand.spacing * hand.size
    return (glyph(hand, char).advance + hand.spacing) * hand.size


def widths(hand: Hand, text: str) -> dict[str, float]:
    """Each character's width in pixels for `hand` (its own table, kept while the hand writes), holding every
    character of `text` when it returns: wrapping a page measures every word twice, and a dict lookup costs a
    fraction of a glyph's cached look-up and its arithmetic."""
    table = _widths(hand)
    for char in set(text).difference(table):
        table[char] = _width(hand, char)
    return table


def advance(hand: Hand, text: str, start: float = 0.0) -> float:
    """The nominal width of `text` in pixels (before per-character jitter, which averages out), added to `start`
    one character at a time: `advance(h, b, advance(h, a))` is exactly `advance(h, a + b)`, so a line being filled
    is measured by its new word alone."""
    return sum(map(widths(hand, text).__getitem__, text), start)


Stamp = tuple[np.ndarray, int, int]  # an ink patch and its top-left pixel


def _font_line(hand: Hand, text: str, x: float, baseline: float, rng: np.random.Generator
               ) -> tuple[list[Stamp], tuple[float, float, float, float]]:
    """A font hand's line: each glyph stamped with its own scale, rotation and offset from a drifting baseline."""
    px, j, em = int(round(hand.size)), hand.jitter, hand.size
    n = len(text)
    scale, rot = 1 + rng.normal(0, 0.05 * j, n), rng.normal(0, 3.0 * j, n) - math.degrees(hand.slant) * 0.3
    lift = rng.normal(0, 0.025 * j * em, n)
    phase, period = rng.uniform(0, 2 * math.pi), rng.uniform(6, 14) * em
    stamps: list[Stamp] = []
    x0, box = x, [math.inf, math.inf, -math.inf, -math.inf]
    for char, k, turn, up in zip(text, scale.tolist(), rot.tolist(), lift.tolist()):
        patch, dx, dy, adv, inked = _font_glyph(hand.font, px, char)
        if char != " " and inked:
            h, w = patch.shape
            m = cv2.getRotationMatrix2D((w / 2, h / 2), turn, k)
            m[:, 2] += (w * 0.2, h * 0.2)
            patch = cv2.warpAffine(patch, m, (int(w * 1.4) + 1, int(h * 1.4) + 1), flags=cv2.INTER_LINEAR)
            base = baseline + hand.drift * math.sin(phase + (x - x0) / period * 2 * math.pi) + up
            left, top = int(round(x + dx - w * 0.2)), int(round(base + dy - h * 0.2))
            stamps.append((patch, left, top))
            bx, by, bw, bh = cv2.boundingRect(patch)  # the turned glyph's ink
            if bw:
                box = [min(box[0], left + bx), min(box[1], top + by), max(box[2], left + bx + bw),
                       max(box[3], top + by + bh)]
        x += adv * k + hand.spacing * em
    if box[0] == math.inf:
        box = [x0, baseline - em, x, baseline]
    return stamps, (float(box[0]), float(box[1]), float(box[2]), float(box[3]))


Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class Written:
    """What a hand wrote on a page, as `renderers.pen` draws it: the pen polylines' points one after another
    (float32, (n, 2) pixels), the nib width at each, each polyline's number of points (`pen.draw_strokes`' flat
    form), the glyph stamps (a font hand's; a pen hand has none), and each line's ink box, padded by the nib."""

    points: np.ndarray
    widths: np.ndarray
    lengths: np.ndarray
    stamps: list[Stamp]
    boxes: list[Box]


@dataclass(frozen=True)
class _PenLine:
    """One pen line's draws (the character-wise habits of `write_lines`) and the glyphs it writes."""

    glyphs: list[PenGlyph]
    m: np.ndarray  # (n, 2, 2): each character's scale, rotation and shear, in pixels
    pen_x: np.ndarray  # (n + 1,): where each character starts, and where the line ends
    base: np.ndarray  # (n,): each character's baseline
    wobble: tuple[np.ndarray, np.ndarray]  # (n, 2) each: the frequency and phase of each character's wobble
    nibs: np.ndarray  # the nib of each stroke, as a share of the hand's
    x: float
    baseline: float


def _pen_line(hand: Hand, text: str, x: float, baseline: float, rng: np.random.Generator) -> _PenLine:
    """A pen line's draws, in the order they have always been drawn (a page's draws stay the same)."""
    glyphs = [glyph(hand, c) for c in text]
    if any(g is None for g in glyphs):
        raise ValueError(f"hand {hand.font} has no stroke data for some of {text!r}")
    n, j, em = len(text), hand.jitter, hand.size
    sx, sy = 1 + rng.normal(0, 0.05 * j, n), 1 + rng.normal(0, 0.06 * j, n)
    rot, shear = rng.normal(0, 0.04 * j, n), hand.slant + rng.normal(0, 0.04 * j, n)
    wob_f, wob_p = rng.uniform(2, 5, (n, 2)), rng.uniform(0, 2 * math.pi, (n, 2))
    lift = rng.normal(0, 0.02 * j * em, n)
    phase, period = rng.uniform(0, 2 * math.pi), rng.uniform(6, 14) * em
    tilt = rng.normal(0, 0.006)  # the whole line rises or falls a little
    if hand.cursive:  # each Chinese character in one of its quick forms (punctuation and Latin as they are)
        forms = rng.integers(VARIANTS, size=n).tolist()
        glyphs = [_cursive_glyph(c, hand.cursive, v) if c in pen.hanzi_chars() and c not in pen.CJK_PUNCT else g
                  for c, g, v in zip(text, glyphs, forms)]
    advances = np.array([g.advance for g in glyphs])
    pen_x = x + np.concatenate([[0.0], np.cumsum((advances * sx + hand.spacing) * em)])
    m = np.stack([np.stack([sx * np.cos(rot), -sy * np.sin(rot) - shear * sy], -1),
                  np.stack([sx * np.sin(rot), sy * np.cos(rot)], -1)], 1) * em  # (n, 2, 2)
    base = baseline + hand.drift * np.sin(phase + (pen_x[:-1] - x) / period * 2 * math.pi) + tilt * (pen_x[:-1] - x)
    base += lift
    strokes = sum(len(g.lengths) for g in glyphs)
    nibs = rng.uniform(0.85, 1.15, strokes) if strokes else np.zeros(0)
    return _PenLine(glyphs, m, pen_x, base, (wob_f, wob_p), nibs, x, baseline)


def write_lines(hand: Hand, lines: list[tuple[str, float, float]], rng: np.random.Generator) -> Written:
    """The pen paths (or, for a font hand, the glyph stamps) of lines, each `(text, x, baseline)` written from
    about (x, baseline): where a line starts moves a little (a hand does not keep a ruled margin).

    Each character gets its own scale, rotation and shear (around the hand's slant), a smooth wobble of its
    points and a baseline offset; the nib swells mid-stroke and tapers at the ends. Each line's habits are drawn
    in turn, then all lines' points are bent at once: one pass of numpy's arithmetic a page, not one a line.
    """
    empty = (np.zeros((0, 2), np.float32), np.zeros(0, np.float32), np.zeros(0, np.int64))
    if not hand.pen:
        stamps: list[Stamp] = []
        boxes: list[Box] = []
        for text, x, baseline in lines:
            st, box = _font_line(hand, text, x + float(rng.normal(0, hand.size * 0.1)), baseline, rng)
            stamps += st
            boxes.append(box)
        return Written(*empty, stamps, boxes)
    drawn = [_pen_line(hand, text, x + float(rng.normal(0, hand.size * 0.1)), baseline, rng)
             for text, x, baseline in lines]
    if not drawn:
        return Written(*empty, [], [])
    glyphs = [g for line in drawn for g in line.glyphs]
    j, em = hand.jitter, hand.size
    lens = np.concatenate([g.lengths for g in glyphs] or [np.zeros(0, np.int64)])
    per_char = np.array([len(g.points) for g in glyphs], dtype=np.int64)
    char = np.repeat(np.arange(len(glyphs)), per_char)  # each point's character, counted over the page
    p = np.concatenate([g.points for g in glyphs] or [np.zeros((0, 2), np.float32)])
    m = np.concatenate([line.m for line in drawn])
    wob_f, wob_p = (np.concatenate([line.wobble[k] for line in drawn]) for k in (0, 1))
    q = np.einsum("nij,nj->ni", m[char], p)
    wobble = 0.025 * j * em * (QUICK_WOBBLE if hand.cursive else 1.0)
    q[:, 0] += wobble * np.sin(wob_f[char, 0] * q[:, 1] / em * 2 * math.pi + wob_p[char, 0])
    q[:, 1] += wobble * np.sin(wob_f[char, 1] * q[:, 0] / em * 2 * math.pi + wob_p[char, 1])
    q[:, 0] += np.concatenate([line.pen_x[:-1] for line in drawn])[char]
    q[:, 1] += np.concatenate([line.base for line in drawn])[char]
    stroke = np.repeat(np.arange(len(lens)), lens)  # each point's stroke
    press = np.concatenate([g.weights for g in glyphs] or [np.zeros(0)])
    wid = hand.nib * np.concatenate([line.nibs for line in drawn])[stroke] * press
    # each line's box: the extremes of its points, padded by the nib
    ends = np.cumsum([sum(len(g.points) for g in line.glyphs) for line in drawn]).tolist()
    boxes = []
    for line, start, end in zip(drawn, [0] + ends[:-1], ends):
        if end == start:
            boxes.append((line.x, line.baseline - em, float(line.pen_x[-1]), line.baseline))
            continue
        low, high = q[start:end].min(axis=0), q[start:end].max(axis=0)
        pad = hand.nib
        boxes.append((float(low[0] - pad), float(low[1] - pad), float(high[0] + pad), float(high[1] + pad)))
    return Written(q.astype(np.float32), wid.astype(np.float32), lens, [], boxes)
