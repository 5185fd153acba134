"""`--source` for handwriting: real handwritten lines (and whole pages) with their transcripts, pasted on paper.

What a user points `--source` at, a folder holding either or both of:

* `transcripts.json`: image file name -> its transcript. A one-line transcript is a LINE image (IAM-style); a
  transcript with newlines is a whole PAGE or paragraph, its lines in reading order.
* `lines.json`: page image file name -> its lines, `{"type", "text", "polygon"}` each (the Memorials/CATMuS
  layout: SegmOnto types, ALTO order). Each handwritten line (`type` "DefaultLine:Handwritten" or
  "InterlinearLine:Handwritten") is cut out along its polygon and used as a LINE; the page itself is used whole
  when every line on it is handwritten and transcribed and the lines run top to bottom (otherwise printed
  letterheads, signatures or a date beside the address would make the whole-page target wrong or out of order).

A sample is either 6-8 lines pasted onto a blank page, as the GOT paper built its handwriting pages (ink
separated from the scan's paper, each line scaled to one letter size, slightly tilted, at a ruled pitch; target =
the lines' transcripts top to bottom), or a whole page on its own (target = its lines). Pasted lines are
consecutive lines of ONE document, in its order, wherever the source says which lines belong together, so a page
reads as a passage of a letter or form, not as shuffled fragments of several:

* `documents.json` (optional): document name -> its line image names in reading order (says it outright);
* else line image names that differ only by a final number (`<doc>_<n>`, `<doc>-<n>`: IAM's `a01-000u-00`,
  `-01`, ...) are one document, in the order of that number;
* the handwritten lines of a `lines.json` page are one document, in the file's order.

A line no document holds (a lone file) is pasted with other such lines of its language, in random order.
White-on-black images (IAM crops as preprocessed by FSDL) are inverted. Transcript conventions: `^` marks the
following letters as superscript (`21^st`): the image shows those letters raised, so the plain-text target
writes them inline (`21st`); `⟦...⟧` marks struck or illegible text that no target can spell, so such a line (or
page) is skipped. Items that cannot be used are skipped at load with a counted reason.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError

from engines.base import SampleError, source_index
from engines.source import Found
from renderers.scripts import text_lang

HANDWRITTEN = ("DefaultLine:Handwritten", "InterlinearLine:Handwritten")
STRUCK = re.compile("[\u27e6\u27e7]")
MIN_SIDE = 8  # pixels: a smaller image holds no legible line
MAX_PIXELS = 60_000_000  # a larger file is a decompression bomb, not a scan
PAGE_SIDE = 1600  # a whole page is shrunk to this longest side (GOT reads 1024 px; a 300 dpi scan is 3,500)
NUMBERED = re.compile(r"(.+)[_-](\d+)")  # a line file's stem: its document, then its number in that document


@dataclass(frozen=True)
class Item:
    """One usable line or page: its image file, the polygon to cut (pixels; empty = whole image), its text, and
    whether it is a whole page (used on its own) or a line (pasted with others)."""

    path: str
    text: str
    lang: str
    polygon: tuple[tuple[float, float], ...] = ()
    page: bool = False
    doc: str = ""  # the document whose consecutive lines it is one of ("" = none known)


def check_source(source: str) -> None:
    """Raise ValueError naming the fix when `source` is not a folder with transcripts.json or lines.json."""
    root = Path(source)
    if not root.is_dir() or not ((root / "transcripts.json").is_file() or (root / "lines.json").is_file()):
        raise ValueError(f"--source {source}: expected a folder with transcripts.json (image -> transcript) and/or "
                         f"lines.json (page image -> line polygons and texts)")


def clean_text(text: str) -> str | None:
    """The plain-text target of a transcript: `^` superscript marks dropped; None when it marks struck text."""
    if STRUCK.search(text):
        return None
    return "\n".join(" ".join(line.replace("^", "").split()) for line in text.strip().split("\n"))


def _image_ok(path: Path, found: Found[Item]) -> bool:
    if not path.is_file():
        found.skip("missing_image", path.name)
        return False
    try:
        with Image.open(path) as im:
            w, h = im.size
    except (UnidentifiedImageError, OSError):
        found.skip("unreadable_image", path.name)
        return False
    if min(w, h) < MIN_SIDE or w * h > MAX_PIXELS:
        found.skip("bad_size", f"{path.name}: {w} x {h} px")
        return False
    return True


def _page_lines(root: Path, name: str, lines: list[dict], out: Found[Item]) -> None:
    """The handwritten lines of one lines.json page, and the page itself when it is wholly handwritten."""
    path = root / name
    if not _image_ok(path, out):
        return
    kept: list[Item] = []
    whole = True
    for line in lines:
        text = clean_text(line.get("text") or "")
        if line.get("type") not in HANDWRITTEN:
            out.skip("line_not_handwritten", name)
            whole = False
            continue
        if not text:
            out.skip("line_struck" if text is None else "line_untranscribed", name)
            whole = False
            continue
        poly = tuple((float(x), float(y)) for x, y in line.get("polygon") or ())
        if len(poly) < 3:
            out.skip("line_no_polygon", name)
            whole = False
            continue
        kept.append(Item(str(path), text, text_lang(text), poly, doc=name))
    out.items.extend(kept)
    centres = [np.mean([p[1] for p in item.polygon]) for item in kept]
    if whole and kept and all(b > a for a, b in zip(centres, centres[1:])):
        text = "\n".join(item.text for item in kept)
        out.items.append(Item(str(path), text, text_lang(text), page=True))
    elif kept:
        out.skip("page_not_whole", name)


def load(source: str) -> Found[Item]:
    """Every usable page and line under `source` (see the module docstring), in a stable order: pages first.

    Returns:
        the pages, then the lines, and by reason what was skipped: "missing_image", "unreadable_image", "bad_size",
        "empty_transcript", "struck_text", "line_not_handwritten", "line_untranscribed", "line_struck",
        "line_no_polygon", "page_not_whole" (its lines are used, the page is not).
    """
    check_source(source)
    root, out = Path(source), Found[Item]()
    outlined: set[str] = set()
    if (root / "lines.json").is_file():
        for name, lines in sorted(json.loads((root / "lines.json").read_text(encoding="utf-8")).items()):
            outlined.add(name)
            _page_lines(root, name, lines, out)
    if (root / "transcripts.json").is_file():
        lines: list[Item] = []
        for name, raw in sorted(json.loads((root / "transcripts.json").read_text(encoding="utf-8")).items()):
            if name in outlined:
                continue  # its lines.json entry says more (line outlines, types)
            text = clean_text(raw or "")
            if not text:
                out.skip("struck_text" if text is None else "empty_transcript", name)
                continue
            if _image_ok(root / name, out):
                (out.items if "\n" in text else lines).append(Item(str(root / name), text, text_lang(text),
                                                                     page="\n" in text))
        out.items.extend(in_documents(lines, _documents(root)))
    out.items.sort(key=lambda item: not item.page)  # stable: pages, then lines, each in the order read
    return out


def _documents(root: Path) -> dict[str, list[str]]:
    """`documents.json` (document -> its line files in order), or {} when the source has none.

    Raises:
        ValueError: the file is not such a mapping (the message names the file and the layout it needs).
    """
    path = root / "documents.json"
    if not path.is_file():
        return {}
    docs = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(docs, dict) or not all(isinstance(v, list) and all(isinstance(f, str) for f in v)
                                             for v in docs.values()):
        raise ValueError(f"{path}: expected {{document name: [line image file names in reading order]}}")
    return docs


def in_documents(lines: list[Item], documents: dict[str, list[str]]) -> list[Item]:
    """The line items with their document set, each document's lines together and in order, then the lines of none.

    `documents` (from documents.json) places the files it names; the others are grouped by `NUMBERED` names, a
    group of one being no document.
    """
    by_name = {Path(item.path).name: item for item in lines}
    placed: dict[str, list[Item]] = {}
    for doc, names in documents.items():
        placed[doc] = [by_name.pop(n) for n in names if n in by_name]
    numbered: dict[str, list[tuple[int, Item]]] = {}
    for name in list(by_name):
        m = NUMBERED.fullmatch(Path(name).stem)
        if m:
            numbered.setdefault(m[1], []).append((int(m[2]), by_name.pop(name)))
    for doc, members in numbered.items():
        placed.setdefault(doc, []).extend(item for _, item in sorted(members, key=lambda m: m[0]))
    out = [dataclasses.replace(item, doc=doc if len(items) > 1 else "")
           for doc, items in sorted(placed.items()) for item in items]
    return out + list(by_name.values())


@functools.lru_cache(maxsize=8)
def _grey(path: str) -> np.ndarray:
    """The image as 8-bit grey, dark ink on light paper (a white-on-black image is inverted)."""
    with Image.open(path) as im:
        g = np.asarray(im.convert("L"))
    border = np.concatenate([g[0], g[-1], g[:, 0], g[:, -1]])
    return 255 - g if np.median(border) < 128 else g


def ink_alpha(grey: np.ndarray) -> np.ndarray:
    """How much ink each pixel holds (0-1): darkness under the local paper level, paper texture cut away.

    The paper's level is a grey closing (ink removed by a maximum filter wider than a stroke), so uneven light
    and yellowed paper fall away; Otsu's threshold on the darkness then splits ink from the paper's grain, and
    alpha ramps from just under that threshold to the ink's typical darkness.
    """
    k = max(15, (min(grey.shape) // 4) | 1)
    paper = cv2.dilate(grey, np.ones((k, k), np.uint8))
    dark = cv2.subtract(paper, grey)
    t, _ = cv2.threshold(dark, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    t = max(float(t), 25.0)
    inked = dark[dark > t]
    full = max(float(np.percentile(inked, 75)) if inked.size else t * 2, t * 1.5)
    low = t * 0.85  # lower lets show-through and paper print (faint, under Otsu) back in
    alpha = np.clip((dark.astype(np.float32) - low) / (full - low), 0, 1)
    return alpha


def _cut(item: Item) -> np.ndarray:
    """The item's ink alpha: the polygon's inside for a page line (neighbouring lines' strokes removed), else all."""
    grey = _grey(item.path)
    if not item.polygon:
        return ink_alpha(grey)
    poly = np.asarray(item.polygon, dtype=np.float32)
    x0, y0 = np.floor(poly.min(axis=0)).astype(int).clip(0)
    x1, y1 = np.ceil(poly.max(axis=0)).astype(int)
    crop = grey[y0:y1, x0:x1]
    mask = np.zeros(crop.shape, np.uint8)
    cv2.fillPoly(mask, [np.round(poly - (x0, y0)).astype(np.int32)], 1)
    return ink_alpha(crop) * mask


def line_ink(item: Item) -> np.ndarray:
    """A line's ink alpha trimmed to its ink, with strokes of the lines above and below removed.

    A line crop cut by a box catches descenders of the line above and ascenders of the line below; a connected
    piece of ink that touches the top or bottom edge and stays within the outer third of the crop is one of
    those, not part of this line (a stroke of this line that reaches an edge also reaches into its body).
    """
    alpha = _cut(item)
    h = alpha.shape[0]
    speck = max(4.0, (0.02 * h) ** 2)
    n, labels, stats, _ = cv2.connectedComponentsWithStats((alpha > 0.3).astype(np.uint8), connectivity=8)
    for i in range(1, n):
        top, bottom = stats[i, cv2.CC_STAT_TOP], stats[i, cv2.CC_STAT_TOP] + stats[i, cv2.CC_STAT_HEIGHT]
        above = top <= 1 and bottom < 0.35 * h  # hangs from the top edge, never reaching this line's body
        below = bottom >= h - 1 and top > 0.65 * h
        if above or below or stats[i, cv2.CC_STAT_AREA] < speck:
            alpha[labels == i] = 0
    rows, cols = np.nonzero(alpha > 0.3)
    if not len(rows):
        raise SampleError("source_no_ink", item.path)
    return alpha[rows.min():rows.max() + 1, cols.min():cols.max() + 1]


def _core_height(alpha: np.ndarray) -> float:
    """A line's letter size: the spread (interquartile range) of its ink over rows, which ascenders barely move."""
    profile = alpha.sum(axis=1)
    cdf = np.cumsum(profile) / max(float(profile.sum()), 1e-6)
    return float(max(4, np.searchsorted(cdf, 0.75) - np.searchsorted(cdf, 0.25)))


def _paper(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    tone = int(rng.integers(232, 256))
    page = np.empty((height, width, 3), dtype=np.uint8)
    page[:] = (tone, tone, int(tone - rng.integers(0, 16)))
    return page


def _ink_onto(page: np.ndarray, alpha: np.ndarray, x: int, y: int, ink: tuple[int, int, int]) -> None:
    h, w = alpha.shape
    region = page[y:y + h, x:x + w].astype(np.float32)
    tint = 1 - alpha[..., None] * (1 - np.asarray(ink, dtype=np.float32) / 255)
    page[y:y + h, x:x + w] = np.clip(region * tint, 0, 255).astype(np.uint8)


def _tilt(alpha: np.ndarray, degrees: float) -> np.ndarray:
    h, w = alpha.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(w * cos + h * sin) + 2, int(w * sin + h * cos) + 2
    m[:, 2] += (nw - w) / 2, (nh - h) / 2
    return cv2.warpAffine(alpha, m, (nw, nh), flags=cv2.INTER_LINEAR)


def _passage(items: list[Item], first: Item, rng: np.random.Generator, count: int) -> list[Item]:
    """The lines of one page, top to bottom: `count` consecutive lines of `first`'s document around `first` (fewer
    when the document is shorter), or, for a line of no document, `first` and other such lines of its language in
    random order."""
    doc = [it for it in items if first.doc and it.doc == first.doc and not it.page]
    if len(doc) > 1:
        count = min(count, len(doc))
        at = next(i for i, it in enumerate(doc) if it is first)
        start = min(max(0, at - int(rng.integers(count))), len(doc) - count)
        return doc[start:start + count]
    same = [it for it in items if not it.page and not it.doc and it.lang == first.lang and it is not first]
    count = min(len(same) + 1, count)
    chosen = [first, *(same[i] for i in rng.choice(len(same), size=count - 1, replace=False))]
    return [chosen[i] for i in rng.permutation(len(chosen))]


def compose(items: list[Item], rng: np.random.Generator, index: int, attempt: int, lines_min: int, lines_max: int,
            seed: int = 0) -> tuple[np.ndarray, list[tuple[str, tuple[float, float, float, float]]], dict]:
    """One page: a whole source page, or `lines_min`-`lines_max` source lines of one language pasted on paper;
    which one is item `source_index(..., seed)` of `items` (a walk shuffled by the build's seed).

    Returns:
        (page pixels, each target line with its box, meta); a whole page gives one box around all of it.
    """
    item = items[source_index(len(items), index, attempt, seed)]
    ink = (int(rng.integers(10, 40)), int(rng.integers(10, 40)), int(rng.integers(20, 90)))
    if item.page:
        alpha = ink_alpha(_grey(item.path))
        shrink = min(1.0, PAGE_SIDE / max(alpha.shape))
        if shrink < 1:
            size = (max(1, round(alpha.shape[1] * shrink)), max(1, round(alpha.shape[0] * shrink)))
            alpha = cv2.resize(alpha, size, interpolation=cv2.INTER_AREA)
        margin = int(max(alpha.shape) * rng.uniform(0.03, 0.08))
        page = _paper(rng, alpha.shape[1] + 2 * margin, alpha.shape[0] + 2 * margin)
        _ink_onto(page, alpha, margin, margin, ink)
        box = (float(margin), float(margin), float(margin + alpha.shape[1]), float(margin + alpha.shape[0]))
        meta = {"lang": item.lang, "source": "page", "files": [Path(item.path).name], "document": ""}
        return page, [(item.text, box)], meta
    chosen = _passage(items, item, rng, int(rng.integers(lines_min, lines_max + 1)))
    core = float(rng.uniform(9, 15))  # the lines' ink spread (about half an x-height... see _core_height), pixels
    inks = []
    for line in chosen:
        alpha = line_ink(line)
        scale = core / _core_height(alpha)
        size = (max(1, round(alpha.shape[1] * scale)), max(1, round(alpha.shape[0] * scale)))
        inks.append(_tilt(cv2.resize(alpha, size, interpolation=cv2.INTER_AREA), float(rng.normal(0, 0.6))))
    pitch = max(a.shape[0] for a in inks) * float(rng.uniform(1.0, 1.25))
    left, top = int(core * rng.uniform(2, 5)), int(core * rng.uniform(2, 5))
    width = left * 2 + max(a.shape[1] for a in inks) + int(core * 2)
    height = int(top * 2 + pitch * len(inks))
    page = _paper(rng, width, height)
    lines = []
    for row, (line, alpha) in enumerate(zip(chosen, inks)):
        x = left + int(rng.uniform(0, core * 1.5))
        y = int(top + row * pitch + (pitch - alpha.shape[0]) / 2)
        _ink_onto(page, alpha, x, y, ink)
        lines.append((line.text, (float(x), float(y), float(x + alpha.shape[1]), float(y + alpha.shape[0]))))
    meta = {"lang": item.lang, "source": "lines", "files": [Path(i.path).name for i in chosen], "document": item.doc}
    return page, lines, meta
