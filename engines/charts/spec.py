"""`ChartSpec`: everything a chart renderer needs, as plain data that round-trips through JSON.

An engine decides WHAT a chart shows (kind, labels, values, number format, titles) and how it
looks (size, font, colours); both chart renderers draw the same spec, and `to_dict` goes into the
sample's meta so the JSON alone re-renders it. Numbers are formatted here, in one place, because
the data labels a renderer draws and the target an engine writes must be the very same strings.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

# kind -> (number of series allowed (min, max), drawn on category/value axes)
KINDS: dict[str, tuple[tuple[int, int], bool]] = {
    "bar": ((1, 1), True),
    "hbar": ((1, 1), True),
    "grouped_bar": ((2, 4), True),
    "stacked_bar": ((2, 4), True),
    "hstacked_bar": ((2, 4), True),
    "line": ((1, 1), True),
    "multi_line": ((2, 5), True),
    "area": ((1, 3), True),
    "scatter": ((1, 3), True),
    "bar_line": ((2, 2), True),
    "pie": ((1, 1), False),
    "donut": ((1, 1), False),
    "radar": ((1, 3), False),
}
HORIZONTAL = ("hbar", "hstacked_bar")  # categories down the left side, values along the bottom
STACKED = ("stacked_bar", "hstacked_bar")
BAR_KINDS = ("bar", "hbar", "grouped_bar") + STACKED
LEGEND_POSITIONS = ("top", "bottom", "right")
DASHES = ("solid", "dashed")
SYMBOLS = ("circle", "rect", "triangle", "diamond")
END_LABEL_KINDS = ("line", "multi_line", "area")  # series over time whose names can sit at their lines' ends
# How often publishers' looks (publisher styles, dual axes, annotations) are drawn: each at its share, on
# every chart that can take one, or never (`--looks`).
Looks = Literal["mixed", "always", "never"]


def look_share(looks: str, share: float) -> float:
    """The chance of a look drawn at `share` by default, under `--looks`."""
    return {"mixed": share, "always": 1.0, "never": 0.0}[looks]


@dataclass(frozen=True)
class NumberFormat:
    """How every value of a chart is written: fixed decimals, an optional prefix ("$") or suffix ("%")."""

    decimals: int = 0
    prefix: str = ""
    suffix: str = ""

    def text(self, value: float, decimals: int | None = None, grouping: bool = False) -> str:
        """The value as the chart shows it, e.g. "12.50", "-3", "$1.5", "12.5%" (never "-0").

        `decimals` overrides the format's (axis ticks need as many as their step); `grouping`
        adds thousands separators, for axis ticks only: a data label is written without them
        so that the target can carry it as a plain JSON number.
        """
        digits = f"{abs(value):{',' if grouping else ''}.{self.decimals if decimals is None else decimals}f}"
        sign = "-" if value < 0 and digits.strip("0.") else ""
        return f"{sign}{self.prefix}{digits}{self.suffix}"

    @property
    def plain(self) -> bool:
        """True when values are bare numbers (a JSON number token in a target), not strings."""
        return not (self.prefix or self.suffix)


@dataclass
class Series:
    name: str
    values: list[float]


@dataclass(frozen=True)
class Reference:
    """An annotation: a dashed line across the plot at `value`, with `text` at its end ("Average: 45.2")."""

    value: float
    text: str


@dataclass(frozen=True)
class Annotation:
    """A news graphic's note on one point ("Peak: 2008"), drawn beside that point of `series`."""

    text: str
    series: int
    index: int


@dataclass
class ChartStyle:
    """How the chart looks; the renderer derives all geometry from these and the content."""

    width: int = 800
    height: int = 600
    font: str = "dejavu-sans"  # a key of renderers.fonts.FACES
    font_size: int = 12  # tick and category labels, px
    title_size: int = 18
    title_bold: bool = True
    title_align: str = "center"  # left | center
    colors: list[str] = field(default_factory=lambda: ["#4472c4", "#ed7d31", "#a5a5a5", "#ffc000", "#5b9bd5"])
    background: str = "#ffffff"
    text_color: str = "#333333"
    grid_color: str = "#d9d9d9"  # value-axis grid lines, radar rings
    axis_color: str = "#666666"
    grid: bool = True  # value-axis grid lines
    markers: bool = True  # point markers on lines
    legend_position: str = "top"  # top | bottom | right
    bar_width: float = 0.7  # share of a category's band the bars fill
    line_width: float = 2.0
    dashes: list[str] = field(default_factory=lambda: ["solid"] * 5)  # per series, a DASHES entry
    symbols: list[str] = field(default_factory=lambda: list(SYMBOLS) + ["circle"])  # per series marker
    palette: str = ""  # the palette the colours were picked from (a record for meta)
    end_labels: bool = False  # series named at their line's end (World Bank style) instead of in a legend
    panels: bool = False  # small multiples: a multi-line chart as one small panel per series, one shared scale
    publisher: str = ""  # the publisher style whose looks were bundled (`style.PUBLISHERS`), "" for none


