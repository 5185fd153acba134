"""How a planned chart is drawn: by matplotlib or by ECharts in Chromium, with shared colours and palettes."""
