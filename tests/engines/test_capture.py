"""Capture (scan, photo, screen): replayed byte for byte from meta, text followed through every geometry change,
legible after the gate, and applied to about `--capture` of every engine's samples without changing the draw.

Legibility is checked with the real PP-OCR reader on lines drawn here, after the harshest capture each preset
can draw, limited by the gate (`renderers.capture.fit`) for the text's size.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont, ImageOps
from rapidfuzz.distance import Levenshtein

from engines import ENGINES, Draw, Sample, get_engine, make_rng
from engines.capture import capture_rng, captured, pick
from pipelines.shard_task import ShardSpec, draw_range
from renderers import capture, ppocr
from renderers.capture import CaptureParams
from renderers.result import DrawnText, box_quad
from shards.format import decode_image, record_meta, shard_name

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
NOTO_CJK_SC = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2)
LINES = [
    ("en", "The quick brown fox jumps over the lazy dog."),
    ("zh", "数据引擎生成训练样本，用于模型训练。"),
    ("en", "Invoice 2024-07: total $1,234.56 due"),
]


def draw_lines(size: int) -> tuple[Image.Image, list[DrawnText]]:
    """A white page with LINES at `size` px (DejaVu, Noto Sans CJK SC) and their boxes."""
    fonts = {"en": ImageFont.truetype(DEJAVU, size),
             "zh": ImageFont.truetype(NOTO_CJK_SC[0], size, index=NOTO_CJK_SC[1])}
    image = Image.new("RGB", (40 + 30 * size, 48 + len(LINES) * 2 * size), "white")
    draw, texts = ImageDraw.Draw(image), []
    for i, (lang, text) in enumerate(LINES):
        xy = (30, 30 + i * 2 * size)
        draw.text(xy, text, fill="black", font=fonts[lang])
        texts.append(DrawnText(text, box_quad(*draw.textbbox(xy, text, font=fonts[lang]))))
    return image, texts


@pytest.mark.parametrize("preset", capture.PRESETS)
def test_meta_alone_replays_the_same_bytes(preset: str) -> None:
    image, texts = draw_lines(22)
    drawn = [capture.fit(capture.draw(np.random.default_rng(seed), preset), 12.0) for seed in range(6)]
    assert drawn == [capture.fit(capture.draw(np.random.default_rng(seed), preset), 12.0) for seed in range(6)]
    assert len({json.dumps(p.to_dict()) for p in drawn}) == 6
    for params in drawn:
        recorded = json.loads(json.dumps(params.to_dict()))
        replayed = CaptureParams.from_dict(recorded)
        assert replayed == params
        first, again = capture.apply(image, params, texts), capture.apply(image.copy(), replayed, texts)
        assert first.image.tobytes() == again.image.tobytes() and first.texts == again.texts
        assert capture.replay(image, {"capture": recorded}).tobytes() == first.image.tobytes()
    assert capture.replay(image, {}).tobytes() == image.tobytes()
    with pytest.raises(TypeError, match=r"unknown capture parameters \['blurr'\]"):
        CaptureParams.from_dict({"blurr": 1})


def test_every_effect_is_drawn_and_each_preset_varies() -> None:
    effects: dict[str, Counter] = {p: Counter() for p in capture.PRESETS}
    for preset in capture.PRESETS:
        for seed in range(300):
            effects[preset].update(capture.draw(np.random.default_rng(seed), preset).effects)
    assert {"bleed", "dpi", "binarize", "fax", "rotate", "noise"} <= set(effects["scan"])
    assert {"curve", "light", "moire", "corners", "vignette", "shadow"} <= set(effects["photo"])
    assert set(effects["screen"]) == {"screen_scale", "subpixel", "jpeg"}
    assert not {"curve", "moire", "binarize"} & set(effects["light"])
    for preset in ("scan", "photo", "screen"):  # a capture of these presets always changes something
        assert all(capture.draw(np.random.default_rng(seed), preset).effects for seed in range(300)), preset


def test_a_prompt_that_names_pixels_or_colours_keeps_them() -> None:
    for preset in capture.PRESETS:
        for seed in range(200):
            p = capture.draw(np.random.default_rng(seed), preset, geometry=False, colour=False)
            assert not p.moves and not p.binarize and not p.fax, p


def test_text_follows_every_geometry_change() -> None:
    """Black squares drawn at known boxes are still under their mapped quads after curvature, rotation,
    perspective and a screenshot's scaling (each alone and all together)."""
    image = Image.new("RGB", (500, 360), "white")
    draw, marks = ImageDraw.Draw(image), []
    for x, y in [(20, 20), (440, 30), (230, 160), (40, 300), (430, 290)]:
        draw.rectangle((x, y, x + 39, y + 39), fill="black")
        marks.append(DrawnText(f"{x},{y}", box_quad(x, y, x + 40, y + 40)))
    base = capture.DegradeParams(rotate=-3.0, corners=(0.03, -0.02, -0.04, 0.04, -0.04, -0.03, 0.02, 0.03))
    for params in (CaptureParams(preset="photo", curve=0.03, curve_skew=0.35),
                   CaptureParams(preset="photo", curve=-0.025), CaptureParams(preset="screen", screen_scale=1.25),
                   CaptureParams(preset="screen", screen_scale=0.8),
                   CaptureParams(preset="photo", base=base, curve=0.02, screen_scale=0.9)):
        out = capture.apply(image, params, marks)
        a = np.asarray(out.image.convert("L"), dtype=np.float32)
        for before, after in zip(marks, out.texts):
            assert after.quad != before.quad
            xs, ys = [p[0] for p in after.quad], [p[1] for p in after.quad]
            assert min(xs) >= 0 and min(ys) >= 0 and max(xs) <= out.image.width and max(ys) <= out.image.height
            cx, cy = np.mean(after.quad, axis=0)
            assert a[int(cy) - 2:int(cy) + 3, int(cx) - 2:int(cx) + 3].max() < 80, (params, after)
            # the mapped quad holds the whole square: no dark pixel of it lies outside, just beyond its bounds
            ink = np.argwhere(a[max(0, int(min(ys)) - 30):int(max(ys)) + 30, max(0, int(min(xs)) - 30):int(max(xs)) + 30] < 100)
            ink += (max(0, int(min(ys)) - 30), max(0, int(min(xs)) - 30))
            near = ink[(np.abs(ink[:, 1] - cx) < 45) & (np.abs(ink[:, 0] - cy) < 45)]
            assert near[:, 0].min() >= min(ys) - 2.5 and near[:, 0].max() <= max(ys) + 2.5, (params, after)
            assert near[:, 1].min() >= min(xs) - 2.5 and near[:, 1].max() <= max(xs) + 2.5, (params, after)


