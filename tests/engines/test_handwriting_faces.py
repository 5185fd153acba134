"""Chinese font hands written with Google Fonts' handwriting faces (Fontsource subsets): each glyph comes from the
subset file that holds it, a character no subset holds is not written, and a page of each face reads back."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import numpy as np
import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from engines import get_engine, make_rng
from engines.handwriting import faces
from engines.handwriting import hand as hands
from engines.handwriting.content import write_page
from renderers import pen, ppocr

FACES = [f for f in hands.FONT_HANDS["zh"] if faces.is_face(f)]
SIZE = (30.0, 34.0)


def test_chinese_hands_are_mostly_quick_pens_then_the_brush_face() -> None:
    """45% quick pen hands, 15% neat pen, 30% Ma Shan Zheng, 10% WenKai (drawn: 2,000 hands)."""
    assert FACES == ["@fontsource/ma-shan-zheng"]
    drawn = [hands.draw_hand(np.random.default_rng(seed), "zh", SIZE) for seed in range(2000)]
    quick, neat = sum(h.cursive > 0 for h in drawn) / 2000, sum(h.pen and not h.cursive for h in drawn) / 2000
    face = sum(faces.is_face(h.font) for h in drawn) / 2000
    assert 0.42 < quick < 0.48 and 0.13 < neat < 0.18 and 0.27 < face < 0.33, (quick, neat, face)
    assert all(h.pen for h in drawn if h.cursive) and {h.cursive for h in drawn} == {0, 1, 2, 3}
    assert not any(hands.draw_hand(np.random.default_rng(seed), "en", SIZE).cursive for seed in range(100))


@pytest.mark.parametrize("face", FACES)
def test_a_glyph_comes_from_the_subset_file_that_holds_it(face: str) -> None:
    """鸲 is in a numbered subset but not in the face's one-file `chinese-simplified` cut; a snowman and an
    Extension-B character are in no subset: a hand of the face does not write them."""
    index = faces.index(face)
    name = face.split("/")[1]
    whole = Path(index["鸲"]).with_name(f"{name}-chinese-simplified-400-normal.woff")
    assert "鸲" not in {chr(c) for c in TTFont(whole, lazy=True).getBestCmap()}
    assert re.search(r"-\d+-400-normal\.woff$", index["鸲"])
    hand = hands.Hand("zh", face, False, 32.0, 0.1, 1.5, 0.5, 2.0, 0.0, (0, 0, 0))
    assert hands.drawable(hand, "他在2024年用apt安装鸲。") and not hands.drawable(hand, "☃")
    assert not hands.drawable(hand, "\U00020000")
    for char in "鸲A，":
        assert ord(char) in TTFont(index[char], lazy=True).getBestCmap()
        assert hands._font_glyph(face, 32, char)[4]  # drawn with ink from that file


def test_a_character_a_face_draws_as_another_form_is_not_written() -> None:
    """Ma Shan Zheng draws 脱 in its old form 脫 (PP-OCR reads it so): its hands never write 脱, WenKai's do."""
    ma_shan, wenkai = (hands.Hand("zh", f, False, 32.0, 0.1, 1.5, 0.5, 2.0, 0.0, (0, 0, 0))
                       for f in hands.FONT_HANDS["zh"])
    files = Path(faces.index(ma_shan.font)["的"]).parent.glob("*-400-normal.woff")
    assert any(ord("脱") in TTFont(f, lazy=True).getBestCmap() for f in files)  # the face has a glyph for it
    assert "脱" not in faces.index(ma_shan.font)
    assert not hands.drawable(ma_shan, "摆脱困境") and hands.drawable(ma_shan, "摆") and hands.drawable(wenkai, "摆脱困境")


def _face_seed(face: str) -> int:
    """The first seed whose drawn Chinese hand writes with `face` (`write_page` draws its hand first)."""
    return next(s for s in range(500) if hands.draw_hand(np.random.default_rng(s), "zh", SIZE).font == face)


@pytest.mark.parametrize("face", FACES)
def test_a_page_of_each_face_reads_back_as_its_target(face: str) -> None:
    """A sticky note written by a hand of the face, clean (no scan): PP-OCR reads its characters back (at most a
    tenth missed or misread: it misreads a few handwritten characters of most lines), and meta names the face."""
    seed = _face_seed(face)
    page, lines, hand, _ = write_page(np.random.default_rng(seed), "zh", "note", SIZE)
    assert hand.font == face and not hand.pen
    target = "".join(text for text, _ in lines)
    read = "".join(t.text for t in ppocr.read(Image.fromarray(page)).texts)
    keep = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
    want, got = "".join(keep.findall(target)), "".join(keep.findall(read))
    matched = sum(b.size for b in difflib.SequenceMatcher(None, want, got, autojunk=False).get_matching_blocks())
    assert len(want) >= 10 and matched >= 0.9 * len(want), (target, read)


def test_meta_records_the_face_a_sample_was_written_with() -> None:
    engine = get_engine("handwriting")(get_engine("handwriting").Config(lang="zh"))
    for index in range(40):
        sample = engine.sample(make_rng(0, "handwriting", index), index)
        if faces.is_face(sample.meta["hand"]["font"]):
            assert sample.meta["hand"]["font"] in FACES and sample.meta["hand"]["pen"] is False
            return
    raise AssertionError("no sample of 40 written with a Fontsource face")


def test_latin_words_in_a_brush_face_stand_apart() -> None:
    """Ma Shan Zheng's space is 0.21 em and its brush strokes reach past their advance: "ABRT PID" drew as
    "ABRTPID" (no blank column between T and P in 1 of 20 lines) while the target kept the space. With the word gap
    (`hand.WORD_GAP`) every line of 20 shows a blank band of at least 0.2 em between the words, across the capitals'
    middle rows, and it is the widest gap of the line."""
    face, em = "@fontsource/ma-shan-zheng", 36.0
    for seed in range(20):
        hand = hands.Hand("zh", face, False, em, 0.12, 1.5, 0.7, 2.0, -0.02, (0, 0, 0))
        written = hands.write_lines(hand, [("ABRT PID", 10, 60)], np.random.default_rng(seed))
        mask = np.zeros((100, 400), np.uint8)
        for patch, x, y in written.stamps:
            pen.stamp(mask, patch, x, y)
        cols = np.flatnonzero(mask[60 - 25:60 - 5].max(axis=0) > 64)  # inked columns of the capitals' middle rows
        gaps = np.diff(cols) - 1
        space_at = hands.advance(hand, "ABRT") + 10  # where the space starts, nominally
        widest = int(np.argmax(gaps))
        assert gaps[widest] >= 0.2 * em and abs(cols[widest] - space_at) < 0.5 * em, (seed, gaps.tolist())
