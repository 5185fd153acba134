"""The font faces renderers may use, found once per process for matplotlib, PIL and Chromium; glyph coverage.

Only faces that `make setup` installs (Debian `fonts-dejavu-core`, `fonts-noto-cjk`) are listed, so
a build never depends on what else a machine happens to have. `check_drawable` refuses a text
that a face would draw as empty boxes, or that needs shaping no renderer here does. Matplotlib (3.11) reads the CJK
`.ttc` collections face by face, so "Noto Sans CJK SC" picks the Simplified Chinese face rather
than the collection's first (Japanese) one; PIL measures text with the very file and face index
matplotlib resolved, and Chromium finds the same family names through fontconfig.
"""

from __future__ import annotations

import functools
import glob
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from fontTools.ttLib import TTFont
from matplotlib import font_manager
from PIL import ImageFont

from renderers.errors import RenderError


@dataclass(frozen=True)
class FontFace:
    """One font family: the name matplotlib, fontconfig and CSS all know it by."""

    key: str
    family: str
    cjk: bool  # has Chinese glyphs (Latin too); a Chinese chart must use one of these
    generic: str  # CSS generic family to fall back to
    files: str  # glob of the files that hold it, to register if matplotlib's cache predates them
    package: str  # the Debian package that installs it


FACES: dict[str, FontFace] = {
    face.key: face
    for face in (
        FontFace("dejavu-sans", "DejaVu Sans", False, "sans-serif", "DejaVuSans*.ttf", "fonts-dejavu-core"),
        FontFace("dejavu-serif", "DejaVu Serif", False, "serif", "DejaVuSerif*.ttf", "fonts-dejavu-core"),
        FontFace("noto-sans-cjk", "Noto Sans CJK SC", True, "sans-serif", "NotoSansCJK-*.ttc", "fonts-noto-cjk"),
        FontFace("noto-serif-cjk", "Noto Serif CJK SC", True, "serif", "NotoSerifCJK-*.ttc", "fonts-noto-cjk"),
    )
}


def face_keys(cjk: bool) -> list[str]:
    """Keys of the faces usable for a chart: all of them for Latin text, CJK faces for Chinese."""
    return [key for key, face in FACES.items() if face.cjk or not cjk]


@functools.lru_cache(maxsize=None)
def font_file(key: str, bold: bool = False) -> tuple[str, int]:
    """(path, face index) of a face, registering its files with matplotlib if it does not know them.

    Raises:
        RuntimeError: the face is not installed; the message names the package to install.
    """
    face = FACES[key]
    props = font_manager.FontProperties(family=face.family, weight="bold" if bold else "normal")
    try:
        found = font_manager.findfont(props, fallback_to_default=False)
    except ValueError:
        for path in sorted(glob.glob(f"/usr/share/fonts/**/{face.files}", recursive=True)):
            font_manager.fontManager.addfont(path)
        try:
            found = font_manager.findfont(props, fallback_to_default=False, rebuild_if_missing=False)
        except ValueError:
            raise RuntimeError(
                f"font {face.family!r} is not installed: run `make setup` (Debian package {face.package})"
            ) from None
    return str(found.path), int(found.face_index)


def mpl_font(key: str, size: float, bold: bool = False) -> font_manager.FontProperties:
    """Matplotlib font properties for a face, checked to exist (size in points = pixels at 72 dpi)."""
    font_file(key, bold)
    return font_manager.FontProperties(family=FACES[key].family, size=size, weight="bold" if bold else "normal")


@functools.lru_cache(maxsize=256)
def _pil_font(key: str, size: int, bold: bool) -> ImageFont.FreeTypeFont:
    path, index = font_file(key, bold)
    return ImageFont.truetype(path, size, index=index)


@functools.lru_cache(maxsize=8192)
def text_width(text: str, key: str, size: float, bold: bool = False) -> float:
    """Advance width in pixels of one line of text, for layout before anything is drawn."""
    return _pil_font(key, max(1, round(size)), bold).getlength(text) * size / max(1, round(size))


@functools.lru_cache(maxsize=1024)
def line_metrics(key: str, size: float, bold: bool = False) -> tuple[float, float]:
    """(ascent, descent) in pixels of a face at `size`, to place a line's baseline in its box."""
    ascent, descent = _pil_font(key, max(1, round(size)), bold).getmetrics()
    scale = size / max(1, round(size))
    return ascent * scale, descent * scale


def css_family(key: str) -> str:
    """The CSS font-family list for a face (the family first, then its generic fallback)."""
    face = FACES[key]
    return f"'{face.family}', {face.generic}"


# Scripts whose letters change shape with their neighbours or are reordered (Arabic, Hebrew, Indic,
# South-East Asian, Tibetan, Mongolian): neither matplotlib nor Pillow's basic layout shapes them,
# so their text would be drawn as isolated, misordered letters while a target holds the real word.
NEEDS_SHAPING = re.compile("[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f"
                           "\u1780-\u18af\ufb1d-\ufdff\ufe70-\ufeff]")


@functools.lru_cache(maxsize=None)
def _coverage(key: str, bold: bool) -> frozenset[int]:
    """The code points a face has glyphs for (its cmap), read with fontTools."""
    path, index = font_file(key, bold)
    with TTFont(path, fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(text: str, key: str, bold: bool = False) -> str:
    """The characters of `text` that face `key` has no glyph for (spaces and controls aside), in order."""
    covered = _coverage(key, bold)
    seen: dict[str, None] = {}
    for ch in text:
        if not ch.isspace() and unicodedata.category(ch)[0] != "C" and ord(ch) not in covered:
            seen[ch] = None
    return "".join(seen)


def check_drawable(texts: Iterable[str], key: str, bold: bool = False) -> None:
    """Raise unless face `key` can draw every text as its target writes it.

    A face without a glyph draws an empty box ("tofu") where the target has a letter, and an
    unshaped complex script draws letters the reader would not recognise; either way the image
    would not show what the target says.

    Raises:
        RenderError: "script_needs_shaping" or "glyphs_missing", with the offending characters.
    """
    for text in texts:
        if NEEDS_SHAPING.search(text):
            raise RenderError("script_needs_shaping", text[:40])
        missing = missing_glyphs(text, key, bold)
        if missing:
            raise RenderError("glyphs_missing", f"{FACES[key].family} lacks {missing[:10]!r} in {text[:40]!r}")


def covering_faces(texts: Iterable[str], keys: Iterable[str]) -> list[str]:
    """The faces among `keys` with a glyph for every character of every text."""
    texts = list(texts)
    return [k for k in keys if not any(missing_glyphs(t, k) for t in texts)]
