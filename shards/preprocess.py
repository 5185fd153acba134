"""Images as GOT's encoder sees them: squares, bicubic, CLIP-normalised; tiles for multi-crop.

GOT resizes every image to the encoder's square (1024 px) with bicubic resampling and normalises
with OpenAI CLIP's mean and std. Multi-crop samples are cut into InternVL-style dynamic tiles
(the grid whose aspect ratio is closest to the image's, at most `max_tiles` tiles) plus a
thumbnail of the whole image; multi-page samples give one image per page.

The tile grid comes from transformers' own `get_optimal_tiled_canvas`, so our tiles are the ones
`GotOcr2ImageProcessor(crop_to_patches=True)` makes. The pixel work is done here with PIL and
torch because that processor, checked to give the same numbers (tests/shards/test_loader.py), was
measured about 2x slower on CPU (1024 px: 63 vs 31 ms for one page, 222 vs 130 ms for 4 tiles).
"""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image
from transformers.models.got_ocr2.image_processing_pil_got_ocr2 import get_optimal_tiled_canvas

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
# (x / 255 - mean) / std as one multiply-add per channel
_SCALE = torch.tensor([1 / (255 * s) for s in CLIP_STD]).view(3, 1, 1)
_SHIFT = torch.tensor([-m / s for m, s in zip(CLIP_MEAN, CLIP_STD, strict=True)]).view(3, 1, 1)


def encoder_images(frames: list[Image.Image], task: str, size: int, max_tiles: int) -> list[Image.Image]:
    """The square images one sample gives the encoder, in the order of its `<imgpad>` runs.

    Args:
        frames: the sample's pages (`shards.format.decode_image`): one image, or a multi-page sample's pages.
        task: the record's task; `multi_crop` tiles, `multi_page` keeps every page.
        size: side of the encoder's square.
        max_tiles: most tiles for a multi-crop image (the thumbnail comes on top).

    Raises:
        ValueError: several frames for a task that expects one image.
    """
    if task == "multi_page":
        return [square(f, size) for f in frames]
    if len(frames) != 1:
        raise ValueError(f"task {task!r} expects one image, got {len(frames)} frames")
    if task == "multi_crop":
        return tile_image(frames[0], size, max_tiles)
    return [square(frames[0], size)]


def square(image: Image.Image, size: int) -> Image.Image:
    if image.size == (size, size):
        return image
    return image.resize((size, size), Image.Resampling.BICUBIC)


def tile_image(image: Image.Image, tile: int, max_tiles: int) -> list[Image.Image]:
    """Row-major tiles of the image resized to the best grid, then a thumbnail (if > 1 tile)."""
    cols, rows = get_optimal_tiled_canvas((image.height, image.width), (tile, tile), 1, max_tiles)
    if cols * rows == 1:
        return [square(image, tile)]
    canvas = image.resize((cols * tile, rows * tile), Image.Resampling.BICUBIC)
    tiles = [canvas.crop((c * tile, r * tile, (c + 1) * tile, (r + 1) * tile))
             for r in range(rows) for c in range(cols)]
    return tiles + [square(image, tile)]


def to_pixel_values(images: list[Image.Image], size: int) -> torch.Tensor:
    """float32 [n, 3, size, size]: each image squared, scaled to [0, 1] and CLIP-normalised."""
    out = torch.empty(len(images), 3, size, size, dtype=torch.float32)
    for i, image in enumerate(images):
        pixels = np.array(square(image.convert("RGB"), size), dtype=np.uint8)  # writable, as torch wants
        out[i].copy_(torch.from_numpy(pixels).permute(2, 0, 1))
        out[i].mul_(_SCALE).add_(_SHIFT)
    return out