@pytest.mark.parametrize("size", [11, 16])
@pytest.mark.parametrize("preset", ["scan", "photo", "screen"])
def test_pp_ocr_reads_through_the_harshest_capture_the_gate_lets_through(preset: str, size: int) -> None:
    """Lines drawn at `size` px, through the harshest draw of a preset as `fit` limits it for their x-height:
    PP-OCR reads every line inside its mapped quad."""
    image, texts = draw_lines(size)
    params = capture.fit(capture.strongest(preset, seed=1), capture.text_height(image))
    assert params.gated, "the harshest draw is limited at these sizes"
    out = capture.apply(image, params, texts)
    read = ppocr.read_crops(out.image, [t.quad for t in out.texts])
    for (lang, text), got in zip(LINES, read):
        error = Levenshtein.distance(got.text, text) / len(text)
        assert error <= (0.1 if lang == "en" else 0.2), (preset, size, params.gated, text, got.text)


def test_the_gate_leaves_tiny_text_clean_and_names_what_it_lightened() -> None:
    harsh = capture.strongest("scan", seed=0)
    assert capture.fit(harsh, 3.0) == CaptureParams(gated="text_too_small")
    small = capture.fit(harsh, 6.0)
    assert small.gated == "small_text" and not (small.dpi or small.binarize or small.base.blur or small.bleed)
    assert capture.fit(harsh, 60.0) == harsh  # 20 px of x-height left at 100 dpi: a fax reads
    image, _ = draw_lines(22)
    assert 10 <= capture.text_height(image) <= 14  # DejaVu's x-height at 22 px is 11.7
    assert capture.text_height(ImageOps.invert(image)) == capture.text_height(image)  # a dark theme's text too
    assert capture.text_height(Image.new("RGB", (50, 50), "white")) == float("inf")


