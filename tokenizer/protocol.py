"""GOT's protocol, the one copy: task names, query strings, box and colour prompts, token ids, image tokens.

Engines write these prompts into shards, the loader turns them into token ids, the trainer and
`model.infer` send them to the model, and tests check them: one wrong character in a query and
a model trained on our shards no longer answers GOT's own prompts. The strings are exactly those
of GOT's code. This module imports only the standard library, so every side of the
project (including the GPU bench, which has no tokenizer installed) can use it.
"""

from __future__ import annotations

import re

TASKS = ("plain", "format", "box", "color", "multi_crop", "multi_page")
COLORS = ("red", "green", "blue")

PROMPT_PLAIN = "OCR: "
PROMPT_FORMAT = "OCR with format: "
PROMPT_MULTI_CROP = "OCR with format upon the patch reference: "
PROMPT_MULTI_PAGE = "OCR with format across multi pages: "
_BOX = re.compile(r"^\[(\d+), (\d+), (\d+), (\d+)\] ")  # a box prompt's coordinates, as `box_prompt` writes them

# Token ids: Qwen's 151,643 BPE tokens and 208 specials, then GOT's nine (Qwen-VL's) image/box tokens.
IMG_START_ID = 151857  # <img>
IMG_END_ID = 151858  # </img>
IMAGE_TOKEN_ID = 151859  # <imgpad>, one per image token
VOCAB_SIZE = 151860
IGNORE_INDEX = -100  # an unsupervised label position, as transformers' losses expect

PATCH = 16  # ViTDet patch side, pixels
NECK_STRIDE = 4  # the projector's two stride-2 convs


def image_tokens(image_size: int) -> int:
    """Tokens one image becomes in GOT: (side / 16 / 4) ** 2, i.e. 256 at 1024 px, 16 at 256 px."""
    side = image_size // PATCH // NECK_STRIDE
    return side * side


def base_prompt(formatted: bool) -> str:
    """`OCR with format: ` for formatted targets, `OCR: ` for plain text."""
    return PROMPT_FORMAT if formatted else PROMPT_PLAIN


def box_coords(box: tuple[float, float, float, float], width: int, height: int) -> list[int]:
    """A pixel box (x1, y1, x2, y2) of a `width` x `height` image in GOT's 0-1000 coordinates.

    GOT writes `int(pixel / side * 1000)` (truncation, not rounding), top-left then bottom-right.

    Raises:
        ValueError: the box is empty or leaves the image.
    """
    x1, y1, x2, y2 = box
    if not (0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height):
        raise ValueError(f"box {list(box)} is not x1 < x2, y1 < y2 inside a {width}x{height} image")
    return [int(x1 / width * 1000), int(y1 / height * 1000), int(x2 / width * 1000), int(y2 / height * 1000)]


def box_prompt(box: tuple[float, float, float, float], width: int, height: int, formatted: bool = False) -> str:
    """GOT's region query: `[x1, y1, x2, y2] OCR: ` with the box in 0-1000 coordinates."""
    return f"{box_coords(box, width, height)} {base_prompt(formatted)}"


def asked_box(prompt: str) -> list[int] | None:
    """The 0-1000 box a `box_prompt` asks about, or None for a prompt without one."""
    found = _BOX.match(prompt)
    return [int(v) for v in found.groups()] if found else None


def color_prompt(color: str, formatted: bool = False) -> str:
    """GOT's colour-frame query: `[red] OCR: `.

    Raises:
        ValueError: a colour GOT was not trained on.
    """
    if color not in COLORS:
        raise ValueError(f"colour {color!r} is not one of {', '.join(COLORS)}")
    return f"[{color}] {base_prompt(formatted)}"
