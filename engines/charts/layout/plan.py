"""A chart planned once, drawn by either renderer, then checked against what was really drawn.

`plan_chart` computes everything both renderers need before any pixel exists: the frame (titles,
legend), the plot layout, every mark's position and a free place for every data label, the reference
line's and an annotation's text, and the series names at the lines' ends. Drawing
from one plan is what keeps matplotlib and ECharts in agreement; `verify` then takes the texts the
renderer reports having drawn and refuses the chart if any leaves the image, touches another text
(`renderers.legibility`), or covers a mark (`overlap`).
"""

from __future__ import annotations

from dataclasses import dataclass

from engines.charts.layout.axes import (
    CartesianLayout,
    RadialLayout,
    cartesian_layout,
    radial_layout,
)
from engines.charts.layout.endlabels import EndLabel, end_label_lines, end_room, place_end_labels
from engines.charts.layout.frame import Frame, frame_layout
from engines.charts.layout.geometry import PlotGeometry
from engines.charts.layout.labels import (
    Placed,
    ReferenceLabel,
    mark_obstacles,
    place_annotation,
    place_labels,
    place_reference,
)
from engines.charts.layout.obstacles import Obstacles
from engines.charts.layout.overlap import check_cartesian, check_pie, check_radar
from engines.charts.layout.panels import plan_panels
from engines.charts.layout.radial import radar_obstacles
from engines.charts.spec import ChartSpec
from renderers.legibility import check_legible
from renderers.result import DrawnText


@dataclass
class ChartPlan:
    spec: ChartSpec
    frame: Frame
    cartesian: CartesianLayout | None = None
    radial: RadialLayout | None = None
    geometry: PlotGeometry | None = None
    labels: list[Placed] | None = None
    reference: ReferenceLabel | None = None
    annotation: ReferenceLabel | None = None
    end_labels: list[EndLabel] | None = None
    panels: list[ChartPlan] | None = None  # small multiples: each panel planned as a one-line chart


def plan_chart(spec: ChartSpec) -> ChartPlan:
    """Lay out `spec` and place its data labels.

    Raises:
        RenderError: the chart cannot be laid out legibly ("text_too_long", "too_crowded",
            "text_overlap" when a data label or the reference line's text has no free place).
    """
    frame = frame_layout(spec)
    if spec.style.panels:
        return ChartPlan(spec, frame, panels=[ChartPlan(sub, sub_frame, lay, geometry=geom, labels=[], end_labels=[])
                                              for sub, sub_frame, lay, geom in plan_panels(spec, frame.plot)])
    if not spec.cartesian:
        return ChartPlan(spec, frame, radial=radial_layout(spec, frame.plot))
    ends = end_label_lines(spec)
    lay = cartesian_layout(spec, frame.plot, end_room(spec, ends))
    geom = PlotGeometry(spec, lay)
    marks = mark_obstacles(spec, geom)
    labels = place_labels(spec, geom, marks)
    reference = place_reference(spec, geom, marks)
    return ChartPlan(spec, frame, lay, geometry=geom, labels=labels, reference=reference,
                     annotation=place_annotation(spec, geom, marks), end_labels=place_end_labels(spec, geom, ends))


def verify(plan: ChartPlan, texts: list[DrawnText]) -> None:
    """Raise unless every drawn text is inside the image, apart from the others and off every mark.

    Raises:
        RenderError: "text_clipped" or "text_overlap".
    """
    spec = plan.spec
    check_legible(texts, spec.style.width, spec.style.height)
    if plan.panels:
        marks = Obstacles()
        for panel in plan.panels:
            drawn = mark_obstacles(panel.spec, panel.geometry)
            for quad, tag in zip(drawn.quads, drawn.tags):
                marks.add(quad, tag)
        check_cartesian(texts, marks, [])
    elif plan.geometry is not None:
        check_cartesian(texts, mark_obstacles(spec, plan.geometry), plan.labels)
    elif spec.kind == "radar":
        check_radar(texts, radar_obstacles(spec, plan.radial))
    else:
        check_pie(spec, texts, plan.radial)
