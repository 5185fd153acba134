"""SVG to a PIL image with resvg (`resvg-py`), using only the fonts the project installs; and cropping to content.

Why resvg-py: it is one self-contained wheel (Rust resvg, no system cairo), deterministic, and it
rasterised a full Verovio piano page (840 x 1109 px, six systems) in 0.38 CPU-seconds against
1.31 for `cairosvg` (same page, same machine); the other binding on PyPI, `resvg` 0.2.0, drew that
page as a single diagonal line. The price: resvg-py rebuilds its font database on every call and
returns PNG bytes, so each call with text pays for loading fonts (about 10 ms for the DejaVu
files, 13 ms more for the Noto CJK collections) and for a PNG encode and decode (most of the time
of a large, simple image). To bound both, system fonts are skipped: only the faces of
`renderers.fonts.FACES` are loaded, none for an SVG without a `<text>` element (an engraved score
without a title), the CJK collections only when the SVG holds a CJK character,
and every generic family (serif, sans-serif, monospace, ...) maps to one of them, so a drawing
never depends on what else a machine has installed. resvg picks ONE fallback face for a run of
text that its first face cannot draw (a Latin word next to Chinese may come out in the CJK face).
"""

from __future__ import annotations

import functools
import glob
import io

import resvg_py
from PIL import Image, ImageChops, ImageColor

from renderers.errors import RenderError
from renderers.fonts import FACES
from renderers.scripts import CJK


@functools.lru_cache(maxsize=2)
def _font_files(cjk: bool) -> tuple[str, ...]:
    """The installed files of every face in FACES (the CJK collections only when `cjk`), bold ones last.

    resvg falls back to the first loaded face that has a missing glyph, so the order decides it.
    """
    paths = [path for face in FACES.values() if cjk or not face.cjk
             for path in glob.glob(f"/usr/share/fonts/**/{face.files}", recursive=True)]
    return tuple(sorted(paths, key=lambda path: ("Bold" in path, path)))


def rasterise(svg: str, *, scale: float = 1.0, width: int | None = None, background: str = "#ffffff",
              serif: str = "dejavu-serif", sans_serif: str = "dejavu-sans") -> Image.Image:
    """Draw an SVG document on an opaque background.

    Args:
        svg: the SVG document.
        scale: pixels per SVG pixel (ignored when `width` is given).
        width: the image width in pixels; the height follows the SVG's aspect ratio.
        background: an opaque CSS colour, e.g. "#ffffff".
        serif: face key (of `renderers.fonts.FACES`) for the generic family "serif".
        sans_serif: face key for "sans-serif", for text that names no installed family, and for
            the remaining generic families.

    Returns:
        An RGB image.

    Raises:
        RenderError: "svg_invalid" when resvg cannot parse or draw the document.
        ValueError: `background` is not a colour.
    """
    ImageColor.getrgb(background)  # a bad colour is the caller's bug, not the SVG's: raise it as such
    sans = FACES[sans_serif].family
    fonts = list(_font_files(CJK.search(svg) is not None)) if "<text" in svg else []
    try:
        png = resvg_py.svg_to_bytes(
            svg_string=svg, background=background, width=width, zoom=None if width else scale,
            skip_system_fonts=True, font_files=fonts,
            font_family=sans, serif_family=FACES[serif].family, sans_serif_family=sans,
            monospace_family=sans, cursive_family=sans, fantasy_family=sans)
    except ValueError as exc:
        raise RenderError("svg_invalid", f"{exc}: {svg[:80]}") from None
    return Image.open(io.BytesIO(png)).convert("RGB")


def crop_to_content(image: Image.Image, background: str = "#ffffff", margin: int = 16,
                    tolerance: int = 16) -> Image.Image:
    """Cut an image down to what is drawn on it, plus a margin of background on every side.

    Args:
        image: the image (converted to RGB).
        background: the colour that counts as empty.
        margin: pixels of background kept (or added, where the content touches an edge) around the content.
        tolerance: how far (0-255, in any channel) a pixel may differ from `background` and still
            count as empty, so that faint anti-aliasing does not widen the box.

    Returns:
        A new RGB image: the content's bounding box grown by `margin`.

    Raises:
        RenderError: "blank_render" when nothing differs from the background.
    """
    fill = ImageColor.getrgb(background)[:3]
    red, green, blue = ImageChops.difference(image.convert("RGB"), Image.new("RGB", image.size, fill)).split()
    largest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    box = largest.point(lambda v: 255 if v > tolerance else 0).getbbox()
    if box is None:
        raise RenderError("blank_render", f"{image.width}x{image.height} image of one colour {background}")
    left, top, right, bottom = box
    out = Image.new("RGB", (right - left + 2 * margin, bottom - top + 2 * margin), fill)
    out.paste(image.crop(box), (margin, margin))
    return out
