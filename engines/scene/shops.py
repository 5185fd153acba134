"""Shop fronts: a signboard we draw ourselves, with an invented shop's name, on a wall of a text-free photo.

Why drawn: a packaged photo of a real shop front carries text the target would not name (the background check
refuses every photo with text), so a scene never showed the commonest text of a street. Here the sign is ours: a
panel (painted, lit or brushed metal) with a border, the name of an invented shop (a name and a trade, Chinese with
its pinyin and English under it, or English with a line under it), mounted on a wall of one of the photos that show
a building, in that wall's perspective. The walls (`FACADES`) were marked by eye on the photos: four corners of a
flat stretch of wall (a fascia above windows, a canopy's front, a plank or siding wall), clockwise from its
top-left, as fractions of the photo, and the wall's real width over its height (a wall seen at an angle is wider
than its image). Left out after trying: the walls of the Leuven street (`leuvenA`), a fascia above windows and a
wall along the street, both so small in the photo that 20 of 23 signs came out under the scene's smallest text. A
sign is a rectangle of that wall's own plane, mapped to the image by the wall's homography, so it recedes as the
wall does; its lines' quads are where their ink went, like every other scene text.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from engines.base import pick

# Invented shop names (a name people give a shop, with its pinyin) and trades; any pairing is a plausible shop.
ZH_NAMES = (("老王", "Lao Wang"), ("金穗", "Jinsui"), ("福来", "Fulai"), ("鑫盛", "Xinsheng"), ("云锦", "Yunjin"),
            ("悦来", "Yuelai"), ("德顺", "Deshun"), ("青禾", "Qinghe"), ("晨光", "Chenguang"), ("百味", "Baiwei"),
            ("和顺", "Heshun"), ("春晓", "Chunxiao"), ("新月", "Xinyue"), ("小李", "Xiao Li"), ("安泰", "Antai"),
            ("满园", "Manyuan"))
EN_NAMES = ("Maple", "Golden Lotus", "Blue Harbour", "Oak & Ivy", "Red Lantern", "Silver Birch", "Corner",
            "Old Mill", "Sunrise", "Willow", "Northgate", "Little Fox", "Green Door", "Riverside", "Kestrel",
            "Hillcrest")
TRADES = (("面馆", "Noodle House"), ("五金店", "Hardware"), ("茶庄", "Tea House"), ("书店", "Books"),
          ("花店", "Florist"), ("药房", "Pharmacy"), ("烘焙坊", "Bakery"), ("眼镜店", "Opticians"),
          ("理发店", "Barber Shop"), ("水果店", "Fruit Market"), ("超市", "Supermarket"), ("咖啡馆", "Coffee House"),
          ("洗衣店", "Laundry"), ("文具店", "Stationery"), ("饺子馆", "Dumplings"), ("照相馆", "Photo Studio"))
TAGLINES = ("Open Daily", "Since {year}", "Est. {year}", "Fresh Every Day", "Family Run Since {year}")
STYLES = ("painted", "lit", "metal")
FRAME = (0.04, 0.08)  # a signboard's frame, as a share of its panel's shorter side
TRIES = 24  # spots of a wall tried for a sign


@dataclass(frozen=True)
class Wall:
    """A flat stretch of wall in a photo: `quad` its corners (fractions of the photo, clockwise from the
    top-left), `aspect` its real width over its height, `band` whether it is a narrow band (a fascia: the sign
    fills most of its height) rather than a wall a sign covers a part of."""

    quad: tuple[tuple[float, float], ...]
    aspect: float
    band: bool


FACADES: dict[str, tuple[Wall, ...]] = {
    "building": (Wall(((0.63, 0.60), (0.99, 0.586), (0.99, 0.665), (0.63, 0.67)), 7.0, True),),  # a canopy's front
    "friends_by_Aitzol_Berasategi": (Wall(((0.56, 0.03), (0.99, 0.03), (0.99, 0.42), (0.56, 0.42)), 0.75, False),),
    "Wood": (Wall(((0.06, 0.08), (0.94, 0.08), (0.94, 0.92), (0.06, 0.92)), 1.4, False),),
}


def shop_lines(rng: np.random.Generator, lang: str) -> list[str]:
    """A shop's sign: its name (Chinese: name and trade, then maybe the pinyin and the trade in English; English:
    name and trade, then maybe a tagline)."""
    trade_zh, trade_en = TRADES[int(rng.integers(len(TRADES)))]
    if lang == "zh":
        name, pinyin = ZH_NAMES[int(rng.integers(len(ZH_NAMES)))]
        second = f"{pinyin} {trade_en}"
        lines = [name + trade_zh, second.upper() if rng.random() < 0.5 else second]
        return lines if rng.random() < 0.6 else lines[:1]
    name = f"{pick(rng, EN_NAMES)} {trade_en}"
    lines = [name.upper() if rng.random() < 0.5 else name]
    if rng.random() < 0.35:
        lines.append(pick(rng, TAGLINES).format(year=int(rng.integers(1950, 2021))))
    return lines


def wall_in_crop(wall: Wall, photo_size: tuple[int, int], crop: dict) -> np.ndarray:
    """The wall's corners (4, 2) in the pixels of a crop made by `content._crop` (its meta: box, size, mirror),
    still clockwise from the wall's top-left."""
    left, top, right, bottom = crop["crop"]
    w, h = crop["size"]
    pts = np.asarray(wall.quad, dtype=np.float64) * photo_size
    pts = (pts - (left, top)) * (w / (right - left), h / (bottom - top))
    if crop["mirror"]:
        pts[:, 0] = w - pts[:, 0]
        pts = pts[[1, 0, 3, 2]]  # the mirrored top-right is the new top-left
    return pts


