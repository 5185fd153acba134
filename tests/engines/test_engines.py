"""One contract, every registered engine: deterministic bytes, batch independence, a valid Sample, readable shards.

A new engine gets these checks by being registered; they draw a handful of samples, so an engine
adds seconds to the suite. The schema tests load engines' shards together with Hugging Face
`datasets`, which infers one schema from the first samples: it refuses a later change of a field's type,
and silently leaves empty an image member whose name differs from the first shard's. So one shard of every
registered engine (built once, `contract_shards`) and a 3-page sample load in one call, every row with its image.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections import Counter
from pathlib import Path
from typing import Callable

import fsspec
import pytest
from PIL import Image

from engines import ENGINES, Draw, Sample, get_engine, make_rng
from pipelines.shard_task import ShardSpec, build_shard, draw_range
from shards.format import RECORD_FIELDS, decode_image, record_meta, sample_key, sample_members, shard_name, split_pages
from shards.writer import ShardWriter
from tokenizer.protocol import PROMPT_MULTI_PAGE, TASKS

pytestmark = pytest.mark.slow  # drives the real tools over many samples: not in the quick tier

K = 4  # samples per engine


def spec_for(name: str, engine, out: Path, start: int = 0, stop: int = K, seed: int = 3) -> ShardSpec:
    return ShardSpec(name, dataclasses.asdict(engine.config), f"contract-{name}", seed, str(out),
                     shard_name(name, 0), start, stop)


@pytest.fixture(scope="module", params=sorted(ENGINES))
def engine(request):
    cls = get_engine(request.param)
    return cls()


@pytest.fixture(scope="module")
def contract_shards(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], str]:
    """name -> the path of one shard of K samples of that engine (default config, seed 3), built once."""
    root = tmp_path_factory.mktemp("contract")
    built: dict[str, str] = {}

    def shard(name: str) -> str:
        if name not in built:
            spec = spec_for(name, get_engine(name)(), root)
            build_shard(spec)
            built[name] = str(root / spec.name)
        return built[name]
    return shard


def test_same_seed_and_index_give_the_same_bytes(engine, tmp_path: Path) -> None:
    spec = spec_for(engine.name, engine, tmp_path)
    first = dict(draw_range(engine, spec, Counter()))
    fresh = type(engine)()
    again = dict(draw_range(fresh, spec, Counter()))
    assert list(first) == list(range(K)) and first == again
    other_seed = dict(draw_range(engine, dataclasses.replace(spec, seed=4), Counter()))
    assert other_seed != first


def test_a_sample_is_the_same_alone_and_in_a_batch(engine) -> None:
    """As the pipeline draws them (`draw_batch`: the engine's batch, then each sample's capture)."""
    draws = [Draw(i, 0, make_rng(3, engine.name, i)) for i in range(K)]
    together = engine.draw_batch(draws)
    for i, sample in enumerate(together):
        alone = engine.draw_batch([Draw(i, 0, make_rng(3, engine.name, i))])[0]
        if isinstance(sample, Exception):
            assert type(alone) is type(sample) and str(alone) == str(sample)
            continue
        assert sample.target == alone.target and sample.meta == alone.meta
        assert [im.tobytes() for im in sample.images] == [im.tobytes() for im in alone.images]


def test_samples_are_valid(engine) -> None:
    made = [s for s in engine.sample_batch([Draw(i, 0, make_rng(5, engine.name, i)) for i in range(K)])
            if isinstance(s, Sample)]
    assert made, f"{engine.name}: no sample drawn at attempt 0 of {K} indices"
    for s in made:
        assert s.task in TASKS and s.prompt and s.target.strip()
        assert all(im.mode == "RGB" and min(im.size) >= 16 for im in s.images)
        assert len(s.images) == 1 or s.task == "multi_page"
        json.dumps(s.meta, allow_nan=False)
        assert s.meta.get("lang") in ("en", "zh")


def test_shards_read_back_with_webdataset_and_datasets(engine, contract_shards, tmp_path: Path) -> None:
    import datasets
    import webdataset as wds

    tar = contract_shards(engine.name)
    rows = list(wds.WebDataset([tar], shardshuffle=False).decode("pil"))
    assert [r["__key__"] for r in rows] == [f"{engine.name}_{i:010d}" for i in range(K)]
    for r in rows:
        assert {k: type(v) for k, v in r["json"].items()} == RECORD_FIELDS
        assert r["png"].mode == "RGB"
    ds = datasets.load_dataset("webdataset", data_files={"train": [tar]}, split="train", cache_dir=str(tmp_path / "hf"))
    assert ds.num_rows == K and record_meta(ds[0]["json"]) == record_meta(rows[0]["json"])


def test_two_engines_load_together_in_datasets(tmp_path: Path) -> None:
    """500 samples of charts and smoke in one `load_dataset` call: one schema for every sample."""
    import datasets

    tars = []
    for name, config, n in (("charts", {"renderer": "matplotlib"}, 80), ("smoke", {}, 420)):
        cls = get_engine(name)
        engine = cls(cls.Config(**config))
        spec = ShardSpec(name, dataclasses.asdict(engine.config), f"schema-{name}", 1, str(tmp_path),
                         shard_name(name, 0), 0, n)
        build_shard(spec)
        tars.append(str(tmp_path / spec.name))
    ds = datasets.load_dataset("webdataset", data_files={"train": tars}, split="train", cache_dir=str(tmp_path / "hf"))
    assert ds.num_rows == 500
    assert Counter(r["engine"] for r in ds["json"]) == {"charts": 80, "smoke": 420}
    titles = {record_meta(r)["spec"]["title"] is None for r in ds["json"][:80]}
    assert titles == {True, False}, "the charts half should hold charts with and without a title"


def three_page_shard(out: Path) -> tuple[str, list[Image.Image]]:
    """A shard of one multi-page sample (3 pages of different sizes), as a stage-3 engine writes it."""
    pages = [Image.new("RGB", size, colour) for size, colour in (((120, 90), "red"), ((200, 60), "green"),
                                                                  ((80, 150), "blue"))]
    path = str(out / shard_name("threepage", 0))
    with ShardWriter(fsspec.filesystem("file"), path) as writer:
        writer.write(sample_key("threepage", 0), sample_members(
            pages, prompt=PROMPT_MULTI_PAGE, target="one\n\ntwo\n\nthree", task="multi_page", engine="threepage",
            seed=0, index=0, meta={"lang": "en"}))
    return path, pages


def test_every_engine_loads_together_in_datasets(contract_shards, tmp_path: Path) -> None:
    """One shard of every registered engine and a 3-page sample in ONE `load_dataset` call, streaming and
    not: every row has its image (a differently named image member would load as None), and the pages
    split back from the loaded image exactly."""
    import datasets

    multi, pages = three_page_shard(tmp_path)
    names = sorted(ENGINES)
    tars = [contract_shards(name) for name in names[:1]] + [multi] + [contract_shards(name) for name in names[1:]]
    loaded = datasets.load_dataset("webdataset", data_files={"train": tars}, split="train",
                                   cache_dir=str(tmp_path / "hf"))
    streamed = list(datasets.load_dataset("webdataset", data_files={"train": tars}, split="train", streaming=True))
    for rows in (list(loaded), streamed):
        assert Counter(r["json"]["engine"] for r in rows) == {**{name: K for name in names}, "threepage": 1}
        assert all(isinstance(r["png"], Image.Image) for r in rows), [r["__key__"] for r in rows if r["png"] is None]
        (row,) = [r for r in rows if r["json"]["engine"] == "threepage"]
        back = split_pages(row["png"].convert("RGB"), record_meta(row["json"])["pages"])
        assert [p.tobytes() for p in back] == [p.tobytes() for p in pages]


def test_a_three_page_sample_stacks_and_splits_exactly() -> None:
    pages = [Image.frombytes("RGB", size, bytes(range(256)) * (size[0] * size[1] * 3 // 256 + 1))
             for size in ((40, 30), (64, 20), (25, 50))]
    fields = {"prompt": PROMPT_MULTI_PAGE, "target": "a", "task": "multi_page", "engine": "x", "seed": 0, "index": 0}
    members = sample_members(pages, **fields, meta={"lang": "en"})
    assert sorted(members) == ["json", "png"]
    meta = record_meta(json.loads(members["json"]))
    assert meta == {"lang": "en", "pages": [[0, 40, 30], [30, 64, 20], [50, 25, 50]]}
    assert Image.open(io.BytesIO(members["png"])).size == (64, 100)
    assert [p.tobytes() for p in decode_image(members["png"], meta)] == [p.tobytes() for p in pages]
    single = sample_members(pages[:1], **fields, meta={})
    assert record_meta(json.loads(single["json"])) == {}
    assert [p.tobytes() for p in decode_image(single["png"])] == [pages[0].tobytes()]
    with pytest.raises(ValueError, match="reserved"):
        sample_members(pages, **fields, meta={"pages": 2})
    with pytest.raises(ValueError, match="covers 50 of the image's 100 rows"):
        decode_image(members["png"], {"pages": [[0, 40, 30], [30, 64, 20]]})
