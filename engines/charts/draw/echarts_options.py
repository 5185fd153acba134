"""A chart's plan as an ECharts option, built with pyecharts, every mark where the plan put it.

pyecharts builds the series and axes; the grid is exactly the plan's inner box (no `containLabel`),
bar widths and gaps are given in pixels, and each data label carries its own position, distance
and formatter string, so ECharts draws bars, points and labels at the pixels `geometry` and
`labels` computed (a test compares ECharts' item layouts with them). Frame texts and the legend are
`graphic` elements (`echarts_graphics`). Everything ECharts would do to make a crowded chart "fit"
is turned off (label truncation, hiding overlapping labels, skipping category labels): a chart
must show every label its target lists, and `plan.verify` refuses one where something collides.
"""

from __future__ import annotations

import json
from typing import Any

from pyecharts import options as opts
from pyecharts.charts import Bar, Line, Pie, Radar, Scatter
from pyecharts.charts.chart import Chart

from engines.charts.draw import echarts_graphics as graphics
from engines.charts.draw.palettes import text_on
from engines.charts.layout.axes import TICK_GAP, ValueAxis, x_tick_gap
from engines.charts.layout.frame import LINE
from engines.charts.layout.geometry import BAR_GAP
from engines.charts.layout.labels import GAP
from engines.charts.layout.plan import ChartPlan
from engines.charts.spec import STACKED, ChartSpec, NumberFormat
from renderers.fonts import css_family

LINE_Z, BAR_Z = 3, 2  # lines in front of bars


def build_option(plan: ChartPlan) -> dict[str, Any]:
    """The full ECharts option for a planned chart (a JSON-safe dict)."""
    spec = plan.spec
    if plan.panels:
        chart, extra = _panels(plan), [g for panel in plan.panels for g in graphics.frame(panel)]
    elif spec.cartesian:
        chart, extra = _cartesian(plan), graphics.reference(plan) + graphics.notes(plan)
    elif spec.kind == "radar":
        chart, extra = _radar(plan), graphics.radar_scale(plan)
    else:
        chart, extra = _pie(plan), []
    chart.set_global_opts(title_opts=opts.TitleOpts(is_show=False), legend_opts=opts.LegendOpts(is_show=False))
    option = json.loads(chart.dump_options())
    option.update(animation=False, backgroundColor=spec.style.background, color=spec.style.colors,
                  textStyle={"fontFamily": css_family(spec.style.font), "color": spec.style.text_color},
                  graphic=graphics.frame(plan) + extra)
    option.pop("tooltip", None)
    option.pop("legend", None)
    return option


def _text_style(spec: ChartSpec, size: float, color: str | None = None) -> dict[str, Any]:
    return {"fontSize": size, "color": color or spec.style.text_color, "fontFamily": css_family(spec.style.font)}


def _labels(plan: ChartPlan, s: int) -> list[dict[str, Any]]:
    """Series s's data labels, each at its placed position and showing the spec's exact string."""
    spec, size = plan.spec, plan.cartesian.label_size
    by_index = {p.index: p for p in plan.labels if p.series == s}
    out = []
    for i in range(len(spec.categories)):
        placed = by_index.get(i)
        if placed is None:
            out.append({"show": False})
            continue
        color = text_on(spec.style.colors[s]) if placed.position == "inside" else None
        out.append({"show": True, "formatter": placed.text, "position": placed.position, "distance": GAP,
                    "offset": [placed.offset, 0], **_text_style(spec, size, color)})
    return out


def _value_axis(spec: ChartSpec, axis: ValueAxis, fmt: NumberFormat) -> dict[str, Any]:
    return {"type": "value", "min": axis.lo, "max": axis.hi, "interval": axis.step,
            "axisLabel": {"formatter": f"{fmt.prefix}{{value}}{fmt.suffix}", "margin": TICK_GAP,
                          **_text_style(spec, spec.style.font_size)},
            "splitLine": {"show": spec.style.grid, "lineStyle": {"color": spec.style.grid_color}},
            "axisLine": {"show": True, "lineStyle": {"color": spec.style.axis_color}}, "axisTick": {"show": False}}


