"""The `geometry` engine: TikZ figures (points, segments, circles, arcs, polygons, angle marks, function
curves, axes) compiled by real LaTeX in batches; target the normalised tikzpicture, or a Slow-Perception dict."""

from engines.geometry.engine import GeometryEngine

__all__ = ["GeometryEngine"]
