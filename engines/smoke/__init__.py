"""The `smoke` engine: a few lines of common words drawn with Pillow, read as plain text.

It exists to check a set-up end to end in seconds (a Ray cluster, a loader, a trainer) and to
carry the test suite's build, resume and cluster tests, so those tests cost seconds per engine
rather than a browser's start-up. It needs nothing but Pillow and the DejaVu fonts, and it is a
real engine all the same: `OCR: ` prompt, the drawn lines as target, every line's box in meta.
"""

from engines.smoke.engine import SmokeEngine

__all__ = ["SmokeEngine"]
