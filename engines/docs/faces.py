"""The faces generated docs pages are set in: Latin and Chinese families with their bold and italic, and a
monospace face for code, each embedded so that its text layer reads back the code points the page drew.

Families (all from Debian packages in the Makefile's APT_PACKAGES): Times- and Arial-metric faces (Liberation,
TeX Gyre Termes and Heros, MuPDF's own Nimbus clones), other book faces (TeX Gyre Pagella, Schola and Bonum, URW P052, C059 and
Bookman), Latin Modern (TeX's own), DejaVu, and MuPDF's built-in Times and Helvetica clones; for Chinese, Song/Ming
(Noto Serif CJK SC, AR PL UMing CN, AR PL SungtiL GB), Hei (Noto Sans CJK SC) and Kai
(AR PL KaitiM GB, LXGW WenKai). No free FangSong with Simplified Chinese glyphs is packaged in Debian
(fonts-cwtex-fs is Traditional Chinese), so government notices use Song and Kai. A Chinese face without a bold
weight draws its bold runs in Noto Sans CJK SC Bold (Hei), as Chinese documents set bold headings in Hei.
Faces named like MuPDF's own built-in and fallback fonts (URW Nimbus, Droid Sans Fallback) are left out: an
embedded copy under the same name made a page's layout depend on what the process had drawn before.

MuPDF cannot pick a face out of a `.ttc` collection, so a face is copied out once per process with fontTools
(well under a second a Latin face), without its GSUB table, whose contextual forms draw some digits with glyphs that
map back to no character, and with one code point per glyph (`one_code_point_per_glyph`), so the text layer reads
back the code points the prose holds.

A Chinese face is cut down to the characters pages draw (`cut`): MuPDF embeds a face whole, and a whole Noto CJK
face is 17-24 MB with 65,000 glyphs, whose widths and ToUnicode entries MuPDF writes, and whose bytes it copies and
parses again, on every page (a Chinese page with a body face and the Hei bold cost 0.45 CPU-s, three times an
English one). The cut keeps GB 2312's 3,755 level-1 hanzi (the common ones), Latin, punctuation and full-width
forms, and every character a page has asked for (the caller passes the page's text: a page's own characters are
always in its face, so a cut draws the same pixels as the whole face; a character the face lacks still falls back
to MuPDF's faces, as before). A Noto CJK cut is about 2 MB; cutting one costs about a CPU-second, once per process
and again only when a page needs a character the cut lacks.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from dataclasses import dataclass
from typing import Any

import pymupdf

STYLES = ("regular", "bold", "italic", "bolditalic")
GYRE = "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyre{}-{}.otf"
LM = "/usr/share/texmf/fonts/opentype/public/lm/lm{}.otf"
URW = "/usr/share/fonts/opentype/urw-base35/{}.otf"
LIBERATION = "/usr/share/fonts/truetype/liberation/Liberation{}.ttf"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVu{}.ttf"
NOTO = "/usr/share/fonts/opentype/noto/Noto{}CJK-{}.ttc"
BUILTIN = {"times": "serif", "helvetica": "sans-serif"}  # MuPDF's own Nimbus faces, by CSS generic name


@dataclass(frozen=True)
class Family:
    """A family's files by style (path, or (path, face index) in a collection); a style it lacks is drawn with
    the regular file (Latin) or the Hei bold (Chinese bold)."""

    key: str
    files: dict[str, str | tuple[str, int]]
    cjk: bool = False
    kind: str = "serif"  # serif, sans, song, hei, kai, mono: what the realism report counts


def _gyre(name: str) -> dict[str, str]:
    return {s: GYRE.format(name, s) for s in STYLES}


def _urw(name: str, roman: str = "Roman", bold: str = "Bold", italic: str = "Italic",
         bolditalic: str = "BdIta") -> dict[str, str]:
    return {"regular": URW.format(f"{name}-{roman}"), "bold": URW.format(f"{name}-{bold}"),
            "italic": URW.format(f"{name}-{italic}"), "bolditalic": URW.format(f"{name}-{bolditalic}")}


NOTO_SC = 2  # the Simplified Chinese face's index in Debian's Noto CJK collections (JP, KR, SC, TC, HK)
LATIN = {f.key: f for f in (
    Family("liberation-serif", {s: LIBERATION.format(f"Serif-{s.title().replace('italic', 'Italic')}")
                                for s in STYLES}),
    Family("liberation-sans", {s: LIBERATION.format(f"Sans-{s.title().replace('italic', 'Italic')}")
                               for s in STYLES}, kind="sans"),
    Family("termes", _gyre("termes")),
    Family("heros", _gyre("heros"), kind="sans"),
    Family("pagella", _gyre("pagella")),
    Family("schola", _gyre("schola")),
    Family("bonum", _gyre("bonum")),
    Family("p052", _urw("P052", bolditalic="BoldItalic")),
    Family("c059", _urw("C059")),
    Family("bookman", _urw("URWBookman", "Light", "Demi", "LightItalic", "DemiItalic")),
    Family("latin-modern", {"regular": LM.format("roman10-regular"), "bold": LM.format("roman10-bold"),
                            "italic": LM.format("roman10-italic"), "bolditalic": LM.format("roman10-bolditalic")}),
    Family("latin-modern-sans", {"regular": LM.format("sans10-regular"), "bold": LM.format("sans10-bold"),
                                 "italic": LM.format("sans10-oblique"),
                                 "bolditalic": LM.format("sans10-boldoblique")}, kind="sans"),
    Family("dejavu-serif", {"regular": DEJAVU.format("Serif"), "bold": DEJAVU.format("Serif-Bold"),
                            "italic": DEJAVU.format("Serif-Italic"), "bolditalic": DEJAVU.format("Serif-BoldItalic")}),
    Family("dejavu-sans", {"regular": DEJAVU.format("Sans"), "bold": DEJAVU.format("Sans-Bold"),
                           "italic": DEJAVU.format("Sans-Oblique"), "bolditalic": DEJAVU.format("Sans-BoldOblique")},
           kind="sans"),
    Family("times", {}),
    Family("helvetica", {}, kind="sans"),
)}
CJK = {f.key: f for f in (
    Family("noto-serif-cjk", {"regular": (NOTO.format("Serif", "Regular"), NOTO_SC),
                              "bold": (NOTO.format("Serif", "Bold"), NOTO_SC)}, True, "song"),
    Family("noto-sans-cjk", {"regular": (NOTO.format("Sans", "Regular"), NOTO_SC),
                             "bold": (NOTO.format("Sans", "Bold"), NOTO_SC)}, True, "hei"),
    Family("uming", {"regular": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0)}, True, "song"),
    Family("sungti", {"regular": "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"}, True, "song"),
    Family("kaiti", {"regular": "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"}, True, "kai"),
    Family("wenkai", {"regular": "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
                      "bold": "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Bold.ttf"}, True, "kai"),
)}
MONO = {f.key: f for f in (
    Family("liberation-mono", {s: LIBERATION.format(f"Mono-{s.title().replace('italic', 'Italic')}")
                               for s in STYLES}, kind="mono"),
    Family("dejavu-mono", {"regular": DEJAVU.format("SansMono"), "bold": DEJAVU.format("SansMono-Bold")},
           kind="mono"),
    Family("cursor", _gyre("cursor"), kind="mono"),
    Family("latin-modern-mono", {"regular": LM.format("mono10-regular")}, kind="mono"),
)}
FAMILIES = {**LATIN, **CJK, **MONO}
HEI_BOLD = CJK["noto-sans-cjk"].files["bold"]


def css(key: str, family: str) -> str:
    """The @font-face rules naming every style of a family `family` in CSS (none for MuPDF's built-in faces)."""
    face = FAMILIES[key]
    if key in BUILTIN:
        return ""
    rules = []
    for style in STYLES:
        weight = "bold" if "bold" in style else "normal"
        slant = "italic" if "italic" in style else "normal"
        rules.append(f"@font-face {{font-family: {family}; src: url({_file_name(_file(face, style))}); "
                     f"font-weight: {weight}; font-style: {slant};}}")
    return "\n".join(rules) + "\n"


def family_name(key: str) -> str:
    """The CSS font-family a family's text is set in."""
    return BUILTIN.get(key, key)


def _file(face: Family, style: str) -> str | tuple[str, int]:
    """The file drawing `style`: its own, or for a style the family lacks the nearest it has."""
    if style in face.files:
        return face.files[style]
    if "bold" in style and face.cjk:
        return HEI_BOLD
    bold = "bold" if "bold" in style and "bold" in face.files else "regular"
    return face.files[bold]


def _file_name(source: str | tuple[str, int]) -> str:
    path, index = (source, 0) if isinstance(source, str) else source
    return f"{path.rsplit('/', 1)[-1].rsplit('.', 1)[0]}-{index}.otf"


def archive(keys: tuple[str, ...], chars: frozenset[str] = frozenset()) -> pymupdf.Archive:
    """An Archive holding every file the families `keys` draw with: a Latin face rewritten once per process, a
    Chinese one cut to hold at least `chars` (the characters the page draws: see `cut`)."""
    out = pymupdf.Archive()
    for key, source in dict.fromkeys((k, _file(FAMILIES[k], s)) for k in keys if k not in BUILTIN for s in STYLES):
        data = cut(source, chars) if FAMILIES[key].cjk else _rewritten(source)
        out.add(data, _file_name(source))
    return out


def _common() -> frozenset[str]:
    """What every Chinese cut holds: Latin (with accents), Greek, general punctuation, arrows and maths, CJK symbols
    and punctuation, full-width forms, and GB 2312's level-1 hanzi (its 3,755 most common; first byte 0xB0-0xD7)."""
    ranges = ((0x20, 0x250), (0x370, 0x400), (0x2000, 0x2070), (0x2100, 0x2300), (0x2460, 0x2500),
              (0x25A0, 0x2600), (0x3000, 0x3040), (0xFF00, 0xFFF0))
    chars = {chr(c) for lo, hi in ranges for c in range(lo, hi)}
    for code in range(0x4E00, 0xA000):
        try:
            if 0xB0 <= chr(code).encode("gb2312")[0] <= 0xD7:
                chars.add(chr(code))
        except UnicodeEncodeError:
            continue
    return frozenset(chars)


COMMON = _common()
_CUTS: dict[str | tuple[str, int], tuple[frozenset[str], bytes]] = {}  # per file: the characters cut, the bytes
# tables the subsetter cannot cut and MuPDF does not read (it warns on each otherwise): AAT morphing, FontForge's
# timestamp, X11 bitmap properties
DROPPED = ["mort", "morx", "FFTM", "BDF"]


def cut(source: str | tuple[str, int], chars: frozenset[str]) -> bytes:
    """A Chinese face (rewritten as `_rewritten` does) holding only the glyphs of `chars`, `COMMON` and whatever
    it was cut for before in this process; cut again only when `chars` holds a character the last cut lacks.

    Glyph ids are kept (`retain_gids`, the dropped glyphs empty): MuPDF writes a glyph id as the CID of a CID-keyed
    CFF face, and a renumbered cut drew blank glyphs.
    """
    from fontTools import subset

    have = _CUTS.get(source)
    if have is not None and chars <= have[0]:
        return have[1]
    keep = chars | COMMON | (have[0] if have else frozenset())
    font = _load(source)
    options = subset.Options(retain_gids=True, notdef_outline=True, recalc_bounds=False, recalc_timestamp=False,
                             layout_features=["*"], name_IDs=["*"], name_languages=["*"], glyph_names=True)
    options.drop_tables += DROPPED
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=[ord(c) for c in keep])
    cutter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    _CUTS[source] = (keep, buffer.getvalue())
    return _CUTS[source][1]


