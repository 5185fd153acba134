"""The typefaces scene text is drawn in: many families (serif, sans, display, signage, mono, CJK), from Debian packages.

Real signs, shop fronts and labels use far more faces than documents do; a reader trained on two faces learns
those two. Each face here is a file that a Debian package in the Makefile's APT_PACKAGES installs, named by path
(and face index inside a .ttc collection), so a build never depends on what else a machine has. Faces that are
not installed are left out of the pool (`available`), and the build fails with the package to install only when
a language has no face at all. Script faces (Z003, handwriting) are left out: scene text must stay legible to
PP-OCR, which the validator checks. Glyph coverage is checked per text with the face's cmap
(`renderers.fonts`-style), so a face that lacks a character is never asked to draw it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

ROOT = Path("/usr/share/fonts")


@dataclass(frozen=True)
class SceneFace:
    """One face: its file under /usr/share/fonts, index in a collection, style class, whether it draws Chinese."""

    path: str
    index: int
    kind: str  # sans, serif, display, mono, cjk-sans, cjk-serif, cjk-kai
    cjk: bool
    package: str


def _faces() -> tuple[SceneFace, ...]:
    latin = [
        *(("truetype/dejavu/" + f, 0, k, "fonts-dejavu-core") for f, k in (
            ("DejaVuSans.ttf", "sans"), ("DejaVuSans-Bold.ttf", "sans"), ("DejaVuSerif.ttf", "serif"),
            ("DejaVuSerif-Bold.ttf", "serif"))),
        *(("truetype/dejavu/" + f, 0, k, "fonts-dejavu-extra") for f, k in (
            ("DejaVuSansCondensed-Bold.ttf", "display"), ("DejaVuSerifCondensed-Italic.ttf", "serif"),
            ("DejaVuSansMono-Bold.ttf", "mono"))),
        *(("truetype/liberation/" + f, 0, k, "fonts-liberation") for f, k in (
            ("LiberationSans-Regular.ttf", "sans"), ("LiberationSans-Bold.ttf", "sans"),
            ("LiberationSerif-Regular.ttf", "serif"), ("LiberationSerif-BoldItalic.ttf", "serif"),
            ("LiberationSansNarrow-Bold.ttf", "display"), ("LiberationMono-Regular.ttf", "mono"))),
        *(("truetype/lato/" + f, 0, k, "fonts-lato") for f, k in (
            ("Lato-Regular.ttf", "sans"), ("Lato-Black.ttf", "display"), ("Lato-Heavy.ttf", "display"),
            ("Lato-LightItalic.ttf", "sans"), ("Lato-Medium.ttf", "sans"))),
        *(("opentype/urw-base35/" + f, 0, k, "fonts-urw-base35") for f, k in (
            ("NimbusSans-Bold.otf", "sans"), ("NimbusSansNarrow-Bold.otf", "display"), ("NimbusRoman-Regular.otf",
                                                                                          "serif"),
            ("NimbusRoman-BoldItalic.otf", "serif"), ("URWGothic-Demi.otf", "display"), ("URWGothic-Book.otf",
                                                                                        "display"),
            ("URWBookman-Demi.otf", "serif"), ("C059-Bold.otf", "serif"), ("P052-Roman.otf", "serif"),
            ("NimbusMonoPS-Bold.otf", "mono"))),
    ]
    cjk = [
        ("opentype/noto/NotoSansCJK-Regular.ttc", 2, "cjk-sans", "fonts-noto-cjk"),
        ("opentype/noto/NotoSansCJK-Bold.ttc", 2, "cjk-sans", "fonts-noto-cjk"),
        ("opentype/noto/NotoSerifCJK-Regular.ttc", 2, "cjk-serif", "fonts-noto-cjk"),
        ("opentype/noto/NotoSerifCJK-Bold.ttc", 2, "cjk-serif", "fonts-noto-cjk"),
        ("truetype/arphic/uming.ttc", 0, "cjk-serif", "fonts-arphic-uming"),
        ("truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0, "cjk-serif", "fonts-arphic-gbsn00lp"),
        ("truetype/arphic-gkai00mp/gkai00mp.ttf", 0, "cjk-kai", "fonts-arphic-gkai00mp"),
        ("truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", 0, "cjk-kai", "fonts-lxgw-wenkai"),
        ("truetype/droid/DroidSansFallbackFull.ttf", 0, "cjk-sans", "fonts-droid-fallback"),
    ]
    return (*(SceneFace(p, i, k, False, pkg) for p, i, k, pkg in latin),
            *(SceneFace(p, i, k, True, pkg) for p, i, k, pkg in cjk))


FACES: tuple[SceneFace, ...] = _faces()
PACKAGES = tuple(sorted({f.package for f in FACES}))


@functools.cache
def available(cjk: bool) -> tuple[SceneFace, ...]:
    """The installed faces for Chinese text (`cjk`) or for English text (every face draws Latin).

    Raises:
        RuntimeError: none is installed; the message names the packages.
    """
    faces = tuple(f for f in FACES if (f.cjk or not cjk) and (ROOT / f.path).is_file())
    faces = tuple(f for f in faces if f.cjk) if cjk else faces
    if not faces:
        wanted = sorted({f.package for f in FACES if f.cjk or not cjk})
        raise RuntimeError(f"no scene font is installed: run `make setup` (Debian packages {' '.join(wanted)})")
    return faces


@functools.cache
def coverage(face: SceneFace) -> frozenset[int]:
    """The code points the face has glyphs for."""
    with TTFont(ROOT / face.path, fontNumber=face.index, lazy=True) as font:
        return frozenset(font.getBestCmap())


def draws(face: SceneFace, text: str) -> bool:
    """Whether the face has a glyph for every non-space character of `text`."""
    covered = coverage(face)
    return all(ch.isspace() or ord(ch) in covered for ch in text)


@functools.lru_cache(maxsize=512)
def pil_font(face: SceneFace, size: int) -> ImageFont.FreeTypeFont:
    """The face at a pixel size, loaded once per process (basic layout: same pixels on every machine)."""
    return ImageFont.truetype(str(ROOT / face.path), size, index=face.index, layout_engine=ImageFont.Layout.BASIC)
