"""The `charts` engine, after OneChart: charts drawn by matplotlib or ECharts, read back as a python dict.

| module | holds |
| --- | --- |
| `engine` | the Engine and its Config: content, then looks, then a renderer, the checks, degradation |
| `content_model`, `content`, `scatter`, `topics`, `text`, `values`, `climate` | WHAT a built-in chart says: topics, labels, plausible values (time series, climates), titles |
| `tables`, `cells`, `timekeys`, `fit` | the `--source` reader (a user's CSV/TSV tables) and fitting a table to one chart |
| `readable`, `targets` | values a reader can take from the image; the target in OneChart, HTML or Markdown form |
| `style`, `palettes`, `colors` | how a chart looks: size, fonts, colours told apart (CIEDE2000), legend, data labels |
| `spec` | `ChartSpec`, the plain-data description both chart renderers draw |
| `plan`, `layout`, `legend`, `wrap`, `axes`, `categories`, `geometry`, `radial` | the frame, axes and marks, computed once for both renderers |
| `labels`, `obstacles`, `overlap` | data labels placed beside their marks; after drawing, no text covers a mark |
| `mpl_chart`, `mpl_marks`, `mpl_text` | drawing a plan with matplotlib (through `renderers.matplotlib`) |
| `echarts`, `echarts_options`, `echarts_graphics` | drawing a plan with ECharts in Chromium (through `renderers.chromium`) |
"""

from engines.charts.engine import ChartsEngine

__all__ = ["ChartsEngine"]
