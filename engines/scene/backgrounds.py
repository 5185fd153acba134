"""Background photographs for synthetic scenes: real photos that ship in packages, checked to carry no text.

Why real photos: a reader must learn text against foliage, water, sky and wood, not against flat colours or
noise. Why only packaged ones: a build needs no download. Debian's `mate-backgrounds` (GPL-2+) ships twelve
nature photographs (flowers, grass, a dune, rain drops, a storm, wood, water), eleven used (PP-OCR reads a
character in `LadyBird.jpg`); its abstract and logo wallpapers are left out (renders, one with a logo).
Each photo is decoded once per process and shrunk to `WORK_SIDE` (its own 1600-2560 px would cost 50-150 ms a
decode per sample), then read once by PP-OCR (`renderers.ppocr`): a photo in which the reader detects any text is
refused as a background, because text in the image that the target does not name teaches the model to skip text.
The check is lazy (a photo is read the first time a sample draws it) and its verdict a pure function of the
photo, so every worker makes the same choice.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from engines.base import SampleError
from renderers import ppocr

WORK_SIDE = 1280  # longest side a background is kept at (crops are drawn at up to 1024)
CHECK_SIDE = 960  # the text check reads at this side: about 0.6 CPU-s a photo, once per process
PHOTOS: tuple[tuple[str, str], ...] = (
    *((f"/usr/share/backgrounds/mate/nature/{name}.jpg", "mate-backgrounds") for name in (
        "Aqua", "Blinds", "Dune", "FreshFlower", "Garden", "GreenMeadow", "RainDrops", "Storm", "TwoWings", "Wood",
        "YellowFlower")),
)
# The detector finds text-like strokes in foliage now and then; a detection counts as text only when it is
# also recognised with this confidence and holds a letter or digit.
TEXT_SCORE = 0.6


class BackgroundRefused(SampleError):
    """A photo that cannot serve as a background (`reason`: "background_has_text" or "background_unreadable")."""


@functools.cache
def installed() -> tuple[Path, ...]:
    """The background photos present on this machine, in a fixed order.

    Raises:
        RuntimeError: none is; the message names the package.
    """
    found = tuple(p for p in (Path(s) for s, _ in PHOTOS) if p.is_file())
    if not found:
        raise RuntimeError("no background photo is installed: run `make setup` (Debian package mate-backgrounds)")
    return found


def text_found(image: Image.Image) -> list[str]:
    """The texts PP-OCR reads in an image with some confidence (empty: the image carries no text)."""
    rendered = ppocr.read(image, ppocr.ReadOptions(det_side=CHECK_SIDE, det_limit="max", min_score=TEXT_SCORE))
    return [t.text for t in rendered.texts if any(ch.isalnum() for ch in t.text)]


@dataclass(frozen=True)
class Background:
    """A checked background: the photo at working size, and where it came from."""

    image: Image.Image
    name: str


def load(path: Path) -> Background:
    """A photo at working size, checked by PP-OCR to carry no text (the verdict is kept for the process).

    Raises:
        BackgroundRefused: the photo shows text, or cannot be decoded.
    """
    verdict = _checked(path)
    if isinstance(verdict, BackgroundRefused):  # a fresh one: the cached verdict is raised again and again
        raise BackgroundRefused(verdict.reason, verdict.detail)
    return verdict


@functools.lru_cache(maxsize=32)
def _checked(path: Path) -> Background | BackgroundRefused:
    try:
        with Image.open(path) as img:
            img.draft("RGB", (WORK_SIDE, WORK_SIDE))  # JPEG decodes at 1/2, 1/4 size directly
            image = img.convert("RGB")
    except OSError as exc:
        return BackgroundRefused("background_unreadable", f"{path}: {exc}")
    image.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.LANCZOS)
    texts = text_found(image)
    if texts:
        return BackgroundRefused("background_has_text", f"{path.name} shows {texts[:3]}")
    return Background(image, path.name)
