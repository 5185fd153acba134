"""`--source DIR` of real photos: robust opening, and PP-OCR pseudo-labels kept only where the reader is sure.

Raw whole-image readings of real photos are mostly wrong (the design card: median token F1 0.13 against people), so a
detected line is KEPT only when every check agrees: a line height of at least `MIN_HEIGHT` px, a box that is a
near-rectangle of text shape (not a sliver, not tall-and-narrow for Latin), a consensus of three readings (the
detector's own, the line's crop rectified with a wider margin, and the crop enlarged `ENLARGE` times: the recogniser
sees other pixels each time), and at least `MIN_CHARS` letters or digits in the agreed text. Consensus: two
readings at confidence >= `SURE` say the same (NFKC, spaces ignored; case counts), or all three do at >= `LEGIBLE`
with one at `SURE`; the detector's reading is the line's text when it is one of them. One reading alone, however
sure, is not trusted: in the annotated photos the detector's reading dropped a line's first letter ("lease lower
your volume") at 0.98 while both other readings said "Please"; nor are two that agree below `SURE` against a
third ("Multiplled Cen" at 0.95 and 0.96 for a receipt's "Multiplled Cpn"). A detected line that fails but was
itself read with some
confidence (`LEGIBLE`) is legible text the target would leave out, so the whole image is REFUSED
("dropped_legible_line"): a target must name all the text its image shows. So is a photo where a second, finer
detection (the photo at up to 1600 px) finds legible text no kept line covers ("small_text_left_out"). Lines
read with less confidence are taken as illegible (the ICDAR "###"), and may stay unnamed. Target = kept lines in
reading order, one a line.

Opening a user's file never stops a build: empty, not an image, truncated, a decompression bomb, too small are
skipped with their reason; CMYK, 16-bit, palette and alpha images are converted; an animated file gives its first
frame; a phone photo's EXIF orientation is applied before reading.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from engines.base import SampleError
from renderers import ppocr
from renderers.result import DrawnText, in_reading_order

SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff")
MAX_PIXELS = 64_000_000  # larger images are refused as decompression bombs
MIN_SIDE = 32
READ_SIDE = 1600  # longer side photos are read at (larger ones are shrunk first)
SURE = 0.95
MIN_CHARS = 4  # letters or digits: PP-OCR drops or adds edge punctuation on short numbers (".75-" read "75-")
LEGIBLE = 0.75
MIN_HEIGHT = 12.0
SECOND_PAD = 0.3  # the second reading's margin, in line heights (the first reading's detector box has its own)
ENLARGE = 2  # the third reading's enlargement (Lanczos) of the region around the line
THIRD_PAD = 0.15
OPTIONS = ppocr.ReadOptions(det_side=960, det_limit="max", use_cls=True, min_score=0.0)
# A second detection at full reading size finds small text the first missed (a sticker, a route map): legible
# text there that no kept line covers refuses the photo too ("small_text_left_out").
FINE = ppocr.ReadOptions(det_side=READ_SIDE, det_limit="max", use_cls=False, min_score=LEGIBLE)


class Unreadable(SampleError):
    """A source file that cannot be used; `reason` is the counted slug (a skip at load, a failed draw when drawn)."""


def image_files(source: str) -> list[Path]:
    """The image files under `source` (or the file itself), sorted; other files are not looked at."""
    root = Path(source)
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def open_photo(path: Path) -> Image.Image:
    """A user's photo as upright 8-bit RGB, however it was stored.

    Raises:
        Unreadable: "empty_file", "not_an_image", "decompression_bomb", "truncated_image", "image_too_small".
    """
    if path.stat().st_size == 0:
        raise Unreadable("empty_file", str(path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise Unreadable("decompression_bomb", f"{path}: {img.width}x{img.height}")
                img.seek(0)  # an animated file: its first frame
                img.load()
                image = ImageOps.exif_transpose(img)
                image = _eight_bit_rgb(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Unreadable("decompression_bomb", f"{path}: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise Unreadable("not_an_image", str(path)) from exc
    except (OSError, SyntaxError, ValueError) as exc:  # "image file is truncated", broken chunks
        raise Unreadable("truncated_image", f"{path}: {exc}") from exc
    if min(image.size) < MIN_SIDE:
        raise Unreadable("image_too_small", f"{path}: {image.width}x{image.height}")
    return image


def _eight_bit_rgb(image: Image.Image) -> Image.Image:
    """RGB with 8 bits a channel: 16-bit and 32-bit greys scaled (not clipped), alpha composited on white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        a = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I;16") or a.max() > 255 else 255.0
        return Image.fromarray(np.clip(a / top * 255 + 0.5, 0, 255).astype(np.uint8)).convert("RGB")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


@dataclass
class Labelled:
    """A photo's pseudo-label: the lines kept in reading order, or why the photo is refused, and every reading."""

    kept: list[DrawnText]  # with their agreed text, in reading order (also when the photo is refused)
    refused: str | None
    read: list[DrawnText]  # every detected line as the detector's reading said it
    verdicts: list[str]  # per detected line: "kept" or why not


