"""Humdrum **kern scores engraved by Verovio to SVG, rasterised by MuPDF or resvg, cropped to the music.

Verovio lays out and engraves; drawing its SVG took over half of the time with resvg (0.11 of 0.21
CPU-s for an 8-bar piano excerpt 840 px wide, on a busy 2-core machine), so `engrave` and `draw`
are apart and a caller draws only an engraving it keeps. An engraving without words (music
glyphs are all paths) is drawn by MuPDF (`renderers.pymupdf.render_svg`), ten times faster,
once Verovio's small stylesheet is written into attributes, which is all MuPDF reads
(`_for_mupdf`); one with words (a title, a tempo) is drawn by resvg (`renderers.svg`), which
maps its "Times, serif" to the project's chosen face, as does an SVG whose stylesheet is not the
one `_for_mupdf` knows (another Verovio version), so no engraving is drawn unstyled. One
Verovio toolkit is kept per process and all its options are reset before every call, so a render
depends only on its arguments. Every layout choice is a field of `ScoreOptions`, which the engine
fills from its rng and records; options that Verovio silently ignores when out of range are read
back and refused. Verovio reads nearly anything as Humdrum (an empty string gives an empty
staff), so a render without a single note or rest counts as a failure too. Verovio is C++ and
some malformed inputs abort it (a spine count that changes without a spine operator did, in
6.4.1): `engrave_isolated` runs the engraving in a long-lived child process
(`renderers.isolated`), so such an input costs one draw.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from dataclasses import dataclass

import verovio
from PIL import Image

from renderers.errors import RenderError
from renderers.fonts import FACES
from renderers.isolated import Isolated
from renderers.pymupdf import render_svg
from renderers.result import Rendered
from renderers.svg import crop_to_content, rasterise

MUSIC_FONTS = ("Leipzig", "Bravura", "Gootville", "Leland", "Petaluma")
BREAKS = ("auto", "none")
HEADERS = ("none", "auto")
_SYSTEM = re.compile(r'class="system[ "]')
_NOTE = re.compile(r'class="note[ "]')
_EVENT = re.compile(r'class="(?:note|rest|mRest|multiRest)[ "]')
_CURVE = re.compile(r'<g id="((?:slur|tie)-[^"]+)" class="(?:slur|tie)"')
_FIXED = {"inputFrom": "humdrum", "footer": "none", "adjustPageHeight": True, "xmlIdSeed": 1}
# Verovio's stylesheet (6.x), its rules' "#<svg id> " prefixes removed: what `_for_mupdf` translates.
_STYLESHEET = ("g.ending, g.fing, g.reh, g.tempo {font-weight:bold;}g.dir, g.dynam, g.mNum {font-style:italic;}"
               "g.label {font-weight:normal;}ellipse, path, polygon, polyline, rect {stroke:currentColor}"
               "g.cursor {fill:dodgerblue; color:dodgerblue;}g.cursor.chord {fill:limegreen; color:limegreen;}"
               "g.placeholder {visibility:hidden}")
_STYLE = re.compile(r'<style type="text/css">(.*?)</style>', re.S)
_RULE_SCOPE = re.compile(r"#[\w-]+ ")
_STROKED = re.compile(r"<(ellipse|path|polygon|polyline|rect)\b")
_PLACEHOLDER = re.compile(r'<g\b[^>]*class="[^"]*\bplaceholder\b[^"]*"[^>]*>\s*<\w+\b[^<>]*/>\s*</g>')
_HIDDEN = re.compile(r'class="[^"]*\b(?:placeholder|cursor)\b')
_SIZE = re.compile(r'^<svg width="(\d+)px" height="(\d+)px"')


@dataclass(frozen=True)
class ScoreOptions:
    """How a score is engraved and drawn; every field is JSON-safe.

    Attributes:
        page_width, page_height: Verovio's page size in its units (tenths of a millimetre at scale 100).
        scale: percent; a page is page_width * scale / 100 pixels wide.
        breaks: "auto" (systems broken to the page width, pages to its height) or "none" (one
            system, as wide as the music).
        music_font: one of MUSIC_FONTS (the SMuFL font of notes, clefs, dynamics).
        text_font: face key of `renderers.fonts.FACES` for words (tempo, expression, pedal text).
        spacing_staff, spacing_system: space between staves, between systems (staff spaces).
        spacing_linear, spacing_non_linear: Verovio's horizontal spacing by duration.
        bar_line_width, staff_line_width, stem_width: line widths (staff spaces).
        beam_max_slope: steepest beam, in degrees.
        background: an opaque CSS colour.
        margin: pixels of background kept around the music after cropping.
        header: "none", or "auto": the title (`!!!OTL`) and composer (`!!!COM`) reference records
            of the input drawn above the music, in `text_font`.
    """

    page_width: int = 2100
    page_height: int = 2970
    scale: int = 40
    breaks: str = "auto"
    music_font: str = "Leipzig"
    text_font: str = "dejavu-serif"
    spacing_staff: int = 12
    spacing_system: int = 4
    spacing_linear: float = 0.25
    spacing_non_linear: float = 0.6
    bar_line_width: float = 0.3
    staff_line_width: float = 0.15
    stem_width: float = 0.2
    beam_max_slope: int = 10
    background: str = "#ffffff"
    margin: int = 16
    header: str = "none"

    def __post_init__(self) -> None:
        if (self.music_font not in MUSIC_FONTS or self.breaks not in BREAKS or self.text_font not in FACES
                or self.header not in HEADERS):
            raise ValueError(f"music_font must be one of {MUSIC_FONTS}, breaks one of {BREAKS}, text_font one of "
                             f"{sorted(FACES)}, header one of {HEADERS}; got {self.music_font!r}, {self.breaks!r}, "
                             f"{self.text_font!r}, {self.header!r}")

    def verovio_options(self) -> dict[str, object]:
        """The layout fields under Verovio's option names."""
        return {"pageWidth": self.page_width, "pageHeight": self.page_height, "scale": self.scale,
                "breaks": self.breaks, "font": self.music_font, "spacingStaff": self.spacing_staff,
                "spacingSystem": self.spacing_system, "spacingLinear": self.spacing_linear,
                "spacingNonLinear": self.spacing_non_linear, "barLineWidth": self.bar_line_width,
                "staffLineWidth": self.staff_line_width, "stemWidth": self.stem_width,
                "beamMaxSlope": self.beam_max_slope, "header": self.header}


