"""What an ECharts chart draws as plain `graphic` elements: frame texts, legend, reference line, radar scale.

ECharts' own title, legend and axis names lay themselves out (and re-wrap a legend) where the
shared layout cannot see them; as graphic elements they land exactly where the plan put them, in
both renderers alike. Multi-line texts carry their "\\n" and an explicit line height, so ECharts
breaks them where `wrap` did.
"""

from __future__ import annotations

import math
from typing import Any

from engines.charts.draw.palettes import end_label_color
from engines.charts.layout.frame import LINE
from engines.charts.layout.labels import reference_line
from engines.charts.layout.legend import MARKER_GAP
from engines.charts.layout.plan import ChartPlan
from engines.charts.layout.radial import SCALE_PAD, scale_labels
from renderers.fonts import css_family

TEXT_Z = 10


def text(plan: ChartPlan, content: str, x: float, y: float, size: float, align: str = "left",
         valign: str = "middle", rotation: float = 0, bold: bool = False, **style: Any) -> dict[str, Any]:
    st = plan.spec.style
    return {"type": "text", "x": x, "y": y, "rotation": math.radians(rotation), "silent": True, "z": TEXT_Z,
            "style": {"text": content, "fontSize": size, "fontFamily": css_family(st.font), "lineHeight": size * LINE,
                      "fontWeight": "bold" if bold else "normal", "fill": st.text_color, "textAlign": align,
                      "textVerticalAlign": valign, **style}}


def _symbol(symbol: str, x: float, y: float, size: float, color: str) -> dict[str, Any]:
    r = size / 2
    shapes = {"triangle": [(x, y - r), (x + r, y + r), (x - r, y + r)],
              "diamond": [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]}
    if symbol == "circle":
        return {"type": "circle", "shape": {"cx": x, "cy": y, "r": r}, "style": {"fill": color}, "silent": True}
    if symbol == "rect":
        return {"type": "rect", "shape": {"x": x - r, "y": y - r, "width": size, "height": size},
                "style": {"fill": color}, "silent": True}
    return {"type": "polygon", "shape": {"points": shapes[symbol]}, "style": {"fill": color}, "silent": True}


def frame(plan: ChartPlan) -> list[dict[str, Any]]:
    """Title, subtitle, source note and axis titles, where `frame_layout` put them, and the legend."""
    st, fr = plan.spec.style, plan.frame
    out = [text(plan, slot.text, slot.x, slot.y, slot.size, slot.align, rotation=slot.rotation, bold=slot.bold)
           for slot in fr.slots]
    mw, mh = fr.marker_size
    for item in fr.legend:
        color, mid = st.colors[item.index], item.x + mw / 2
        if item.marker == "rect":
            out.append({"type": "rect", "shape": {"x": item.x, "y": item.y - mh / 2, "width": mw, "height": mh},
                        "style": {"fill": color}, "silent": True})
        elif item.marker == "line":
            out.append({"type": "line", "shape": {"x1": item.x, "y1": item.y, "x2": item.x + mw, "y2": item.y},
                        "style": {"stroke": color, "lineWidth": st.line_width,
                                  "lineDash": [5, 3] if st.dashes[item.index] == "dashed" else None}, "silent": True})
            if st.markers or plan.spec.kind == "bar_line":
                out.append(_symbol(st.symbols[item.index], mid, item.y, st.line_width * 2.5, color))
        else:
            out.append(_symbol(st.symbols[item.index], mid, item.y, st.font_size * 0.75, color))
        out.append(text(plan, "\n".join(item.lines), item.x + mw + MARKER_GAP, item.y, fr.legend_size))
    return out


def reference(plan: ChartPlan) -> list[dict[str, Any]]:
    """The dashed reference line across the plot and its label at the line's end."""
    spec = plan.spec
    if spec.reference is None:
        return []
    (x0, y0), (x1, y1) = reference_line(spec, plan.geometry)
    size = plan.cartesian.label_size
    line = {"type": "line", "shape": {"x1": x0, "y1": y0, "x2": x1, "y2": y1}, "z": 2, "silent": True,
            "style": {"stroke": spec.style.axis_color, "lineWidth": 1.2, "lineDash": [5, 3]}}
    ref = plan.reference
    label = text(plan, spec.reference.text, ref.x, ref.y, size, ref.ha, {"center": "middle"}.get(ref.va, ref.va))
    return [line, label]


def notes(plan: ChartPlan) -> list[dict[str, Any]]:
    """An annotation beside its point and the series names at the lines' ends, where the plan put them."""
    spec, out = plan.spec, []
    if plan.annotation is not None:
        note = plan.annotation
        out.append(text(plan, spec.annotation.text, note.x, note.y, plan.cartesian.label_size, note.ha,
                        {"center": "middle"}.get(note.va, note.va)))
    for end in plan.end_labels:
        out.append(text(plan, "\n".join(end.lines), end.x, end.y, spec.style.font_size,
                        fill=end_label_color(spec.style, end.series)))
    return out


def radar_scale(plan: ChartPlan) -> list[dict[str, Any]]:
    """The ring values up the first spoke (`radial.scale_labels`), each on an opaque patch of the background colour."""
    lay, st = plan.radial, plan.spec.style
    return [text(plan, label.text, label.x, label.y, lay.label_size, backgroundColor=st.background,
                 padding=[SCALE_PAD / 2, SCALE_PAD, SCALE_PAD / 2, SCALE_PAD])
            for label in scale_labels(plan.spec, lay)]