def test_dashes_dots_and_stems_are_not_taken_for_text() -> None:
    """A figure's dashed and dotted lines (and a score's note heads and stems) outnumber its few labels: their
    4 px dashes were read as 4 px text, and the gate left 14% of the geometry engine's captures clean."""
    image, _ = draw_lines(22)
    alone = capture.text_height(image)
    draw = ImageDraw.Draw(image)
    for k in range(60):  # a slanted dashed line, a dotted line and stems with note heads across the lines
        x, y = 20 + 12 * k, 20 + 4 * k
        draw.line([(x, y), (x + 7, y + 3)], fill="black", width=1)
        draw.ellipse([x, 8, x + 3, 11], fill="black")
        if k % 6 == 0:
            draw.line([(x, 120), (x, 150)], fill="black", width=1)
            draw.ellipse([x - 7, 146, x, 152], fill="black")
    assert capture.text_height(image) == alone  # DejaVu's and Noto's 22 px lines, as without them
    assert capture.fit(capture.strongest("photo", seed=0), capture.text_height(image)).gated != "text_too_small"


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_every_engine_captures_its_share_apart_from_its_draw(name: str) -> None:
    """Whether and how a sample is captured comes from its own rng: about `--capture` of the indices, the
    engine's presets in their weights."""
    cls = get_engine(name)
    share, presets = cls.Config().capture, cls.capture_presets
    who = SimpleNamespace(name=name, seed=0)
    picked = Counter(pick(capture_rng(who, i, 0), share, presets) for i in range(2000))
    assert abs(1 - picked["none"] / 2000 - share) < 0.04, (name, picked)
    for preset, weight in presets.items():
        assert abs(picked[preset] / 2000 - share * weight / sum(presets.values())) < 0.04, (name, picked)
    expected = 0.0 if name in ("handwriting", "scene", "scene_crops", "sheet_music") else 0.3
    assert share == expected  # those engines' pages are scanned, photographed or degraded already


def test_a_built_shard_holds_captured_samples_that_replay_with_moved_boxes(tmp_path) -> None:
    """40 smoke samples through the pipeline: about 30% captured, the rest untouched, the engine's draw
    unchanged by it, boxes moved with the text and inside the image, the image replayed from meta."""
    engine = get_engine("smoke")()
    clean = get_engine("smoke")(get_engine("smoke").Config(capture=0.0))
    spec = ShardSpec("smoke", dataclasses.asdict(engine.config), "capture", 5, str(tmp_path), shard_name("smoke", 0),
                     0, 40)
    built = dict(draw_range(engine, spec, Counter()))
    plain = dict(draw_range(clean, dataclasses.replace(spec, config=dataclasses.asdict(clean.config)), Counter()))
    captured = 0
    for i, members in built.items():
        record = json.loads(members["json"])
        meta = record_meta(record)
        base = json.loads(plain[i]["json"])
        assert record["target"] == base["target"]
        if "capture" not in meta:
            assert members["png"] == plain[i]["png"]
            continue
        params = CaptureParams.from_dict(meta["capture"])
        captured += params.preset != "none"
        (image,) = decode_image(members["png"])
        (before,) = decode_image(plain[i]["png"])
        assert capture.replay(before, meta).tobytes() == image.tobytes()
        for x0, y0, x1, y1 in meta["boxes"]:
            assert 0 <= x0 < x1 <= image.width and 0 <= y0 < y1 <= image.height
        if params.moves:
            assert meta["boxes"] != record_meta(base)["boxes"]
    assert 6 <= captured <= 20, captured


def test_a_sample_is_the_same_captured_alone_and_in_a_batch() -> None:
    engine = get_engine("smoke")(get_engine("smoke").Config(capture=1.0))
    draws = [Draw(i, 0, make_rng(3, "smoke", i)) for i in range(6)]
    together = engine.draw_batch(draws)
    for i, sample in enumerate(together):
        alone = engine.draw_batch([Draw(i, 0, make_rng(3, "smoke", i))])[0]
        assert sample.meta == alone.meta and sample.images[0].tobytes() == alone.images[0].tobytes()
        assert "capture" in sample.meta


def test_capture_share_is_checked() -> None:
    with pytest.raises(ValueError, match=r"--capture 1.5 is not a share; give a number from 0 to 1"):
        get_engine("smoke")(get_engine("smoke").Config(capture=1.5))


def test_a_colour_prompt_sample_is_never_captured() -> None:
    """Its prompt names the frame's colour, which lighting, tint and blur would change; a box sample is captured."""
    smoke = get_engine("smoke")
    engine = smoke(smoke.Config(capture=1.0))
    page = Image.new("RGB", (400, 300), "white")
    ImageDraw.Draw(page).rectangle((40, 40, 360, 100), outline=(220, 0, 0), width=3)
    for task, prompt in (("color", "[red] OCR: "), ("box", "[100, 133, 900, 333] OCR: ")):
        sample = Sample(images=[page], prompt=prompt, target="text", task=task, meta={})
        kept = [captured(engine, sample, i, 0) for i in range(8)]
        assert all(("capture" in s.meta) == (task == "box") for s in kept), task


