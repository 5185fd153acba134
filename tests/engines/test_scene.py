"""The scene engines: backgrounds without text, quads inside the image, a user's photos opened however stored."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from conftest import DEJAVU, drawn_as_built
from engines.base import SampleError, make_rng
from engines.scene import SceneCropsEngine, SceneEngine, backgrounds, content, source
from renderers import perspective

GRACE_HOPPER = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"  # her name tag reads


def test_a_photo_with_text_is_refused_as_background_and_a_packaged_one_is_not() -> None:
    with pytest.raises(backgrounds.BackgroundRefused) as refused:
        backgrounds.load(GRACE_HOPPER)
    assert refused.value.reason == "background_has_text"
    clean = backgrounds.load(backgrounds.installed()[0])
    assert max(clean.image.size) == backgrounds.WORK_SIDE


def test_the_packaged_photos_present_are_used_and_none_names_make_setup(monkeypatch) -> None:
    present = backgrounds.installed()[0]
    monkeypatch.setattr(backgrounds, "_NAMES", {Path("/nonexistent/a.jpg"): "gone/a", present: "here/b"})
    backgrounds.installed.cache_clear()
    try:
        assert backgrounds.installed() == (present,)
        monkeypatch.setattr(backgrounds, "_NAMES", {Path("/nonexistent/a.jpg"): "gone/a"})
        backgrounds.installed.cache_clear()
        with pytest.raises(RuntimeError, match=r"make setup.*plasma-workspace-wallpapers"):
            backgrounds.installed()
    finally:
        backgrounds.installed.cache_clear()
    names = [f"{p.package}/{p.name}" for p in backgrounds.PHOTOS]
    assert len(set(names)) == len(names) >= 40  # unique names in meta, though plasma's files share one


@pytest.mark.slow
@pytest.mark.parametrize("cls", [SceneEngine, SceneCropsEngine])
def test_every_quad_lies_inside_the_image_one_per_target_line(cls) -> None:
    engine = cls()
    drawn = 0
    for index in range(4):
        try:
            sample = engine.sample(make_rng(5, engine.name, index), index)
        except SampleError as exc:
            assert exc.reason == "no_flat_region"  # a crop of a busy photo may hold no flat spot: retried
            continue
        drawn += 1
        quads = sample.meta["quads"]
        assert len(quads) == len(sample.target.split("\n"))
        for quad in quads:
            assert content.inside(tuple(map(tuple, quad)), sample.images[0].size), (quad, sample.images[0].size)
    assert drawn >= 2


def test_a_small_photo_is_enlarged_no_more_than_a_large_one_ever_is() -> None:
    """OpenCV's 512 px samples would be blown up 4.4x; capped at MAX_UPSCALE, which a 16:9 photo at working size
    never reaches (its crops, and so its samples, are as before)."""
    for size, capped in (((512, 512), True), ((1280, 720), False)):
        enlarged = []
        for i in range(60):
            image, meta = content._crop(np.random.default_rng(i), Image.new("RGB", size))
            enlarged.append(image.width / (meta["crop"][2] - meta["crop"][0]))
        assert max(enlarged) <= content.MAX_UPSCALE + 0.01
        assert (max(enlarged) > content.MAX_UPSCALE - 0.01) == capped, size


def test_text_colour_keeps_the_contrast_floor() -> None:
    rng = np.random.default_rng(0)
    for mean in [(250, 250, 250), (10, 10, 10), (128, 128, 128), (200, 40, 30), (40, 160, 60)]:
        lum = perspective.luminance(mean)
        colour = perspective.contrasting_colour(rng, (mean, lum, lum), 4.5)
        assert colour is not None
        assert perspective.contrast_ratio(perspective.luminance(colour), lum) >= 4.5


def _jpeg(image: Image.Image, **kwargs) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=95, **kwargs)
    return buf.getvalue()


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    left_red = Image.new("RGB", (60, 40), (0, 0, 255))
    left_red.paste((255, 0, 0), (0, 0, 30, 40))
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    path = tmp_path / "phone.jpg"
    path.write_bytes(_jpeg(left_red, exif=exif))
    upright = source.open_photo(path)
    assert upright.size == (40, 60)
    top, bottom = np.asarray(upright)[5, 20], np.asarray(upright)[55, 20]
    assert top[0] > 200 and top[2] < 60 and bottom[2] > 200 and bottom[0] < 60  # the red half is now on top


@pytest.mark.slow
def test_unreadable_files_are_skipped_with_their_reason_and_odd_ones_converted(tmp_path: Path) -> None:
    photo = Image.new("RGB", (120, 80), (200, 120, 40))
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "notes.jpg").write_text("not a photo at all")
    (tmp_path / "truncated.jpg").write_bytes(_jpeg(photo)[:300])
    Image.new("1", (9000, 9000)).save(tmp_path / "bomb.png")
    Image.new("RGB", (10, 10)).save(tmp_path / "tiny.png")
    photo.convert("CMYK").save(tmp_path / "cmyk.jpg")
    Image.fromarray(np.full((80, 120), 40000, dtype=np.uint16)).save(tmp_path / "deep.png")
    frames = [Image.new("RGB", (120, 80), c) for c in ((255, 0, 0), (0, 255, 0))]
    frames[0].save(tmp_path / "animated.gif", save_all=True, append_images=frames[1:])
    reasons = {}
    for path in source.image_files(str(tmp_path)):
        try:
            image = source.open_photo(path)
            reasons[path.name] = (image.mode, image.size, tuple(int(v) for v in np.asarray(image)[40, 60]))
        except source.Unreadable as exc:
            reasons[path.name] = exc.reason
    assert reasons["empty.jpg"] == "empty_file"
    assert reasons["notes.jpg"] == "not_an_image"
    assert reasons["truncated.jpg"] == "truncated_image"
    assert reasons["bomb.png"] == "decompression_bomb"
    assert reasons["tiny.png"] == "image_too_small"
    mode, size, pixel = reasons["cmyk.jpg"]
    assert mode == "RGB" and size == (120, 80) and np.abs(np.subtract(pixel, (200, 120, 40))).max() < 12
    assert reasons["deep.png"][2] == (156, 156, 156)  # 40000 / 65535 of white, not clipped to 255
    assert reasons["animated.gif"][2] == (255, 0, 0)  # the first frame
    engine = SceneEngine(SceneEngine.Config(source=str(tmp_path)))
    failed = []
    for index in range(len(engine.files)):
        try:
            engine.sample(make_rng(0, "scene", index), index)
        except SampleError as exc:
            failed.append(exc.reason)
    assert {"empty_file", "not_an_image", "truncated_image", "decompression_bomb", "image_too_small",
            "no_text"} == set(failed)  # the readable ones are plain colour: no text, so refused too


@pytest.mark.slow
def test_a_rotated_phone_photo_is_labelled_upright(shared_data: Path, tmp_path: Path) -> None:
    """A real sign, stored turned on its side with the EXIF tag that turns it back, reads as the upright photo."""
    original = shared_data / "scene" / "ja_easyocr_japanese.jpg"
    upright = Image.open(original).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 8  # "rotate 90 degrees counter-clockwise to display"
    (tmp_path / "sideways.jpg").write_bytes(_jpeg(upright.transpose(Image.Transpose.ROTATE_270), exif=exif))
    sample = SceneEngine(SceneEngine.Config(source=str(tmp_path))).sample(make_rng(0, "scene", 0), 0)
    assert sample.images[0].size == upright.size
    assert "NO LITTER" in sample.target.split("\n")
    assert sample.target == "\n".join(t.text for t in source.label(source.open_photo(original)).kept)
    assert sample.meta["lang"] == "zh"  # the record said "en" for every photo: a CJK sign is on the zh side


def test_a_photo_is_given_the_language_of_its_lines() -> None:
    from renderers.scripts import text_lang

    assert text_lang("中国农业银行\nAGRICULTURAL BANK OF CHINA\n本网点办") == "zh"
    assert text_lang("BEWARE OF\nMAINTENANCE 工") == "en"


def test_a_line_is_kept_on_a_consensus_of_its_readings() -> None:
    """Two sure readings agreeing, or all three legible ones with one sure, keep a line under the detector's text
    (with the spaces any agreeing reading sees); one sure reading against two others, two unsure ones, or a
    difference of case do not."""
    quad = ((0.0, 0.0), (100.0, 0.0), (100.0, 20.0), (0.0, 20.0))

    def readings(*pairs: tuple[str, float]) -> list[source.DrawnText]:
        return [source.DrawnText(text, quad, score) for text, score in pairs]

    assert source.agreed(readings(("lease lower", 0.98), ("Please lower", 0.99), ("Please lower", 0.97))).text \
        == "Please lower"
    assert source.agreed(readings(("港区 MINATO", 0.99), ("港区MINATO", 0.94), ("港区MINATO", 0.99))).text == "港区 MINATO"
    assert source.agreed(readings(("禁止!", 0.98), ("禁止！", 0.92), ("禁止！", 0.91))).text == "禁止!"
    assert source.agreed(readings(("RegPrice", 0.98), ("ResPrice", 0.92), ("ResPrice", 0.92))) is None
    assert source.agreed(readings(("Multiplled Cen", 0.948), ("Multiplled Cpn", 0.88), ("Multiplled Cen", 0.96))) is None
    assert source.agreed(readings(("RegPrice", 0.99), ("Regprice", 0.96), ("Reqprice", 0.5))) is None
    # readings that differ only in spaces: the space one of them sees is kept (the recogniser drops narrow gaps)
    assert source.agreed(readings(("(MERCHANTNAME", 0.999), ("(MERCHANT NAME", 0.986), ("(MERCHANTNAME", 0.997))).text \
        == "(MERCHANT NAME"


def test_english_scene_words_keep_their_inner_stops() -> None:
    """A version, an abbreviation or a domain stays one word: split at its stop it would be a made-up "3 4"."""
    from engines.scene import words

    assert words.WORD.findall("Use e.g. version 3.4 of debian.org now... x-y it's.") == [
        "Use", "e.g", "version", "3.4", "of", "debian.org", "now", "x-y", "it's"]


@pytest.mark.slow
def test_a_refused_photo_gives_crops_of_its_sure_lines_only(shared_data: Path, tmp_path: Path) -> None:
    """A street photo with a legible line the reader is unsure of is no whole-scene sample, yet its sure line is a
    sound crop: the crop names that line, records why the photo was refused, and keeps out the other lines' cores."""
    photo = tmp_path / "carpark.jpg"
    photo.write_bytes((shared_data / "scene" / "en_ic15_train_img_1.jpg").read_bytes())
    labelled = source.label(source.open_photo(photo))
    assert labelled.refused == "dropped_legible_line" and labelled.kept
    with pytest.raises(SampleError) as refused:
        SceneEngine(SceneEngine.Config(source=str(tmp_path))).sample(make_rng(0, "scene", 0), 0)
    assert refused.value.reason == "dropped_legible_line"
    crops = SceneCropsEngine(SceneCropsEngine.Config(source=str(tmp_path)))
    sample = crops.sample(make_rng(0, "scene_crops", 0), 0)
    line = labelled.kept[sample.meta["line"]]
    assert sample.target == line.text and sample.meta["photo_refused"] == "dropped_legible_line"
    grown = perspective.grow_quad(line.quad, sample.meta["pad"])
    for other in labelled.read:
        if content.round_quad(other.quad) != content.round_quad(line.quad):
            assert perspective.overlap(grown, perspective.grow_quad(other.quad, -0.35)) == 0


