"""The on-disk form of one sample: its key, its two tar members, and back again.

Every sample of every engine is exactly two members, `KEY.png` and `KEY.json`, because Hugging Face's
webdataset reader infers one schema from the first samples it reads: a shard whose image member has
another name (a `.jpg`, a `.tiff`) loads with that column empty, silently, beside the others. So the
image is always one lossless PNG, and a multi-page sample stores its pages stacked top to bottom in
that one PNG (left-aligned on white), the page boundaries in its meta under `PAGES_KEY` as
`[top, width, height]` per page. This module is the one place that stacks (`sample_members`) and
splits (`decode_image`), so our loader, `shards.reader`, the exports, `webdataset` and `datasets`
all see one image per sample and every reader of ours sees every page.

For the same reason the JSON record has the same fields with the same types in every sample of every
engine (`RECORD_FIELDS`), its engine-specific `meta` carried as one JSON string.
"""

from __future__ import annotations

import io
import json
from typing import Any

from PIL import Image

IMAGE_MEMBER = "png"
PAGES_KEY = "pages"  # meta of a multi-page sample: [[top, width, height], ...] in its stacked PNG
# zlib level 1, not PIL's 6: measured on 6 samples each, it halves the encode (charts 16 vs 30 ms, tables 9 vs 16,
# sheet music's paper-grained images 5 vs 16 ms, about 60 ms a sample in all) for 0-25% more bytes.
PNG_COMPRESS_LEVEL = 1


def sample_key(engine: str, index: int) -> str:
    """The sample's key: unique across engines, no dots (webdataset splits keys at the first dot)."""
    return f"{engine}_{index:010d}"


def shard_name(engine: str, shard: int) -> str:
    return f"{engine}-{shard:06d}.tar"


def encode_image(image: Image.Image) -> bytes:
    """One image as a lossless, deterministic PNG (same pixels, same bytes)."""
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buf.getvalue()


def stack_pages(pages: list[Image.Image]) -> tuple[Image.Image, list[list[int]]]:
    """The pages stacked top to bottom, left-aligned on white, and each page's [top, width, height]."""
    width = max(page.width for page in pages)
    canvas = Image.new("RGB", (width, sum(page.height for page in pages)), "white")
    layout, top = [], 0
    for page in pages:
        canvas.paste(page.convert("RGB"), (0, top))
        layout.append([top, page.width, page.height])
        top += page.height
    return canvas, layout


def split_pages(image: Image.Image, layout: list[list[int]]) -> list[Image.Image]:
    """The pages of a stacked image (`stack_pages` undone).

    Raises:
        ValueError: the layout does not tile the image from top to bottom.
    """
    top = 0
    for page_top, width, height in layout:
        if page_top != top or not 0 < width <= image.width or height <= 0:
            raise ValueError(f"page layout {layout} does not tile a {image.width}x{image.height} image")
        top += height
    if top != image.height:
        raise ValueError(f"page layout {layout} covers {top} of the image's {image.height} rows")
    return [image.crop((0, t, w, t + h)) for t, w, h in layout]


def image_member(members: dict[str, Any], shard: str, key: str) -> bytes:
    """The PNG member of a sample, checking the sample is exactly KEY.json plus KEY.png.

    `members` may include webdataset's `__key__`-style fields, which are not members.

    Raises:
        ValueError: other members than json and png, naming the shard and the sample.
    """
    found = sorted(m for m in members if not m.startswith("__"))
    if found != sorted(("json", IMAGE_MEMBER)):
        raise ValueError(f"{shard}: sample {key} has members {found}; expected json + {IMAGE_MEMBER}")
    return members[IMAGE_MEMBER]


def decode_image(data: bytes, meta: dict[str, Any] | None = None) -> list[Image.Image]:
    """A sample's pages as RGB images: the image split at `meta[PAGES_KEY]` when the sample has pages.

    Without a page layout every frame of the file is a page, so a user's multi-page TIFF reads whole.

    Raises:
        OSError: the bytes are not an image PIL reads.
        ValueError: the layout does not fit the image.
    """
    im = Image.open(io.BytesIO(data))
    if meta and PAGES_KEY in meta:
        return split_pages(im.convert("RGB"), meta[PAGES_KEY])
    frames = []
    for i in range(getattr(im, "n_frames", 1)):
        im.seek(i)
        frames.append(im.convert("RGB"))
    return frames


def encode_record(record: dict[str, Any]) -> bytes:
    """The KEY.json member: sorted keys and fixed separators, so equal records give equal bytes."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


# The record's fields and their types, the same in every sample of every engine: Hugging Face's
# webdataset reader infers one schema from the first samples and fails the whole load on a field
# that changes type later (a title that is null in one chart and a string in the next). So what
# varies by engine, `meta`, travels as ONE JSON string (`record_meta` parses it).
RECORD_FIELDS: dict[str, type] = {"prompt": str, "target": str, "task": str, "engine": str, "lang": str,
                                  "seed": int, "index": int, "meta": str}


def make_record(*, prompt: str, target: str, task: str, engine: str, seed: int, index: int,
                meta: dict[str, Any]) -> dict[str, Any]:
    """The design's JSON record; `lang` is lifted out of meta because every reader filters on it.

    Raises:
        ValueError: `meta` is not JSON-safe (an engine bug: the sample is counted as a failed draw).
    """
    try:
        meta_text = json.dumps(meta, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as e:
        raise ValueError(f"meta is not JSON-safe: {e}") from None
    return {
        "prompt": prompt,
        "target": target,
        "task": task,
        "engine": engine,
        "lang": str(meta.get("lang") or "en"),
        "seed": seed,
        "index": index,
        "meta": meta_text,
    }


def sample_members(images: list[Image.Image], *, prompt: str, target: str, task: str, engine: str, seed: int,
                   index: int, meta: dict[str, Any]) -> dict[str, bytes]:
    """The two tar members of a sample: its pages in one PNG (stacked when several) and its JSON record.

    Raises:
        ValueError: `meta` is not JSON-safe, or uses the reserved `PAGES_KEY` (an engine bug: the draw fails).
    """
    if PAGES_KEY in meta:
        raise ValueError(f"meta key {PAGES_KEY!r} is reserved for the page layout of a multi-page sample")
    if len(images) == 1:
        image = images[0]
    else:
        image, layout = stack_pages(images)
        meta = {**meta, PAGES_KEY: layout}
    record = make_record(prompt=prompt, target=target, task=task, engine=engine, seed=seed, index=index, meta=meta)
    return {IMAGE_MEMBER: encode_image(image), "json": encode_record(record)}


def record_meta(record: dict[str, Any]) -> dict[str, Any]:
    """A record's meta as a dict (it is stored as a JSON string; see RECORD_FIELDS)."""
    meta = record.get("meta") or "{}"
    return json.loads(meta) if isinstance(meta, str) else dict(meta)