def test_binarisation_that_erases_thin_strokes_is_dropped() -> None:
    """Faded ink through a scanner's 1-bit mode erased comma tails ({64, 128} read {64. 128}) and a table's 1 px
    rules (q200 `tables_0000000000`): the gate drops binarisation there, keeps it where the ink is dark, and the
    recorded parameters replay to the same bytes."""
    page = Image.new("RGB", (560, 120), "white")
    draw = ImageDraw.Draw(page)
    draw.text((20, 30), "{16, 32, 64, 128, 256}", fill="black", font=ImageFont.truetype(DEJAVU, 22))
    for line in ((10, 80, 550, 80), (300, 10, 300, 110)):  # a 0.4 pt rule at 200 dpi: one anti-aliased grey pixel
        draw.line(line, fill=(140, 140, 140), width=1)
    base = dataclasses.replace(capture.strongest("scan").base, ink=-0.45, scale=0.8, blur=0.26, rotate=0.0,
                               noise=0.0, shadow=0.0)
    faded = CaptureParams(preset="scan", seed=1, base=base, binarize=True, threshold=-16)
    erased = np.asarray(capture.apply(page, faded).image.convert("L"))
    assert (erased[78:83, 10:550] < 128).any(axis=0).mean() < 0.5  # the old capture: most of the rule is gone
    spared = capture.spare_strokes(faded, [page])
    assert not spared.binarize and not spared.fax and spared.gated == "thin_strokes"
    kept = np.asarray(capture.apply(page, spared).image.convert("L"))
    assert (kept[78:83, 10:550] < 200).any(axis=0).mean() > 0.95
    assert capture.replay(page, {"capture": spared.to_dict()}).tobytes() == capture.apply(page, spared).image.tobytes()
    dark = dataclasses.replace(faded, base=dataclasses.replace(base, ink=0.3), threshold=0)
    assert capture.spare_strokes(dark, [page]) == dark


def test_flatten_takes_a_captured_page_back_to_its_drawn_grid_and_boxes_with_it() -> None:
    """A reader that replays the recorded capture undoes its geometry: the captured squares stand where they were
    drawn again, and each box `map_box` moved (widened by a curl's sag) comes back to the drawn box."""
    image = Image.new("RGB", (500, 360), "white")
    draw, boxes = ImageDraw.Draw(image), []
    for x, y in [(20, 20), (440, 30), (230, 160), (40, 300), (430, 290)]:
        draw.rectangle((x, y, x + 39, y + 39), fill="black")
        boxes.append([x, y, x + 40, y + 40])
    base = capture.DegradeParams(rotate=-3.0, corners=(0.03, -0.02, -0.04, 0.04, -0.04, -0.03, 0.02, 0.03))
    drawn = np.asarray(image.convert("L"), dtype=np.float32)
    for params in (CaptureParams(preset="photo", curve=0.03, curve_skew=0.35),
                   CaptureParams(preset="screen", screen_scale=1.25),
                   CaptureParams(preset="photo", base=base, curve=-0.02, screen_scale=0.9)):
        out = capture.apply(image, params).image
        size = capture.clean_size(params, out.size, (500.4, 359.6))
        assert size == image.size and capture.moved_size(params, size) == out.size
        flat = np.asarray(capture.flatten(out, params, size).convert("L"), dtype=np.float32)
        # off only along the squares' edges (resampled twice); the capture as it is, cut to the size, is not
        as_is = np.abs(np.asarray(out.convert("L").crop((0, 0, *image.size)), dtype=np.float32) - drawn).mean()
        assert np.abs(flat - drawn).mean() < 0.2 * as_is, params
        for box in boxes:
            moved = capture.map_box(box, params, image.size)
            assert max(abs(a - b) for a, b in zip(capture.unmap_box(moved, params, size), box)) < 0.5, (params, box)
    # far from the origin a screen's scale moves a box by a thousand pixels (a built page's last line, 1.5x)
    params, box = CaptureParams(preset="screen", screen_scale=1.5), [126.2, 1328.3, 180.0, 1346.2]
    moved = capture.map_box(box, params, (1040, 1478))
    assert max(abs(a - b) for a, b in zip(capture.unmap_box(moved, params, (1040, 1478)), box)) < 0.5