@functools.cache
def _toolkit() -> verovio.toolkit:
    """This process's toolkit (its log off: Verovio's own messages would flood a build's stderr)."""
    verovio.enableLog(verovio.LOG_OFF)
    return verovio.toolkit()


def _set_options(toolkit: verovio.toolkit, options: ScoreOptions) -> None:
    """Reset the toolkit's options to Verovio's defaults, then set `options` (and no footer, fixed ids).

    Raises:
        ValueError: Verovio ignored a value (out of its range); the message names it.
    """
    wanted = options.verovio_options()
    toolkit.resetOptions()
    toolkit.setOptions({**wanted, **_FIXED})
    got = toolkit.getOptions()
    for key, value in wanted.items():
        if not (got[key] == value or (isinstance(value, float) and math.isclose(got[key], value))):
            raise ValueError(f"Verovio refused {key}={value!r} (kept {got[key]!r}): see its option ranges")


@dataclass(frozen=True)
class Engraving:
    """Verovio's SVG of every page and what it holds, before anything is drawn.

    Attributes:
        pages: one SVG document per page.
        info: "options" (as a dict), "pages", "systems" (all pages), "systems_per_page",
            "notes" (notes engraved, each note of a chord counted) and "curves" (the ids of the slurs
            and ties drawn, e.g. `slur-L5F2-L7F2`: the kern places they join).
    """

    pages: list[str]
    info: dict


def engrave(kern: str, options: ScoreOptions = ScoreOptions()) -> Engraving:
    """Lay out and engrave a **kern score, in this process (see `engrave_isolated`).

    Engraving is a tenth of drawing's cost, so a caller that may refuse a layout (more than one
    system) looks at the engraving first and draws only what it keeps.

    Raises:
        RenderError: "verovio_error" when Verovio refuses the input or engraves no note or rest.
        ValueError: Verovio ignored one of `options` (out of its range).
    """
    toolkit = _toolkit()
    _set_options(toolkit, options)
    loaded = toolkit.loadData(kern)  # False only when the input is not read at all; Humdrum rarely is not
    pages = [toolkit.renderToSVG(page) for page in range(1, toolkit.getPageCount() + 1)] if loaded else []
    if not any(_EVENT.search(svg) for svg in pages):
        raise RenderError("verovio_error", f"no note or rest drawn: {kern[:80]}")
    systems = [len(_SYSTEM.findall(svg)) for svg in pages]
    info = {"options": dataclasses.asdict(options), "pages": len(pages), "systems": sum(systems),
            "systems_per_page": systems, "notes": sum(len(_NOTE.findall(svg)) for svg in pages),
            "curves": [curve for svg in pages for curve in _CURVE.findall(svg)]}
    return Engraving(pages, info)


