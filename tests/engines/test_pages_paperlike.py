"""Generated pages as papers set them: tables the manual prints, under numbered captions, on the page's topic;
sections that open with text and run on in number; figures that are charts and diagrams, or photographs of what the
text speaks of."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from engines import manual_tables, photos, prose
from engines.base import make_rng
from engines.pages.blocks import Block, Document, Segment
from engines.pages.content import CAPTION, NUMBERING, SENTENCE, Walk, _printable, _tidy, draw_blocks
from engines.pages.layout import PageStyle, batch_latex, document_latex
from engines.pages.split import split_pages
from engines.scene.backgrounds import DESCRIPTIONS, PHOTOS, description
from pipelines.readers.page_redraw import NotPageMarkdown, blocks_of, redraw
from renderers.latex import LatexConfig, compile_document
from renderers.pymupdf import PdfDocument

PREFIX = {lang: re.compile("^" + re.escape(CAPTION["table"][lang]).replace(r"\{\}", r"(\d+)")) for lang in ("en", "zh")}


@pytest.mark.parametrize("source", ["debian-reference", "kicad"])
def test_the_manuals_tables_keep_their_captions_rows_and_places(source: str) -> None:
    for lang in ("en", "zh"):
        found = manual_tables.tables(lang, source)
        assert len(found) >= (150 if source == "debian-reference" else 60), (lang, len(found))
        assert [t.after for t in found] == sorted(t.after for t in found)  # in the manual's order
        for t in found:
            assert not re.match(r"(Table |表 ?)\d|\d+\.\d+\. ", t.caption), t.caption  # the manual's number dropped
            assert len({len(row) for row in t.rows}) == 1 and len(t.rows[0]) >= 2
            assert not t.header or len(t.header) == len(t.rows[0])
    first = manual_tables.tables("en")[0]
    assert (first.caption, first.header, first.rows[0][0]) == (
        "List of interesting text-mode program packages", ("package", "popcon", "size", "description"), "mc")
    assert first.chapter.endswith("GNU/Linux tutorials")
    assert manual_tables.tables("zh")[0].caption == "有趣的文本模式程序包列表"


def _place(lang: str, block: Block) -> prose.Place | None:
    """Where a paragraph's opening sentence stands in the manual (None for one about math, or too short)."""
    opening = SENTENCE[lang].split(block.markdown())[0].strip()[:60]
    if "\\(" in opening or len(opening) < 15:
        return None
    return next((place for text, place in zip(prose.paragraphs(lang), prose.places(lang)) if opening in _tidy(text)),
                None)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_documents_tables_are_the_manuals_own_under_numbered_captions(lang: str) -> None:
    """Tables came from the table engine's generator with no caption (hyper-parameters in a Debian chapter, a GDP
    table with Mexico "N/A"); now each is a run of rows the manual prints, under "Table n: " and the manual's
    caption, numbered in order through the document, from the chapter the text around it is in."""
    manual = {(t.caption, t.chapter): t for t in manual_tables.tables(lang)}
    by_caption: dict[str, list[manual_tables.ManualTable]] = {}
    for t in manual.values():
        by_caption.setdefault(_tidy(t.caption), []).append(t)
    seen = same_chapter = with_place = 0
    for seed in range(24):
        rng = make_rng(seed, "pages", 0)
        blocks = draw_blocks(rng, Walk(rng, lang), 6000, numbered=seed % 2 == 1)
        numbers = []
        for b, block in enumerate(blocks):
            if block.kind != "table":
                continue
            caption, tabular = (s.text for s in block.segments)
            m = PREFIX[lang].match(caption)
            assert m, caption
            numbers.append(int(m[1]))
            candidates = by_caption[caption[m.end():]]
            head, *rows = [line[:-3].split(" & ") for line in tabular.splitlines() if line.endswith(" \\\\")]
            if not any(t.header for t in candidates):
                rows = [head, *rows]
            shown = [r for t in candidates for r in [[_tidy(c) for c in row] for row in t.rows]]
            for row in rows:  # every row one of the manual's, some of its columns in their order
                assert any(all(c in full for c in row) for full in shown), (caption, row)
            around = next((_place(lang, x) for x in reversed(blocks[:b]) if x.kind == "paragraph"), None)
            if around and around.chapter:
                with_place += 1
                same_chapter += any(t.chapter == around.chapter for t in candidates)
            seen += 1
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers))) if numbers else True, numbers
    assert seen >= 12 and with_place >= 8 and same_chapter >= 0.8 * with_place, (seen, with_place, same_chapter)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_section_opens_with_its_text_and_numbers_run_on(lang: str) -> None:
    """A heading stood right over the next heading, and headings kept the manual's numbers ("1.1.6."), which skip
    wherever the document skips a section it cannot print: now text follows every heading, an unnumbered
    document's headings carry no number, and a numbered one's run 3, 3.1, 3.2, 4. A chapter's heading alone may
    stand over its first section's (as a manual prints "3 Network setup" over "3.1 The basic network
    infrastructure")."""
    for seed in range(24):
        rng = make_rng(seed, "pages", 0)
        numbered = seed % 2 == 1
        blocks = draw_blocks(rng, Walk(rng, lang), 6000, numbered=numbered)
        for block, after in zip(blocks, blocks[1:]):
            if block.kind == "heading" and after.kind == "heading":
                assert block.mark and block.level == 1 and after.level == 2 and not after.mark, (block, after)
        assert blocks[-1].kind != "heading"
        last = None
        for block in (b for b in blocks if b.kind == "heading"):
            title = block.segments[0].text
            if not numbered:
                assert not NUMBERING.match(title), title
                continue
            number = tuple(int(n) for n in title.split(" ", 1)[0].split("."))
            if last is not None:
                want = (last[0] + 1,) if block.level == 1 else (last[0], (last[1] if len(last) > 1 else 0) + 1)
                assert number == want, (last, number)
            last = number


