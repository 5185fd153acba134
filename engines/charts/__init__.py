"""The `charts` engine, after OneChart: charts drawn by matplotlib or ECharts, read back as a python dict.

| module | holds |
| --- | --- |
| `engine` | the Engine and its Config: content, then looks, then a renderer, then the target check |
| `content`, `topics`, `text`, `values` | WHAT a chart says: topics, labels, plausible values, titles |
| `tables` | the `--source` reader: a user's CSV/TSV tables |
| `style`, `palettes` | how a chart looks: size, fonts, colours, legend, data labels |
| `spec` | `ChartSpec`, the plain-data description both chart renderers draw |
| `layout`, `axes` | the frame and axes geometry, computed once for both renderers |
| `mpl_chart`, `mpl_marks` | drawing a spec with matplotlib (through `renderers.matplotlib`) |
| `echarts`, `echarts_options` | drawing a spec with ECharts in Chromium (through `renderers.chromium`) |
"""

from engines.charts.engine import ChartsEngine

__all__ = ["ChartsEngine"]
