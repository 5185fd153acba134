"""Geometry reader: compile the target again, alone, and compare the picture with the sample's image.

A TikZ target is compiled by itself with the sample's LaTeX settings (engine, dpi, margin and
preamble from its meta): a right target gives the image itself, pixel for pixel, so the two are
compared exactly (`pipelines.readers.ink.redraw_agreement`): one changed coordinate moves a stroke
by a few pixels, which an ink comparison with a tolerance would forgive.

A dict target (Slow Perception) carries geometry, not style: its segments, circles, arcs, angle
marks, curves and axes are drawn as thin solid strokes at the sample's scale and dpi (so a
centimetre is as many pixels as in the image), slid over the image to the offset where most of its
ink lands on image ink (FFT cross-correlation), and scored by the share of its ink that does
(recall: the image's labels, fills and dashes' gaps are allowed to be extra). Labels are not drawn:
their side of a point is not part of the dict.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np
from PIL import Image

from pipelines.readers import Reading
from pipelines.readers.ink import captured_agreement, ink, near
from renderers.errors import RenderError
from renderers.latex import LatexConfig, render_latex
from shards.format import record_meta

DICT_THRESHOLD = 0.9  # a dict's plain strokes slid over the styled image: recall, not an exact redraw
_EXPR = re.compile(r"^[-+*/.() 0-9x^a-z]+$")
_FUNCS = {"sin": np.sin, "cos": np.cos, "exp": np.exp}


def _compile(tikz: str, meta: dict[str, Any]) -> Image.Image | str:
    """`tikz` compiled alone with the sample's LaTeX settings, or why it did not compile."""
    config = LatexConfig(program=meta.get("latex", "pdflatex"), dpi=float(meta.get("dpi", 200.0)),
                         margin_pt=float(meta.get("margin_pt", 4.0)), memory_mb=2048)
    result = render_latex([tikz], meta.get("preamble", ""), config)[0]
    return f"{result.reason}: {result.excerpt}" if isinstance(result, RenderError) else result.image


def _p(p: list[float]) -> str:
    return f"({p[0]:g},{p[1]:g})"


def dict_tikz(record: dict[str, Any], scale: float) -> str:
    """The dict's geometry as plain TikZ strokes (no labels, no styles) at the picture's scale.

    Raises:
        ValueError: a curve's function is not a plain expression in x.
    """
    lines = [f"\\draw {_p(s['points'][0])} -- {_p(s['points'][1])};" for s in record.get("segments", [])]
    lines += [f"\\draw {_p(c['center'])} circle ({c['radius']:g});" for c in record.get("circles", [])]
    for arc in record.get("arcs", []) + record.get("angles", []):
        (x, y), r, s = arc["center"], arc["radius"], math.radians(arc["start"])
        lines.append(f"\\draw ({x + r * math.cos(s):.3f},{y + r * math.sin(s):.3f}) arc "
                     f"({arc['start']:g}:{arc['end']:g}:{r:g});")
    lines += ["\\draw " + " -- ".join(_p(p) for p in ra["points"]) + ";" for ra in record.get("right_angles", [])]
    lines += [f"\\fill {_p(p['at'])} circle (1.5pt);" for p in record.get("points", [])]
    for curve in record.get("curves", []):
        text = curve["function"]
        if not _EXPR.match(text) or set(re.findall(r"[a-z]+", text)) - {"x", *_FUNCS}:
            raise ValueError(f"not a plain function of x: {text!r}")
        xs = np.linspace(*curve["domain"], 60)
        ys = eval(text.replace("^", "**"), {"__builtins__": {}}, {"x": xs, **_FUNCS})  # noqa: S307 - checked above
        lines.append("\\draw plot[smooth] coordinates {" + " ".join(f"({x:.3f},{y:.3f})" for x, y in zip(xs, ys)) + "};")
    for axes in record.get("axes", []):
        (x0, x1), (y0, y1) = axes["x"], axes["y"]
        lines += [f"\\draw[->] ({x0:g},0) -- ({x1:g},0);", f"\\draw[->] (0,{y0:g}) -- (0,{y1:g});"]
    return "\n".join([f"\\begin{{tikzpicture}}[scale={scale:g}]", *lines, "\\end{tikzpicture}"])


def locate(drawn: Image.Image, image: Image.Image) -> dict[str, float]:
    """Slide the drawn strokes over the image to their best offset; the share of their ink on image ink."""
    a, b = ink(drawn).astype(np.float32), near(ink(image)).astype(np.float32)
    h, w = a.shape[0] + b.shape[0], a.shape[1] + b.shape[1]
    corr = np.fft.irfft2(np.fft.rfft2(b, (h, w)) * np.conj(np.fft.rfft2(a, (h, w))), (h, w))
    hits = float(corr.max())
    return {"recall": round(min(hits / max(float(a.sum()), 1.0), 1.0), 4)}


def read(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Compile the sample's target again and score its agreement with the image (see the module docstring)."""
    meta = record_meta(record)
    image = images[0]
    if meta.get("target_format", "tikz") == "dict":
        try:
            tikz = dict_tikz(json.loads(record["target"]), float(meta.get("scale", 1.0)))
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            return Reading(0.0, {"error": f"unreadable dict: {exc}"[:200]})
        drawn = _compile(tikz, meta)
        if isinstance(drawn, str):
            return Reading(0.0, {"error": drawn[:200]})
        details = locate(drawn, image)
        return Reading(details["recall"], details, threshold=DICT_THRESHOLD)
    drawn = _compile(record["target"], meta)
    if isinstance(drawn, str):
        return Reading(0.0, {"error": drawn[:200]})
    details = captured_agreement(drawn, image, meta, shifted=True)
    return Reading(details["score"], details)