@dataclass
class ChartSpec:
    """One chart: categories (x labels, pie slices or radar axes) and one or more series over them.

    A numeric scatter plot sets `x_values`: category i is then the point at x = x_values[i], and its
    label is that number as `x_format` writes it (the key the target gives the point under).
    """

    kind: str
    categories: list[str]
    series: list[Series]
    number_format: NumberFormat = field(default_factory=NumberFormat)
    title: str | None = None
    source: str | None = None  # data-source note drawn under the chart, e.g. "Source: World Bank"
    x_title: str | None = None
    y_title: str | None = None
    legend: bool = False
    data_labels: bool = False
    style: ChartStyle = field(default_factory=ChartStyle)
    subtitle: str | None = None  # a smaller line under the title
    reference: Reference | None = None
    x_values: list[float] | None = None
    x_format: NumberFormat | None = None
    y2_title: str | None = None  # a bar+line chart's second value axis (right): its line series reads on it
    annotation: Annotation | None = None
    y2_format: NumberFormat | None = None  # how the right axis and its series' values are written (own decimals)

    def __post_init__(self) -> None:
        """Reject specs no renderer could draw faithfully: a programming error, not a sample failure."""
        if self.kind not in KINDS:
            raise ValueError(f"chart kind {self.kind!r} is not one of {sorted(KINDS)}")
        (lo, hi), cartesian = KINDS[self.kind]
        if not lo <= len(self.series) <= hi:
            raise ValueError(f"a {self.kind} chart takes {lo}-{hi} series, got {len(self.series)}")
        if any(len(s.values) != len(self.categories) for s in self.series):
            raise ValueError("every series needs one value per category")
        if len(set(self.categories)) != len(self.categories) or len({s.name for s in self.series}) != len(self.series):
            raise ValueError("category and series names must be unique")
        if not cartesian and (self.x_title or self.y_title or self.reference):
            raise ValueError(f"a {self.kind} chart has no axes to title or annotate")
        if self.kind == "radar" and self.data_labels:
            raise ValueError("radar charts carry a labelled radial scale, not data labels")
        if self.by_category and not self.data_labels:
            raise ValueError("a pie or donut shows its values (or percentages): data_labels must be on")
        lowest = min(v for s in self.series for v in s.values)
        if (self.by_category and lowest <= 0) or lowest < 0 and not cartesian:
            raise ValueError(f"a {self.kind} chart cannot show values <= 0 (pies) or < 0 (radars)")
        if self.x_values is not None and (self.kind != "scatter" or self.x_format is None or
                                          self.categories != [self.x_format.text(x) for x in self.x_values]):
            raise ValueError("x_values are for scatter charts, with x_format, and name the categories")
        if self.y2_title is not None and self.kind != "bar_line":
            raise ValueError("only a bar+line chart has a second value axis (y2_title)")
        if self.y2_format is not None and self.y2_title is None:
            raise ValueError("a second value axis's format (y2_format) needs that axis (y2_title)")
        if self.style.end_labels and self.kind not in END_LABEL_KINDS:
            raise ValueError(f"end labels are for {END_LABEL_KINDS}, not {self.kind}")
        if self.style.panels and (self.kind != "multi_line" or self.data_labels or self.legend):
            raise ValueError("small multiples are multi-line charts without data labels or a legend")
        if self.annotation is not None and not (self.cartesian and 0 <= self.annotation.series < len(self.series)
                                                and 0 <= self.annotation.index < len(self.categories)):
            raise ValueError("an annotation points at a point of a cartesian chart")
        if self.style.legend_position not in LEGEND_POSITIONS:
            raise ValueError(f"legend_position must be one of {LEGEND_POSITIONS}")
        if len(self.style.colors) < max(len(self.series), len(self.categories) if self.by_category else 1):
            raise ValueError("the palette has fewer colours than the chart has series (or slices)")
        if len(self.style.dashes) < len(self.series) or len(self.style.symbols) < len(self.series):
            raise ValueError("every series needs a dash style and a marker symbol")

    @property
    def cartesian(self) -> bool:
        """Drawn on a category axis and a value axis (not a pie or a radar)."""
        return KINDS[self.kind][1]

    @property
    def horizontal(self) -> bool:
        return self.kind in HORIZONTAL

    @property
    def by_category(self) -> bool:
        """Colours and legend entries go to categories (pie slices), not to series."""
        return self.kind in ("pie", "donut")

    @property
    def legend_labels(self) -> list[str]:
        return self.categories if self.by_category else [s.name for s in self.series]

    @property
    def names_series(self) -> bool:
        """Whether the image names the series (a legend, names at the lines' ends or over their panels): the
        target then names them too."""
        return (self.legend or self.style.end_labels or self.style.panels) and not self.by_category

    @property
    def right_series(self) -> list[int]:
        """The series read on the second (right) value axis: a dual-axis bar+line chart's line."""
        return [1] if self.y2_title is not None else []

    def format_of(self, series: int) -> NumberFormat:
        """How a series' values are written: in the right axis's format where it reads on that axis (a growth
        rate in %, one decimal, beside a quantity in whole units), else in the chart's."""
        return self.y2_format if self.y2_format is not None and series in self.right_series else self.number_format

    def label(self, series: int, index: int) -> str:
        """The data label of one value, exactly as drawn and as written in the target."""
        return self.format_of(series).text(self.series[series].values[index])

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChartSpec:
        """Rebuild a spec from `to_dict()` output (e.g. a sample's meta["spec"])."""
        data = dict(data)
        data["series"] = [Series(**s) for s in data["series"]]
        data["number_format"] = NumberFormat(**data["number_format"])
        data["style"] = ChartStyle(**data["style"])
        if data.get("reference"):
            data["reference"] = Reference(**data["reference"])
        if data.get("annotation"):
            data["annotation"] = Annotation(**data["annotation"])
        for key in ("x_format", "y2_format"):
            if data.get(key):
                data[key] = NumberFormat(**data[key])
        return cls(**data)