def _line(text: str, x0: float, x1: float, y0: float = 0, y1: float = 20) -> source.DrawnText:
    return source.DrawnText(text, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)), 0.99)


def _word(text: str, x0: float, x1: float, y0: float = 2, y1: float = 18) -> dict:
    return {"box": [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], "text": text}


def test_the_pseudo_label_bench_matches_words_in_order_with_their_spaces() -> None:
    from bench.scene import _norm, matches

    words = [_word("YEAR", 60, 100), _word("ALL", 0, 40)]  # listed out of order: the line's order counts
    assert matches(_line("all year", 0, 100), words) is True  # case-insensitive
    assert matches(_line("ALLYEAR", 0, 100), words) is False  # a space the photo shows, left out
    assert matches(_line("ALL YEAR", 0, 100), [*words, _word("###", 110, 140)]) is True  # "###" outside the line
    assert matches(_line("ALL YEAR X", 0, 150), [*words, _word("###", 110, 140)]) is None  # over illegible text
    assert matches(_line("ALL", 0, 100), [*words, _word("", 200, 240)]) is False
    assert matches(_line("EXIT", 300, 400), words) is False  # over nothing people boxed
    slanted = source.DrawnText("ALL YEAR", ((100, 100), (0, 0), (-20, 20), (80, 120)), 0.99)  # read right to left
    assert matches(slanted, [_word("ALL", 60, 90, 80, 100), _word("YEAR", 0, 40, 10, 30)]) is True
    assert _norm("大桶装 更划算") == _norm("大桶装更划算") and _norm("港区 CITY") != _norm("港区CITY")


