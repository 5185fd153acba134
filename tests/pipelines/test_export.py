"""Exports: GOT's conversation JSON read the way GOT's loader reads it, and parquet read by `datasets`."""

from __future__ import annotations

import glob
import io
import json
import os
import re
from pathlib import Path

import datasets
import numpy as np
import pytest
from PIL import Image

from conftest import write_build
from pipelines import export
from shards.preprocess import tile_image
from shards.reader import iter_samples


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """The command in-process: (exit code, stdout, stderr)."""
    try:
        code = export.main(list(argv))
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


def got_images(images: str, image: str) -> list[str]:
    """The files GOT's ConversationDataset opens for one entry (GOT/data/conversation_dataset_qwen.py):
    `images + image` when it names a .png/.jpg, else the natural-sorted glob `images + image + "*.png"`."""
    if any(ext in image for ext in (".jpg", ".png", ".jpeg")):
        return [images + image]
    natural = lambda p: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p)]  # noqa: E731
    return sorted(glob.glob(images + image + "*.png"), key=natural)


def check_got_form(out: Path) -> list[dict]:
    """GOT's documented form: a JSON list of {"image", "conversations": [human "<image>\\n"+query, gpt answer]}."""
    entries = json.loads((out / "conversations.json").read_text(encoding="utf-8"))
    assert isinstance(entries, list) and entries
    for entry in entries:
        assert set(entry) == {"image", "conversations"} and isinstance(entry["image"], str)
        human, gpt = entry["conversations"]
        assert set(human) == set(gpt) == {"from", "value"}
        assert human["from"] == "human" and gpt["from"] == "gpt"
        assert human["value"].startswith("<image>\n") and human["value"].count("<image>") == 1
        assert isinstance(gpt["value"], str)
        assert got_images(f"{out}/images/", entry["image"]), entry["image"]
    return entries


def test_got_export_of_single_images(tmp_path, capsys):
    build = write_build(tmp_path / "data/plain", "plain", 30, 10)
    code, stdout, _ = run(capsys, str(build), "--format", "got", "--out", str(tmp_path / "export"))
    assert code == 0 and "exported 30 samples from 3 shards" in stdout and "'images':" in stdout
    entries = check_got_form(tmp_path / "export")
    for entry, sample in zip(entries, iter_samples(str(build)), strict=True):
        assert entry["image"] == f"{sample.key}.png"
        assert entry["conversations"][0]["value"] == "<image>\n" + sample.record["prompt"]
        assert entry["conversations"][1]["value"] == sample.record["target"]
        (path,) = got_images(f"{tmp_path}/export/images/", entry["image"])
        assert Path(path).read_bytes() == sample.image_bytes
    assert sorted(os.listdir(tmp_path)) == ["data", "export"]  # the temporary folder was renamed


def test_got_export_of_pages_and_tiles(tmp_path, capsys):
    pages = write_build(tmp_path / "data/pages", "pages", 6, 3, task="multi_page", pages=12, size=(80, 100))
    crops = write_build(tmp_path / "data/crops", "crops", 4, 2, task="multi_crop", size=(700, 200))
    assert run(capsys, str(pages), "--format", "got", "--out", str(tmp_path / "pages"))[0] == 0
    assert run(capsys, str(crops), "--format", "got", "--out", str(tmp_path / "crops"),
               "--tile-size", "128", "--max-tiles", "6")[0] == 0
    for entry, sample in zip(check_got_form(tmp_path / "pages"), iter_samples(str(pages)), strict=True):
        assert entry["image"] == f"{sample.key}/"
        files = got_images(f"{tmp_path}/pages/images/", entry["image"])
        assert [Path(f).name for f in files] == [f"{i}.png" for i in range(12)]  # natural order: 2 before 10
        for file, frame in zip(files, sample.images, strict=True):
            assert np.array_equal(np.asarray(Image.open(file).convert("RGB")), np.asarray(frame))
    for entry, sample in zip(check_got_form(tmp_path / "crops"), iter_samples(str(crops)), strict=True):
        files = got_images(f"{tmp_path}/crops/images/", entry["image"])
        tiles = tile_image(sample.images[0], 128, 6)
        assert len(files) == len(tiles) == 4 + 1
        for file, tile in zip(files, tiles, strict=True):
            assert np.array_equal(np.asarray(Image.open(file).convert("RGB")), np.asarray(tile))