def _category_axis(plan: ChartPlan) -> dict[str, Any]:
    """Every category label shown (interval 0), wrapped and rotated as laid out, on the plot's edge."""
    spec, lay = plan.spec, plan.cartesian
    return {"type": "category", "data": ["\n".join(lines) for lines in lay.category_lines], "inverse": lay.horizontal,
            "axisLabel": {"interval": 0, "rotate": lay.rotation, "hideOverlap": False, "margin": TICK_GAP,
                          "lineHeight": spec.style.font_size * LINE, **_text_style(spec, spec.style.font_size)},
            "axisTick": {"alignWithLabel": True}, "splitLine": {"show": False},
            "axisLine": {"onZero": False, "lineStyle": {"color": spec.style.axis_color}}}


def _cartesian(plan: ChartPlan) -> Chart:
    spec, lay, geom = plan.spec, plan.cartesian, plan.geometry
    chart = Scatter() if spec.kind == "scatter" else Line() if spec.kind in ("line", "multi_line", "area") else Bar()
    chart.add_xaxis(spec.categories)
    for s in range(len(spec.series)):
        (_add_bars if s in geom.bar_series else _add_points)(chart, plan, s)
    values = _value_axis(spec, lay.axis, spec.number_format)
    right = []
    if lay.axis2 is not None:  # a dual-axis chart's right scale: no grid lines of its own
        right = [_value_axis(spec, lay.axis2, spec.format_of(spec.right_series[0]))]
        right[0].update(position="right", splitLine={"show": False})
    if lay.x_axis is not None:
        categories = _value_axis(spec, lay.x_axis, spec.x_format)
        categories["axisLabel"]["margin"] = x_tick_gap(spec)
    else:
        categories = _category_axis(plan)
    x_axis, y_axis = (values, categories) if lay.horizontal else (categories, values)
    chart.options.update(xAxis=[x_axis], yAxis=[y_axis] + right)
    inner = lay.inner
    chart.options["grid"] = {"left": inner.left, "top": inner.top, "width": inner.width, "height": inner.height,
                             "containLabel": False}
    return chart


def _panels(plan: ChartPlan) -> Chart:
    """Small multiples: each panel's one-line chart in a grid of its own, its axes and series pointing at it."""
    charts = [_cartesian(panel) for panel in plan.panels]
    merged = {key: [] for key in ("grid", "xAxis", "yAxis", "series")}
    for k, panel in enumerate(charts):
        merged["grid"].append(panel.options["grid"])
        merged["xAxis"] += [{**axis, "gridIndex": k} for axis in panel.options["xAxis"]]
        merged["yAxis"] += [{**axis, "gridIndex": k} for axis in panel.options["yAxis"]]
        merged["series"] += [{**series, "xAxisIndex": k, "yAxisIndex": k} for series in panel.options["series"]]
    charts[0].options.update(merged)
    return charts[0]


def _add_bars(chart: Chart, plan: ChartPlan, s: int) -> None:
    """Series s as bars of the geometry's pixel width, stacked segments edged in the background colour."""
    spec, geom = plan.spec, plan.geometry
    st, stacked, color = spec.style, spec.kind in STACKED, spec.style.colors[s]
    labels = _labels(plan, s)
    data = [{"value": v, "label": labels[i]} for i, v in enumerate(spec.series[s].values)]
    Bar.add_yaxis(chart, spec.series[s].name, data, stack="total" if stacked else None, color=color,
                  bar_width=geom.bar_width, gap=f"{BAR_GAP * 100:.4f}%", z=BAR_Z,
                  itemstyle_opts={"color": color, "borderColor": st.background if stacked else None,
                                  "borderWidth": 0.8 if stacked else 0})


