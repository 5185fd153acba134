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

import colorsys
import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from engines.base import SampleError, pick
from engines.scene import backgrounds, fonts, shops, words
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
SHOP_SHARE = 0.25  # of scenes that are a shop front: a signboard on a wall of a photo of a building (`shops`)
MAX_SIGN = 150  # px: the largest font size of a shop's name
SHOP_FILL = (0.3, 0.7)  # a shop front's crop: a street's signs are small in a whole photo
SIGN_MARGIN = 0.3  # a signboard's margin around its text, in font sizes (its frame adds to it)


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
           plate: tuple[int, int, int] | None, outline: tuple[int, int, int] | None, margin: float | None = None,
           ) -> tuple[Image.Image, list[tuple[float, float, float, float]]]:
    """An RGBA patch with the lines drawn centred, on a plate or bare, and each line's ink box in the patch;
    `margin` around the text in font sizes (default 0.6 on a plate, 0.3 bare)."""
    font = fonts.pil_font(face, size)
    stroke = max(1, size // 18) if outline else 0
    boxes = [font.getbbox(line, stroke_width=stroke) for line in lines]
    pitch = round(size * 1.3)
    pad = round(size * (margin if margin is not None else 0.6 if plate else 0.3))
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


def _crop(rng: np.random.Generator, photo: Image.Image, keep: tuple[float, float, float, float] | None = None
          ) -> tuple[Image.Image, dict[str, Any]]:
    """A random crop of the background at 640-1024 px on its longer side, maybe mirrored; one that holds the box
    `keep` (photo pixels: a shop's wall) where the crop is large enough to.

    A small photo (OpenCV's samples are 512-900 px) is not enlarged more than `MAX_UPSCALE` times, the most a
    large one ever is: its scene is drawn smaller instead of as a smear of a few hundred pixels.
    """
    side, aspect = int(rng.integers(640, 1025)), float(rng.uniform(0.6, 1.7))
    out = (side, round(side / aspect)) if aspect >= 1 else (round(side * aspect), side)
    # share of the largest crop of that aspect the photo holds: less around a shop's wall (closer to the shop)
    fill = float(rng.uniform(0.45, 1.0) if keep is None else rng.uniform(*SHOP_FILL))
    scale = min(photo.width / out[0], photo.height / out[1]) * fill
    cw, ch = out[0] * scale, out[1] * scale
    if out[0] > MAX_UPSCALE * cw:
        out = (round(MAX_UPSCALE * cw), round(MAX_UPSCALE * ch))
    x_range, y_range = (0.0, photo.width - cw), (0.0, photo.height - ch)
    if keep is not None:  # the crop's corner where the box lies inside it, or else where the crop lies in the box
        x_range, y_range = _keeping(x_range, keep[0], keep[2], cw), _keeping(y_range, keep[1], keep[3], ch)
    left, top = float(rng.uniform(*x_range)), float(rng.uniform(*y_range))
    box = (left, top, left + cw, top + ch)
    image = photo.resize(out, Image.Resampling.BILINEAR, box=box)
    mirror = bool(rng.random() < 0.5)
    if mirror:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return image, {"crop": [round(v, 1) for v in box], "size": list(out), "mirror": mirror}


def _keeping(span: tuple[float, float], low: float, high: float, side: float) -> tuple[float, float]:
    """Where a crop of `side` may start, within `span`, to hold [low, high] (or, when it is too small to, to lie
    within it); `span` itself when neither can be."""
    for start, end in ((high - side, low), (low, high - side)):
        start, end = max(span[0], start), min(span[1], end)
        if start <= end:
            return start, end
    return span


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
    shop = None
    if rng.random() < SHOP_SHARE:
        walls = {p.name: Path(p.path) for p in backgrounds.PHOTOS if Path(p.path) in photos}
        shop = shops.choose_wall(rng, walls)
        path = walls[shop[0]] if shop else path
    background = backgrounds.load(path)
    keep = None
    if shop:
        corners = np.asarray(shop[1].quad) * background.image.size
        keep = (*corners.min(axis=0).tolist(), *corners.max(axis=0).tolist())
    image, crop_meta = _crop(rng, background.image, keep)
    flat = perspective.FlatMap(image)
    canvas = np.array(image)
    faces = fonts.available(lang == "zh")
    n_items = int(rng.integers(1, 6))
    taken: list[tuple[float, float, float, float]] = []
    drawn: list[Line] = []
    items: list[dict[str, Any]] = []
    if shop:
        placed = _shop(rng, lang, shop[1], background.image.size, crop_meta, canvas, faces)
        if placed is not None:
            lines, outer, item = placed
            taken.append(outer)
            drawn += lines
            items.append({**item, "facade": shop[0]})
            n_items -= 1  # the sign is one of the scene's items
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


def _plate(rng: np.random.Generator, style: str) -> tuple[int, int, int]:
    """A signboard's colour: a lit box is pale (its light shows through), brushed metal grey, paint any colour."""
    if style == "lit":
        rgb = colorsys.hls_to_rgb(float(rng.random()), float(rng.uniform(0.82, 0.95)), float(rng.uniform(0, 0.6)))
        return tuple(int(round(c * 255)) for c in rgb)  # type: ignore[return-value]
    if style == "metal":
        tone = int(rng.integers(150, 216))
        return (tone, tone, min(255, tone + int(rng.integers(0, 12))))
    return tuple(int(c) for c in rng.integers(0, 256, 3))  # type: ignore[return-value]


def _shop(rng: np.random.Generator, lang: str, wall: shops.Wall, photo_size: tuple[int, int],
          crop_meta: dict[str, Any], canvas: np.ndarray, faces: tuple[fonts.SceneFace, ...]
          ) -> tuple[list[Line], tuple[float, float, float, float], dict[str, Any]] | None:
    """A shop's signboard on `wall`, in the wall's perspective (`shops`), pasted into `canvas` (the crop's pixels).

    Returns:
        (its lines with their quads, its outer box padded as `compose` keeps it, its meta), or None when the sign
        cannot be drawn: no face draws its name, its text would come out under `MIN_SIZE`, or no spot of the wall
        in the crop holds it.
    """
    texts = shops.shop_lines(rng, lang)
    usable = [f for f in faces if all(fonts.draws(f, t) for t in texts)]
    style = shops.STYLES[int(rng.integers(len(shops.STYLES)))]
    plate = _plate(rng, style)
    colour = perspective.contrasting_colour(rng, (plate, perspective.luminance(plate), perspective.luminance(plate)),
                                            CONTRAST)
    if not usable or colour is None:
        return None
    face = usable[int(rng.integers(len(usable)))]
    h, w = canvas.shape[:2]
    matrix = shops.wall_matrix(wall, shops.wall_in_crop(wall, photo_size, crop_meta))
    ua, va, ub, vb = shops.visible(wall, matrix, (w, h))
    if ub <= ua or vb <= va:
        return None
    share = float(rng.uniform(0.6, 0.9) if wall.band else rng.uniform(0.25, 0.6))  # of the wall's visible height
    probe, _ = _patch(texts, face, 64, colour, plate, None, SIGN_MARGIN)
    height = min(share * (vb - va), 0.85 * (ub - ua) * probe.height / probe.width)  # in wall units
    width = height * probe.width / probe.height
    for u, v in rng.uniform(0, 1, (shops.TRIES, 2)):  # spots on the wall: the first inside the crop, large enough
        u0, v0 = ua + u * (ub - ua - width), va + v * (vb - va - height)
        corners = perspective.map_points(matrix, [(u0, v0), (u0 + width, v0), (u0 + width, v0 + height),
                                                  (u0, v0 + height)])
        xs, ys = zip(*corners)
        px = height * shops.pixels_per_unit(matrix, u0 + width / 2, v0 + height / 2)
        size = min(MAX_SIGN, int(64 * px / probe.height / (1 + 2 * shops.FRAME[1])))
        if min(xs) < 2 or min(ys) < 2 or max(xs) > w - 2 or max(ys) > h - 2 or size < MIN_SIZE[lang]:
            continue
        patch, ink = _patch(texts, face, size, colour, plate, None, SIGN_MARGIN)
        sign = shops.board(patch, style, rng, plate)
        t = (sign.width - patch.width) / 2
        k = height / sign.height  # wall units a sign pixel (the sign is as high as the spot; a little narrower)
        place = matrix @ np.array([[k, 0, u0], [0, k, v0], [0, 0, 1]])
        perspective.paste(canvas, sign, place)
        lines = [Line(text, tuple(perspective.map_points(place, [(a + t, b + t), (c + t, b + t), (c + t, d + t),
                                                                 (a + t, d + t)])))  # type: ignore[arg-type]
                 for text, (a, b, c, d) in zip(texts, ink)]
        item = {"kind": "shop", "lines": len(texts), "face": face.path.rsplit("/", 1)[-1], "size": size,
                "colour": list(colour), "plate": list(plate), "style": style}
        return lines, (min(xs) - 4, min(ys) - 4, max(xs) + 4, max(ys) + 4), item
    return None


def round_quad(quad: Quad) -> list[list[float]]:
    """A quad as JSON: four [x, y] corners, to 0.1 px."""
    return [[round(x, 1), round(y, 1)] for x, y in quad]


def inside(quad: Quad, size: tuple[int, int]) -> bool:
    """Whether every corner lies inside an image of `size`."""
    return all(0 <= x <= size[0] and 0 <= y <= size[1] for x, y in quad) and not any(
        math.isnan(v) for p in quad for v in p)
