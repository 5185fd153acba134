"""A figure's photograph: a crop of one of the scene engine's packaged background photos, as the file a page includes
(the pages engine's LaTeX, the docs engine's HTML: both draw figures so, hence a module of its own).

Why these photos: papers and reports print photographs as well as charts, and the scene engine's backgrounds
(`engines.scene.backgrounds.PHOTOS`: real photos from Debian packages, each looked at by eye and checked by PP-OCR
to hold no letter or digit) are photos with no text in them, so a page's target (a figure is its caption) still
says all the page prints. The trade-off: LaTeX's sandbox reads no file outside its own folder, so a crop is written
into the folder the run is given; its name says which photo and which box (`gotphoto<k>x<left>x<top>x<width>x
<height>.jpg`), so the redraw of a page writes the very same file from the picture's LaTeX that the sample records.
Its caption says what the photo shows (`engines.scene.backgrounds.DESCRIPTIONS`, said of the whole scene since a
crop shows part of it), not the title of the section it stands in: a flower was captioned "图 2 类 Unix 文件系统".
"""

from __future__ import annotations

import functools
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from engines.scene.backgrounds import PHOTOS, description
from renderers.latex import LatexConfig, compile_document

WORK_SIDE = 1280  # a photo is decoded at about this side (JPEG's draft mode), the crop's box is in those pixels
CROP_WIDTH = 720  # pixels a crop is written at: 0.6 of a 475 pt line at about 180 dpi
FILE = re.compile(r"gotphoto(\d+)x(\d+)x(\d+)x(\d+)x(\d+)\.jpg")


def _installed() -> list[int]:
    return [k for k, photo in enumerate(PHOTOS) if Path(photo.path).is_file()]


@functools.cache  # every photo stays decoded (about 3 MB each, 160 MB for all): a decode costs 20-100 ms
def _decoded(k: int) -> Image.Image:
    """Photo k with its longer side `WORK_SIDE` (a JPEG decoded at a fraction of its size, then shrunk)."""
    with Image.open(PHOTOS[k].path) as img:
        img.draft("RGB", (WORK_SIDE, WORK_SIDE))
        image = img.convert("RGB")
    if max(image.size) > WORK_SIDE:
        image.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BICUBIC)
    return image


@dataclass(frozen=True)
class Photograph:
    """A figure's photograph: its file's name (`FILE`: which photo, which box; `jpeg` writes it), and what it shows
    in the page's language (its caption's words)."""

    name: str
    shows: str

    @property
    def latex(self) -> str:
        """The LaTeX that includes it, 0.6 of the line wide."""
        return f"\\includegraphics[width=0.6\\linewidth]{{{self.name}}}"


def photo(rng: np.random.Generator, lang: str) -> Photograph | None:
    """A photograph 0.6 of the line wide: a crop (4:3 to 16:9, at least half the photo's width) of a random
    installed background photo, with its description (`backgrounds.description`); None where none is installed."""
    installed = _installed()
    if not installed:
        return None
    k = installed[int(rng.integers(len(installed)))]
    width, height = _decoded(k).size
    aspect = float(rng.uniform(4 / 3, 16 / 9))
    w = int(min(width, height * aspect) * rng.uniform(0.5, 1.0))
    h = int(w / aspect)
    left, top = int(rng.integers(width - w + 1)), int(rng.integers(height - h + 1))
    return Photograph(f"gotphoto{k}x{left}x{top}x{w}x{h}.jpg", description(PHOTOS[k], lang))


@functools.lru_cache(maxsize=64)
def jpeg(name: str) -> bytes:
    """The JPEG of the crop a `Photograph.name` names, `CROP_WIDTH` pixels wide."""
    k, left, top, w, h = (int(v) for v in FILE.fullmatch(name).groups())
    crop = _decoded(k).crop((left, top, left + w, top + h))
    out = io.BytesIO()
    crop.resize((CROP_WIDTH, round(CROP_WIDTH * h / w)), Image.Resampling.BICUBIC, reducing_gap=2.0).save(
        out, "JPEG", quality=90)
    return out.getvalue()


def compile_with_photos(tex: str, config: LatexConfig) -> bytes:
    """The PDF of `tex`, compiled with the photo files it includes written into its run's folder.

    Raises:
        RenderError: as `renderers.latex.compile_document`.
    """
    names = sorted({m[0] for m in FILE.finditer(tex)})
    if not names:
        return compile_document(tex, config=config).pdf
    with tempfile.TemporaryDirectory(prefix="pages-photos-", dir=config.tmp_root) as folder:
        for name in names:
            Path(folder, name).write_bytes(jpeg(name))
        return compile_document(tex, folder, config=config).pdf
