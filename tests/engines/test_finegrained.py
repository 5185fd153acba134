"""The finegrained engine: a box asks about exactly its lines, a frame is drawn clear of every glyph, the reader
finds both and rejects another region's text, and the part it draws pages from shares its seed."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import drawn_as_built
from engines.base import make_rng
from engines.finegrained import FinegrainedEngine
from engines.finegrained.engine import FinegrainedConfig
from engines.finegrained.regions import INK_CONTRAST
from pipelines.readers import get_reader
from pipelines.readers.finegrained import frame_box

pytestmark = pytest.mark.slow  # drives the real tools over many samples: not in the quick tier


@pytest.fixture(scope="module")
def engines() -> dict[str, FinegrainedEngine]:
    """Uncaptured (a box sample may be binarised), so a sample's image is its page's, framed or not."""
    return {task: FinegrainedEngine(FinegrainedConfig(task=task, part="docs", capture=0.0)) for task in ("box", "color")}


def test_a_box_asks_about_exactly_its_lines(engines) -> None:
    engine = engines["box"]
    for draw, sample in drawn_as_built(engine, range(4)):
        _, page = engine.page(draw.index, draw.attempt)
        width, height = sample.images[0].size
        x0, y0, x1, y1 = (int(v) for v in sample.prompt[1:sample.prompt.index("]")].split(", "))
        assert sample.prompt.endswith("] OCR: ") and sample.task == "box"
        centres = [((b[0] + b[2]) / 2 / width * 1000, (b[1] + b[3]) / 2 / height * 1000) for b in page.meta["boxes"]]
        inside = [line for line, (x, y) in zip(page.target.split("\n"), centres)
                  if x0 <= x <= x1 + 1 and y0 <= y <= y1 + 1]
        assert inside == sample.target.split("\n")  # every line inside, in reading order, and nothing else
        assert np.array_equal(np.asarray(sample.images[0]), np.asarray(page.images[0]))  # a box draws nothing


def test_a_colour_frame_is_drawn_clear_of_every_glyph(engines) -> None:
    engine = engines["color"]
    for draw, sample in drawn_as_built(engine, range(4)):
        _, page = engine.page(draw.index, draw.attempt)
        color = sample.meta["color"]
        assert sample.prompt == f"[{color}] OCR: " and sample.task == "color"
        inner = frame_box(sample.images[0], color)
        assert inner is not None
        for b in sample.meta["boxes"]:  # the region's lines are inside the frame
            assert inner[0] <= b[0] + 1 and inner[1] <= b[1] + 1 and b[2] - 1 <= inner[2] and b[3] - 1 <= inner[3]
        x0, y0, x1, y1 = (int(v) for v in sample.meta["frame_px"])
        grey = np.asarray(page.images[0].convert("L")).astype(int)
        changed = np.any(np.asarray(sample.images[0]) != np.asarray(page.images[0]), axis=2)
        assert changed[y0:y1, x0:x1].any() and not changed[:y0].any() and not changed[y1:].any()
        under = grey[changed]  # the page's pixels the frame covers: no ink among them
        assert under.max() - under.min() < INK_CONTRAST


def test_reader_reads_the_asked_region_and_flags_another_regions_text(engines) -> None:
    reader, threshold = get_reader("finegrained")
    # regions of two pages (four a page): a page's regions may all hold its first block, so another page's text
    # is what "another region's text" can be on every page
    samples = [sample for task in ("box", "color") for _, sample in drawn_as_built(engines[task], (0, 4))]
    records = [{"prompt": s.prompt, "target": s.target, "task": s.task, "meta": json.dumps(s.meta)} for s in samples]
    for record, sample in zip(records, samples):
        assert reader(record, sample.images).score >= threshold, (record["target"], reader(record, sample.images))
    compared = 0
    for k, sample in enumerate(samples):  # another region's text: one sharing no line with this region's
        lines = set(records[k]["target"].splitlines())
        others = [r["target"] for r in records if not lines & set(r["target"].splitlines())]
        if others:
            assert reader(dict(records[k], target=others[0]), sample.images).score < threshold
            compared += 1
    assert compared >= 2
    erased = samples[2].images[0].convert("L").convert("RGB")  # a colour sample whose frame is gone
    assert reader(records[2], [erased]).score == 0.0


def test_scene_regions_are_drawn_quads_and_frames_cross_no_other_line() -> None:
    engine = FinegrainedEngine(FinegrainedConfig(part="scene", task="color", region="line"))
    reader, threshold = get_reader("finegrained")
    for draw, sample in drawn_as_built(engine, range(2)):
        part, scene = engine.page(draw.index, draw.attempt)
        assert part == "scene" and sample.meta["part"] == "scene"
        drawn = dict(zip(scene.target.split("\n"), scene.meta["quads"]))
        assert sample.target in drawn  # one line the scene engine drew, whole
        inner = frame_box(sample.images[0], sample.meta["color"])
        xs, ys = [p[0] for p in drawn[sample.target]], [p[1] for p in drawn[sample.target]]
        assert inner[0] <= min(xs) + 1 and inner[1] <= min(ys) + 1 and max(xs) - 1 <= inner[2]
        assert reader(_record(sample), sample.images).score >= threshold


def _record(sample) -> dict:
    return {"prompt": sample.prompt, "target": sample.target, "task": sample.task, "meta": json.dumps(sample.meta)}


def test_parts_share_the_composed_engines_seed(engines) -> None:
    engine = FinegrainedEngine()
    engine.seed = 5
    assert [p.seed for p in engine.parts] == [5, 5] and engine.parts == list(engine.by_part.values())
    with pytest.raises(ValueError, match="--source data: say what it holds with --part docs"):
        FinegrainedEngine(FinegrainedConfig(source="data"))
    with pytest.raises(ValueError, match="--task 'boxes' is not one of mixed, box, color; pick one of them"):
        FinegrainedEngine(FinegrainedConfig(task="boxes"))


def _asked_box(sample) -> tuple[float, float, float, float]:
    """The region a sample asks about, in the image's pixels: the prompt's box, or the frame's inside."""
    if sample.task == "color":
        return frame_box(sample.images[0], sample.meta["color"])
    width, height = sample.images[0].size
    x0, y0, x1, y1 = (int(v) for v in sample.prompt[1:sample.prompt.index("]")].split(", "))
    return (x0 * width / 1000, y0 * height / 1000, x1 * width / 1000, y1 * height / 1000)