def _add_points(chart: Chart, plan: ChartPlan, s: int) -> None:
    """Series s as a line (filled for an area) or as dots, each label where the plan placed it."""
    spec, geom = plan.spec, plan.geometry
    st, color = spec.style, spec.style.colors[s]
    size = geom.marker_size()
    labels = _labels(plan, s)
    values = spec.series[s].values
    xs = spec.x_values
    data = [{"value": [xs[i], v] if xs is not None else v, "label": labels[i]} for i, v in enumerate(values)]
    common = {"symbol": st.symbols[s], "symbol_size": size, "color": color, "itemstyle_opts": {"color": color}}
    if spec.kind == "scatter":
        Scatter.add_yaxis(chart, spec.series[s].name, data, **common)
    else:
        Line.add_yaxis(chart, spec.series[s].name, data, **common, label_opts=None,
                       linestyle_opts={"width": st.line_width, "color": color,
                                       "type": "dashed" if st.dashes[s] == "dashed" else "solid"},
                       areastyle_opts={"opacity": 0.35, "color": color} if spec.kind == "area" else None)
    chart.options["series"][-1].update(z=LINE_Z, data=data)  # pyecharts pairs a Line's items with category names
    if s in spec.right_series:
        chart.options["series"][-1]["yAxisIndex"] = 1


def _pie(plan: ChartPlan) -> Chart:
    spec, lay = plan.spec, plan.radial
    st, names_outside = spec.style, not spec.legend
    size = st.font_size if names_outside else lay.label_size
    data = []
    for i, name in enumerate(spec.categories):
        text = "\n".join([name] * names_outside + [spec.label(0, i)])
        color = st.text_color if names_outside else text_on(st.colors[i])
        data.append(opts.PieItem(name=name, value=spec.series[0].values[i], itemstyle_opts={"color": st.colors[i]},
                                 label_opts={"show": True, "formatter": text, **_text_style(spec, size, color)}))
    chart = Pie()
    chart.add(spec.series[0].name, data, center=[lay.cx, lay.cy], radius=[lay.inner_radius, lay.radius],
              start_angle=90, is_clockwise=True, is_avoid_label_overlap=True,
              label_opts={"position": "outside" if names_outside else "inside", "overflow": "none"},
              label_line_opts={"show": names_outside, "length": 10, "length2": 10},
              itemstyle_opts={"borderColor": st.background, "borderWidth": 1})
    return chart


def _radar(plan: ChartPlan) -> Chart:
    spec, lay = plan.spec, plan.radial
    st = spec.style
    chart = Radar()
    chart.add_schema(
        schema=[opts.RadarIndicatorItem(name=c, max_=lay.scale.hi, min_=0) for c in spec.categories],
        center=[lay.cx, lay.cy], radius=lay.radius, shape="polygon",
        textstyle_opts=_text_style(spec, st.font_size),
        splitline_opt=opts.SplitLineOpts(is_show=True, linestyle_opts=opts.LineStyleOpts(color=st.grid_color)),
        splitarea_opt=opts.SplitAreaOpts(is_show=False),
        axisline_opt=opts.AxisLineOpts(is_show=True, linestyle_opts=opts.LineStyleOpts(color=st.grid_color)))
    size = st.line_width * 2.5 if st.markers else 0
    for s, series in enumerate(spec.series):
        chart.add(series.name, [{"name": series.name, "value": series.values}], color=st.colors[s],
                  symbol=st.symbols[s] if size else "none", label_opts=opts.LabelOpts(is_show=False),
                  linestyle_opts=opts.LineStyleOpts(width=st.line_width, color=st.colors[s],
                                                    type_="dashed" if st.dashes[s] == "dashed" else "solid"),
                  areastyle_opts=opts.AreaStyleOpts(opacity=0.2, color=st.colors[s]))
    for series in chart.options["series"]:
        series["symbolSize"] = size
    chart.options["radar"][0].update(axisName=_text_style(spec, st.font_size), splitNumber=len(lay.scale.ticks) - 1)
    return chart
