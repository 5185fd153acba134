"""PaddleOCR's PP-OCR models as a reader: whole images (detect, orient, recognise) and single line crops.

PP-OCR runs through `rapidocr` (its wheel ships PP-OCRv6 det/rec "small" and the v2 angle classifier as ONNX,
run by onnxruntime) rather than through `paddleocr`, which downloads its models at run time. The trade-off:
rapidocr is one 30 MB wheel that works offline, but its default config resolves models by name and would
download any it lacks, so this module always passes the three model files inside the wheel by path (the
recogniser's character list is in the ONNX metadata), and nothing reaches the network.

One engine is loaded lazily per process and reused (import + load about 2 CPU-s); onnxruntime uses as many
threads as `OMP_NUM_THREADS` says when it is set (Ray sets it per worker), else all cores. Calls are not
thread-safe (per-call options are set on the shared engine); use one process per worker. Cost, measured on
2 cores, one thread: recognition dominates, about 0.16 CPU-s per 60-character line crop (0.05 s for 20
characters), so a dense 1000x1400 page of 40 such lines takes about 10 CPU-s (detection under 1 s of it).

Reader ceiling, to size what a pseudo-label can be trusted for (the design card, measured on real data):
whole-page reading of real PDFs at 150 dpi reaches order-free token F1 0.967 against their exact text layer
(median page CER 0.07, dominated by reading order; dense 2-column pages F1 0.92-0.96; Korean is not read);
real scene photos reach a median token F1 of only 0.13 against human transcripts, yet the same photos' 84
legible lines read by their human boxes (`read_crops`) agree exactly with the transcripts 73% of the time
(case-insensitive; median CER 0): most of the page-level gap is detection, not recognition. Compare per line
(crop by the line's box) or with an order-free token F1, never by whole-page CER on multi-column pages.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from renderers.result import DrawnText, Quad, Rendered, box_quad

MODELS = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


@dataclass(frozen=True)
class ReadOptions:
    """How `read` runs detection and recognition.

    Attributes:
        det_side: the side length detection scales the image to (see `det_limit`); larger finds smaller text,
            at quadratic cost.
        det_limit: "min": scale up so the SHORTER side is at least `det_side` (rapidocr's default, good for
            photos and small crops); "max": scale down so the LONGER side is at most `det_side` (bounded cost on
            large pages).
        use_cls: run the 0/180 degree angle classifier on each detected line (needed for upside-down text).
        min_score: lines recognised with a lower confidence are dropped.
    """

    det_side: int = 736
    det_limit: str = "min"
    use_cls: bool = True
    min_score: float = 0.5


def model_dir() -> Path:
    """The folder inside the rapidocr wheel that holds the ONNX models."""
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


@functools.cache
def engine() -> Any:
    """The process's rapidocr engine, loaded on first use from the models inside the wheel only.

    Returns:
        a `rapidocr.RapidOCR` with its detector, classifier and recogniser loaded.

    Raises:
        FileNotFoundError: a model file is missing from the installed rapidocr wheel.
    """
    from rapidocr import RapidOCR

    params: dict[str, Any] = {"Global.log_level": "error"}  # "no text found" is a result, not a warning
    for task, name in MODELS.items():
        path = model_dir() / name
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: reinstall rapidocr (3.10.x ships it in its wheel)")
        params[f"{task}.model_path"] = str(path)
    threads = int(os.environ.get("OMP_NUM_THREADS", "0") or 0)
    if threads > 0:
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
        params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
    ocr = RapidOCR(params=params)
    ocr._load_det_model(), ocr._load_cls_model(), ocr._load_rec_model()  # pay the load once, here
    return ocr


def _bgr(image: Image.Image) -> np.ndarray:
    """The image as the contiguous BGR uint8 array rapidocr expects."""
    return np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])


def _info(options: ReadOptions) -> dict[str, Any]:
    """JSON-safe facts about the reader and how it ran, for a sample's meta."""
    return {"reader": "rapidocr", "version": version("rapidocr"), "onnxruntime": version("onnxruntime"),
            "models": dict(MODELS), "det_side": options.det_side, "det_limit": options.det_limit,
            "use_cls": options.use_cls, "min_score": options.min_score}


def read(image: Image.Image, options: ReadOptions = ReadOptions()) -> Rendered:
    """Detect and recognise every text line of an image.

    Args:
        image: any PIL image (converted to RGB).
        options: detection size, angle classification and the confidence floor.

    Returns:
        `Rendered([image], texts, info)`: one `DrawnText` per line, top to bottom then left to right, its quad
        in the image's pixels (clockwise from top-left) and its confidence in `score`.

    Raises:
        ValueError: `options.det_limit` is neither "min" nor "max".
    """
    if options.det_limit not in ("min", "max"):
        raise ValueError(f"det_limit must be 'min' or 'max', not {options.det_limit!r}")
    rgb = image.convert("RGB")
    return Rendered([image], list(_read_cached(rgb.tobytes(), rgb.size, options)), _info(options))


