"""renderers.pymupdf: real PyMuPDF on PDFs that PyMuPDF itself writes (known text at known places)."""

from __future__ import annotations

import pymupdf
import pytest
from PIL import ImageOps

from renderers.errors import RenderError
from renderers.latex import compile_document
from renderers.pymupdf import PdfConfig, PdfDocument, render_pdf, render_svg


def make_pdf(rotation: int = 0, pages: int = 1) -> bytes:
    """A 300 x 200 pt PDF: "Hello world" at 24 pt, baseline y=60, x from 40; a filled box below."""
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page(width=300, height=200)
        page.insert_text((40, 60), "Hello world", fontsize=24)
        page.insert_text((40, 90), f"page {n}", fontsize=12)
        page.draw_rect(pymupdf.Rect(20, 120, 220, 180), color=(0, 0, 1), fill=(1, 0, 0))
        page.set_rotation(rotation)
    return doc.tobytes()


def ink_box(image) -> tuple[int, int, int, int]:
    """The bounding box of the non-white pixels."""
    return ImageOps.invert(image.convert("L")).point(lambda v: 255 if v > 64 else 0).getbbox()


def test_render_size_dpi_and_same_pixels(tmp_path):
    data = make_pdf()
    path = tmp_path / "a.pdf"
    path.write_bytes(data)
    with PdfDocument(data) as doc, PdfDocument(path) as from_path:
        assert len(doc) == 1 and doc.page_size(0) == (300, 200)
        image = doc.render(0, dpi=144)
        assert image.mode == "RGB" and image.size == (600, 400)
        assert image.tobytes() == doc.render(0, dpi=144).tobytes() == from_path.render(0, dpi=144).tobytes()
        assert image.getpixel((240, 300)) == (255, 0, 0)  # inside the red box at (20..220, 120..180) pt
        assert doc.render(0).size == (625, 417)  # config's 150 dpi: 300 x 200 pt x 150 / 72, rounded up


def test_clip_is_the_same_pixels_as_a_crop_of_the_page():
    with PdfDocument(make_pdf()) as doc:
        full = doc.render(0, dpi=144)
        part = doc.render(0, dpi=144, clip=(50, 40, 150, 120))
        assert part.size == (200, 160)
        assert part.tobytes() == full.crop((100, 80, 300, 240)).tobytes()
        with pytest.raises(ValueError, match="does not overlap the page"):
            doc.render(0, clip=(400, 400, 500, 500))


def test_line_and_word_boxes_frame_their_ink():
    with PdfDocument(make_pdf()) as doc:
        image = doc.render(0, dpi=144)
        lines = doc.texts(0, dpi=144)
        words = doc.texts(0, dpi=144, unit="word")
    assert [t.text for t in lines] == ["Hello world", "page 0"]
    assert [t.text for t in words] == ["Hello", "world", "page", "0"]
    hello = lines[0]
    left, top, right, bottom = hello.bbox
    assert hello.quad[0] == (left, top)  # clockwise from the text's top-left
    assert left == pytest.approx(80, abs=1) and bottom > 120 > top  # baseline at 60 pt = 120 px
    ink = ink_box(image.crop((0, 0, 600, 160)))  # the first line's ink only
    assert left - 2 <= ink[0] and ink[2] <= right + 2 and top - 2 <= ink[1] and ink[3] <= bottom + 2
    assert words[0].bbox[0] == left and words[1].bbox[2] == pytest.approx(right, abs=0.01)
    assert all(t.score == 1.0 and t.page == 0 for t in lines + words)


def test_rotated_page_boxes_follow_the_text():
    with PdfDocument(make_pdf(rotation=90)) as doc:
        assert doc.page_size(0) == (200, 300)
        image = doc.render(0, dpi=72)
        hello = doc.texts(0, dpi=72)[0]
    assert image.size == (200, 300)
    left, top, right, bottom = hello.bbox
    # turned a quarter clockwise, the text reads downwards: its top-left is the box's top-right corner
    assert hello.quad[0] == (right, top) and hello.quad[2] == (left, bottom)
    assert bottom - top > right - left  # a tall box
    ink = ink_box(image.crop((int(left), int(top), int(right) + 1, int(bottom) + 1)))
    assert ink[3] - ink[1] > 0.8 * (bottom - top)  # the text runs down the box's length


def test_clip_texts_are_in_clip_pixels():
    with PdfDocument(make_pdf()) as doc:
        words = doc.texts(0, dpi=144, clip=(100, 40, 300, 120), unit="word")
    # only "world" (x 101-149 pt) and nothing of the lower lines; origin at the clip's corner
    assert [w.text for w in words] == ["world"]
    assert words[0].bbox[0] == pytest.approx((101.1 - 100) * 2, abs=0.5)


def test_render_pdf_pages_texts_and_info():
    result = render_pdf(make_pdf(pages=3), pages=[2, 0], dpi=72, unit="word")
    assert [im.size for im in result.images] == [(300, 200), (300, 200)]
    assert [(t.text, t.page) for t in result.texts if t.text in ("2", "0")] == [("2", 0), ("0", 1)]
    assert result.info == {"renderer": "pymupdf", "dpi": 72, "pages_pt": [[300, 200], [300, 200]]}


