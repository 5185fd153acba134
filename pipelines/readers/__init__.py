"""Independent readers: for each engine, a second path that reads a built sample back and scores its target.

`pipelines.validate` trusts no engine's own account of what it drew. Each reader here reads the
IMAGE by another route than the one that drew it (PP-OCR for text and charts; real LaTeX for a
formula the browser drew; RDKit's canonical SMILES for a molecule; Verovio for **kern) and says
how far that reading agrees with the TARGET, as a score in [0, 1]. A reader is registered below as
engine -> (import path of `read(record, images) -> Reading`, threshold); samples scoring under the
threshold are flagged. Readers are imported only when an engine's samples are validated, and may
keep a loaded model per process.

A threshold is set against the reader's own ceiling, measured on data known to be right (PP-OCR
reaches token F1 0.967 on real PDF pages against their exact text layer), never at 1.0.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

from PIL import Image


@dataclass
class Reading:
    """An independent reading of one sample.

    Attributes:
        score: agreement of the reading with the target, 0 (none) to 1 (exact).
        details: JSON-safe figures behind the score (e.g. token F1, CER, recall, what was missed).
        threshold: this sample's flag threshold where the reader reads its target format by another
            measure than the engine's registered threshold is set for (None: the registered one).
    """

    score: float
    details: dict[str, Any] = field(default_factory=dict)
    threshold: float | None = None


Reader = Callable[[dict[str, Any], list[Image.Image]], Reading]

# engine -> ("module:function", threshold). Engines add their line when their reader lands.
READERS: dict[str, tuple[str, float]] = {
    "charts": ("pipelines.readers.charts:read", 0.9),  # 160 correct charts: 92.5% read fully, 3.8% under 0.9
    "smoke": ("pipelines.readers.text:read", 0.99),  # 260 correct samples, 10-18 px type: every one scores 1.0
    # geometry (TikZ), sheet_music, formulas, tables and molecules redraw the target exactly as recorded
    # (pipelines.readers.ink.redraw_agreement): a right target changes no pixel, so one changed pixel
    # (score 0.9) flags. Geometry's dict targets (drawn in a plain style, slid over the image) carry 0.9.
    "geometry": ("pipelines.readers.geometry:read", 0.95),
    "sheet_music": ("pipelines.readers.sheet_music:read", 0.95),
    "pages": ("pipelines.readers.pages:read", 0.85),
    # min(token F1, 1 - worst line CER) on known-right built-in docs: min 0.67, p10 0.73 (zh pages), 0.89+ (en);
    # one line misread (beyond one per 50), out of the image's order, split or missing scores 0.5 and flags
    "docs": ("pipelines.readers.text:read", 0.6),
    "doc_slices": ("pipelines.readers.text:read", 0.6),
    "finegrained": ("pipelines.readers.finegrained:read", 0.6),  # the region read as docs are
    # each page read by its part engine's reader, the worst page (by its margin) scoring: a generated page redrawn
    # from `meta.page_meta` carries the redraw's 0.95; a real paper's page (F1) and a docs page the value here
    "multipage": ("pipelines.readers.composed:read_multi_page", 0.85),
    "multicrop": ("pipelines.readers.composed:read_multi_crop", 0.6),
    "formulas": ("pipelines.readers.formulas:read", 0.95),
    "tables": ("pipelines.readers.tables:read", 0.95),
    "molecules": ("pipelines.readers.molecules:read", 0.95),
    # each line read from its quad and required exact, no detected line left over (20 built-in scenes: 19 read at
    # token F1 1.0, bench/scene.py; 16 built-in crops: every one reads at 1.0)
    "scene": ("pipelines.readers.scene:read", 0.9),
    "scene_crops": ("pipelines.readers.scene:read", 0.9),
    # PP-OCR is weak on handwriting: reported per language, not a gate. Right samples: built-in en mean 0.75
    # (token F1 0.86), zh 0.90 (F1 0.98), 8 each; real --source lines 0.28, pages 0.24, 6 each; min 0.0 (a turned
    # page's line boxes, cut square, hold parts of two lines). 0.1 marks near-total misreads for a look.
    "handwriting": ("pipelines.readers.text:read_handwritten", 0.1),
}


def get_reader(engine: str) -> tuple[Reader, float]:
    """The reader function and flag threshold of `engine`.

    Raises:
        KeyError: no reader is registered for the engine (the message lists those that are).
    """
    if engine not in READERS:
        raise KeyError(f"no independent reader for engine {engine!r}; readers exist for: {', '.join(sorted(READERS))}")
    path, threshold = READERS[engine]
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name), threshold