def _for_mupdf(svg: str, background: str = "#ffffff") -> str | None:
    """Verovio's SVG on `background`, its stylesheet written into attributes, for MuPDF; None when that would change it.

    Without words, three of the stylesheet's rules can show: every shape is stroked in the current
    colour (stems, staff lines and bar lines are strokes), a placeholder group is hidden (a dot at
    a system's start); and the inner `<svg>` gets the outer one's size, which MuPDF does not
    default to. Words, a cursor or another stylesheet are left to resvg.
    """
    style, size = _STYLE.search(svg), _SIZE.match(svg)
    if "<text" in svg or not (style and size) or \
            _RULE_SCOPE.sub("", style.group(1)) != _STYLESHEET:
        return None
    plain = _PLACEHOLDER.sub("", _STROKED.sub(r'<\1 stroke="currentColor"', svg))
    if _HIDDEN.search(plain):  # a cursor, or a placeholder of a shape the pattern does not know
        return None
    width, height = size.groups()
    paper = f'<rect width="{width}" height="{height}" fill="{background}"/>'
    return plain.replace('<svg class="definition-scale"',
                         f'{paper}<svg class="definition-scale" width="{width}" height="{height}"', 1)


def _draw_page(svg: str, options: ScoreOptions) -> tuple[Image.Image, str]:
    """One page's SVG drawn on the background, and by what: MuPDF when `_for_mupdf` can translate it, else resvg."""
    plain = _for_mupdf(svg, options.background)
    if plain is not None:
        return render_svg(plain), "mupdf"
    return rasterise(svg, background=options.background, serif=options.text_font), "resvg"


def draw(engraving: Engraving) -> Rendered:
    """Every page of an engraving drawn on its background and cropped to the music.

    Returns:
        One image per page; no texts; the engraving's info and "drawn_by", the rasteriser of each page.
    """
    options = ScoreOptions(**engraving.info["options"])
    drawn = [_draw_page(svg, options) for svg in engraving.pages]
    images = [crop_to_content(image, options.background, options.margin) for image, _ in drawn]
    return Rendered(images, [], {**engraving.info, "drawn_by": [by for _, by in drawn]})


def render_kern(kern: str, options: ScoreOptions = ScoreOptions()) -> Rendered:
    """Engrave a **kern score and draw every page, cropped to the music, in this process.

    Args:
        kern: a Humdrum file (its **kern spines are drawn; reference records only as `options.header` says).
        options: every layout and drawing choice (see ScoreOptions).

    Returns:
        One image per page; no texts; info as `Engraving.info`.

    Raises:
        RenderError: "verovio_error" when Verovio refuses the input or draws no note or rest.
        ValueError: Verovio ignored one of `options` (out of its range).
    """
    return draw(engrave(kern, options))


# Only engraving runs in the child: Verovio is the C++ that can abort; resvg is Rust, and SVG text
# crosses the pipe at a tenth of the bytes of the image drawn from it.
_CHILD = Isolated(engrave, timeout_s=60.0, name="verovio")


def engrave_isolated(kern: str, options: ScoreOptions = ScoreOptions()) -> Engraving:
    """`engrave` run in this process's long-lived Verovio child (what engines should call).

    Raises:
        RenderError: as `engrave`, or "renderer_crashed" / "render_timeout" (60 s) when Verovio
            died or hung on this input; the next call gets a fresh child.
    """
    return _CHILD(kern, options)


def render_kern_isolated(kern: str, options: ScoreOptions = ScoreOptions()) -> Rendered:
    """`render_kern` with the engraving done in the Verovio child (see `engrave_isolated`)."""
    return draw(engrave_isolated(kern, options))
