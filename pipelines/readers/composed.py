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
redrawn the same way (`meta.page_meta`). A captured stitch is captured as one: the back pages' mirror bleeds
through across the gutter, the light field, the noise and a binarisation's threshold are the whole image's, so
a page redrawn and captured alone does not match its crop. So its pages are redrawn, pasted where the stitch
holds them (`meta.page_px`) and the capture replayed over the whole redrawn stitch, each page's ending chosen
with the others in place (`read_captured_stitch`); each page's crop is then compared as a captured `pages`
page is. A stitch of an older build (no `page_meta`) is read by token F1, a plain document page by the text
reader (its order judged from PP-OCR's detections, each line read from its box).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from PIL import Image

from pipelines.readers import READERS, Reading
from pipelines.readers import pages as pages_reader
from pipelines.readers import text as text_reader
from pipelines.readers.ink import redraw_agreement
from pipelines.readers.page_redraw import NotPageMarkdown, redraw
from renderers import capture
from renderers.errors import RenderError
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
    """Each page cut out of the stitched image and read as its part engine's samples are (a captured stitch of
    formatted pages: `read_captured_stitch`)."""
    meta = record_meta(record)
    if meta["part"] == "pages" and meta.get("capture") and meta.get("page_meta"):
        return _worst(read_captured_stitch(record, images[0]), "multicrop")
    readings = []
    for k, ((x0, y0, x1, y1), (_, start, end)) in enumerate(zip(meta["page_px"], meta["page_texts"])):
        page, target = images[0].crop((x0, y0, x1, y1)), record["target"][start:end]
        if meta["part"] == "pages":
            readings.append(pages_reader.read(_page_record(target, meta, k), [page]))
            continue
        boxes = [[b[0] - x0, b[1] - y0, b[2] - x0, b[3] - y0] for b in meta["boxes"]
                 if x0 <= b[0] and b[2] <= x1 and y0 <= b[1] and b[3] <= y1]
        readings.append(text_reader.read({"target": target, "meta": json.dumps({"boxes": boxes})}, [page]))
    return _worst(readings, "multicrop")


# A stitch scored again with one page's target broken (`bench.mutate`) does not typeset its other pages again.
@functools.lru_cache(maxsize=8)
def _drawn(target: str, meta: str) -> list[Image.Image | RenderError]:
    """A page's redraw (`page_redraw.redraw`) from its span of the target and its meta (JSON)."""
    return redraw(target, json.loads(meta))


STITCH_PASSES = 2  # rounds of choosing each page's ending with the others' current choices in place


def read_captured_stitch(record: dict[str, Any], image: Image.Image) -> list[Reading]:
    """Each page of a captured stitch of generated pages, redrawn from its span of the target in the stitch:
    every page typeset again (`pages.best_redraw`), pasted at its `page_px` on a white canvas of the image's
    size (the capture moves no pixel of a multi-crop sample: `MulticropEngine.capture_geometry`), the recorded
    capture replayed over the whole canvas and each page's crop compared with the image's (pixels counted from
    `pages.CAPTURED_LEVELS`, as a captured `pages` page).

    A page's ending is chosen with the other pages' drawings in place: a page's own ending
    changes its own pixels, the others reach it only faintly (the mirrored back page, a blur across the gutter,
    the binarisation threshold), so the best ending is found with the others as first drawn and found again
    (`STITCH_PASSES`) once they are chosen; the readings are those of the final stitch, all pages as chosen.
    """
    meta = record_meta(record)
    places = [tuple(int(v) for v in box) for box in meta["page_px"]]
    pages = [_page_record(record["target"][start:end], meta, k) for k, (_, start, end) in enumerate(meta["page_texts"])]
    metas = [record_meta(page) for page in pages]
    drawers = [functools.partial(_drawn, page["target"], page["meta"]) for page in pages]
    chosen: list[Image.Image | None] = []
    for draw in drawers:  # each page as first drawn (white where it typesets none)
        try:
            first = draw()[0]
        except (NotPageMarkdown, RenderError):
            first = None
        chosen.append(None if isinstance(first, RenderError) else first)
    truth = image.convert("RGB")

    def captured(drawings: list[Image.Image | None]) -> Image.Image:
        canvas = Image.new("RGB", image.size, "white")
        for drawing, (x0, y0, x1, y1) in zip(drawings, places):
            if drawing is not None and drawing.size == (x1 - x0, y1 - y0):
                canvas.paste(drawing.convert("RGB"), (x0, y0))
        return capture.replay(canvas, meta).convert("RGB")

    def agreement(k: int, drawing: Image.Image) -> dict[str, Any]:
        x0, y0, x1, y1 = places[k]
        if drawing.size != (x1 - x0, y1 - y0):
            return {"changed_px": -1, "ink_px": 0, "score": 0.0, "sizes": f"{drawing.size} vs {(x1 - x0, y1 - y0)}"}
        stitch = captured([drawing if j == k else d for j, d in enumerate(chosen)])
        return redraw_agreement(stitch.crop(places[k]), truth.crop(places[k]), True, pages_reader.CAPTURED_LEVELS)

    readings: list[Reading] = []
    for _ in range(STITCH_PASSES):
        before = list(chosen)
        readings = []
        for k, (page, m) in enumerate(zip(pages, metas)):
            reading, drawing = pages_reader.best_redraw(page["target"], m, functools.partial(agreement, k),
                                                        drawers[k])
            readings.append(reading)
            chosen[k] = drawing
        if all(r.details.get("changed_px") == 0 for r in readings) or all(
                a is b for a, b in zip(before, chosen)):
            break
    stitch = captured(chosen)  # every page as chosen: the figures the sample is scored by
    for k, reading in enumerate(readings):
        if chosen[k] is not None and reading.details.get("redrawn"):
            figure = redraw_agreement(stitch.crop(places[k]), truth.crop(places[k]), True,
                                      pages_reader.CAPTURED_LEVELS)
            reading.details.update(figure, stitched=True)
            reading.score = figure["score"]
    return readings
