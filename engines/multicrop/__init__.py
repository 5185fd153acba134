"""The `multicrop` engine: GOT's multi-crop OCR (stage 3), pages stitched into one image far larger than 1024 px."""

from engines.multicrop.engine import MulticropEngine

__all__ = ["MulticropEngine"]