@functools.cache
def _rewritten(source: str | tuple[str, int]) -> bytes:
    """A Latin face file as MuPDF embeds it (`_load`)."""
    buffer = io.BytesIO()
    _load(source).save(buffer)
    return buffer.getvalue()


def _load(source: str | tuple[str, int]) -> Any:
    """A face as a fontTools font: the one face of a collection, no GSUB, one code point per glyph."""
    from fontTools.ttLib import TTCollection, TTFont

    path, index = (source, 0) if isinstance(source, str) else source
    # No bounding boxes recomputed: reading the cmap loads the CFF table (for glyph names), and recomputing
    # its boxes on save decodes all 65,000 glyphs (60 CPU-seconds a face); no timestamp, for the same bytes.
    keep = {"recalcBBoxes": False, "recalcTimestamp": False}
    font = TTCollection(path, **keep).fonts[index] if path.endswith(".ttc") else TTFont(path, **keep)
    if "GSUB" in font:  # its contextual forms map some digits to glyphs with no code point (U+F63C for "1")
        del font["GSUB"]
    one_code_point_per_glyph(font)
    return font


def one_code_point_per_glyph(font: Any) -> dict[int, int]:
    """Leave each glyph of a fontTools font mapped by one code point: the lowest that no normalisation changes
    (else the lowest NFC keeps).

    Why: MuPDF writes a PDF's ToUnicode map by walking the face's cmap, so a glyph several code points share
    reads back as the last of them, whatever the text said. Noto CJK gives 不 (U+4E0D) the glyph of U+F967,
    a compatibility ideograph, "-" that of U+2011, "•" that of U+30FB, 行 that of the Kangxi radical U+2F8F: the
    drawn page's text layer said U+F967, U+2011, U+30FB where the prose said 不, -, •. With one code point per
    glyph, the others are drawn from MuPDF's fallback faces, whose glyphs map back to them; preferring the code
    point NFKC keeps (the ideograph, not its radical) keeps the common character in the page's own face.

    Returns:
        the code points taken out, each with the one now naming its glyph.
    """
    def rank(code: int) -> tuple[bool, bool, int]:
        c = chr(code)
        return unicodedata.normalize("NFC", c) != c, unicodedata.normalize("NFKC", c) != c, code

    best = font.getBestCmap()
    keep: dict[str, int] = {}
    for code, glyph in best.items():
        if glyph not in keep or rank(code) < rank(keep[glyph]):
            keep[glyph] = code
    # spaces stay: a no-break space drawn from another face would change a code block's indentation
    dropped = {code: keep[glyph] for code, glyph in best.items() if keep[glyph] != code and not chr(code).isspace()}
    for table in font["cmap"].tables:
        if table.format != 14:  # variation sequences name glyphs of code points, not code points of glyphs
            table.cmap = {c: g for c, g in table.cmap.items() if c not in dropped}
    return dropped


@functools.cache
def _measure(key: str) -> pymupdf.Font:
    return pymupdf.Font(fontfile=MONO[key].files["regular"])


def width(key: str, text: str, size: float) -> float:
    """How wide `text` is in points, set upright in monospace family `key` at `size` points (a code block is sized
    by its longest line's width: `engines.docs.content`)."""
    return _measure(key).text_length(text, fontsize=size)
