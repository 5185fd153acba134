"""One contract, every registered engine: deterministic bytes, batch independence, a valid Sample, readable shards.

A new engine gets these checks by being registered; they draw a handful of samples, so an engine
adds seconds to the suite. The schema test loads two engines' shards together with Hugging Face
`datasets`, which infers one schema from the first samples and refuses any later change of type.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import pytest

from engines import ENGINES, Draw, Sample, get_engine, make_rng
from pipelines.shard_task import ShardSpec, build_shard, draw_range
from shards.format import RECORD_FIELDS, record_meta, shard_name
from tokenizer.protocol import TASKS

K = 4  # samples per engine


def spec_for(name: str, engine, out: Path, start: int = 0, stop: int = K, seed: int = 3) -> ShardSpec:
    return ShardSpec(name, dataclasses.asdict(engine.config), f"contract-{name}", seed, str(out),
                     shard_name(name, 0), start, stop)


@pytest.fixture(scope="module", params=sorted(ENGINES))
def engine(request):
    cls = get_engine(request.param)
    return cls()


def test_same_seed_and_index_give_the_same_bytes(engine, tmp_path: Path) -> None:
    spec = spec_for(engine.name, engine, tmp_path)
    first = dict(draw_range(engine, spec, Counter()))
    fresh = type(engine)()
    again = dict(draw_range(fresh, spec, Counter()))
    assert list(first) == list(range(K)) and first == again
    other_seed = dict(draw_range(engine, dataclasses.replace(spec, seed=4), Counter()))
    assert other_seed != first


def test_a_sample_is_the_same_alone_and_in_a_batch(engine) -> None:
    draws = [Draw(i, 0, make_rng(3, engine.name, i)) for i in range(K)]
    together = engine.sample_batch(draws)
    for i, sample in enumerate(together):
        alone = engine.sample_batch([Draw(i, 0, make_rng(3, engine.name, i))])[0]
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
        assert len(s.images) == 1 or engine.image_format == "tiff"
        json.dumps(s.meta, allow_nan=False)
        assert s.meta.get("lang") in ("en", "zh")


def test_shards_read_back_with_webdataset_and_datasets(engine, tmp_path: Path) -> None:
    import datasets
    import webdataset as wds

    spec = spec_for(engine.name, engine, tmp_path)
    build_shard(spec)
    tar = str(tmp_path / spec.name)
    rows = list(wds.WebDataset([tar], shardshuffle=False).decode("pil"))
    assert [r["__key__"] for r in rows] == [f"{engine.name}_{i:010d}" for i in range(K)]
    for r in rows:
        assert {k: type(v) for k, v in r["json"].items()} == RECORD_FIELDS
        assert r[engine.image_format].mode == "RGB"
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