def test_unreadable_truncated_encrypted_and_huge_pdfs(tmp_path):
    data = make_pdf()
    with pytest.raises(RenderError, match="pdf_unreadable") as err:
        PdfDocument(b"%PDF-1.7 but not really a PDF")
    assert err.value.reason == "pdf_unreadable"
    with pytest.raises(RenderError, match="pdf_unreadable: .* is not a PDF but Image"):
        PdfDocument(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(RenderError, match="pdf_damaged: .* repaired"):
        PdfDocument(data[: len(data) // 2])
    with PdfDocument(data[:-40], PdfConfig(allow_repaired=True)) as repaired:  # tail cut, pages intact
        assert repaired.texts(0)[0].text == "Hello world"
    doc = pymupdf.open(stream=data, filetype="pdf")
    locked = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="user")
    with pytest.raises(RenderError, match="pdf_encrypted: .* needs a password"):
        PdfDocument(locked)
    with pytest.raises(FileNotFoundError, match="no PDF at"):
        PdfDocument(tmp_path / "missing.pdf")
    with PdfDocument(data, PdfConfig(max_pixels=10_000)) as small:
        with pytest.raises(RenderError, match="page_too_large: page 0: 600x400 px over the 10000 px limit"):
            small.render(0, dpi=144)
        with pytest.raises(ValueError, match="unit must be one of"):
            small.texts(0, dpi=10, unit="glyph")
    with pytest.raises(ValueError, match="dpi > 0"):
        PdfConfig(dpi=0)


@pytest.mark.shared_data
def test_real_pdf_text_layer_lies_on_the_ink(shared_data):
    path = shared_data / "pdf" / "en_pysample_pdflatex-4-pages.pdf"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    result = render_pdf(path, pages=[0], dpi=100)
    image = result.image.convert("L")
    assert len(result.texts) > 10
    for text in result.texts:
        box = tuple(round(v) for v in text.bbox)
        assert 0 <= box[0] < box[2] <= image.width + 1 and 0 <= box[1] < box[3] <= image.height + 1
        assert image.crop(box).getextrema()[0] < 128, text  # some ink inside every line's box


def test_render_svg_on_white_and_refusals():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
           '<rect x="10" y="10" width="40" height="20" fill="#ff0000"/></svg>')
    image = render_svg(svg)
    assert image.mode == "RGB" and image.size == (120, 40)
    assert image.getpixel((0, 0)) == (255, 255, 255) and image.getpixel((30, 20)) == (255, 0, 0)
    for bad in ("", "hello", "<svg", make_pdf().decode("latin-1")):
        with pytest.raises(RenderError, match="svg_invalid"):
            render_svg(bad)


def test_table_count_sees_a_ruled_table_and_not_plain_lines():
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=200)
    for r in range(4):
        page.draw_line((20, 20 + 30 * r), (260, 20 + 30 * r))
    for c in range(4):
        page.draw_line((20 + 80 * c, 20), (20 + 80 * c, 110))
    for r in range(3):
        for c in range(3):
            page.insert_text((28 + 80 * c, 40 + 30 * r), f"r{r}c{c}", fontsize=10)
    plain = doc.new_page(width=300, height=200)
    plain.insert_text((20, 40), "Hello world\nand a second line", fontsize=12)
    with PdfDocument(doc.tobytes()) as pdf:
        assert pdf.table_count(0) == 1 and pdf.table_count(1) == 0


def test_a_gap_with_no_space_glyph_reads_as_a_space_but_not_between_chinese_glyphs():
    """A real report's cover draws "2018 年 04 月" with a positioned move after 年, and a real paper "S ⊂ Range(κ)"
    with TeX's space after the relation, no space glyph: the line says the space the page shows; glyphs set close
    stay close, and two Chinese glyphs a little apart (a justified line) are not parted, half an em apart ("第一节  重要提示")
    they are."""
    doc = pymupdf.open()
    page = doc.new_page()
    x = 72.0
    for text, font, gap in (("年", "china-s", 4), ("04", "helv", 1), ("月", "china-s", 1), ("ok", "helv", 0),
                            ("中", "china-s", 5), ("文", "china-s", 9), ("节", "china-s", 0)):
        page.insert_text((x, 100), text, fontname=font, fontsize=16)
        x += pymupdf.get_text_length(text, fontname=font, fontsize=16) + gap
    assert [t.text for t in PdfDocument(doc.tobytes()).texts(0, 72, gaps=True)] == ["年 04月ok中文 节"]
    assert [t.text for t in PdfDocument(doc.tobytes()).texts(0, 72)] == ["年04月ok中文节"]  # as the text layer says
    paper = compile_document(r"\documentclass{article}\begin{document}any $S \subset R$ and $x \in S$\end{document}")
    assert PdfDocument(paper.pdf).texts(0, 72, gaps=True)[0].text == "any S ⊂ R and x ∈ S"
    assert PdfDocument(paper.pdf).texts(0, 72)[0].text == "any S ⊂R and x ∈S"  # TeX's math spacing is no glyph
