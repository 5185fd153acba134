"""The handwriting engine: targets equal what was written or pasted, pen strokes land where they should, bad
`--source` items are skipped by reason. Real PP-OCR reading of its samples is reported by `pipelines.validate`."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from conftest import drawn_as_built
from engines import get_engine, make_rng
from engines.handwriting import HandwritingEngine, source
from engines.handwriting import hand as hands
from engines.handwriting.content import KINDS, write_page
from engines.handwriting.engine import LANGS
from renderers import degrade, pen
from renderers.fonts import font_file

Engine = get_engine("handwriting")


def _draw(engine, i: int):
    return engine.sample(make_rng(7, "handwriting", i), i)


def test_pen_draws_ink_along_its_strokes_only() -> None:
    mask = pen.draw_strokes((100, 40), np.float32([[10, 20], [90, 20]]), np.float32([4, 4]), [2])
    assert mask[20, 10:90].min() > 200  # on the stroke
    assert mask[:14].max() == 0 and mask[27:].max() == 0 and mask[:, :6].max() == 0  # nowhere else


def test_pen_coverage_is_opencvs_area_reduction() -> None:
    """`pen._coverage` sums blocks its own way; its values must be what INTER_AREA gives, for every block."""
    s = pen.SUPERSAMPLE
    blocks = np.array([[(k >> i) & 1 for i in range(s * s)] for k in range(2 ** (s * s))], np.uint8)
    canvas = blocks.reshape(-1, s, s).transpose(1, 0, 2).reshape(s, -1)  # every block pattern, side by side
    canvas = np.vstack([canvas, np.random.default_rng(0).integers(0, 2, (s * 40, canvas.shape[1]), np.uint8)])
    want = cv2.resize(canvas * 255, (canvas.shape[1] // s, canvas.shape[0] // s), interpolation=cv2.INTER_AREA)
    assert np.array_equal(pen._coverage(canvas), want)
    assert len(np.unique(want)) == s * s + 1


def test_ink_is_laid_as_one_multiply_over_the_whole_page_would_lay_it() -> None:
    """`pen.ink_onto` leaves blank rows and columns alone; the page must be what the multiply everywhere gives."""
    rng = np.random.default_rng(0)
    mask = np.zeros((120, 90), np.uint8)
    mask[10:30, 5:60] = rng.integers(0, 256, (20, 55))
    mask[33:35, 40:80] = 255  # three blank rows under the first band: laid with it
    mask[70:90, 20:30] = rng.integers(0, 256, (20, 10))  # a band of its own
    page = rng.integers(0, 256, (120, 90, 3), dtype=np.uint8)
    ink = (18, 32, 110)
    level = np.arange(256, dtype=np.float32) / 255
    passes = cv2.merge([cv2.LUT(mask, np.round(255 - level * (255 - v)).astype(np.uint8)) for v in ink])
    want = cv2.multiply(page, passes, scale=1 / 255)
    pen.ink_onto(page, mask, ink)
    assert np.array_equal(page, want)


def test_glyph_data_covers_latin_and_chinese_and_refuses_the_rest() -> None:
    hand = hands.Hand("zh", "HersheyScript1", True, 30, 0.1, 2, 0.5, 2, 0.0, (0, 0, 0))
    assert hands.drawable(hand, "Debian 的软件包，“apt”。")
    assert not hands.drawable(hand, "→") and not hands.drawable(hand, "\u2603")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_builtin_targets_are_written_with_stroke_data(lang: str) -> None:
    engine = Engine(Engine.Config(lang=lang))
    for i in range(3):
        s = _draw(engine, i)
        h = hands.Hand(**{**s.meta["hand"], "ink": tuple(s.meta["hand"]["ink"])})
        lines = s.target.split("\n")
        assert all(hands.drawable(h, line) for line in lines)
        assert len(s.meta["boxes"]) == len(lines) and s.meta["lang"] == lang
        w, h = s.images[0].size
        assert all(-1 <= x0 and -1 <= y0 and x1 <= w + 1 and y1 <= h + 1 for x0, y0, x1, y1 in s.meta["boxes"])
        if lang == "zh":
            assert any("\u4e00" <= c <= "\u9fff" for c in s.target)
        # every line's box holds ink: the image is darker there than on the empty paper below the last line
        grey = np.asarray(s.images[0].convert("L"), dtype=np.float32)
        x0, y0, x1, y1 = (int(v) for v in s.meta["boxes"][0])
        assert grey[max(0, y0):y1, max(0, x0):x1].min() < 140


def test_source_page_is_the_pasted_transcripts_in_order(shared_data: Path) -> None:
    root = shared_data / "handwriting"
    truth = json.loads((root / "transcripts.json").read_text(encoding="utf-8"))
    engine = Engine(Engine.Config(source=str(root)))
    assert not engine.skipped and len(engine.items) == len(truth) and not any(item.page for item in engine.items)
    docs = {item.doc: [Path(it.path).name for it in engine.items if it.doc == item.doc] for item in engine.items}
    if not (root / "documents.json").is_file():  # numbered names make a document, in their numbers' order
        assert docs["en_memorials"] == [f"en_memorials_{n}.jpg" for n in range(1, 29)]
    seen = set()
    for i in range(6):
        s = _draw(engine, i)
        files = s.meta["files"]
        assert s.target == "\n".join(truth[f] for f in files)
        assert s.meta["source"] == "lines" and len(s.meta["boxes"]) == len(files) == len(set(files))
        doc = s.meta["document"]
        seen.add(doc)
        if doc:  # consecutive lines of one document, in its order
            order = docs[doc]
            start = order.index(files[0])
            assert files == order[start:start + len(files)] and min(6, len(order)) <= len(files) <= 8
    assert any(seen)


def _line_image(path: Path, text: str) -> None:
    img = Image.new("L", (24 * len(text) + 20, 60), 255)
    ImageDraw.Draw(img).text((10, 12), text, fill=0, font=ImageFont.truetype(font_file("dejavu-sans")[0], 30))
    img.save(path)


def test_source_pages_are_passages_of_one_document_in_order(tmp_path: Path) -> None:
    """Pasted lines are consecutive lines of one document (numbered names, or documents.json), in order; lines
    of no document are pasted together at random, never with a document's."""
    transcripts = {f"letter_{n}.png": f"letter line {n}" for n in range(1, 13)}  # 1..12: 10 sorts after 9
    transcripts |= {f"form-a{n}.png": f"form line {n}" for n in "xyz"}  # not numbered: documents.json orders it
    transcripts |= {"lone.png": "a lone line", "other.png": "another lone line"}
    for name, text in transcripts.items():
        _line_image(tmp_path / name, text)
    (tmp_path / "transcripts.json").write_text(json.dumps(transcripts), encoding="utf-8")
    (tmp_path / "documents.json").write_text(json.dumps({"form": ["form-az.png", "form-ax.png", "form-ay.png"]}),
                                             encoding="utf-8")
    engine = Engine(Engine.Config(source=str(tmp_path)))
    letter = [f"letter line {n}" for n in range(1, 13)]
    kinds = set()
    for i in range(len(transcripts)):
        s = _draw(engine, i)
        lines = s.target.split("\n")
        kinds.add(s.meta["document"])
        if s.meta["document"] == "letter":
            start = letter.index(lines[0])
            assert lines == letter[start:start + len(lines)] and 6 <= len(lines) <= 8
        elif s.meta["document"] == "form":
            assert lines == ["form line z", "form line x", "form line y"]
        else:
            assert sorted(lines) == ["a lone line", "another lone line"]
    assert kinds == {"letter", "form", ""}
    (tmp_path / "documents.json").write_text(json.dumps(["form-ax.png"]), encoding="utf-8")
    with pytest.raises(ValueError, match="documents.json"):
        source.load(str(tmp_path))


