"""Real photos with people's boxes: the finegrained engine's scenes from `--part scene --source DIR` when DIR
holds `annotations.json` (as the paper asked boxes of RCTW, ReCTS and COCO-Text photos).

The format a user brings (the one `../shared/data/scene` ships, ICDAR's in JSON): `DIR/annotations.json` maps an
image's path, relative to DIR, to a list of `{"box": [[x, y] * 4], "text": "..."}`, the four corners of one line
of text clockwise from its top-left, in the stored image's pixels (an upright `[x1, y1, x2, y2]` is taken too);
`"text": "###"` marks a region people could not read. Transcripts are taken as written. Photos the file does
not name are not used (an absent name means "not annotated", not "no text").

A region asked about is one or more legible lines; the engine never asks a box or frame that would hold or cut an
illegible region or another line (`meta.illegible`). Items that cannot be used are skipped, counted by reason:
`not_annotated` (a photo the file does not name), `missing_image` (a name with no file), `bad_box` (a box
that is not four corners or an upright box inside the image), `empty_text`, `exif_rotated` (an EXIF orientation
would turn the photo away from the pixels the boxes were drawn on), `only_illegible` (no legible line),
`other_lang` (`--lang` asks for the other language), and the unreadable files' reasons (`engines.scene.source`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from engines.base import Draw, Engine, EngineConfig, Sample, one_by_one
from engines.scene.source import Unreadable, image_files, open_photo
from engines.source import Found
from renderers.result import in_reading_order
from renderers.scripts import HAN
from tokenizer.protocol import PROMPT_PLAIN

ANNOTATIONS = "annotations.json"
ILLEGIBLE = "###"
Quad = list[list[float]]


def annotated(source: str | None) -> bool:
    """Whether `source` is a folder of photos with people's boxes (holds `annotations.json`)."""
    return source is not None and (Path(source) / ANNOTATIONS).is_file()


def _quad(box: Any, size: tuple[int, int]) -> Quad | None:
    """Four [x, y] corners from a box as people wrote it (four corners or an upright box), or None when it is not
    one or leaves the image."""
    try:
        values = np.asarray(box, dtype=float)
    except (TypeError, ValueError):
        return None
    if values.shape == (4,):
        x0, y0, x1, y1 = values
        values = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    if values.shape != (4, 2) or not np.isfinite(values).all():
        return None
    xs, ys = values[:, 0], values[:, 1]
    if xs.max() - xs.min() < 1 or ys.max() - ys.min() < 1:
        return None
    if xs.min() < -1 or ys.min() < -1 or xs.max() > size[0] + 1 or ys.max() > size[1] + 1:
        return None
    return [[round(float(x), 1), round(float(y), 1)] for x, y in values]


def _lang(texts: list[str]) -> str:
    return "zh" if any(HAN.search(text) for text in texts) else "en"


def _item(root: Path, name: str, entries: Any, lang: str) -> dict[str, Any]:
    """One annotated photo as {name, lines [(text, quad)] in reading order, illegible [quad], lang}.

    Raises:
        Unreadable: the item cannot be used; its reason is counted.
    """
    path = root / name
    if not path.is_file():
        raise Unreadable("missing_image", name)
    try:
        with Image.open(path) as img:
            size, orientation = img.size, img.getexif().get(0x0112, 1)
    except (OSError, SyntaxError, ValueError) as exc:
        raise Unreadable("not_an_image", name) from exc
    if orientation not in (1, None):
        raise Unreadable("exif_rotated", f"{name}: orientation {orientation}")
    if not isinstance(entries, list):
        raise Unreadable("bad_box", f"{name}: not a list of boxes")
    lines, illegible = [], []
    for entry in entries:
        quad = _quad(entry.get("box"), size) if isinstance(entry, dict) else None
        text = entry.get("text") if isinstance(entry, dict) else None
        if quad is None or not isinstance(text, str):
            raise Unreadable("bad_box", f"{name}: {str(entry)[:80]}")
        if text == ILLEGIBLE:
            illegible.append(quad)
        elif not text.strip():
            raise Unreadable("empty_text", name)
        else:
            lines.append((text, quad))
    if not lines:
        raise Unreadable("only_illegible", name)
    found = _lang([t for t, _ in lines])
    if lang != "mixed" and found != lang:
        raise Unreadable("other_lang", f"{name}: {found}")
    return {"name": name, "lines": in_reading_order(lines, lambda line: line[1]), "illegible": illegible, "lang": found}


class AnnotatedPhotos(Engine):
    """A part of the finegrained engine (not registered): an annotated photo as a scene sample whose `quads` are
    people's boxes of its legible lines, in reading order, and whose `illegible` holds the "###" ones."""

    name = "annotated_photos"

    def __init__(self, source: str, lang: str = "mixed") -> None:
        super().__init__(EngineConfig(source=source))
        root = Path(source)
        try:
            table = json.loads((root / ANNOTATIONS).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"--source {source}: {ANNOTATIONS} is not readable JSON ({exc}); give a file mapping "
                             f"each photo's name to its boxes (see engines/finegrained/source.py)") from exc
        if not isinstance(table, dict):
            raise ValueError(f"--source {source}: {ANNOTATIONS} must map each photo's name to a list of boxes")
        found: Found[dict[str, Any]] = Found()
        for name, entries in sorted(table.items()):
            try:
                found.items.append(_item(root, name, entries, lang))
            except Unreadable as exc:
                found.skip(exc.reason, str(exc))
        named = {(root / name).resolve() for name in table}
        for path in image_files(source):
            if path.resolve() not in named:
                found.skip("not_annotated", path.name)
        self.items = self.use_source(found, "annotated photo", f"give photos with legible boxes in {ANNOTATIONS}")

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        return one_by_one(self._sample_one, draws)

    def _sample_one(self, rng: np.random.Generator, index: int, attempt: int) -> Sample:
        item = self.source_item(self.items, index, attempt)
        image = open_photo(Path(self.config.source) / item["name"])
        lines = item["lines"]
        return Sample(images=[image], prompt=PROMPT_PLAIN, target="\n".join(t for t, _ in lines), task="plain",
                      meta={"source": item["name"], "lang": item["lang"], "reader": "people",
                            "quads": [q for _, q in lines], "illegible": item["illegible"]})
