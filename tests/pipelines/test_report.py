"""The build report opens offline in real Chromium and shows the build; the dataset card parses and is true.

The report's plots are inline SVG whose marks carry their figures (`data-*`), so the browser is asked
what it shows and the answers are checked against the build itself. The card's front matter is parsed
as YAML and its features compared with what `datasets.load_dataset("webdataset", ...)` infers.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageStat

from pipelines.build import parse as build_parse
from pipelines.report import main as report_main
from pipelines.validate import main as validate_main
from renderers.chromium import ChromiumConfig, driver
from shards.reader import iter_samples
from tokenizer.got import get_tokenizer

pytestmark = pytest.mark.slow  # drives the real tools over many samples: not in the quick tier

SECTIONS = ["kinds", "tokens", "sizes", "capture", "failures", "skipped", "throughput", "validation"]
SUM_COUNTS = "marks => marks.reduce((total, m) => total + Number(m.dataset.count), 0)"


def test_report_shows_the_build_offline_in_chromium(built_smoke: Path, built_charts: Path, tmp_path: Path) -> None:
    validation = tmp_path / "validation.json"
    assert validate_main([str(built_smoke), "--n", "6", "--out", str(validation)]) == 0
    smoke_page, charts_page = tmp_path / "smoke.html", tmp_path / "charts.html"
    assert report_main([str(built_smoke), "--n", "200", "--validation", str(validation), "--out", str(smoke_page)]) == 0
    assert report_main([str(built_charts), "--out", str(charts_page)]) == 0
    mix_page = tmp_path / "mix.html"  # a mix's worth of builds, one page
    assert report_main([str(built_smoke), str(built_charts), "--n", "20", "--out", str(mix_page)]) == 0
    charts = json.loads((built_charts / "manifest.json").read_text())
    longest = max(get_tokenizer().count(s.record["target"]) for s in iter_samples(str(built_charts)))
    requested: list[str] = []
    config = ChromiumConfig()
    browser = driver().chromium.launch(executable_path=config.executable, args=list(config.args))
    try:
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        page.on("request", lambda r: requested.append(r.url))
        page.goto(smoke_page.as_uri())
        assert page.eval_on_selector_all("section", "ss => ss.map(s => s.id)") == SECTIONS
        assert "a seeded sample of 200 of the 1,000 samples" in page.inner_text("#kinds")
        bars = page.eval_on_selector_all("#kinds rect.bar", "rs => rs.map(r => [r.dataset.label, r.dataset.segment, "
                                                            "Number(r.dataset.value), r.getBBox().width])")
        assert [b[:3] for b in bars] == [["smoke plain", "en", 200]] and bars[0][3] > 100
        assert page.eval_on_selector_all("#tokens rect.bin", SUM_COUNTS) == 200
        assert page.eval_on_selector_all("#sizes circle.point", SUM_COUNTS) == 200
        assert page.eval_on_selector_all("#throughput rect.bin", SUM_COUNTS) == 40  # one rate per shard
        shares = page.eval_on_selector_all("#capture rect.bar", "rs => rs.map(r => [r.dataset.label, "
                                                                "r.dataset.segment, Number(r.dataset.value)])")
        assert {label for label, _, _ in shares} == {"smoke"} and abs(sum(v for _, _, v in shares) - 100) < 0.5
        captured = 100 - sum(v for _, segment, v in shares if segment == "clean")
        assert 15 <= captured <= 45 and f"smoke: {captured / 100:.0%} of 200 captured" in page.inner_text("#capture")
        assert page.inner_text("#failures p") == "No failed draws."
        assert page.eval_on_selector_all("#validation rect.bin", SUM_COUNTS) == 6
        assert page.locator("#validation line.marker").count() == 1
        assert "0 of 6 flagged" in page.inner_text("#validation")
        page.screenshot(path=str(tmp_path / "smoke.png"), full_page=True)

        page.goto(charts_page.as_uri())
        assert f"longest {longest:,} tokens" in page.inner_text("#tokens")
        failures = page.eval_on_selector_all("#failures rect.bar", "rs => rs.map(r => [r.dataset.label, "
                                                                  "Number(r.dataset.value)])")
        assert dict(failures) == charts["failures"]
        assert "Not validated yet" in page.inner_text("#validation")

        page.goto(mix_page.as_uri())
        assert page.title() == f"Build report: 2 builds (smoke, charts), {1000 + charts['samples']:,} samples"
        # charts record their looks (renderer, kind, faces, publishers' styles), smoke none: a layouts section
        assert page.eval_on_selector_all("section", "ss => ss.map(s => s.id)") == [*SECTIONS[:3], "layouts",
                                                                                  *SECTIONS[3:]]
        assert "charts" in page.inner_text("#layouts") and "smoke" not in page.inner_text("#layouts")
        assert page.locator("#overview code").count() == 4  # engine and config of each build
        assert "a seeded sample of 40 of the" in page.inner_text("#kinds")
        kinds = page.eval_on_selector_all("#kinds rect.bar", "rs => rs.map(r => [r.dataset.label, "
                                                             "Number(r.dataset.value)])")
        assert {label.split()[0] for label, _ in kinds} == {"smoke", "charts"} and sum(v for _, v in kinds) == 40
        assert page.eval_on_selector_all("#tokens rect.bin", SUM_COUNTS) == 40
        assert page.eval_on_selector_all("#throughput rect.bin", SUM_COUNTS) == 40 + len(charts["shards"])
        failures = page.eval_on_selector_all("#failures rect.bar", "rs => rs.map(r => [r.dataset.label, "
                                                                  "Number(r.dataset.value)])")
        assert dict(failures) == {f"charts: {reason}": c for reason, c in charts["failures"].items()}
    finally:
        browser.close()
    assert requested and all(u.startswith(("file:", "data:")) for u in requested), "the report fetched from the network"
    assert ImageStat.Stat(Image.open(tmp_path / "smoke.png").convert("L")).stddev[0] > 20, "the screenshot is blank"


def test_dataset_card_parses_and_matches_what_datasets_infers(built_smoke: Path, tmp_path: Path) -> None:
    import datasets

    front, body = re.fullmatch(r"---\n(.*?)\n---\n(.*)", (built_smoke / "README.md").read_text(), re.S).groups()
    card = yaml.safe_load(front)
    assert card["license"] == "apache-2.0" and card["task_categories"] == ["image-to-text"]
    assert card["language"] == ["en"] and card["size_categories"] == ["1K<n<10K"]  # 1,000 samples
    manifest = json.loads((built_smoke / "manifest.json").read_text())
    assert card["dataset_info"]["splits"] == [{"name": "train", "num_bytes": manifest["bytes"], "num_examples": 1000}]
    tar = sorted(built_smoke.glob("*.tar"))[0]
    ds = datasets.load_dataset("webdataset", data_files={"train": [str(tar)]}, split="train",
                               cache_dir=str(tmp_path / "hf"))
    declared = datasets.Features._from_yaml_list(card["dataset_info"]["features"])
    assert declared == ds.features and list(declared) == list(ds.features)
    command = shlex.split(re.search(r"```sh\n(.+?)\n```", body).group(1))
    assert command[:3] == ["python", "-m", "pipelines.build"]
    plan, _, _ = build_parse(command[3:])  # the card's command makes this very build again
    assert plan.config_hash == manifest["config_hash"]


def test_report_without_a_build_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        report_main([str(tmp_path), "--out", str(tmp_path / "r.html")])
    assert exit_info.value.code == 2
    assert "no manifest.json" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_a_pseudo_labelled_scene_build_reports_its_keep_rates(shared_data: Path, tmp_path: Path) -> None:
    """A scene --source build's report says how many draws were kept, and the kept photos' lines by verdict."""
    from engines.base import make_rng
    from engines.scene import SceneEngine
    from pipelines.report import build_sections, samples_sections
    from shards.stats import ShardStats

    (tmp_path / "sign.jpg").write_bytes((shared_data / "scene" / "ja_easyocr_japanese.jpg").read_bytes())
    engine = SceneEngine(SceneEngine.Config(source=str(tmp_path)))
    sample = engine.sample(make_rng(0, "scene", 0), 0)
    verdicts = sample.meta["line_verdicts"]
    assert verdicts["kept"] == len(sample.target.split("\n")) and sum(verdicts.values()) > verdicts["kept"]
    manifest = {"engine": "scene", "config": {"source": str(tmp_path)}, "samples": 3,
                "failures": {"dropped_legible_line": 5, "no_text": 2}, "engine_info": {"files": 1}}
    page = "".join(build_sections([(manifest, [ShardStats(samples=3, seconds=1.0, peak_memory_bytes=2**20)])]))
    assert "Kept --source draws" in page and "scene: 3 of 10 (30.0%)" in page
    rows = [{"kind": "scene plain", "lang": None, "tokens": 9, "size": (640, 480), "lines": verdicts}]
    page = "".join(samples_sections(rows, 1))
    assert f"{verdicts['kept']} of {sum(verdicts.values())} detected lines kept" in page