@pytest.mark.slow
def test_source_pages_whole_and_cut_into_lines(shared_data: Path) -> None:
    root = shared_data / "handwriting" / "pages"
    engine = Engine(Engine.Config(source=str(root)))
    lines = json.loads((root / "lines.json").read_text(encoding="utf-8"))["en_memorialspage_1.jpg"]
    assert [item.text for item in engine.items if not item.page] == [line["text"] for line in lines]
    pages = {Path(p.path).name: p.text for p in engine.items if p.page}
    assert pages["en_memorialspage_1.jpg"] == "\n".join(line["text"] for line in lines)
    iam = source.line_ink(next(p for p in engine.items if p.page and p.path.endswith("en_iampara_1.png")))
    assert iam.mean() < 0.2  # white-on-black was inverted: ink is the minority, not the background


def test_bad_source_items_are_skipped_by_reason(tmp_path: Path) -> None:
    Image.new("RGB", (300, 40), "white").save(tmp_path / "ok.png")
    (tmp_path / "broken.png").write_bytes(b"not an image")
    transcripts = {"ok.png": "21^st of M^c Farland", "broken.png": "x", "gone.png": "y",
                   "struck.png": "a \u27e6b\u27e7", "empty.png": " "}
    (tmp_path / "transcripts.json").write_text(json.dumps(transcripts), encoding="utf-8")
    items = source.load(str(tmp_path))
    assert [(i.text, i.page) for i in items.items] == [("21st of Mc Farland", False)]
    assert items.examples["missing_image"] == "gone.png"
    assert items.skipped == {"unreadable_image": 1, "missing_image": 1, "struck_text": 1, "empty_transcript": 1}
    with pytest.raises(ValueError, match="transcripts.json"):
        Engine(Engine.Config(source=str(tmp_path / "nowhere")))


def test_form_lines_are_printed_labels_then_the_writing() -> None:
    from engines.handwriting import content

    for lang, sep in (("en", " "), ("zh", "")):
        _, lines, _, _ = content.write_page(np.random.default_rng(1), lang, "form", (30, 36))
        titles, labels = content.FORMS[lang]
        assert lines[0][0] in titles
        for (text, _), label in zip(lines[1:4], labels):
            assert text.startswith(label + sep) and len(text) > len(label + sep)