def test_the_pseudo_label_bench_restores_receipt_spaces_and_corrects_only_when_asked() -> None:
    from bench.scene import ERRATA, SPACES, references

    name = "en_wildreceipt_1.jpeg"
    truth = {name: [_word("CardSavings", 0, 9), _word("ATOREMGRTOMMILAZZO", 0, 9), _word("", 0, 9)]}
    strict, fixed = references(truth, corrected=False)[name], references(truth, corrected=True)[name]
    assert [h["text"] for h in strict] == ["Card Savings", "ATORE MGR TOM MILAZZO", ""]
    assert [h["text"] for h in fixed] == ["Card Savings", "STORE MGR TOM MILAZZO", ""]
    assert all(k[1] in SPACES[name].values() or " " not in k[1] for k in ERRATA if k[0] == name)


@pytest.mark.slow
def test_a_folder_of_mostly_textless_photos_still_builds(tmp_path: Path) -> None:
    """A user's photo folder is mostly photos without text (texlive's doc JPEGs: 9 of 10 tries refused as no_text
    failed the shard). Retries walk every photo and a photo's verdict is read once, so each index finds the one
    photo that carries text."""
    photos = {tmp_path / f"{i:02d}{path.suffix}": path for i, path in enumerate(backgrounds.installed()[:11])}
    for link, path in photos.items():  # eleven: the packaged photos' names repeat (plasma's "2560x1600.jpg")
        link.symlink_to(path)
    sign = Image.open(backgrounds.installed()[0]).convert("RGB").resize((900, 600))
    ImageDraw.Draw(sign).rectangle((150, 220, 750, 380), fill="white")
    bold = ImageFont.truetype(DEJAVU.replace("Sans.ttf", "Sans-Bold.ttf"), 90)
    ImageDraw.Draw(sign).text((190, 255), "OPEN DAILY", fill="black", font=bold)
    sign.save(tmp_path / "sign.jpg", quality=95)
    engine = SceneEngine(SceneEngine.Config(source=str(tmp_path)))
    assert engine.max_attempts == max(10, len(photos) + 2)  # the first try, then every photo
    built = drawn_as_built(engine, range(3))
    assert [sample.target for _, sample in built] == ["OPEN DAILY"] * 3
    assert engine.refused and set(engine.refused) <= set(photos)  # the textless ones tried, each read once
    assert {refusal.reason for refusal in engine.refused.values()} == {"no_text"}
