"""A `ChartSpec` as an ECharts option, built with pyecharts and placed by the shared layouts.

pyecharts builds the series and axes; the frame texts (title, source, axis titles) are `graphic`
texts and the legend one legend component per row, at the pixel positions `chart_layout`
computed, because ECharts' own axis names and legend wrapping ignore `grid.containLabel` and
could land on the plot. Everything ECharts would do to make a crowded chart "fit" is turned off
(label truncation, hiding overlapping labels, skipping category labels): a chart must show
every label its target lists, and `renderers.legibility.check_legible` refuses one where they collide.
Each data label carries its own formatter string, so it shows exactly the spec's formatted value.
"""

from __future__ import annotations

import json
import math
from typing import Any

from pyecharts import options as opts
from pyecharts.charts import Bar, Line, Pie, Radar, Scatter
from pyecharts.charts.chart import Chart

from engines.charts.axes import CartesianLayout, RadialLayout, cartesian_layout, radial_layout
from engines.charts.layout import Frame, frame_layout
from engines.charts.spec import ChartSpec
from renderers.fonts import css_family
from engines.charts.palettes import AXIS_COLOR, GRID_COLOR, text_on

SYMBOLS = ("circle", "rect", "triangle", "diamond", "pin")


def build_option(spec: ChartSpec) -> dict[str, Any]:
    """The full ECharts option for `spec` (a JSON-safe dict).

    Raises:
        RenderError: from the layouts, when the chart cannot be laid out legibly.
    """
    frame = frame_layout(spec)
    if spec.cartesian:
        chart = _cartesian(spec, cartesian_layout(spec, frame.plot), frame)
    elif spec.kind == "radar":
        chart = _radar(spec, radial_layout(spec, frame.plot))
    else:
        chart = _pie(spec, radial_layout(spec, frame.plot))
    chart.set_global_opts(title_opts=opts.TitleOpts(is_show=False), legend_opts=opts.LegendOpts(is_show=False))
    option = json.loads(chart.dump_options())
    option.update(animation=False, backgroundColor=spec.style.background, color=spec.style.colors,
                  textStyle={"fontFamily": css_family(spec.style.font), "color": spec.style.text_color},
                  graphic=_frame_texts(spec, frame), legend=_legends(spec, frame))
    option.pop("tooltip", None)
    return option


def _text_style(spec: ChartSpec, size: float, color: str | None = None) -> dict[str, Any]:
    return {"fontSize": size, "color": color or spec.style.text_color, "fontFamily": css_family(spec.style.font)}


def _label(spec: ChartSpec, s: int, i: int, position: str, size: float, color: str | None = None) -> dict:
    """A per-value label showing exactly the spec's formatted string (no ECharts number formatting)."""
    return {"show": spec.data_labels, "formatter": spec.label(s, i), "position": position,
            **_text_style(spec, size, color)}


def _frame_texts(spec: ChartSpec, frame: Frame) -> list[dict[str, Any]]:
    """Title, source note and axis titles as `graphic` texts, where `frame_layout` put them."""
    texts = []
    for slot in (frame.title, frame.source, frame.x_title, frame.y_title):
        if slot is not None:
            texts.append({"type": "text", "x": slot.x, "y": slot.y, "rotation": math.radians(slot.rotation),
                          "silent": True, "style": {
                              "text": slot.text, "fontSize": slot.size, "fontFamily": css_family(spec.style.font),
                              "fontWeight": "bold" if slot.bold else "normal", "fill": spec.style.text_color,
                              "textAlign": slot.align, "textVerticalAlign": "middle"}})
    return texts


def _legends(spec: ChartSpec, frame: Frame) -> list[dict[str, Any]]:
    """One legend component per row of `frame.legend`, so ECharts never re-wraps it."""
    rows: dict[float, list] = {}
    for item in frame.legend:
        rows.setdefault(item.y, []).append(item)
    mw, mh = frame.marker_size
    height = max(mh, frame.legend_size)
    return [{"show": True, "data": [it.label for it in row], "left": row[0].x, "top": y - height / 2,
             "orient": "horizontal", "padding": 0, "itemGap": frame.legend_size, "itemWidth": mw,
             "itemHeight": mh, "selectedMode": False, "textStyle": _text_style(spec, frame.legend_size)}
            for y, row in rows.items()]


