"""HOW to draw: long-lived backends (matplotlib's Agg canvas, headless Chromium) reused per worker process.

Nothing here imports `engines/`: an engine builds a description (e.g. `chart_spec.ChartSpec`) and a
renderer turns it into pixels, raising `errors.RenderError` when the content itself cannot be drawn.
"""
