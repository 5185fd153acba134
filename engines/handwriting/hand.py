"""A writer: one hand's habits (pen font, size, slant, nib, wobble, baseline drift) and the pen paths of its lines.

Why a hand is drawn once per sample and then bent per character: a page by one person has one slant and one
size, but no two of its letters are identical. So `draw_hand` fixes the habits, and `write_line` gives every
character its own small affine (size, rotation, shear around the hand's slant), a smooth wobble of its points,
and a baseline that drifts along the line; the pen (`renderers.pen`) draws the result with a width that swells
and tapers along each stroke. Latin text is written with a single-stroke font of `hersheytext`, Chinese with the
Make Me a Hanzi medians of `hanzi-writer-data` (a Chinese hand writes the Latin words of its text with its Latin
pen font). A character with no stroke data is never written: `drawable` says which text a hand can write, and
the engine only chooses such text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from renderers import pen

# Single-stroke faces that read as handwriting once bent (the block-letter Sans as a printing hand); the Gothic,
# serif and technical faces are left out: nobody writes like that.
LATIN_FONTS = ("HersheyScript1", "HersheyScriptMed", "EMSAllure", "EMSElfin", "EMSFelix", "EMSNixish",
               "EMSNixishItalic", "HersheySans1")
INKS = ((20, 24, 30), (18, 32, 110), (12, 40, 140), (40, 40, 48), (90, 20, 20))  # black, blue-black, blue, pencil, red-brown
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
STEP = 0.035  # ems between points after densifying, so a wobble bends long straight strokes too


@dataclass(frozen=True)
class Hand:
    """One writer's habits for a whole sample; JSON-safe via `dataclasses.asdict`.

    Attributes:
        lang: "en" or "zh" (a Chinese hand writes curly quotes as full-width marks).
        font: the pen font of Latin letters (one of `LATIN_FONTS`).
        size: the em in pixels.
        slant: shear of every character (x moves by -slant * y; > 0 leans right).
        nib: pen width in pixels.
        jitter: strength of per-character distortion (0 = the font as designed).
        drift: baseline drift amplitude in pixels.
        spacing: extra space after each character, in ems.
        ink: the ink colour.
    """

    lang: str
    font: str
    size: float
    slant: float
    nib: float
    jitter: float
    drift: float
    spacing: float
    ink: tuple[int, int, int]


def draw_hand(rng: np.random.Generator, lang: str, size: tuple[float, float]) -> Hand:
    """A random writer of `lang` whose em lies in `size` (pixels, low and high)."""
    em = float(rng.uniform(*size))
    font = LATIN_FONTS[int(rng.integers(len(LATIN_FONTS)))]
    return Hand(lang=lang, font=font, size=round(em, 2), slant=round(float(rng.normal(0.12, 0.1)), 3),
                nib=round(float(em * rng.uniform(0.045, 0.085)), 2), jitter=round(float(rng.uniform(0.4, 1.0)), 3),
                drift=round(float(em * rng.uniform(0.02, 0.12)), 2), spacing=round(float(rng.uniform(-0.02, 0.06)), 3),
                ink=INKS[int(rng.integers(len(INKS)))])


def _densify(stroke: np.ndarray) -> np.ndarray:
    if len(stroke) < 2:
        return stroke
    out = [stroke[:1]]
    for a, b in zip(stroke[:-1], stroke[1:]):
        n = max(1, int(math.ceil(float(np.hypot(*(b - a))) / STEP)))
        out.append(a + (b - a) * (np.arange(1, n + 1, dtype=np.float32)[:, None] / n))
    return np.concatenate(out)


def glyph(hand: Hand, char: str) -> pen.Glyph | None:
    """The pen glyph `hand` writes `char` with, or None when it has none (an empty glyph counts as none)."""
    cjk = CJK.match(char) or (hand.lang == "zh" and char in pen.CJK_PUNCT)
    g = pen.hanzi_glyph(char) if cjk else pen.hershey_font(hand.font).get(char)
    if g is None or (not g.strokes and char != " "):
        return None
    return g


def drawable(hand: Hand, text: str) -> bool:
    """Whether every character of `text` has stroke data for `hand`."""
    return all(glyph(hand, c) is not None for c in set(text))


def advance(hand: Hand, text: str) -> float:
    """The nominal width of `text` in pixels (before per-character jitter, which averages out)."""
    return sum((glyph(hand, c).advance + hand.spacing) * hand.size for c in text)


def write_line(hand: Hand, text: str, x: float, baseline: float, rng: np.random.Generator
               ) -> tuple[list[np.ndarray], list[np.ndarray], tuple[float, float, float, float]]:
    """The pen paths of one line written from (x, baseline).

    Returns:
        (strokes, widths, box): pixel polylines, the nib width at each of their points, and the ink's box
        (left, top, right, bottom) padded by the nib.
    """
    strokes: list[np.ndarray] = []
    widths: list[np.ndarray] = []
    phase, period = rng.uniform(0, 2 * math.pi), rng.uniform(6, 14) * hand.size
    tilt = rng.normal(0, 0.006)  # the whole line rises or falls a little
    x0 = x
    for char in text:
        g = glyph(hand, char)
        if g is None:
            raise ValueError(f"hand {hand.font} has no stroke data for {char!r}")
        j = hand.jitter
        sx, sy = 1 + rng.normal(0, 0.05 * j), 1 + rng.normal(0, 0.06 * j)
        rot = rng.normal(0, 0.04 * j)
        shear = hand.slant + rng.normal(0, 0.04 * j)
        m = np.array([[sx * math.cos(rot), -sy * math.sin(rot) - shear * sy],
                      [sx * math.sin(rot), sy * math.cos(rot)]], dtype=np.float32) * hand.size
        wob_f = rng.uniform(2, 5, 2)
        wob_p = rng.uniform(0, 2 * math.pi, 2)
        wob_a = 0.025 * j * hand.size
        base = baseline + hand.drift * math.sin(phase + (x - x0) / period * 2 * math.pi) + tilt * (x - x0)
        base += rng.normal(0, 0.02 * j * hand.size)
        for s in g.strokes:
            pts = _densify(s) @ m.T
            pts[:, 0] += wob_a * np.sin(wob_f[0] * pts[:, 1] / hand.size * 2 * math.pi + wob_p[0])
            pts[:, 1] += wob_a * np.sin(wob_f[1] * pts[:, 0] / hand.size * 2 * math.pi + wob_p[1])
            pts += np.float32([x, base])
            t = np.linspace(0, 1, len(pts), dtype=np.float32)
            press = 0.7 + 0.3 * np.sin(np.pi * t) if len(pts) > 2 else np.ones(len(pts), np.float32)
            widths.append(hand.nib * float(rng.uniform(0.85, 1.15)) * press)
            strokes.append(pts)
        x += (g.advance * sx + hand.spacing) * hand.size
    if strokes:
        allp = np.concatenate(strokes)
        pad = hand.nib
        box = (float(allp[:, 0].min() - pad), float(allp[:, 1].min() - pad), float(allp[:, 0].max() + pad),
               float(allp[:, 1].max() + pad))
    else:
        box = (x0, baseline - hand.size, x, baseline)
    return strokes, widths, box