def _value_axis(spec: ChartSpec, lay: CartesianLayout) -> opts.AxisOpts:
    fmt, axis = spec.number_format, lay.axis
    return opts.AxisOpts(
        type_="value", min_=axis.lo, max_=axis.hi, interval=axis.step,
        axislabel_opts={"formatter": f"{fmt.prefix}{{value}}{fmt.suffix}", **_text_style(spec, spec.style.font_size)},
        splitline_opts=opts.SplitLineOpts(is_show=spec.style.grid, linestyle_opts=opts.LineStyleOpts(color=GRID_COLOR)),
        axisline_opts=opts.AxisLineOpts(is_show=True, linestyle_opts=opts.LineStyleOpts(color=AXIS_COLOR)))


def _category_axis(spec: ChartSpec, lay: CartesianLayout) -> dict[str, Any]:
    """Every category label shown (interval 0), at the layout's rotation, on the plot's edge (not at 0)."""
    return {"type": "category", "data": spec.categories, "inverse": lay.horizontal,
            "axisLabel": {"interval": 0, "rotate": lay.rotation, "hideOverlap": False,
                          **_text_style(spec, spec.style.font_size)},
            "axisTick": {"alignWithLabel": True}, "splitLine": {"show": False},
            "axisLine": {"onZero": False, "lineStyle": {"color": AXIS_COLOR}}}


def _cartesian(spec: ChartSpec, lay: CartesianLayout, frame: Frame) -> Chart:
    kind = spec.kind
    chart = (Scatter if kind == "scatter" else Line if kind in ("line", "multi_line", "area") else Bar)()
    chart.add_xaxis(spec.categories)
    for s in range(len(spec.series)):
        if kind in ("bar", "hbar", "grouped_bar", "stacked_bar") or (kind == "bar_line" and s == 0):
            _add_bars(chart, spec, lay, s)
        else:
            _add_points(chart, spec, lay, s)
    axes = (_value_axis(spec, lay), _category_axis(spec, lay))
    x_axis, y_axis = axes if lay.horizontal else axes[::-1]
    chart.set_global_opts(xaxis_opts=x_axis, yaxis_opts=y_axis)
    # ECharts fits the tick labels inside the grid on the left and at the bottom (containLabel) but
    # lets the outermost value label stick out at the top or right end: keep the layout's margin there.
    plot, inner = frame.plot, lay.inner
    chart.options["grid"] = {"left": plot.left, "top": inner.top, "width": inner.right - plot.left,
                             "height": plot.bottom - inner.top, "containLabel": True}
    return chart


def _add_bars(chart: Chart, spec: ChartSpec, lay: CartesianLayout, s: int) -> None:
    """Series s as bars, labelled beyond their ends (inside the segments when stacked)."""
    st, stacked, color = spec.style, spec.kind == "stacked_bar", spec.style.colors[s]
    end = ("right", "left") if lay.horizontal else ("top", "bottom")
    data = [opts.BarItem(name=spec.categories[i], value=v, label_opts=_label(
        spec, s, i, "inside" if stacked else end[v < 0], lay.label_size, text_on(color) if stacked else None))
        for i, v in enumerate(spec.series[s].values)]
    single = len(spec.series) == 1 or spec.kind == "bar_line"
    Bar.add_yaxis(chart, spec.series[s].name, data, stack="total" if stacked else None, color=color,
                  bar_width=f"{st.bar_width * 100:.0f}%" if single else None,
                  category_gap=f"{(1 - st.bar_width) * 100:.0f}%", gap="8%",
                  itemstyle_opts={"color": color, "borderColor": st.background if stacked else None,
                                  "borderWidth": 0.8 if stacked else 0})