def wall_matrix(wall: Wall, corners: np.ndarray) -> np.ndarray:
    """The homography from the wall's own plane (u in [0, aspect], v in [0, 1]) to the image."""
    src = np.float32([[0, 0], [wall.aspect, 0], [wall.aspect, 1], [0, 1]])
    return cv2.getPerspectiveTransform(src, corners.astype(np.float32))


def visible(wall: Wall, matrix: np.ndarray, size: tuple[int, int]) -> tuple[float, float, float, float]:
    """The part of the wall inside an image of `size` (about: the box, in the wall's units, of the image's corners
    mapped onto the wall's plane, cut to the wall); empty (right <= left) when none is."""
    w, h = size
    corners = cv2.perspectiveTransform(np.float64([[[0, 0]], [[w, 0]], [[w, h]], [[0, h]]]), np.linalg.inv(matrix))
    low, high = corners.reshape(4, 2).min(axis=0), corners.reshape(4, 2).max(axis=0)
    return (max(0.0, float(low[0])), max(0.0, float(low[1])), min(wall.aspect, float(high[0])),
            min(1.0, float(high[1])))


def pixels_per_unit(matrix: np.ndarray, u: float, v: float) -> float:
    """How many image pixels one unit of the wall's height spans at (u, v)."""
    a, b = cv2.perspectiveTransform(np.float64([[[u, v]], [[u, v + 0.01]]]), matrix).reshape(2, 2)
    return float(np.hypot(*(b - a))) / 0.01


def board(patch: Image.Image, style: str, rng: np.random.Generator, plate: tuple[int, int, int]) -> Image.Image:
    """A text patch on its plate made a signboard: a frame around it (a darker or lighter band of the plate's
    colour), and for a lit sign a light box's glow (brightest at its middle), for a metal one a brushed sheen."""
    a = np.asarray(patch.convert("RGBA")).astype(np.float32)
    h, w = a.shape[:2]
    if style == "lit":
        y, x = np.mgrid[0:h, 0:w]
        glow = 1.06 - 0.12 * (((x - w / 2) / (w / 2)) ** 2 + ((y - h / 2) / (h / 2)) ** 2) / 2
        a[..., :3] *= glow[..., None]
    elif style == "metal":
        a[..., :3] *= (0.93 + 0.07 * np.sin(np.linspace(0, float(rng.uniform(3, 9)) * np.pi, w)))[None, :, None]
    lum = sum(plate) / 3
    frame = tuple(int(c * 0.55) if lum > 110 else min(255, int(c * 0.6 + 100)) for c in plate)
    t = max(2, int(round(min(h, w) * float(rng.uniform(*FRAME)))))
    out = np.zeros((h + 2 * t, w + 2 * t, 4), np.float32)
    out[...] = (*frame, 255)
    out[t:t + h, t:t + w] = a
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGBA")


def choose_wall(rng: np.random.Generator, installed: dict[str, object]) -> tuple[str, Wall] | None:
    """A photo with a wall and one of its walls, among the installed photos (`installed`: photo name -> path)."""
    names = [n for n in FACADES if n in installed]
    if not names:
        return None
    name = pick(rng, names)
    return name, pick(rng, FACADES[name])
