"""Chinese handwriting faces from Fontsource (Google Fonts, SIL OFL 1.1): the subset file that holds a character.

Why an index: Fontsource ships a face for browsers, cut into about 90 unicode-range subsets
(`files/<face>-<n>-400-normal.woff`, woff1, which FreeType reads) and a Latin one, so no single file holds the
face's 7,000 characters (the `chinese-simplified` file lacks 1,023 of them). `index` reads each subset's own cmap
once per process (about 0.1 s a face: a lazy cmap read, no glyphs), never the `unicode.json` ranges, which name
code points a subset may not hold; the hand then opens only the files its page writes from (`hand._ttf`).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from fontTools.ttLib import TTFont

from renderers import pen

PREFIX = "@fontsource/"  # a font hand's `font` naming a Fontsource face, e.g. "@fontsource/long-cang"
SUBSET = re.compile(r"-(?:\d+|latin)-400-normal\.woff$")  # the numbered subsets and the Latin one


def is_face(font: str) -> bool:
    """Whether `font` names a Fontsource face (else it is a file under `hand.FONT_DIR`)."""
    return font.startswith(PREFIX)


@functools.cache
def index(font: str) -> dict[str, str]:
    """Each character of the Fontsource face `font` -> the path of the subset file that holds it.

    Raises:
        FileNotFoundError: the package is not installed (names the fix).
    """
    files = Path(pen.NODE_MODULES, font, "files")
    paths = sorted(str(p) for p in files.glob("*-400-normal.woff") if SUBSET.search(p.name))
    if not paths:
        raise FileNotFoundError(f"no subset files of {font} in {files}: run `make setup` (npm ci installs {font})")
    found: dict[str, str] = {}
    for path in paths:
        for code in TTFont(path, lazy=True).getBestCmap():
            found.setdefault(chr(code), path)
    return found