def _add_points(chart: Chart, spec: ChartSpec, lay: CartesianLayout, s: int) -> None:
    """Series s as a line (filled for an area) or as dots, labelled above each point."""
    st, kind, color = spec.style, spec.kind, spec.style.colors[s]
    scatter = kind == "scatter"
    markers = scatter or st.markers or kind == "bar_line"
    symbol = SYMBOLS[s % len(SYMBOLS)] if scatter else "circle"  # "none" would hide the data labels too
    symbol_size = (st.font_size * 0.75 if scatter else st.line_width * 2.5) if markers else 0
    values = spec.series[s].values
    labels = [_label(spec, s, i, "top", lay.label_size) for i in range(len(values))]
    common = {"symbol": symbol, "symbol_size": symbol_size, "color": color, "itemstyle_opts": {"color": color}}
    if scatter:
        Scatter.add_yaxis(chart, spec.series[s].name, [{"value": v, "label": labels[i]} for i, v in enumerate(values)],
                          **common)
        return
    data = [opts.LineItem(name=spec.categories[i], value=v, symbol=symbol, symbol_size=symbol_size,
                          label_opts=labels[i]) for i, v in enumerate(values)]
    Line.add_yaxis(chart, spec.series[s].name, data, **common, label_opts=None,
                   linestyle_opts={"width": st.line_width, "color": color},
                   areastyle_opts={"opacity": 0.35, "color": color} if kind == "area" else None)


def _pie(spec: ChartSpec, lay: RadialLayout) -> Chart:
    st, names_outside = spec.style, not spec.legend
    size = st.font_size if names_outside else lay.label_size
    data = []
    for i, name in enumerate(spec.categories):
        text = "\n".join([name] * names_outside + [spec.label(0, i)] * spec.data_labels)
        color = st.text_color if names_outside else text_on(st.colors[i])
        data.append(opts.PieItem(name=name, value=spec.series[0].values[i], itemstyle_opts={"color": st.colors[i]},
                                 label_opts={"show": bool(text), "formatter": text, **_text_style(spec, size, color)}))
    chart = Pie()
    chart.add(spec.series[0].name, data, center=[lay.cx, lay.cy], radius=[lay.inner_radius, lay.radius],
              start_angle=90, is_clockwise=True, is_avoid_label_overlap=True,
              label_opts={"position": "outside" if names_outside else "inside", "overflow": "none"},
              label_line_opts={"show": names_outside, "length": 10, "length2": 10},
              itemstyle_opts={"borderColor": st.background, "borderWidth": 1})
    return chart


def _radar(spec: ChartSpec, lay: RadialLayout) -> Chart:
    st = spec.style
    chart = Radar()
    chart.add_schema(
        schema=[opts.RadarIndicatorItem(name=c, max_=lay.scale_max, min_=0) for c in spec.categories],
        center=[lay.cx, lay.cy], radius=lay.radius, shape="polygon",
        textstyle_opts=_text_style(spec, st.font_size),
        splitline_opt=opts.SplitLineOpts(is_show=True, linestyle_opts=opts.LineStyleOpts(color=GRID_COLOR)),
        splitarea_opt=opts.SplitAreaOpts(is_show=False),
        axisline_opt=opts.AxisLineOpts(is_show=True, linestyle_opts=opts.LineStyleOpts(color=GRID_COLOR)))
    for s, series in enumerate(spec.series):
        chart.add(series.name, [{"name": series.name, "value": series.values}], color=st.colors[s],
                  symbol="circle" if st.markers else "none", label_opts=opts.LabelOpts(is_show=False),
                  linestyle_opts=opts.LineStyleOpts(width=st.line_width, color=st.colors[s]),
                  areastyle_opts=opts.AreaStyleOpts(opacity=0.2, color=st.colors[s]))
    chart.options["radar"][0]["axisName"] = _text_style(spec, st.font_size)
    return chart
