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
from pipelines.shard_task import ShardSpec, build_shard
from renderers.chromium import ChromiumConfig, driver
from shards.format import shard_name


def test_gallery_renders_offline_in_chromium(built_charts: Path, tmp_path: Path) -> None:
    page_path = tmp_path / "gallery" / "charts.html"
    assert gallery_main([str(built_charts), "--n", "12", "--out", str(page_path)]) == 0
    requested: list[str] = []
    config = ChromiumConfig()
    browser = driver().chromium.launch(executable_path=config.executable, args=list(config.args))
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("request", lambda r: requested.append(r.url))
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
        assert len(widths) == 12 and all(w >= 200 for w in widths)
        assert page.inner_text("#count") == "12 of 12 samples"
        langs = page.eval_on_selector_all(".card", "cs => cs.map(c => c.dataset.lang)")
        page.select_option("#lang", "zh")
        assert page.inner_text("#count") == f"{langs.count('zh')} of 12 samples"
        assert page.locator(".card:visible").count() == langs.count("zh")
        page.select_option("#lang", "all")
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
