"""SVG rasterising with real resvg: sizes, background, installed fonts only, determinism, errors, cropping."""

from __future__ import annotations

import pytest
from PIL import ImageChops

from conftest import digest
from renderers.errors import RenderError
from renderers.svg import crop_to_content, rasterise


def svg_doc(body: str, width: int = 240, height: int = 80) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">{body}</svg>'


def text_svg(text: str, family: str) -> str:
    return svg_doc(f'<text x="8" y="52" font-family="{family}" font-size="36">{text}</text>')


def test_size_scale_width_and_background() -> None:
    svg = svg_doc('<rect x="20" y="10" width="40" height="30" fill="#ff0000"/>')
    image = rasterise(svg, background="#00ff00")
    assert image.mode == "RGB" and image.size == (240, 80)
    assert image.getpixel((0, 0)) == (0, 255, 0) and image.getpixel((40, 25)) == (255, 0, 0)
    assert rasterise(svg, scale=2.0).size == (480, 160)
    assert rasterise(svg, width=120).size == (120, 40)


def test_same_svg_same_bytes() -> None:
    svg = text_svg("Allegro ma non troppo 你好", "serif")
    assert digest(rasterise(svg, scale=1.5)) == digest(rasterise(svg, scale=1.5))


def test_text_uses_the_installed_faces() -> None:
    """Generic and unknown families land on installed faces; CJK draws real glyphs, not boxes."""
    serif = rasterise(text_svg("Moderato", "DejaVu Serif"))
    assert digest(rasterise(text_svg("Moderato", "serif"))) == digest(serif)
    assert digest(rasterise(text_svg("Moderato", "Times, serif"))) == digest(serif)  # what Verovio asks for
    assert digest(rasterise(text_svg("Moderato", "sans-serif"))) != digest(serif)
    assert digest(rasterise(text_svg("Moderato", "serif"), serif="noto-serif-cjk")) != digest(serif)
    ni, hao = (crop_to_content(rasterise(text_svg(c, "sans-serif")), margin=0) for c in "你好")
    assert ImageChops.difference(ni.resize(hao.size), hao).getbbox() is not None  # two boxes would match
    assert 20 <= hao.height <= 40  # a glyph of a 36 px font, not an empty render


def test_invalid_svg_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="svg_invalid"):
        rasterise("<svg><g></svg>")
    with pytest.raises(ValueError):
        rasterise(svg_doc(""), background="not-a-colour")


def test_crop_to_content() -> None:
    image = rasterise(svg_doc('<rect x="100" y="20" width="50" height="30" fill="#000"/>'))
    cropped = crop_to_content(image, margin=5)
    assert cropped.size == (60, 40)
    assert cropped.getpixel((0, 0)) == (255, 255, 255) and cropped.getpixel((5, 5)) == (0, 0, 0)
    edge = rasterise(svg_doc('<rect x="0" y="0" width="30" height="30" fill="#000"/>'), background="#336699")
    padded = crop_to_content(edge, background="#336699", margin=4)
    assert padded.size == (38, 38) and padded.getpixel((0, 0)) == (0x33, 0x66, 0x99)
    with pytest.raises(RenderError, match="blank_render"):
        crop_to_content(rasterise(svg_doc("")))
