"""A second extractor for `--source` PDFs: pdfminer.six, whose text a page's MuPDF text must agree with.

MuPDF and pdfminer.six decode fonts, encodings and ToUnicode maps with independent code, so a page where they
read different characters has a text layer at least one of them gets wrong (a broken CMap, a Type 3 font,
text drawn twice). Reading order differs between them by design, so they are compared as bags of
characters (spaces and ligatures aside): F1 of the character counts.

The trade-off: pdfminer is pure Python, about 0.12 CPU-seconds a page, paid once per page when a source
is scanned (`--no-cross-check` turns it off for large crawls whose PDFs are trusted).
"""

from __future__ import annotations

import os
from collections import Counter

from engines.docs.page import clean

MIN_AGREEMENT = 0.9  # pages below this character-bag F1 are skipped as "extractors_disagree"


def pdfminer_pages(path: str | os.PathLike) -> list[str] | None:
    """Every page's text as pdfminer.six reads it, or None when pdfminer cannot read the file at all.

    Args:
        path: a PDF file.

    Returns:
        one string per page, in page order; None when pdfminer fails on the file.
    """
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    try:
        return ["".join(e.get_text() for e in page if isinstance(e, LTTextContainer)) for page in extract_pages(path)]
    except Exception:  # noqa: BLE001 - any pdfminer failure means "no second reading"; the caller counts it
        return None


def agreement(a: str, b: str) -> float:
    """F1 of the two texts' character counts (spaces ignored, ligatures spelt out), 1.0 for the same characters."""
    ca, cb = Counter(clean(a).replace(" ", "")), Counter(clean(b).replace(" ", ""))
    common = sum((ca & cb).values())
    total = sum(ca.values()) + sum(cb.values())
    return 2 * common / total if total else 1.0
