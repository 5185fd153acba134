"""One synthetic scene: words, lines and signs drawn INTO a real photo (SynthText / SynthTIGER-style), with quads.

What a scene is made of, in order: a crop of a checked background photo (`backgrounds`), a texture map of it
(`renderers.perspective.FlatMap`), then 1-5 text items, each a word, a line of words or a sign (a plate with 1-3
lines), in a face that has every glyph (`fonts`), placed on the flattest of a few candidate spots that fits inside
the image and shares no row of pixels with an earlier item (`_shares_rows`), turned along the spot's dominant
edge direction when it has one, keystoned a little, in a colour chosen against the pixels under it with a
contrast floor. Then the photo effects of a real
capture (`renderers.degrade`'s "photo" preset without its page geometry and paper: lighting, shadow, vignette,
blur, resolution loss, noise, JPEG). Every drawn line's quad is where its ink went; the target is the lines in
reading order (top to bottom: no two items share a row), one per target line.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from engines.base import SampleError, pick
from engines.scene import backgrounds, fonts, words
from renderers import degrade, perspective
from renderers.result import DrawnText, Quad, in_reading_order

KINDS = ("word", "line", "sign")
KIND_P = (0.4, 0.35, 0.25)
# Font size in pixels under which text is not drawn: photo effects keep Latin legible from 16 px; a Chinese
# character's strokes need more (at 20 px, blurred, PP-OCR and a person both miss two-character words).
MIN_SIZE = {"en": 20, "zh": 28}
FLAT = 7.0  # mean gradient (grey levels per pixel) a spot may have for bare text; a sign's plate covers up to 2x
CONTRAST = 4.5  # WCAG contrast floor of text against the mean of what it is drawn on
TRIES = 24  # candidate spots per item
MAX_ANGLE = 30.0  # degrees: a fitted orientation steeper than this is not followed
MAX_UPSCALE = 3.2  # a crop is enlarged at most this much: about the most a 16:9 photo at working size ever is


@dataclass(frozen=True)
class Line:
    """One drawn line: its text and its quad in the scene."""

    text: str
    quad: Quad


def _text(rng: np.random.Generator, lang: str, kind: str) -> list[str]:
    """The lines of one item."""
    if kind == "sign":
        rows = int(rng.integers(1, 4))
        return [words.chinese(rng, 8) if lang == "zh" else words.english(rng, int(rng.integers(1, 4)), 20)
                for _ in range(rows)]
    if lang == "zh":
        return [words.chinese(rng, 6 if kind == "word" else 12)]
    return [words.english(rng, 1 if kind == "word" else int(rng.integers(2, 6)), 16 if kind == "word" else 30)]


def _patch(lines: list[str], face: fonts.SceneFace, size: int, colour: tuple[int, int, int],
           plate: tuple[int, int, int] | None, outline: tuple[int, int, int] | None,
           ) -> tuple[Image.Image, list[tuple[float, float, float, float]]]:
    """An RGBA patch with the lines drawn centred, on a plate or bare, and each line's ink box in the patch."""
    font = fonts.pil_font(face, size)
    stroke = max(1, size // 18) if outline else 0
    boxes = [font.getbbox(line, stroke_width=stroke) for line in lines]
    pitch = round(size * 1.3)
    pad = round(size * (0.6 if plate else 0.3))
    width = int(max(b[2] - b[0] for b in boxes)) + 2 * pad
    height = pitch * (len(lines) - 1) + int(boxes[-1][3]) + 2 * pad
    patch = Image.new("RGBA", (width, height), (*plate, 255) if plate else (0, 0, 0, 0))
    draw = ImageDraw.Draw(patch)
    if plate:
        draw.rectangle([0, 0, width - 1, height - 1], outline=colour, width=max(1, size // 12))
    ink = []
    for k, (line, box) in enumerate(zip(lines, boxes)):
        x, y = (width - (box[2] - box[0])) / 2 - box[0], pad + k * pitch
        draw.text((x, y), line, font=font, fill=(*colour, 255), stroke_width=stroke,
                  stroke_fill=(*outline, 255) if outline else None)
        left, top, right, bottom = draw.textbbox((x, y), line, font=font, stroke_width=stroke)
        ink.append((float(left), float(top), float(right), float(bottom)))
    return patch, ink


def _crop(rng: np.random.Generator, photo: Image.Image) -> tuple[Image.Image, dict[str, Any]]:
    """A random crop of the background at 640-1024 px on its longer side, maybe mirrored.

    A small photo (OpenCV's samples are 512-900 px) is not enlarged more than `MAX_UPSCALE` times, the most a
    large one ever is: its scene is drawn smaller instead of as a smear of a few hundred pixels.
    """
    side, aspect = int(rng.integers(640, 1025)), float(rng.uniform(0.6, 1.7))
    out = (side, round(side / aspect)) if aspect >= 1 else (round(side * aspect), side)
    fill = float(rng.uniform(0.45, 1.0))  # share of the largest crop of that aspect the photo holds
    scale = min(photo.width / out[0], photo.height / out[1]) * fill
    cw, ch = out[0] * scale, out[1] * scale
    if out[0] > MAX_UPSCALE * cw:
        out = (round(MAX_UPSCALE * cw), round(MAX_UPSCALE * ch))
    left, top = float(rng.uniform(0, photo.width - cw)), float(rng.uniform(0, photo.height - ch))
    box = (left, top, left + cw, top + ch)
    image = photo.resize(out, Image.Resampling.BILINEAR, box=box)
    mirror = bool(rng.random() < 0.5)
    if mirror:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return image, {"crop": [round(v, 1) for v in box], "size": list(out), "mirror": mirror}


def _shares_rows(box: tuple[float, float, float, float], taken: list[tuple[float, float, float, float]]) -> bool:
    """Whether `box` shares a row of pixels with an item already placed.

    Two items side by side on one baseline read as one line to a person (and to PP-OCR's detector, which joins
    them) while the target wrote them as two: the order of such a scene is a guess. So every item keeps a band
    of rows of its own, and the target's top-to-bottom order is the only reading there is.
    """
    return any(box[1] < t[3] and t[1] < box[3] for t in taken)


def compose(rng: np.random.Generator, lang: str) -> tuple[Image.Image, list[Line], dict[str, Any]]:
    """Draw one scene in `lang` ("en" or "zh").

    Returns:
        (image, lines in reading order with their quads, JSON-safe meta of every choice).

    Raises:
        SampleError: "background_has_text" / "background_unreadable" (the drawn photo cannot serve), or
            "no_flat_region" (no item found a flat enough spot).
    """
    photos = backgrounds.installed()
    path = pick(rng, photos)
    background = backgrounds.load(path)
    image, crop_meta = _crop(rng, background.image)
    flat = perspective.FlatMap(image)
    canvas = np.array(image)
    faces = fonts.available(lang == "zh")
    n_items = int(rng.integers(1, 6))
    taken: list[tuple[float, float, float, float]] = []
    drawn: list[Line] = []
    items: list[dict[str, Any]] = []
    for _ in range(n_items):
        kind = str(rng.choice(KINDS, p=KIND_P))
        texts = [t for t in _text(rng, lang, kind) if t.strip()]
        usable = [f for f in faces if all(fonts.draws(f, t) for t in texts)]
        size = int(rng.integers(MIN_SIZE[lang], 72))
        u = rng.random(3)
        if not texts or not usable:
            continue
        face = usable[int(u[0] * len(usable))]
        widest = max(fonts.pil_font(face, size).getlength(t) for t in texts)
        size = min(size, int(size * 0.8 * image.width / max(widest, 1.0)), int(0.25 * image.height / len(texts)))
        if size < MIN_SIZE[lang]:
            continue
        font = fonts.pil_font(face, size)
        w = max(font.getlength(t) for t in texts) + size * (1.2 if kind == "sign" else 0.6)
        h = size * (1.3 * len(texts) + (1.2 if kind == "sign" else 0.6))
        best = None
        for cx, cy in rng.uniform(0, 1, (TRIES, 2)):
            centre = (w / 2 + cx * max(1.0, image.width - w), h / 2 + cy * max(1.0, image.height - h))
            box = (centre[0] - w / 2, centre[1] - h / 2, centre[0] + w / 2, centre[1] + h / 2)
            if _shares_rows(box, taken):
                continue
            texture = flat.texture(box)
            if best is None or texture < best[0]:
                best = (texture, centre, box)
        limit = FLAT * (2 if kind == "sign" else 1)
        if best is None or best[0] > limit:
            continue
        texture, centre, box = best
        fitted, coherence = flat.orientation(box)
        follow = coherence > 0.5 and abs(fitted) <= MAX_ANGLE
        angle = fitted if follow else float(np.clip(rng.normal(0, 4), -12, 12))
        keystone = rng.uniform(-0.06, 0.06, 8)
        plate = None
        if kind == "sign":
            plate_rgb = tuple(int(c) for c in rng.integers(0, 256, 3))
            under = (plate_rgb, perspective.luminance(plate_rgb), perspective.luminance(plate_rgb))
            colour = perspective.contrasting_colour(rng, under, CONTRAST)
            plate = plate_rgb
        else:
            colour = perspective.contrasting_colour(rng, perspective.region_colours(image, box), CONTRAST)
        if colour is None:
            continue
        outline = None
        if plate is None and u[1] < 0.2:  # an outline in the opposite lightness, as on posters and stickers
            outline = (0, 0, 0) if perspective.luminance(colour) > 0.4 else (255, 255, 255)
        patch, ink = _patch(texts, face, size, colour, plate, outline)
        matrix = perspective.fit_quad(patch.size, centre, angle, keystone)
        corners = perspective.map_points(matrix, [(0, 0), (patch.width, 0), (patch.width, patch.height),
                                                  (0, patch.height)])
        xs, ys = zip(*corners)
        outer = (min(xs), min(ys), max(xs), max(ys))
        if outer[0] < 2 or outer[1] < 2 or outer[2] > image.width - 2 or outer[3] > image.height - 2 \
                or _shares_rows(outer, taken):
            continue
        opacity = 1.0 if plate else float(0.9 + 0.1 * u[2])
        perspective.paste(canvas, patch, matrix, opacity)
        taken.append((outer[0] - 4, outer[1] - 4, outer[2] + 4, outer[3] + 4))
        for text, (left, top, right, bottom) in zip(texts, ink):
            quad = perspective.map_points(matrix, [(left, top), (right, top), (right, bottom), (left, bottom)])
            drawn.append(Line(text, tuple(quad)))  # type: ignore[arg-type]
        items.append({"kind": kind, "lines": len(texts), "face": face.path.rsplit("/", 1)[-1], "size": size,
                      "colour": list(colour), "plate": list(plate) if plate else None, "outline": outline is not None,
                      "angle": round(angle, 2), "fitted": follow, "texture": round(texture, 2),
                      "opacity": round(opacity, 3)})
    if not drawn:
        raise SampleError("no_flat_region", f"{background.name}: no spot flat enough for text")
    params = degrade.draw_params(rng, "photo")
    params = dataclasses.replace(params, ink=0.0, paper=(255, 255, 255), grain=0.0, rotate=0.0,
                                 corners=(0.0,) * 8)
    shot = degrade.apply(Image.fromarray(canvas), params, [DrawnText(t.text, t.quad) for t in drawn])
    lines = in_reading_order([Line(t.text, t.quad) for t in shot.texts], lambda t: t.quad)
    meta = {"lang": lang, "background": background.name, **crop_meta, "items": items,
            "degrade": dataclasses.asdict(params)}
    return shot.image, lines, meta


def round_quad(quad: Quad) -> list[list[float]]:
    """A quad as JSON: four [x, y] corners, to 0.1 px."""
    return [[round(x, 1), round(y, 1)] for x, y in quad]


def inside(quad: Quad, size: tuple[int, int]) -> bool:
    """Whether every corner lies inside an image of `size`."""
    return all(0 <= x <= size[0] and 0 <= y <= size[1] for x, y in quad) and not any(
        math.isnan(v) for p in quad for v in p)
