"""Chinese handwriting faces from Fontsource (Google Fonts, SIL OFL 1.1): the subset file that holds a character.

Why an index: Fontsource ships a face for browsers, cut into about 90 unicode-range subsets
(`files/<face>-<n>-400-normal.woff`, woff1, which FreeType reads) and a Latin one, so no single file holds the
face's 7,000 characters (the `chinese-simplified` file lacks 1,023 of them). `index` reads each subset's own cmap
once per process (about 0.1 s a face: a lazy cmap read, no glyphs), never the `unicode.json` ranges, which name
code points a subset may not hold; the hand then opens only the files its page writes from (`hand._ttf`).

A face's glyph is not always the character it is mapped to: Ma Shan Zheng draws 脱 in its old form 脫. Every
Chinese character the engine writes (the prose, headings, letters and forms: 1,246) was drawn clean, 20 to a line,
and read by PP-OCR; a character read back as a form outside GB 2312 (a traditional or old-style form: 別, 滯, 盜, 脫,
虛) is left out of the face's index (`OTHER_FORMS`), so a hand of that face never writes it, as if the face lacked
it. PP-OCR reads many traditional forms as the simplified character, so this catches only some: a face is also
looked at by eye, in a grid of common characters with traditional counterparts, before it is used (`hand`).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from fontTools.ttLib import TTFont

from renderers import pen

PREFIX = "@fontsource/"  # a font hand's `font` naming a Fontsource face, e.g. "@fontsource/ma-shan-zheng"
SUBSET = re.compile(r"-(?:\d+|latin)-400-normal\.woff$")  # the numbered subsets and the Latin one
# Characters a face draws as another form (see above); misreads within GB 2312 (己 read 已) are the reader's.
OTHER_FORMS = {"@fontsource/ma-shan-zheng": "别滞盗脱虚"}


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
    found: dict[str, str] = dict.fromkeys(OTHER_FORMS.get(font, ""), "")
    for path in paths:
        for code in TTFont(path, lazy=True).getBestCmap():
            found.setdefault(chr(code), path)
    return {char: path for char, path in found.items() if path}
