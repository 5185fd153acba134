"""The `charts` engine, after OneChart: charts drawn by matplotlib or ECharts, read back as a python dict.

| module | holds |
| --- | --- |
| `engine` | the Engine and its Config: content, then looks, then a renderer, the checks, degradation |
| `spec` | `ChartSpec`, the plain-data description both chart renderers draw |
| `style` | how a chart looks: size, fonts, colours, legend, data labels |
| `targets` | the target in OneChart, HTML or Markdown form |
| `content/` | WHAT a built-in chart says: topics, real figures (`facts`), labels, values, titles |
| `source/` | the `--source` reader (a user's CSV/TSV tables) and fitting a table to one chart |
| `layout/` | the plan computed once for both renderers: frame, axes, marks, labels; the checks after drawing |
| `draw/` | drawing a plan with matplotlib or ECharts in Chromium; palettes and colours told apart |
"""

from engines.charts.engine import ChartsEngine

__all__ = ["ChartsEngine"]
