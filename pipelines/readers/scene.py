"""Text in photographs (the scene and scene_crops engines) read back line by line from each line's quad.

A scene holds a few short lines scattered over a photo, many of them two to five CJK characters: too short for
the order judge to place (`pipelines.readers.order.MIN_CHARS`), and one changed character in twenty moves the
order-free token F1 by only 0.05. Measured with `bench.mutate` on 24 built-in scenes, the plain-text reader
flagged a changed letter in 71%, a dropped line in 81% and two lines swapped in 38%. So each target line is
read alone from its own quad (`meta.quads`, the corners the engine drew it in, rectified as a scene crop is) and
must read back exactly, as printed lines are (`pipelines.readers.text.read`); and each line PP-OCR detects on the
whole photo must be one the target accounts for: a detection holding tokens the target lacks (a dropped line)
is read again alone, and counts as a problem when that reading still holds them.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from PIL import Image

from pipelines.readers import Reading
from pipelines.readers import text as text_reader
from renderers import ppocr
from renderers.result import DrawnText
from shards.format import record_meta


def read(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Score a scene: the printed-text reading with each line read from its quad, and no detected line left over."""
    meta = record_meta(record)
    # a quad passed flat (eight numbers) is cut and rectified by PP-OCR's crop reader, as a [l, t, r, b] box is
    # cut upright: a slanted or curved line then reads as the scene crop engine cuts it
    boxes = [[v for point in quad for v in point] for quad in meta.get("quads", [])]
    reading = text_reader.read({**record, "meta": json.dumps({**meta, "boxes": boxes})}, images)
    return nothing_left_over(reading, record["target"], images[0]) if len(images) == 1 else reading


def nothing_left_over(reading: Reading, target: str, image: Image.Image) -> Reading:
    """The reading, costing PROBLEM_COST for each line detected on the image that the target does not account
    for (`unaccounted`): a dropped short line, which the order judge cannot place, is such a line."""
    left_over = unaccounted(target, image)
    reading.details["left_over"] = left_over[:4]
    reading.score = max(0.0, min(reading.score, 1.0 - text_reader.PROBLEM_COST * len(left_over)))
    return reading


def unaccounted(target: str, image: Image.Image, found: list[DrawnText] | None = None) -> list[str]:
    """The lines detected on the image (or the detections `found` on it) whose tokens the target does not hold,
    in two readings: the whole-image one, then the line read alone (the whole-image reading garbles a line now and
    then; a dropped line reads as itself both times). Tokens are counted, so a line printed twice is held twice,
    and compared as the exact-line check compares characters (`blind_tokens`: "bul1seye" is "bullseye"). What
    PP-OCR doubts is left out as the text reader leaves it out (`pipelines.readers.text.doubted`: a one- or
    two-character stroke of the photo; a garbled reading, once for each target line whose tokens no detection
    holds)."""
    found = text_reader.read_texts([image])[0] if found is None else found
    left = blind_tokens(target)
    suspects: list[DrawnText] = []
    for t in found:
        held = blind_tokens(t.text)
        if held - left:
            suspects.append(t)
        else:
            left -= held
    out: list[tuple[str, tuple[float, float]]] = []
    for t, again in zip(suspects, ppocr.read_crops(image, [t.quad for t in suspects]) if suspects else []):
        held = blind_tokens(again.text)
        if held - left:
            out.append((t.text, (t.score, again.score)))
        else:
            left -= held
    unplaced = sum(bool(blind_tokens(line) & left) for line in target.split("\n"))
    return [text for (text, _), doubt in zip(out, text_reader.doubted(out, unplaced)) if not doubt]


def blind_tokens(text: str) -> Counter:
    """The text's tokens after what PP-OCR confuses on clean type is made one (`pipelines.readers.text.blind`:
    case, l/i/1/|, o/0, $/s, look-alike punctuation)."""
    return text_reader.tokens(text_reader.fold(text).translate(text_reader.CONFUSED))
