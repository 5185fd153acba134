"""`ChartContent`: what a chart says, before anything about its looks, from a topic or a user's table.

Everything in it ends up in the target (kind, labels, values, number format, titles, a subtitle, a
reference line's label), plus `notes` on how it was made (the topic, a table's dropped rows or
series, its window), which the sample's meta carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engines.charts.spec import Annotation, NumberFormat, Reference, Series


@dataclass
class ChartContent:
    """Everything a chart's target says, plus its kind and language; the looks come later."""

    kind: str
    categories: list[str]
    series: list[Series]
    number_format: NumberFormat
    lang: str
    title: str | None = None
    source: str | None = None
    x_title: str | None = None
    y_title: str | None = None
    subtitle: str | None = None
    reference: Reference | None = None
    x_values: list[float] | None = None
    x_format: NumberFormat | None = None
    y2_title: str | None = None  # a bar+line chart's right axis, which its line reads on
    annotation: Annotation | None = None
    y2_format: NumberFormat | None = None  # the right axis's own format (`ChartSpec.y2_format`)
    time: bool = False  # categories run in time order (years, quarters, months, weekdays)
    notes: dict[str, Any] = field(default_factory=dict)  # what was done to the data, for meta


def content_texts(content: ChartContent) -> list[str]:
    """Every text of the content a chart may draw: titles, labels and series names."""
    texts = [t for t in (content.title, content.subtitle, content.source, content.x_title, content.y_title,
                         content.y2_title, content.reference and content.reference.text,
                         content.annotation and content.annotation.text) if t]
    return texts + list(content.categories) + [s.name for s in content.series]
