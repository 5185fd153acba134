"""The font faces chart renderers may use, found once per process for matplotlib, PIL and Chromium.

Only faces that `make setup` installs (Debian `fonts-dejavu-core`, `fonts-noto-cjk`) are listed, so
a build never depends on what else a machine happens to have. Matplotlib (3.11) reads the CJK
`.ttc` collections face by face, so "Noto Sans CJK SC" picks the Simplified Chinese face rather
than the collection's first (Japanese) one; PIL measures text with the very file and face index
matplotlib resolved, and Chromium finds the same family names through fontconfig.
"""

from __future__ import annotations

import functools
import glob
from dataclasses import dataclass

from matplotlib import font_manager
from PIL import ImageFont


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
