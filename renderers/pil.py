"""Text lines drawn with Pillow: the cheapest renderer, for plain-text images and quick samples.

Pillow's basic layout (no raqm) draws Latin and CJK text the same on every machine whatever its
shaping libraries; scripts that need shaping are refused beforehand by `fonts.check_drawable`.
Every line is reported with its box, measured with the very font that drew it, so an engine can
write box targets or crop line slices without guessing.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from renderers.errors import RenderError
from renderers.fonts import check_drawable, font_file
from renderers.result import DrawnText, Rendered, box_quad


@dataclass(frozen=True)
class TextStyle:
    """How the lines look: a face key of `renderers.fonts.FACES`, its size in pixels, colours, spacing."""

    font: str = "dejavu-sans"
    size: int = 18
    color: str = "#000000"
    background: str = "#ffffff"
    margin: int = 12
    line_spacing: float = 1.4  # line pitch, in font sizes


def _font(style: TextStyle) -> ImageFont.FreeTypeFont:
    path, index = font_file(style.font)
    return ImageFont.truetype(path, style.size, index=index, layout_engine=ImageFont.Layout.BASIC)


def draw_lines(lines: list[str], style: TextStyle, width: int | None = None) -> Rendered:
    """Draw `lines` top to bottom, left-aligned, on an image just tall enough for them.

    Args:
        lines: the text, one string per line (no newlines inside a line).
        style: font, size, colours and spacing.
        width: image width in pixels; by default the widest line plus margins.

    Returns:
        The image, and one DrawnText per line (its ink box) in `texts`.

    Raises:
        RenderError: "glyphs_missing" / "script_needs_shaping" when the face cannot draw a line,
            "text_clipped" when a line is wider than `width`.
    """
    check_drawable(lines, style.font)
    font = _font(style)
    pitch = round(style.size * style.line_spacing)
    widths = [font.getlength(line) for line in lines]
    width = width or int(max(widths, default=0)) + 2 * style.margin
    height = pitch * len(lines) + 2 * style.margin
    image = Image.new("RGB", (width, height), style.background)
    draw = ImageDraw.Draw(image)
    texts = []
    for k, line in enumerate(lines):
        x, y = style.margin, style.margin + k * pitch
        left, top, right, bottom = draw.textbbox((x, y), line, font=font)
        if right > width - 1:
            raise RenderError("text_clipped", line[:40])
        draw.text((x, y), line, font=font, fill=style.color)
        texts.append(DrawnText(line, box_quad(left, top, right, bottom)))
    return Rendered([image], texts, {"font": style.font, "size": style.size})
