"""The on-disk form of one sample: its key, its two tar members, and back again.

Every sample is exactly two members, `KEY.<image ext>` and `KEY.json`, the same two for every
sample of an engine, because Hugging Face's webdataset reader infers one schema from the first
samples and refuses samples whose members differ. A multi-page sample therefore stores its pages
as one multi-page TIFF rather than one PNG per page. For the same reason the JSON record has the same
fields with the same types in every sample of every engine (`RECORD_FIELDS`), its engine-specific
`meta` carried as one JSON string.
"""

from __future__ import annotations

import io
import json
from typing import Any, Iterable

from PIL import Image

IMAGE_EXTS = ("png", "jpg", "tiff")


def sample_key(engine: str, index: int) -> str:
    """The sample's key: unique across engines, no dots (webdataset splits keys at the first dot)."""
    return f"{engine}_{index:010d}"


def shard_name(engine: str, shard: int) -> str:
    return f"{engine}-{shard:06d}.tar"


def encode_image(images: list[Image.Image], fmt: str) -> bytes:
    """Encode a sample's images losslessly and deterministically (same pixels, same bytes)."""
    buf = io.BytesIO()
    if fmt == "png":
        _single(images, fmt).save(buf, format="PNG", compress_level=6)
    elif fmt == "jpg":
        _single(images, fmt).convert("RGB").save(buf, format="JPEG", quality=95, subsampling=0)
    elif fmt == "tiff":
        first, *rest = [im.convert("RGB") for im in images]
        first.save(buf, format="TIFF", compression="tiff_adobe_deflate", save_all=True, append_images=rest)
    else:
        raise ValueError(f"image format {fmt!r} is not one of {IMAGE_EXTS}")
    return buf.getvalue()


def _single(images: list[Image.Image], fmt: str) -> Image.Image:
    if len(images) != 1:
        raise ValueError(f"{fmt} stores exactly one image, got {len(images)}; multi-page samples use tiff")
    return images[0]


def image_ext(members: Iterable[str], shard: str, key: str) -> str:
    """The extension of a sample's image member, checking the sample is KEY.json plus one image.

    `members` may include webdataset's `__key__`-style fields, which are not members.

    Raises:
        ValueError: other members than json and one image, naming the shard and the sample.
    """
    found = sorted(m for m in members if not m.startswith("__"))
    images = [m for m in found if m in IMAGE_EXTS]
    if len(found) != 2 or "json" not in found or len(images) != 1:
        raise ValueError(f"{shard}: sample {key} has members {found}; expected json + one image")
    return images[0]


def decode_image(data: bytes) -> list[Image.Image]:
    """All frames of an image member (one for png/jpg, the pages of a tiff), loaded as RGB."""
    im = Image.open(io.BytesIO(data))
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


def record_meta(record: dict[str, Any]) -> dict[str, Any]:
    """A record's meta as a dict (it is stored as a JSON string; see RECORD_FIELDS)."""
    meta = record.get("meta") or "{}"
    return json.loads(meta) if isinstance(meta, str) else dict(meta)