def test_a_handwriting_sample_replays_from_its_meta() -> None:
    """The page written again from the sample's seed, degraded by the apply and parameters its JSON meta names,
    is the sample's image, byte for byte."""
    engine = HandwritingEngine()
    ((draw, sample),) = drawn_as_built(engine, [5])
    meta = json.loads(json.dumps(sample.meta))
    rng = make_rng(0, "handwriting", 5, draw.attempt)
    lang, kind = LANGS[int(rng.integers(2))], KINDS[int(rng.integers(len(KINDS)))]
    page, _, _, _ = write_page(rng, lang, kind, (engine.config.em_min, engine.config.em_max))
    replayed = degrade.apply(Image.fromarray(page), degrade.DegradeParams.from_dict(meta["degrade"]))
    assert replayed.images[0].tobytes() == sample.images[0].tobytes()



def test_built_in_pages_write_whole_sentences_and_a_chinese_letter_closes_as_people_write_it() -> None:
    """Notes stopped at "只需要按 F1 就", letters at "any letters or symbols in a" before "Best wishes,", a form's
    subject was the first line of a sentence, one page wrote a sentence twice, and "此致敬礼！" stood on one line."""
    from engines import letters, prose
    from engines.handwriting import content

    closings = {c for kinds in letters.EN_CLOSINGS.values() for c in kinds}
    ends = {"en": (".", "!", "?", ":", ")", '"', "”"), "zh": ("。", "！", "？", "：", "”", "）", ")", ".")}
    closed = 0
    for seed in range(16):
        for lang in ("en", "zh"):
            for kind in ("note", "letter", "form"):
                try:
                    _, lines, _, _ = content.write_page(np.random.default_rng(seed), lang, kind, (30, 36))
                except content.SampleError:
                    continue
                texts = [text for text, _ in lines]
                body = texts[3:] if kind == "form" else texts
                if kind == "letter" and lang == "zh":
                    assert texts[-4:-2] == ["此致", "敬礼！"], texts
                    body, closed = texts[1:-4], closed + 1
                elif kind == "letter":
                    body = texts[2:max(k for k, t in enumerate(texts) if t in closings)]
                whole = any(p.endswith(body[-1]) for p in prose.paragraphs(lang))  # a paragraph with no full stop
                # a letter may end at 您好！ or after a whole paragraph that is a list item ("二、...时间；")
                whole = whole or kind == "letter" and (body[-1] in ("您好！",) or body[-1].endswith("；"))
                assert body[-1].endswith(ends[lang]) or whole, (lang, kind, texts)
                said = [s for s in content.sentences(("" if lang == "zh" else " ").join(body)) if len(s) > 12]
                assert len(said) == len(set(said)), texts
                if kind == "form":
                    assert not texts[2].split(maxsplit=1)[-1].endswith((",", "，", " to", " the")), texts[2]
    assert closed


def test_a_handwritten_letter_is_a_letter_not_a_manual() -> None:
    """A letter page once wrote the Debian Reference under "Dear friend,": its body is now the words of a letter from
    `engines.letters` (salutation, its paragraphs' sentences in order, closing and sender), with no manual sentence."""
    from engines import letters, prose
    from engines.handwriting import content

    for lang in ("en", "zh"):
        manual = {s for p in prose.paragraphs(lang) for s in content.sentences(p) if len(s) > 12}
        written = 0
        for seed in range(6):
            try:
                _, lines, _, _ = content.write_page(np.random.default_rng(seed), lang, "letter", (30, 36))
            except content.SampleError:
                continue
            texts = [text for text, _ in lines]
            salutation = texts[0 if lang == "zh" else 1]
            assert salutation.startswith(("尊敬的", "Dear ")) and salutation.endswith(("：", ",")), texts
            said = content.sentences(("" if lang == "zh" else " ").join(texts))
            assert not manual & set(said), texts
            if lang == "zh":  # 您好！ and each paragraph start two characters in from the salutation (hand size 30-36)
                assert texts[1] == "您好！" and lines[1][1][0] > lines[0][1][0] + 40, lines[:2]
            closings = {c for kinds in letters.EN_CLOSINGS.values() for c in kinds} | {"此致", "敬礼！"}
            assert closings & set(texts), texts
            written += 1
        assert written >= 4, lang


def test_a_pen_hand_writes_digits_and_marks_closer_than_its_words() -> None:
    """EMS Felix gave a comma 0.40 em for 0.08 em of ink and a 1 0.44 em for 0.13, Hershey Script every digit a fixed
    0.66 em: "18, 2024" was written "1 8 , 2 0 2 4", digits as far apart as words."""
    for font in hands.LATIN_FONTS:
        space = hands._pen_glyph(font, " ").advance
        assert 2 * hands.TIGHT < space / 2
        for char in "0123456789,.;:!?()$%-/":
            glyph = hands._pen_glyph(font, char)
            if glyph is None:
                continue
            ink = float(glyph.points[:, 0].max() - glyph.points[:, 0].min())
            assert glyph.advance - ink <= 2 * hands.TIGHT + 1e-6, (font, char, glyph.advance, ink)
