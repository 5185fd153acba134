"""The gallery opens offline in real headless Chromium and shows every sample it embeds."""

from __future__ import annotations

import base64
import dataclasses
import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageOps, ImageStat

from engines import get_engine
from pipelines.gallery import main as gallery_main
from pipelines.gallery import pick
from pipelines.shard_task import ShardSpec, build_shard
from renderers.chromium import ChromiumConfig, driver
from shards.format import shard_name

pytestmark = pytest.mark.slow  # drives the real tools over many samples: not in the quick tier


def test_gallery_renders_offline_in_chromium(built_charts: Path, tmp_path: Path) -> None:
    page_path = tmp_path / "gallery" / "charts.html"
    # the same build named three times: a title longer than the header's line
    assert gallery_main([str(built_charts)] * 3 + ["--n", "12", "--out", str(page_path)]) == 0
    requested: list[str] = []
    config = ChromiumConfig()
    browser = driver().chromium.launch(executable_path=config.executable, args=list(config.args))
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("request", lambda r: requested.append(r.url))
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        widths = page.eval_on_selector_all(".card img", "imgs => imgs.map(i => i.naturalWidth)")
        assert len(widths) == 12 and all(w >= 200 for w in widths)
        assert page.inner_text("#count") == "12 of 12 samples"
        langs = page.eval_on_selector_all(".card", "cs => cs.map(c => c.dataset.lang)")
        page.select_option("#lang", "zh")
        assert page.inner_text("#count") == f"{langs.count('zh')} of 12 samples"
        assert page.locator(".card:visible").count() == langs.count("zh")
        page.select_option("#lang", "all")

        header, title = page.locator("header").bounding_box(), page.locator("header h1").bounding_box()
        assert header["height"] < 50 and title["height"] < 30  # one line, the long title cut with an ellipsis
        for card in page.locator(".card").all()[:3]:  # image beside the target, tops aligned
            image, target = card.locator(".media img").bounding_box(), card.locator("pre.target").bounding_box()
            assert image["x"] + image["width"] <= target["x"] and abs(image["y"] - card.bounding_box()["y"]) < 20
        # a long target (200 lines; charts' are short) is capped, padding included, and scrolls in its box
        page.eval_on_selector("pre.target", "p => { p.textContent = 'line\\n'.repeat(200); }")
        heights = page.eval_on_selector_all("pre.target", "ps => ps.map(p => [p.clientHeight, p.scrollHeight])")
        assert all(shown <= 360 + 12 for shown, _ in heights) and heights[0][1] > 10 * heights[0][0]

        first = page.locator(".card .media img").first
        assert not page.locator("#zoom").is_visible()
        first.click()
        enlarged = page.locator("#zoom img").bounding_box()
        assert page.locator("#zoom").is_visible() and enlarged["width"] > first.bounding_box()["width"]
        page.keyboard.press("Escape")
        assert not page.locator("#zoom").is_visible()
        first.click()
        page.locator("#zoom").click()
        assert not page.locator("#zoom").is_visible()
        shot = tmp_path / "shot.png"
        page.screenshot(path=str(shot))
    finally:
        browser.close()
    assert all(u.startswith(("file:", "data:")) for u in requested), "the gallery fetched from the network"
    stats = ImageStat.Stat(Image.open(shot).convert("L"))
    assert stats.stddev[0] > 20, "the screenshot is blank"


def test_gallery_without_shards_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(SystemExit) as exit_info:
        gallery_main([str(tmp_path / "empty"), "--out", str(tmp_path / "g.html")])
    assert exit_info.value.code == 2
    assert "no shards" in capsys.readouterr().err
    assert not (tmp_path / "g.html").exists()


def test_formula_and_smiles_targets_are_typeset_beside_the_image(tmp_path: Path) -> None:
    """Each drawn from the target's own text: a formula drawn by LaTeX gets MathJax's reading of its target."""
    folders = []
    for name, config in (("formulas", {"renderer": "latex"}), ("molecules", {})):
        engine = get_engine(name)(get_engine(name).Config(**config))
        folder = tmp_path / name
        folder.mkdir()
        build_shard(ShardSpec(name, dataclasses.asdict(engine.config), "gallery-test", 5, str(folder),
                              shard_name(name, 0), 0, 3))
        folders.append(str(folder))
    page = tmp_path / "g.html"
    assert gallery_main([*folders, "--n", "6", "--out", str(page)]) == 0
    text = page.read_text()
    typeset = re.findall(r'<b>target, typeset by Mathpix-markdown-it</b><img alt="target typeset" '
                         r'src="data:image/png;base64,([^"]+)"', text)
    assert text.count('class="card"') == 6 and len(typeset) == 6
    for data in typeset:
        image = Image.open(io.BytesIO(base64.b64decode(data))).convert("L")
        assert ImageOps.invert(image).getbbox() is not None  # something is drawn


def test_a_box_prompt_is_drawn_over_its_image(tmp_path: Path) -> None:
    """The region a fine-grained box prompt asks about is outlined on the image, so a person checks it at a glance."""
    engine = get_engine("finegrained")(get_engine("finegrained").Config(task="box", region="line"))
    folder = tmp_path / "fg"
    folder.mkdir()
    build_shard(ShardSpec("finegrained", dataclasses.asdict(engine.config), "gallery-test", 5, str(folder),
                          shard_name("finegrained", 0), 0, 2))
    page = tmp_path / "g.html"
    assert gallery_main([str(folder), "--n", "2", "--out", str(page)]) == 0
    boxes = re.findall(r'<div class="asked" style="left:([\d.]+)%;top:([\d.]+)%;width:([\d.]+)%;height:([\d.]+)%">',
                       page.read_text())
    prompts = re.findall(r"<b>prompt</b><pre>\[(\d+), (\d+), (\d+), (\d+)\] OCR: </pre>", page.read_text())
    assert len(boxes) == len(prompts) == 2
    for (left, top, width, height), (x1, y1, x2, y2) in zip(boxes, prompts):
        assert float(left) == int(x1) / 10 and float(top) == int(y1) / 10
        assert abs(float(width) - (int(x2) - int(x1)) / 10) < 0.06
        assert abs(float(height) - (int(y2) - int(y1)) / 10) < 0.06


def test_scene_quads_are_outlined_over_the_image(tmp_path: Path) -> None:
    """Each target line's quad of a scene is drawn over its image in the image's pixels, one outline a line."""
    folder = tmp_path / "scene"
    folder.mkdir()
    build_shard(ShardSpec("scene", {}, "gallery-test", 5, str(folder), shard_name("scene", 0), 0, 2))
    page = tmp_path / "g.html"
    assert gallery_main([str(folder), "--n", "2", "--out", str(page)]) == 0
    cards = re.findall(r'<svg class="quads" viewBox="0 0 (\d+) (\d+)" preserveAspectRatio="none">(.*?)</svg>',
                       page.read_text())
    samples = list(pick([str(folder)], 2))
    assert len(cards) == len(samples) == 2
    for (width, height, shapes), sample in zip(cards, samples):
        drawn = [[[float(v) for v in p.split(",")] for p in pts.split()]
                 for pts in re.findall(r'<polygon points="([^"]+)"/>', shapes)]
        assert drawn == sample.meta["quads"] and len(drawn) == len(sample.record["target"].split("\n"))
        assert (int(width), int(height)) == sample.images[0].size
