"""The PP-OCR reader with its real models: it reads back lines we drew, real photos, offline and deterministically.

The engine loads once per process (a module-scoped fixture pays it); every image here is small so the file
stays well under a minute on two cores.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from rapidfuzz.distance import Levenshtein

from conftest import DEJAVU, LINES, REPO, draw_lines
from renderers import ppocr
from renderers.result import DrawnText, Rendered, box_quad


def cer(read: str, truth: str) -> float:
    """Character error rate of a reading against the truth."""
    return Levenshtein.distance(read, truth) / max(1, len(truth))


def iou(a: DrawnText, b: DrawnText) -> float:
    """Intersection over union of two texts' axis-aligned boxes."""
    (al, at, ar, ab), (bl, bt, br, bb) = a.bbox, b.bbox
    inter = max(0.0, min(ar, br) - max(al, bl)) * max(0.0, min(ab, bb) - max(at, bt))
    return inter / ((ar - al) * (ab - at) + (br - bl) * (bb - bt) - inter)


@pytest.fixture(scope="module")
def page() -> tuple[Image.Image, list[DrawnText]]:
    """The drawn lines, with the engine loaded first so no test pays for it alone."""
    ppocr.engine()
    return draw_lines(LINES)


@pytest.fixture(scope="module")
def page_read(page) -> Rendered:
    """The page read whole; "max" keeps detection at the page's own size (the default "min" would upscale 3.4x)."""
    return ppocr.read(page[0], ppocr.ReadOptions(det_side=960, det_limit="max"))


def test_read_finds_every_line_with_its_box(page, page_read) -> None:
    image, drawn = page
    assert page_read.images == [image]
    assert len(page_read.texts) == len(drawn), [t.text for t in page_read.texts]
    for (lang, _), truth in zip(LINES, drawn):
        best = max(page_read.texts, key=lambda t: iou(t, truth))
        assert iou(best, truth) > 0.5, (truth.text, best)
        assert cer(best.text, truth.text) <= (0.05 if lang == "en" else 0.15), (truth.text, best.text)
        assert 0.5 <= best.score <= 1.0
    english = [t.text for t in page_read.texts]
    assert "The quick brown fox jumps over the lazy dog." in english
    info = page_read.info
    assert info["reader"] == "rapidocr" and info["models"]["Rec"] == "PP-OCRv6_rec_small.onnx"
    assert json.loads(json.dumps(info)) == info


def test_read_many_is_deterministic_and_matches_read(page, page_read) -> None:
    again = ppocr.read_many([page[0]], ppocr.ReadOptions(det_side=960, det_limit="max"))
    assert len(again) == 1 and again[0].texts == page_read.texts and again[0].info == page_read.info


@pytest.mark.slow
def test_read_options_change_detection(page) -> None:
    small = ppocr.read(page[0], ppocr.ReadOptions(det_side=320, det_limit="max", use_cls=False))
    assert small.info["det_side"] == 320 and small.info["use_cls"] is False
    assert any(cer(t.text, LINES[0][1]) <= 0.1 for t in small.texts), [t.text for t in small.texts]
    with pytest.raises(ValueError, match="det_limit must be 'min' or 'max'"):
        ppocr.read(page[0], ppocr.ReadOptions(det_limit="mid"))


def test_blank_image_reads_nothing() -> None:
    blank_page = Image.new("RGB", (300, 200), "white")
    assert ppocr.read(blank_page, ppocr.ReadOptions(det_side=320, det_limit="max")).texts == []
    blank = ppocr.read_crop(Image.new("L", (300, 40), 255), (0, 0, 300, 40))
    assert blank.text == "" and blank.score == 0.0


def test_read_crops_reads_each_line(page) -> None:
    image, drawn = page
    crops = ppocr.read_crops(image, [t.quad for t in drawn])
    for (lang, text), got, truth in zip(LINES, crops, drawn):
        assert got.quad == truth.quad
        if lang == "en":
            assert got.text == text
        else:
            assert cer(got.text, text) <= 0.15, (text, got.text)
    box = drawn[2].bbox
    one = ppocr.read_crop(image, box)
    assert one.text == crops[2].text and one.quad == box_quad(*box) and one.score == pytest.approx(crops[2].score)


def test_read_crop_rectifies_a_slanted_line() -> None:
    image, drawn = draw_lines([LINES[0]])
    turned = image.rotate(8, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")
    # where the line's corners went: rotate() turns counter-clockwise about the centre and grows the canvas
    a, (w, h), (W, H) = math.radians(8), image.size, turned.size
    quad = tuple(((x - w / 2) * math.cos(a) + (y - h / 2) * math.sin(a) + W / 2,
                  -(x - w / 2) * math.sin(a) + (y - h / 2) * math.cos(a) + H / 2) for x, y in drawn[0].quad)
    assert ppocr.read_crop(turned, quad).text == LINES[0][1]


def test_read_crop_rejects_an_empty_box(page) -> None:
    with pytest.raises(ValueError, match="has no area"):
        ppocr.read_crop(page[0], (10, 10, 10, 40))


@pytest.mark.slow
def test_loads_and_reads_with_the_network_blocked() -> None:
    """A fresh process whose every socket connect fails still loads the models and reads: nothing is fetched."""
    script = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = socket.socket.connect_ex = refuse\n"
        "from pathlib import Path\n"
        "from PIL import Image, ImageDraw, ImageFont\n"
        "from renderers import ppocr\n"
        "cfg = ppocr.engine().cfg\n"
        "for task in ('Det', 'Rec', 'Cls'):\n"
        "    assert Path(cfg[task].model_path).parent == ppocr.model_dir(), cfg[task].model_path\n"
        "im = Image.new('RGB', (360, 48), 'white')\n"
        f"font = ImageFont.truetype({DEJAVU!r}, 22)\n"
        "ImageDraw.Draw(im).text((8, 10), 'Offline reading 42', fill='black', font=font)\n"
        "print(ppocr.read_crop(im, (0, 0, 360, 48)).text)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "Offline reading 42"


@pytest.mark.slow
@pytest.mark.shared_data
def test_reads_real_scene_photos(shared_data: Path) -> None:
    """Real photos: whole-image reading finds the big signs; crops by the human boxes mostly agree with people."""
    scene = shared_data / "scene"
    sign = ppocr.read(Image.open(scene / "en_ic15_test_img_11.jpg"))
    assert {"MAINTENANCE", "VEHICLES"} <= {t.text for t in sign.texts}, [t.text for t in sign.texts]
    shop = ppocr.read(Image.open(scene / "zh_rapidocr_ch_en_num.jpg"))
    assert "正品促销" in [t.text for t in shop.texts], [t.text for t in shop.texts]
    annotations = json.loads((scene / "annotations.json").read_text())
    agree = total = 0
    for name in ("en_ic15_test_img_10.jpg", "en_ic15_test_img_11.jpg", "en_ic15_train_img_1.jpg"):
        lines = [a for a in annotations[name] if a["text"] != "###"]
        read = ppocr.read_crops(Image.open(scene / name), [a["box"] for a in lines])
        agree += sum(r.text.lower() == a["text"].lower() for r, a in zip(read, lines))
        total += len(lines)
    assert total >= 15 and agree / total >= 0.7, f"{agree}/{total} crops agree with the human transcripts"