def test_a_captioned_table_is_written_over_its_tabular_and_redrawn_to_the_pixel() -> None:
    """The page's target holds the caption over the tabular, as printed; read back, it typesets the same page."""
    style = PageStyle(paper="a4", margins=(72.0, 72.0, 72.0, 72.0), family="lmr", size=10.0, leading=1.2,
                      parindent=15.0, parskip=0.0)
    tabular = ("\\begin{tabular}{lr}\n\\toprule\npackage & size \\\\\n\\midrule\nmc & 1482 \\\\\nvim & 3570 \\\\\n"
               "\\bottomrule\n\\end{tabular}")
    blocks = [Block("paragraph", (Segment("The file managers below are the ones most used on Debian."),)),
              Block("table", (Segment("Table 2: List of interesting text-mode program packages"), Segment(tabular))),
              Block("paragraph", (Segment("Each of them runs in a terminal."),))]
    pdf = compile_document(batch_latex("en", [document_latex(0, style.setup(), blocks)]),
                           config=LatexConfig(program="pdflatex")).pdf
    with PdfDocument(pdf) as doc:
        [text] = split_pages(doc, [Document("en", style.setup(), blocks, style)])[0]
        image = doc.render(text.page, 72)
    target = text.markdown
    assert target == ("The file managers below are the ones most used on Debian.\n\n"
                      f"Table 2: List of interesting text-mode program packages\n\n{tabular}\n\n"
                      "Each of them runs in a terminal.")
    assert blocks_of(target, "en", False, []) == blocks
    meta = {"lang": "en", "style": style.to_dict(), "dpi": 72, "pages_in_document": 1}
    [again] = redraw(target, meta)
    assert np.array_equal(np.asarray(again), np.asarray(image))
    with pytest.raises(NotPageMarkdown):  # a caption with no tabular under it is no page's
        blocks_of("Table 2: List of packages\n\nSome words.", "en", False, [])


def test_a_manuals_figures_are_drawings_and_a_photo_of_its_topic_page_is_redrawn_to_the_pixel() -> None:
    """Two figures in five were a crop of any packaged photo, off the page's topic (a harbour in a git manual): a
    photograph now stands only where the text speaks of what it shows (`photos.SUBJECTS`), which no manual does, so
    a manual's figures are its drawings (charts and diagrams); a photo figure's page is redrawn from the LaTeX its
    meta records."""
    if not any(Path(p.path).is_file() for p in PHOTOS):
        pytest.skip("no background photo package is installed (make setup)")
    kinds = []
    for lang in ("en", "zh"):
        for seed in range(30):
            rng = make_rng(seed, "pages", 0)
            kinds += ["photo" if "gotphoto" in b.picture else "diagram" if "oval" in b.picture or "framebox"
                      in b.picture else "chart" for b in draw_blocks(rng, Walk(rng, lang), 6000) if b.kind == "figure"]
    assert "photo" not in kinds and kinds.count("diagram") >= 0.1 * len(kinds) and len(kinds) >= 40, kinds
    assert photos.photo(make_rng(3, "pages", 0), "en", "How Debian boots: the window manager's tree view") is None
    picture = photos.photo(make_rng(3, "pages", 0), "en", "Birds of the lakes and forests")
    assert photos.about(PHOTOS[int(photos.FILE.fullmatch(picture.name)[1])].name, "en", "Birds of the lakes and forests")
    style = PageStyle(paper="a4", margins=(72.0, 72.0, 72.0, 72.0), family="ptm", size=10.0, leading=1.2,
                      parindent=15.0, parskip=0.0)
    blocks = [Block("paragraph", (Segment("A photograph of the place stands below."),)),
              Block("figure", (Segment("Figure 1: " + picture.shows),), picture=picture.latex)]
    pdf = photos.compile_with_photos(batch_latex("en", [document_latex(0, style.setup(), blocks)]),
                                     LatexConfig(program="pdflatex"))
    with PdfDocument(pdf) as doc:
        [text] = split_pages(doc, [Document("en", style.setup(), blocks, style)])[0]
        image = doc.render(text.page, 72)
    target = text.markdown
    assert target == "A photograph of the place stands below.\n\nFigure 1: " + picture.shows
    ink = np.asarray(image.convert("L"))
    assert (ink < 250).mean() > 0.05  # the photo is printed (a page of two lines holds under 1% ink)
    meta = {"lang": "en", "style": style.to_dict(), "dpi": 72, "pages_in_document": 1, "pictures": [picture.latex]}
    [again] = redraw(target, meta)
    assert np.array_equal(np.asarray(again), np.asarray(image))


