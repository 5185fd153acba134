"""Read an image with a trained GOT: `python -m model.infer IMAGE --ckpt runs/stage3`.

    python -m model.infer page.png --ckpt runs/stage3                      # plain OCR
    python -m model.infer page.png --ckpt runs/stage3 --format             # Mathpix markdown, TikZ, ...
    python -m model.infer page.png --ckpt runs/stage3 --box 120,80,900,400 # region, in pixels
    python -m model.infer page.png --ckpt runs/stage3 --color red          # text in the red frame
    python -m model.infer big.png --ckpt runs/stage3 --multi-crop          # tiles + thumbnail
    python -m model.infer p1.png p2.png --ckpt runs/stage3 --multi-page    # or one multi-page TIFF

The query is GOT's own string for the task (the same the engines write into shards); a box is
given in pixels of IMAGE and sent as GOT's 0-1000 coordinates.
"""

from __future__ import annotations

import argparse
import sys

import torch
from PIL import Image

from model.checkpoint import CheckpointError, load_for_inference
from model.generate import Query, read
from pipelines.cli import Parser
from shards.format import decode_image
from tokenizer.protocol import COLORS, PROMPT_MULTI_CROP, PROMPT_MULTI_PAGE, base_prompt, box_prompt, color_prompt

PROG = "python -m model.infer"


def build_query(args: argparse.Namespace, frames: list[Image.Image]) -> Query:
    """GOT's prompt for the flags (the strings are `tokenizer.protocol`'s)."""
    if args.multi_page:
        return Query(frames, PROMPT_MULTI_PAGE, "multi_page")
    if len(frames) != 1:
        raise ValueError(f"{len(frames)} images or pages given; pass --multi-page to read them as one document")
    if args.multi_crop:
        return Query(frames, PROMPT_MULTI_CROP, "multi_crop")
    if args.box:
        width, height = frames[0].size
        return Query(frames, box_prompt(tuple(args.box), width, height, args.format), "box")
    if args.color:
        return Query(frames, color_prompt(args.color, args.format), "color")
    return Query(frames, base_prompt(args.format), "format" if args.format else "plain")


def parse_box(text: str) -> list[float]:
    parts = text.split(",")
    try:
        box = [float(p) for p in parts]
    except ValueError:
        box = []
    if len(box) != 4 or box[0] >= box[2] or box[1] >= box[3]:
        raise argparse.ArgumentTypeError(f"{text!r} is not x1,y1,x2,y2 in pixels with x1 < x2 and y1 < y2")
    return box


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = Parser(prog=PROG, description=__doc__.split("\n\n")[0])
    p.add_argument("images", nargs="+", metavar="IMAGE", help="image files (PNG, JPEG, multi-page TIFF, ...)")
    p.add_argument("--ckpt", required=True, help="model folder, run folder (latest checkpoint) or cached hub id")
    p.add_argument("--format", action="store_true", help="formatted output (OCR with format)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--box", type=parse_box, help="x1,y1,x2,y2 in pixels of IMAGE")
    where.add_argument("--color", choices=COLORS, help="read the text inside the frame of this colour")
    where.add_argument("--multi-crop", action="store_true", help="large image: tiles plus a thumbnail")
    where.add_argument("--multi-page", action="store_true", help="the images (or TIFF pages) are one document")
    p.add_argument("--max-new-tokens", type=int, default=4096, help="longest answer generated (default: 4096)")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu",
                   help="torch device (default: cuda when there is one, else cpu)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        frames = []
        for path in args.images:
            with open(path, "rb") as f:
                frames += decode_image(f.read())
        query = build_query(args, frames)
        model = load_for_inference(args.ckpt, args.device)
    except (OSError, ValueError, CheckpointError) as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    print(read(model, [query], max_new_tokens=args.max_new_tokens)[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
