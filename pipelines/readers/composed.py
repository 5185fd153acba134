"""Stage-3 samples made of several pages, read page by page with the reader of the pages' own engine.

A multi-page sample's image k is its page k; a multi-crop sample's page k is the rectangle
`meta.page_px[k]` of its stitched image. Each page is scored against its own span of the target
(`meta.page_texts`), by the reader its part engine is validated with: plain document pages by
`pipelines.readers.text` (token F1 and each line read from its box), formatted pages by
`pipelines.readers.pages`. The sample scores its worst page, so one wrong page flags it.
"""

from __future__ import annotations

import json
from typing import Any

from PIL import Image

from pipelines.readers import Reading
from pipelines.readers import pages as pages_reader
from pipelines.readers import text as text_reader
from shards.format import record_meta


def _worst(readings: list[Reading]) -> Reading:
    worst = min(range(len(readings)), key=lambda k: readings[k].score)
    return Reading(readings[worst].score, {"page": worst, "pages": [round(r.score, 4) for r in readings],
                                           **readings[worst].details})


def read_multi_page(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Each page image read as a formatted page against its span of the target."""
    spans = record_meta(record)["page_texts"]
    if len(spans) != len(images):
        return Reading(0.0, {"error": f"{len(images)} page images for {len(spans)} page texts"})
    return _worst([pages_reader.read({"target": record["target"][start:end]}, [image])
                   for (_, start, end), image in zip(spans, images)])


def read_multi_crop(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Each page cut out of the stitched image and read as its part engine's samples are."""
    meta = record_meta(record)
    readings = []
    for (x0, y0, x1, y1), (_, start, end) in zip(meta["page_px"], meta["page_texts"]):
        page, target = images[0].crop((x0, y0, x1, y1)), record["target"][start:end]
        if meta["part"] == "pages":
            readings.append(pages_reader.read({"target": target}, [page]))
            continue
        boxes = [[b[0] - x0, b[1] - y0, b[2] - x0, b[3] - y0] for b in meta["boxes"]
                 if x0 <= b[0] and b[2] <= x1 and y0 <= b[1] and b[3] <= y1]
        readings.append(text_reader.read({"target": target, "meta": json.dumps({"boxes": boxes})}, [page]))
    return _worst(readings)
