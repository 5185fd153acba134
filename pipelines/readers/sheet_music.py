"""Sheet-music reader: load the target back into Verovio alone and check it draws the sample's one system.

The target (bekern turned back into kern) is engraved with the sample's layout options (from its
meta) in a fresh Verovio call: it must give exactly one system and draw every note it holds (Verovio
drops tokens it does not know without a word), and its picture, put through the sample's recorded
degradation (renderers.degrade replays it exactly), must be the image, pixel for pixel
(`pipelines.readers.ink.redraw_agreement`: one changed note moves its head a few pixels, which an ink
comparison with a tolerance forgave). The score is that agreement, 0 when the system count or the
notes disagree; the details say which.
"""

from __future__ import annotations

from typing import Any

from PIL import Image

from engines.sheet_music.excerpt import count_notes, from_bekern
from pipelines.readers import Reading
from pipelines.readers.ink import captured_agreement
from renderers import degrade
from renderers.errors import RenderError
from renderers.verovio import ScoreOptions, render_kern_isolated
from shards.format import record_meta


def read(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Engrave the sample's target again and score its agreement with the image (see the module docstring)."""
    meta = record_meta(record)
    kern = from_bekern(record["target"]) if meta.get("target_format") == "bekern" else record["target"]
    try:
        drawn = render_kern_isolated(kern, ScoreOptions(**meta["options"]))
    except (RenderError, ValueError, TypeError, KeyError) as exc:
        return Reading(0.0, {"error": str(exc)[:200]})
    expected = count_notes(kern)
    details: dict[str, Any] = {"systems": drawn.info["systems"], "notes_drawn": drawn.info["notes"],
                               "notes_in_target": expected}
    image = drawn.image
    if meta.get("degrade"):
        image = degrade.apply(image, degrade.DegradeParams.from_dict(meta["degrade"])).image
    details.update(captured_agreement(image, images[0], meta))
    ok = drawn.info["systems"] == 1 and drawn.info["notes"] == expected
    return Reading(details["score"] if ok else 0.0, details)