# The last few images' readings are kept: a sample scored again with another target (`bench.mutate`),
# or read again by a reader that compares several things, is not read again. Eight: a multi-page sample's
# pages (GOT asks up to 8), which a smaller cache read afresh for every mutation, one after another.
@functools.lru_cache(maxsize=8)
def _read_cached(pixels: bytes, size: tuple[int, int], options: ReadOptions) -> tuple[DrawnText, ...]:
    image = Image.frombytes("RGB", size, pixels)
    ocr = engine()
    ocr.text_det.limit_side_len, ocr.text_det.limit_type = options.det_side, options.det_limit
    out = ocr(_bgr(image), use_det=True, use_cls=options.use_cls, use_rec=True, text_score=options.min_score)
    texts = []
    for box, text, score in zip(out.boxes if out.txts else [], out.txts or [], out.scores or []):
        quad = tuple((float(x), float(y)) for x, y in np.asarray(box).reshape(4, 2))
        texts.append(DrawnText(text, quad, float(score)))
    return tuple(texts)


def forget_readings() -> None:
    """Drop the readings `read` keeps (a benchmark timing reads must not time the cache)."""
    _read_cached.cache_clear()


def read_many(images: Iterable[Image.Image], options: ReadOptions = ReadOptions()) -> list[Rendered]:
    """`read` over many images, one after another, with the one engine.

    Args:
        images: PIL images.
        options: as for `read`, the same for every image.

    Returns:
        one `Rendered` per image, in order.
    """
    return [read(image, options) for image in images]


def _crop(bgr: np.ndarray, quad: Quad, pad: float) -> np.ndarray:
    """The quad, grown by `pad` line heights on every side, cut out and rectified to an upright line.

    A tight box clips the ink of edge glyphs (a final period, a descender); the detector's own boxes carry a
    similar margin (its unclip ratio), which is what the recogniser was trained on.
    """
    from rapidocr.utils.process_img import get_rotate_crop_image

    p = np.asarray(quad, dtype=np.float64)
    across, down = p[1] - p[0], p[3] - p[0]
    margin = pad * float(np.linalg.norm(down))
    u = across / max(float(np.linalg.norm(across)), 1e-6) * margin
    v = down / max(float(np.linalg.norm(down)), 1e-6) * margin
    grown = p + np.array([-u - v, u - v, u + v, -u + v])
    return get_rotate_crop_image(bgr, grown.astype(np.float32))


def read_crops(image: Image.Image, quads: Sequence[Quad | tuple[float, float, float, float]],
               use_cls: bool = False, pad: float = 0.15) -> list[DrawnText]:
    """Recognise single text lines cut from an image (recognition only: no detection).

    Args:
        image: the whole image.
        quads: each line's quad (four corners, clockwise from the text's top-left) or axis-aligned box
            (left, top, right, bottom) in the image's pixels; a quad is rectified, so slanted lines read too.
        use_cls: also run the 0/180 degree angle classifier on each crop.
        pad: margin added around each quad before cutting, in line heights (0 = cut exactly).

    Returns:
        one `DrawnText` per quad, in order: the text read (possibly ""), the quad given (a box as its quad),
        the recogniser's confidence.

    Raises:
        ValueError: a quad or box has no area.
    """
    ocr, bgr, read_texts = engine(), _bgr(image), []
    for given in quads:
        points = np.asarray(given, dtype=np.float64)
        points = np.asarray(box_quad(*points), dtype=np.float64) if points.shape == (4,) else points.reshape(4, 2)
        quad = tuple((float(x), float(y)) for x, y in points)
        xs, ys = points.T
        if abs(float(xs @ np.roll(ys, -1) - ys @ np.roll(xs, -1))) < 2:  # shoelace: twice the area, in px^2
            raise ValueError(f"crop quad {quad} has no area")
        crop = _crop(bgr, quad, pad)
        out = ocr(crop, use_det=False, use_cls=use_cls, use_rec=True)
        text, score = (out.txts[0], float(out.scores[0])) if out.txts else ("", 0.0)
        read_texts.append(DrawnText(text, quad, score))
    return read_texts


def read_crop(image: Image.Image, quad_or_box: Quad | tuple[float, float, float, float],
              use_cls: bool = False, pad: float = 0.15) -> DrawnText:
    """`read_crops` for one line.

    Args:
        image: the whole image.
        quad_or_box: the line's quad or axis-aligned (left, top, right, bottom) box, in image pixels.
        use_cls: also run the angle classifier.
        pad: margin added around the quad before cutting, in line heights.

    Returns:
        the line read, with the quad given and the recogniser's confidence.

    Raises:
        ValueError: the quad or box has no area.
    """
    return read_crops(image, [quad_or_box], use_cls, pad)[0]