def _touches(a, b) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def test_real_photos_people_boxes_are_regions_and_illegible_ones_never_asked(shared_data) -> None:
    from engines.finegrained.engine import quad_box
    source = shared_data / "scene"
    engine = FinegrainedEngine(FinegrainedConfig(part="scene", source=str(source)))
    # 10 photos annotated: a receipt with untranscribed boxes and two photos with only "###" left out, by reason
    assert engine.skipped == {"not_annotated": 13, "only_illegible": 2, "empty_text": 1}
    assert engine.source_items == 7
    people = json.loads((source / "annotations.json").read_text())
    seen = set()
    for _, sample in drawn_as_built(engine, range(8)):
        lines = people[sample.meta["source"]]
        legible = {e["text"]: quad_box(e["box"]) for e in lines if e["text"] != "###"}
        asked = _asked_box(sample)
        inside = [t for t, b in legible.items() if _touches(b, asked)]
        assert sample.meta["reader"] == "people" and "###" not in sample.target
        assert sorted(inside) == sorted(sample.target.split("\n"))  # exactly the people's lines it holds
        assert not any(_touches(quad_box(e["box"]), asked) for e in lines if e["text"] == "###")
        seen.add(sample.task)
    assert seen == {"box", "color"}


def test_a_users_annotation_file_skips_unusable_items_by_reason(shared_data, tmp_path) -> None:
    import shutil
    for name in ("en_ic15_train_img_2.jpg", "en_ic15_train_img_1.jpg"):
        shutil.copy(shared_data / "scene" / name, tmp_path / name)
    (tmp_path / "annotations.json").write_text(json.dumps({
        "en_ic15_train_img_2.jpg": [{"box": [602, 173, 635, 197], "text": "EXIT"}],  # an upright box is taken
        "en_ic15_train_img_1.jpg": [{"box": [[1, 2], [3, 4]], "text": "Carpark"}],   # two corners: bad_box
        "gone.jpg": [{"box": [0, 0, 10, 10], "text": "x"}]}))
    engine = FinegrainedEngine(FinegrainedConfig(part="scene", source=str(tmp_path), task="box", region="line",
                                                 regions_per_page=1))
    assert engine.skipped == {"bad_box": 1, "missing_image": 1} and engine.source_items == 1
    sample = engine.sample(make_rng(0, "finegrained", 0, 0), 0, 0)
    assert sample.target == "EXIT" and sample.meta["source"] == "en_ic15_train_img_2.jpg"
    (tmp_path / "annotations.json").write_text("{not json")
    with pytest.raises(ValueError, match="annotations.json is not readable JSON"):
        FinegrainedEngine(FinegrainedConfig(part="scene", source=str(tmp_path)))
