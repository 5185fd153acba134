"""Fine-grained samples read back by PP-OCR inside the region the prompt asks about.

The region is found the way a model must find it: from the prompt's 0-1000 box, or from the
colour frame in the pixels (the engine draws it in one exact colour, `FRAME_RGB`; a frame missing
any of its four sides scores 0). The image inside is cut out and scored as a plain-text sample
(`pipelines.readers.text`): token F1 and each target line read from its own box; and each line detected in
the region must be one the target accounts for (`pipelines.readers.scene.unaccounted`: a dropped line of a
scene's region is often too short for the order judge to place: "email" left out of a two-line region scored
0.67 on token F1 and passed).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from engines.finegrained.engine import FRAME_RGB
from pipelines.readers import Reading
from pipelines.readers import text as text_reader
from pipelines.readers.scene import unaccounted
from shards.format import record_meta
from tokenizer.protocol import asked_box

SIDE_SHARE = 0.8  # of each side's pixels in the frame's colour, for the frame to count as drawn
PADS = (16, 32)  # pixels of border around a region before it is read
SLACK = 0.3  # of a detected line's height: how far its box may reach past the region it lies in
MIN_SIDE_PX = 8  # pixels of the frame's colour a row or column of its side holds at least


def frame_box(image: Image.Image, color: str) -> tuple[float, float, float, float] | None:
    """The inside of the `color` frame drawn on `image` (its four sides checked), or None when there is none."""
    pixels = np.asarray(image.convert("RGB"))
    mask = np.all(pixels == np.array(FRAME_RGB[color], dtype=np.uint8), axis=2)
    # the frame's sides are the outermost rows and columns with a run of its colour: a photo's stray pixels of
    # the same colour are not
    rows, cols = np.nonzero(mask.sum(axis=1) >= MIN_SIDE_PX)[0], np.nonzero(mask.sum(axis=0) >= MIN_SIDE_PX)[0]
    if len(rows) < 2 or len(cols) < 2:
        return None
    x0, x1, y0, y1 = int(cols.min()), int(cols.max()), int(rows.min()), int(rows.max())
    sides = (mask[y0, x0:x1 + 1], mask[y1, x0:x1 + 1], mask[y0:y1 + 1, x0], mask[y0:y1 + 1, x1])
    if x1 - x0 < 4 or y1 - y0 < 4 or any(side.mean() < SIDE_SHARE for side in sides):
        return None
    inner = [x0, y0, x1 + 1, y1 + 1]
    while inner[2] - inner[0] > 2 and mask[(y0 + y1) // 2, inner[0]]:  # step inside the stroke
        inner[0] += 1
    while inner[2] - inner[0] > 2 and mask[(y0 + y1) // 2, inner[2] - 1]:
        inner[2] -= 1
    while inner[3] - inner[1] > 2 and mask[inner[1], (x0 + x1) // 2]:
        inner[1] += 1
    while inner[3] - inner[1] > 2 and mask[inner[3] - 1, (x0 + x1) // 2]:
        inner[3] -= 1
    return tuple(float(v) for v in inner)


def read(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Score a box or colour sample by reading what lies inside the region its prompt asks about."""
    image, meta = images[0], record_meta(record)
    if record["task"] == "box":
        found = asked_box(record["prompt"])
        if found is None:
            return Reading(0.0, {"error": f"no box in the prompt {record['prompt']!r}"})
        x0, y0, x1, y1 = (v / 1000 for v in found)  # GOT truncates: the box's last pixels are one more
        region = (x0 * image.width, y0 * image.height, x1 * image.width + 1, y1 * image.height + 1)
    else:
        color = record["prompt"][1:record["prompt"].index("]")]
        region = frame_box(image, color) if color in FRAME_RGB else None
        if region is None:
            return Reading(0.0, {"error": f"no whole {color} frame in the image"})
    left, top = int(region[0]), int(region[1])
    right, bottom = min(image.width, int(np.ceil(region[2]))), min(image.height, int(np.ceil(region[3])))
    crop = image.crop((left, top, right, bottom))
    background = tuple(int(v) for v in np.median(np.asarray(crop.convert("RGB")).reshape(-1, 3), axis=0))
    readings, left_over = [], []
    # PP-OCR's detector misses text touching an image's edge, and on a tight crop its reading of a line can
    # change with a few pixels of border (seen: a line read right with 16 or 32 pixels, garbled with 24): the
    # region is read with two borders of its background colour and scores the better reading (a wrong target
    # disagrees with both). A line the target leaves out counts when either border shows it: the detector can
    # miss a short one in one of the two ("the" left out of a scene's region, seen by neither F1 nor order).
    for pad in PADS:
        shift = (left - pad, top - pad, left - pad, top - pad)
        boxes = [[v - s for v, s in zip(b, shift)] for b in meta.get("boxes", [])]
        padded = ImageOps.expand(crop, border=pad, fill=background)
        readings.append(text_reader.read({"target": record["target"], "meta": json.dumps({"boxes": boxes})},
                                         [padded]))
        left_over = max(left_over, unaccounted(record["target"], padded), key=len)
    # the detector may also miss a short line in the cut-out region that it finds on the whole image (a tilted
    # "the" at the region's edge): the whole image's detections lying inside the region are checked too
    inside = [t for t in text_reader.read_texts([image])[0] if _within(t.bbox, region)]
    left_over = max(left_over, unaccounted(record["target"], image, inside), key=len)
    reading = max(readings, key=lambda r: r.score)
    reading.score = max(0.0, min(reading.score, 1.0 - text_reader.PROBLEM_COST * len(left_over)))
    reading.details.update(region=[round(v, 1) for v in region], left_over=left_over[:4])
    return reading


def _within(box: tuple[float, float, float, float], region: tuple[float, float, float, float]) -> bool:
    """Whether a detected box lies inside the region, give or take the margin the detector draws around a line
    (`SLACK` of its height): a detection that reaches further out holds a line the region does not ask about."""
    slack = SLACK * (box[3] - box[1])
    return (box[0] >= region[0] - slack and box[1] >= region[1] - slack and box[2] <= region[2] + slack
            and box[3] <= region[3] + slack)
