"""The `multipage` engine: GOT's multi-page OCR (stage 3), pages of the `pages` engine read as one sample."""

from engines.multipage.engine import MultipageEngine

__all__ = ["MultipageEngine"]