def test_a_photos_caption_says_what_it_shows_and_its_subject_is_no_word_of_the_manuals() -> None:
    """A photo figure was captioned with its section's title (a flower over "图 2 类 Unix 文件系统"): its caption is
    the photo's description, which every packaged photo has in English and Chinese, printable on a page. Its
    subject words are words of what it shows and none a manual uses ("window", "tree", "path": a dog at a window
    beside a chapter on X11 would be no more on topic than a harbour)."""
    assert set(DESCRIPTIONS) == {p.name for p in PHOTOS} == set(photos.SUBJECTS)
    for en, zh in DESCRIPTIONS.values():
        assert _printable(en, "en") and en[0].isupper() and not en.endswith("."), en
        assert _printable(zh, "zh") and re.search("[\u4e00-\u9fff]", zh) and not re.search("[A-Za-z]", zh), zh
    for source in prose.SOURCES:
        for lang in ("en", "zh"):
            texts = prose.paragraphs(lang, source) + prose.headings(lang, source)
            assert not [(n, t) for t in texts for n in photos.SUBJECTS if photos.about(n, lang, t)]
    assert photos.about("squirrel_cls", "en", "Squirrels hoard nuts.") and photos.about("squirrel_cls", "zh", "松鼠")
    assert not photos.about("squirrel_cls", "en", "Run the squirrelmail server.")  # whole words only
    if not any(Path(p.path).is_file() for p in PHOTOS):
        pytest.skip("no background photo package is installed (make setup)")
    for lang, topic in (("en", "A lake in the mountains"), ("zh", "山间的湖")):
        drawn = photos.photo(make_rng(0, "pages", 0), lang, topic)
        assert drawn.shows == description(PHOTOS[int(photos.FILE.fullmatch(drawn.name)[1])], lang)


def test_a_chapters_title_is_never_drawn_as_a_subsection() -> None:
    """Heading levels were drawn at random, so a document opening in a chapter's introduction could title it
    "1.1 Debian package management": a section that no heading of the manual stands over opens at level 1."""
    checked = 0
    for lang in ("en", "zh"):
        for seed in range(500):
            rng = make_rng(seed, "pages", 0)
            walk = Walk(rng, lang)
            if not (walk.top and walk.section):  # the walk does not open in a chapter's own text
                continue
            place = walk.places[walk.first]
            assert place.section == place.chapter
            blocks = draw_blocks(rng, walk, 600, numbered=True)
            if blocks[0].kind == "heading":
                assert blocks[0].level == 1 and re.fullmatch(r"\d+ .+", blocks[0].segments[0].text), blocks[0]
                checked += 1
    assert checked >= 20, checked


def test_a_documents_figures_never_repeat_a_caption() -> None:
    """A chart is captioned with its section's title, so two charts in one section carried one caption ("Figure 9:
    Stage 3: the mini-Debian system", "Figure 10: Stage 3: the mini-Debian system"): a caption is now said once in
    a document (a second figure there is a photograph, or none)."""
    figures = 0
    for lang in ("en", "zh"):
        for seed in range(40):
            rng = make_rng(seed, "pages", 0)
            captions = [re.sub(r"^(Figure \d+: |图 \d+ )", "", b.segments[0].text)
                        for b in draw_blocks(rng, Walk(rng, lang), 6000) if b.kind == "figure"]
            assert len(captions) == len(set(captions)), captions
            figures += len(captions)
    assert figures >= 100, figures  # 188 drawn (the old draws repeated 19 of 229)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_walk_reads_the_manual_front_to_back_and_stops_at_its_end(lang: str) -> None:
    """The walk wrapped from the manual's last paragraph to its first (`k % len`), and the manual's files were read
    by name (the appendix first, the preface last), so a document ran from the last chapter into the preface: the
    files are now read front to back and the walk stops at the manual's end; a document draws no block past it."""
    names = [path.rsplit("/", 1)[-1].split(".")[0] for path in prose.files(lang)]
    assert names[:3] == ["index", "pr01", "ch01"] and names[-1] == "apa", names
    usable = [k for k, ok in enumerate(Walk(make_rng(0, "pages", 0), lang).usable) if ok]
    walk = Walk(make_rng(0, "pages", 0), lang, ahead=40)
    assert usable.index(walk.first) <= len(usable) - 40  # 40 usable paragraphs left to read at least
    read = []
    while walk.left():
        walk.sentences(1)
        read.append(walk.k)
    assert read == usable[usable.index(walk.first):]  # in order, to the last
    assert walk.places[read[-1]].chapter.startswith(("Appendix", "附录"))
    with pytest.raises(ValueError, match="manual's end"):
        walk.sentences(1)
    rng = make_rng(1, "pages", 0)
    walk = Walk(rng, lang)
    blocks = draw_blocks(rng, walk, 1e9)  # more than the manual holds: the document ends with it
    assert not walk.left() and blocks and blocks[-1].kind != "heading"