def _same(text: str) -> str:
    """What two readings must share to agree: the text in NFKC, spaces ignored (case counts: a target names each
    letter as the photo shows it)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _shape_ok(line: DrawnText) -> tuple[bool, float]:
    """(whether the quad is a plausible text line, its height): near-rectangular, not thinner than 1:1 for
    Latin text unless a single character."""
    p = np.asarray(line.quad, dtype=np.float64)
    top, bottom = np.linalg.norm(p[1] - p[0]), np.linalg.norm(p[2] - p[3])
    left, right = np.linalg.norm(p[3] - p[0]), np.linalg.norm(p[2] - p[1])
    height, width = (left + right) / 2, (top + bottom) / 2
    rectangular = abs(top - bottom) <= 0.25 * max(top, bottom) and abs(left - right) <= 0.25 * max(left, right)
    return rectangular and width >= 0.8 * height, float(height)


def agreed(readings: list[DrawnText]) -> DrawnText | None:
    """The reading two readings at confidence >= `SURE` agree on (`_same`), or all readings at >= `LEGIBLE` with
    one at `SURE`, else None. Of the agreeing readings, the one that sees the most word spaces, then the first
    (the detector's, when it agrees): the recogniser drops a narrow gap far more often than it invents one (on the
    photos of ../shared/data/scene, 4 of 4 sure lines whose readings differed only in spaces: a bank slip's
    "MERCHANT NAME" read "MERCHANTNAME" by two readings of three, the one that saw the space was right)."""
    for r in readings:
        same = [o for o in readings if _same(o.text) == _same(r.text)]
        scores = [o.score for o in same]
        if r.text.strip() and (sum(v >= SURE for v in scores) >= 2 or (
                len(same) == len(readings) and min(scores) >= LEGIBLE and max(scores) >= SURE)):
            return max(same, key=lambda o: len(o.text.split()))  # the first of the most spaced
    return None


def verdict(line: DrawnText, others: list[DrawnText]) -> tuple[str, DrawnText | None]:
    """("kept", the line with its agreed text) or (the first check the line fails, None); `others` are the line's
    crop readings (`second_readings`)."""
    shape_ok, height = _shape_ok(line)
    if height < MIN_HEIGHT:
        return "too_small", None
    if not shape_ok:
        return "odd_box", None
    readings = [line, *others]
    text = agreed(readings)
    if text is None:
        return ("low_confidence" if line.score < SURE else "readings_disagree"), None
    if sum(ch.isalnum() for ch in text.text) < MIN_CHARS:
        return "too_short", None
    return "kept", DrawnText(text.text, line.quad, min(r.score for r in readings if _same(r.text) == _same(text.text)))


def second_readings(image: Image.Image, quads: list) -> list[list[DrawnText]]:
    """Each line's crop read twice more: rectified with a wider margin, and from its region enlarged `ENLARGE`
    times."""
    wide = ppocr.read_crops(image, quads, pad=SECOND_PAD)
    enlarged = []
    for quad in quads:
        p = np.asarray(quad, dtype=np.float64)
        reach = float(np.linalg.norm(p[3] - p[0])) + 2
        left, top = np.floor(np.maximum(p.min(axis=0) - reach, 0)).astype(int)
        right, bottom = np.ceil(np.minimum(p.max(axis=0) + reach, image.size)).astype(int)
        region = image.crop((left, top, right, bottom))
        region = region.resize((region.width * ENLARGE, region.height * ENLARGE), Image.Resampling.LANCZOS)
        moved = [((x - left) * ENLARGE, (y - top) * ENLARGE) for x, y in p]
        enlarged.append(ppocr.read_crops(region, [moved], pad=THIRD_PAD)[0])
    return [[w, e] for w, e in zip(wide, enlarged)]


def label(image: Image.Image) -> Labelled:
    """Pseudo-label one photo (already opened upright by `open_photo`).

    Returns:
        the lines kept (in reading order), the refusal reason if any ("no_text", "dropped_legible_line"),
        every detected line and its verdict.
    """
    scale = min(1.0, READ_SIDE / max(image.size))
    small = image if scale == 1.0 else image.resize((round(image.width * scale), round(image.height * scale)),
                                                    Image.Resampling.LANCZOS)
    found = [t for t in ppocr.read(small, OPTIONS).texts if t.text.strip()]
    found = [DrawnText(t.text, tuple((x / scale, y / scale) for x, y in t.quad), t.score) for t in found]
    ok = [t for t in found if _area(t) >= 4]
    judged = [verdict(t, o) for t, o in zip(ok, second_readings(image, [t.quad for t in ok]))]
    verdicts = [v for v, _ in judged]
    kept = [t for _, t in judged if t is not None]
    dropped = [t for t, (v, _) in zip(ok, judged) if v != "kept" and t.score >= LEGIBLE]
    refused = "dropped_legible_line" if dropped else ("no_text" if not kept else None)
    if refused is None and _left_out(small, scale, kept):
        refused = "small_text_left_out"
    return Labelled(in_reading_order(kept, lambda t: t.quad), refused, ok, verdicts)


def _left_out(small: Image.Image, scale: float, kept: list[DrawnText]) -> bool:
    """Whether a finer detection finds legible text (two letters or digits or more) that no kept line covers."""
    covers = [np.asarray(t.quad, dtype=np.float32) * scale for t in kept]
    for line in ppocr.read(small, FINE).texts:
        if sum(ch.isalnum() for ch in line.text) < 2:
            continue
        centre = np.asarray(line.quad, dtype=np.float32).mean(axis=0)
        if not any(cv2.pointPolygonTest(c.reshape(-1, 1, 2), (float(centre[0]), float(centre[1])), False) >= 0
                   for c in covers):
            return True
    return False


def _area(line: DrawnText) -> float:
    xs, ys = np.asarray(line.quad, dtype=np.float64).T
    return abs(float(xs @ np.roll(ys, -1) - ys @ np.roll(xs, -1))) / 2
