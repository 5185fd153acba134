"""Stage-3 samples made of several pages, read page by page with the reader of the pages' own engine.

A multi-page sample's image k is its page k; a multi-crop sample's page k is the rectangle
`meta.page_px[k]` of its stitched image. Each page is scored against its own span of the target
(`meta.page_texts`), by the reader its part engine is validated with: plain document pages by
`pipelines.readers.text` (token F1 and each line read from its box), formatted pages by
`pipelines.readers.pages`. A multi-page sample keeps each page's meta (`meta.page_meta`), so a generated
page is typeset again from its span and compared pixel for pixel, as a `pages` sample is (its images are
the part's pages at their own dpi, captured with the sample's `meta.capture`); a real paper's page, or a
page of a build older than `page_meta`, is read by its token F1. Each page keeps its own reading's threshold
(0.95 for a redraw, the engine's registered one otherwise): the sample scores its worst page by its margin
under its threshold, so one wrong page flags it.

A multi-crop sample's pages are pasted into its stitched image as the part drew them (no scaling; the
tiling's resize happens in the loader), so an uncaptured sample's page crop is the page itself and is
redrawn the same way (`meta.page_meta`). A captured one is read by token F1: the stitched image is captured
as one (a photo's warp, blur and noise cross the pages' edges), so a page redrawn and captured alone would
not match its crop.
"""

from __future__ import annotations

import json
from typing import Any

from PIL import Image

from pipelines.readers import READERS, Reading
from pipelines.readers import pages as pages_reader
from pipelines.readers import text as text_reader
from shards.format import record_meta


def _worst(readings: list[Reading], engine: str) -> Reading:
    """The page furthest under (or least over) its own threshold, with that threshold (None: the engine's)."""
    registered = READERS[engine][1]

    def margin(r: Reading) -> float:
        return r.score - (registered if r.threshold is None else r.threshold)

    worst = min(range(len(readings)), key=lambda k: margin(readings[k]))
    return Reading(readings[worst].score, {"page": worst, "pages": [round(r.score, 4) for r in readings],
                                           **readings[worst].details}, readings[worst].threshold)


def _page_record(target: str, meta: dict[str, Any], k: int) -> dict[str, Any]:
    """Page k of a composed sample as the pages reader reads a `pages` sample: its span of the target and its
    own meta (`meta.page_meta`, absent in older builds), captured as each page of a multi-page sample is."""
    pages = meta.get("page_meta") or []
    page = dict(pages[k]) if k < len(pages) else {}
    if meta.get("capture"):
        page["capture"] = meta["capture"]
    return {"target": target, "meta": json.dumps(page, ensure_ascii=False)}


def read_multi_page(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Each page image read as a formatted page against its span of the target, with its own meta."""
    meta = record_meta(record)
    spans = meta["page_texts"]
    if len(spans) != len(images):
        return Reading(0.0, {"error": f"{len(images)} page images for {len(spans)} page texts"})
    return _worst([pages_reader.read(_page_record(record["target"][start:end], meta, k), [image])
                   for k, ((_, start, end), image) in enumerate(zip(spans, images))], "multipage")


def read_multi_crop(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Each page cut out of the stitched image and read as its part engine's samples are."""
    meta = record_meta(record)
    page_meta = {} if meta.get("capture") else meta  # a captured stitch: no page is its redraw (module docstring)
    readings = []
    for k, ((x0, y0, x1, y1), (_, start, end)) in enumerate(zip(meta["page_px"], meta["page_texts"])):
        page, target = images[0].crop((x0, y0, x1, y1)), record["target"][start:end]
        if meta["part"] == "pages":
            readings.append(pages_reader.read(_page_record(target, page_meta, k), [page]))
            continue
        boxes = [[b[0] - x0, b[1] - y0, b[2] - x0, b[3] - y0] for b in meta["boxes"]
                 if x0 <= b[0] and b[2] <= x1 and y0 <= b[1] and b[3] <= y1]
        readings.append(text_reader.read({"target": target, "meta": json.dumps({"boxes": boxes})}, [page]))
    return _worst(readings, "multicrop")