@pytest.mark.slow
def test_hf_export_loads_with_datasets_with_the_got_and_record_columns(tmp_path, capsys):
    plain = write_build(tmp_path / "data/plain", "plain", 30, 10)
    pages = write_build(tmp_path / "data/pages", "pages", 6, 3, task="multi_page")
    for build in (plain, pages):
        assert run(capsys, str(build), "--format", "hf", "--out", str(tmp_path / f"hf-{build.name}"))[0] == 0
        assert run(capsys, str(build), "--format", "got", "--out", str(tmp_path / f"got-{build.name}"))[0] == 0
        ds = datasets.load_dataset("parquet", data_dir=str(tmp_path / f"hf-{build.name}"), split="train",
                                   cache_dir=str(tmp_path / "cache"))
        assert ds.column_names == ["image", "conversations", "key", "engine", "task", "lang", "meta"]
        got = check_got_form(tmp_path / f"got-{build.name}")
        assert ds.num_rows == len(got)
        assert ds["conversations"] == [entry["conversations"] for entry in got]
        for row, sample in zip(ds, iter_samples(str(build)), strict=True):
            assert row["key"] == sample.key and json.loads(row["meta"]) == sample.meta
            assert [row[k] for k in ("engine", "task", "lang")] == [sample.record[k] for k in ("engine", "task", "lang")]
            images = row["image"] if isinstance(row["image"], list) else [row["image"]]
            assert len(images) == len(sample.images)
            for ours, theirs in zip(images, sample.images, strict=True):
                assert np.array_equal(np.asarray(ours.convert("RGB")), np.asarray(theirs))
    assert isinstance(ds.features["image"], datasets.List)  # the multi-page build: a list of images


def test_several_builds_export_as_one_and_clashing_keys_are_refused(tmp_path, capsys):
    plain = write_build(tmp_path / "data/plain", "plain", 6, 4)
    other = write_build(tmp_path / "data/other", "other", 3, 2)
    clash = write_build(tmp_path / "data/plain-again", "plain", 2, 2)
    samples = [*iter_samples(str(plain)), *iter_samples(str(other))]
    code, stdout, _ = run(capsys, str(plain), str(other), "--format", "got", "--out", str(tmp_path / "got"))
    assert code == 0 and f"exported 9 samples from 4 shards of {plain}, {other}" in stdout
    entries = check_got_form(tmp_path / "got")
    assert [e["image"] for e in entries] == [f"{s.key}.png" for s in samples]
    assert run(capsys, str(plain), str(other), "--format", "hf", "--out", str(tmp_path / "hf"))[0] == 0
    ds = datasets.load_dataset("parquet", data_dir=str(tmp_path / "hf"), split="train", cache_dir=str(tmp_path / "c"))
    assert ds["key"] == [s.key for s in samples] and ds["engine"] == ["plain"] * 6 + ["other"] * 3
    code, _, stderr = run(capsys, str(plain), str(clash), "--format", "got", "--out", str(tmp_path / "no"))
    assert code == 2 and f"{clash} and {plain} both hold plain-000000.tar" in stderr
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("case, match", [
    ("missing", r"nowhere: no such folder"),
    ("empty", r"empty: no shards \(\*\.tar\) in this folder"),
    ("format", r"argument --format: invalid choice: 'csv'"),
    ("exists", r"--out .*taken already exists; remove it"),
    ("unwritable", r"--out .*a-file/out: cannot write in .*a-file; choose a writable folder"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path, capsys, case, match):
    build = write_build(tmp_path / "data/plain", "plain", 4, 2)
    (tmp_path / "empty").mkdir()
    (tmp_path / "taken").mkdir()
    (tmp_path / "a-file").write_text("")
    before = sorted(p.name for p in tmp_path.iterdir())
    source = {"missing": tmp_path / "nowhere", "empty": tmp_path / "empty"}.get(case, build)
    out = {"exists": tmp_path / "taken", "unwritable": tmp_path / "a-file/out"}.get(case, tmp_path / "export")
    code, stdout, stderr = run(capsys, str(source), "--format", "csv" if case == "format" else "got", "--out", str(out))
    assert code == 2 and stdout == ""
    assert len(stderr.strip().splitlines()) == 1 and re.search(match, stderr), stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before and not os.listdir(tmp_path / "taken")


@pytest.mark.slow
def test_exports_a_real_charts_build(built_charts, tmp_path, capsys):
    assert run(capsys, str(built_charts), "--format", "got", "--out", str(tmp_path / "got"))[0] == 0
    assert run(capsys, str(built_charts), "--format", "hf", "--out", str(tmp_path / "hf"))[0] == 0
    entries = check_got_form(tmp_path / "got")
    ds = datasets.load_dataset("parquet", data_dir=str(tmp_path / "hf"), split="train", cache_dir=str(tmp_path / "c"))
    samples = list(iter_samples(str(built_charts)))
    assert len(entries) == ds.num_rows == len(samples) == 32
    assert [e["conversations"][1]["value"] for e in entries] == [s.record["target"] for s in samples]
    assert ds[0]["image"].size == Image.open(io.BytesIO(samples[0].image_bytes)).size
