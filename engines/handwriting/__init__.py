"""The `handwriting` engine: handwritten pages read as plain text (`OCR: `), English and Chinese, GOT's stage 2.

Built in: prose written by a drawn hand with pen strokes (Hershey/EMS single-stroke fonts, Make Me a Hanzi medians)
or a handwriting face (Debian's; for Chinese mostly Ma Shan Zheng, `faces`), bent per character, on ruled or
plain paper, notes and letters (`hand`, `content`, `renderers.pen`). `--source DIR`: real handwritten lines with
transcripts, 6-8 pasted onto a blank page, or whole real pages (`source`).
"""

from engines.handwriting.engine import HandwritingEngine

__all__ = ["HandwritingEngine"]
