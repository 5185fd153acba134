"""Stage mixes: the shipped stages, the schema's errors, shares, carries and `mix show`.

`write_build` (also used by test_loader and test_export) makes a real build with the real
writer: small PIL images with drawn text, shards, and a manifest.json like pipelines.build's.
"""

from __future__ import annotations

from collections import Counter
from itertools import islice
from pathlib import Path

import fsspec
import pytest

from conftest import REPO, write_build, write_mix
from engines.base import stable_hash
from pipelines import mix as mix_cli
from shards.format import sample_key
from shards.mix import MixError, carry_value, load_mix, resolve
from shards.reader import iter_samples
from shards.stream import StreamSpec, drawn_samples, mixed_samples

MIXES = REPO / "shards" / "mixes"
def spec(mix_path: str, root: Path, **kw) -> StreamSpec:
    mix = load_mix(mix_path)
    return StreamSpec(resolve(mix, str(root)), seed=kw.get("seed", 0), rank=0, world_size=1,
                      shuffle_buffer=kw.get("shuffle_buffer", 0), max_target_tokens=mix.max_target_tokens)


# -- the shipped stages ---------------------------------------------------------------------------

def test_shipped_stages_follow_the_paper():
    stages = [load_mix(str(MIXES / f"stage{i}.yaml")) for i in (1, 2, 3)]
    assert [m.stage for m in stages] == [1, 2, 3]
    assert [m.max_target_tokens for m in stages] == [4096, 6000, 8192]
    own = [{s.name for s in m.sources if "/" not in s.name} for m in stages]
    assert own[0] == {"docs", "doc_slices", "scene", "scene_crops"}
    assert own[1] == {"formulas", "molecules", "tables", "pages", "handwriting", "sheet_music", "geometry", "charts"}
    assert own[2] == {"finegrained", "multicrop", "multipage"}
    by_name = {s.name: s for s in stages[2].sources}
    assert by_name["stage2/charts"].carry == 0.8
    assert by_name["stage2/stage1/scene"].carry == pytest.approx(0.64)  # 80% of stage 2's 80% of stage 1
    assert by_name["finegrained"].carry == 1.0
    for m in stages:
        assert sum(m.shares().values()) == pytest.approx(1.0)


def test_show_lists_unbuilt_sources_as_missing(tmp_path, capsys):
    assert mix_cli.main(["show", str(MIXES / "stage2.yaml"), "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.count("MISSING") == 12
    assert "stage1/doc_slices" in out and "data/formulas/formulas-*.tar" in out
    assert "0 of 12 sources have shards" in out


@pytest.mark.parametrize("stage", [1, 2, 3])
def test_every_source_of_the_paper_stages_is_buildable(stage, tmp_path, capsys):
    """Each missing source is told the command that builds it: every stage's sources name registered engines."""
    assert mix_cli.main(["show", str(MIXES / f"stage{stage}.yaml"), "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    missing = [line for line in out.splitlines() if "MISSING" in line]
    assert missing and all("build them with `python -m pipelines.build --engine " in line for line in missing), out


def test_show_reports_samples_shares_carry_and_tokens(tmp_path, capsys):
    write_build(tmp_path / "data/a", "a", 400, 100, target=lambda i: "word " * (i % 50))
    write_build(tmp_path / "data/b", "b", 60, 30)
    write_mix(tmp_path / "s1.yaml", "stage: 1\nmax_target_tokens: 40\nsources:\n"
              "  - {name: a, shards: 'data/a/a-*.tar', weight: 1}\n")
    s2 = write_mix(tmp_path / "s2.yaml", "stage: 2\nmax_target_tokens: 40\nsources:\n"
                   "  - {name: b, shards: 'data/b/b-{000000..000001}.tar', weight: 1}\n"
                   "  - {name: z, shards: 'data/z/z-*.tar', weight: 2}\n"
                   "carry: {mix: s1.yaml, fraction: 0.8, weight: 1}\n")
    assert mix_cli.main(["show", s2, "--root", str(tmp_path), "--n", "400"]) == 0
    rows = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()[2:-1]}
    assert rows["b"][1:6] == ["2", "60", "60", "25.0%", "50.0%"]
    assert rows["z"][1] == "MISSING"
    kept = sum(carry_value(s.key) < 0.8 for s in iter_samples(str(tmp_path / "data/a")))
    assert rows["s1/a"][1:6] == ["4", "400", f"~{kept}", "25.0%", "50.0%"]
    assert rows["s1/a"][6] == f"0.80/{kept / 400:.3f}"
    assert float(rows["s1/a"][8].rstrip("%")) > 0  # long targets are over the 40-token limit


# -- schema errors --------------------------------------------------------------------------------

GOOD_SOURCE = "  - {name: a, shards: 'data/a/*.tar', weight: 1}\n"


@pytest.mark.parametrize("text, match", [
    ("stage: 1\nmax_target_tokens: 10\nsourcez: []\n", r"unknown key 'sourcez' in the top level; allowed: stage"),
    ("stage: 1\nmax_target_tokens: 10\nsources:\n  - {name: a, shards: x.tar, weigth: 1}\n",
     r"unknown key 'weigth' in sources\[0\]"),
    ("stage: 1\nmax_target_tokens: 10\nsources:\n  - {name: a, shards: x.tar, weight: -1}\n",
     r"sources\[0\] \(a\): weight must be a positive number, got -1"),
    ("stage: 1\nmax_target_tokens: 10\nsources:\n  - {name: a, shards: x.tar, weight: heavy}\n",
     r"weight must be a positive number, got 'heavy'"),
    ("stage: 1\nmax_target_tokens: 10\nsources:\n  - {name: a, shards: x.tar, weight: yes}\n",
     r"weight must be a positive number, got True"),
    ("stage: 1\nmax_target_tokens: 10\nsources:\n  - {name: a, shards: x.tar, weight: .inf}\n",
     r"weight must be a positive number, got inf"),
    ("stage: 1\nmax_target_tokens: 10.5\nsources:\n" + GOOD_SOURCE, r"max_target_tokens must be a positive whole"),
    ("stage: 1\nsources:\n" + GOOD_SOURCE, r"the top level lacks the required key 'max_target_tokens'"),
    ("stage: 1\nmax_target_tokens: 10\nsources:\n" + GOOD_SOURCE * 2, r"source name 'a' appears twice"),
    ("stage: 1\nmax_target_tokens: 10\nsources: []\n", r"no sources and no carry"),
    ("stage: 1\nmax_target_tokens: 10\nsources:\n  - {name: 'a b', shards: x.tar, weight: 1}\n",
     r"name 'a b' must be letters"),
    ("stage: 2\nmax_target_tokens: 10\nsources: []\ncarry: {mix: other.yaml, fraction: 1.5, weight: 1}\n",
     r"carry: fraction must be in \(0, 1\], got 1.5"),
    ("stage: 2\nmax_target_tokens: 10\nsources: []\ncarry: {mix: nowhere.yaml, fraction: 0.8, weight: 1}\n",
     r"nowhere.yaml: no such mix file"),
    ("stage: 2\nmax_target_tokens: 10\nsources: []\ncarry: {mix: bad.yaml, fraction: 0.8, weight: 1}\n",
     r"carry cycle bad.yaml -> bad.yaml; a stage can only carry an earlier stage"),
    ("stage: [1\n", r"not valid YAML"),
])
def test_schema_errors_name_the_file_and_the_fix(tmp_path, text, match):
    path = write_mix(tmp_path / "bad.yaml", text)
    with pytest.raises(MixError, match=match):
        load_mix(path)


def test_carry_cycle_across_files(tmp_path):
    write_mix(tmp_path / "one.yaml", "stage: 1\nmax_target_tokens: 10\nsources: []\n"
              "carry: {mix: two.yaml, fraction: 0.8, weight: 1}\n")
    two = write_mix(tmp_path / "two.yaml", "stage: 2\nmax_target_tokens: 10\nsources: []\n"
                    "carry: {mix: one.yaml, fraction: 0.8, weight: 1}\n")
    with pytest.raises(MixError, match=r"carry cycle two.yaml -> one.yaml -> two.yaml"):
        load_mix(two)


def test_show_fails_with_one_line_and_exit_2(tmp_path, capsys):
    path = write_mix(tmp_path / "bad.yaml", "stage: 1\nmax_target_tokens: 10\nsources:\n"
                     "  - {name: a, shards: x.tar, weight: 0}\n")
    with pytest.raises(SystemExit) as exit_:
        mix_cli.main(["show", path])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "weight must be a positive number, got 0" in err[0]


# -- resolving shards -----------------------------------------------------------------------------

def test_missing_sources_need_allow_missing(tmp_path):
    write_build(tmp_path / "data/a", "a", 20, 10)
    path = write_mix(tmp_path / "m.yaml", "stage: 1\nmax_target_tokens: 10\nsources:\n"
                     "  - {name: a, shards: 'data/a/a-*.tar', weight: 1}\n"
                     "  - {name: b, shards: 'data/b/b-*.tar', weight: 3}\n")
    with pytest.raises(MixError, match=r"1 source\(s\) have no shards: b \(data/b/b-\*.tar\).*allow_missing=True"):
        resolve(load_mix(path), str(tmp_path))
    (present,) = resolve(load_mix(path), str(tmp_path), allow_missing=True)
    assert present.source.name == "a" and present.share == 1.0 and len(present.urls) == 2
    with pytest.raises(MixError, match=r"no source has shards under root"):
        resolve(load_mix(path), str(tmp_path / "elsewhere"), allow_missing=True)


def test_brace_range_naming_a_missing_shard_is_an_error(tmp_path):
    write_build(tmp_path / "data/a", "a", 20, 10)
    path = write_mix(tmp_path / "m.yaml", "stage: 1\nmax_target_tokens: 10\nsources:\n"
                     "  - {name: a, shards: 'data/a/a-{000000..000002}.tar', weight: 1}\n")
    with pytest.raises(MixError, match=r"a-000002.tar: named by .* but does not exist"):
        resolve(load_mix(path), str(tmp_path))


def test_sources_can_be_fsspec_urls_and_pipe_commands(tmp_path):
    build = write_build(tmp_path / "data/b", "b", 20, 10)
    memory = fsspec.filesystem("memory")
    for tar in build.glob("*.tar"):
        memory.pipe(f"/mixtest/a/{tar.name.replace('b-', 'a-')}", tar.read_bytes())
    path = write_mix(tmp_path / "m.yaml", "stage: 1\nmax_target_tokens: 10\nsources:\n"
                     "  - {name: a, shards: 'memory://mixtest/a/*.tar', weight: 1}\n"
                     f"  - {{name: b, shards: 'pipe:cat {build}/b-{{000000..000001}}.tar', weight: 1}}\n")
    a, b = resolve(load_mix(path), str(tmp_path))
    assert [u.split("mixtest/a/")[1] for u in a.urls] == ["a-000000.tar", "a-000001.tar"]
    assert all(u.startswith("memory://") for u in a.urls)
    assert b.urls == [f"pipe:cat {build}/b-00000{i}.tar" for i in (0, 1)]
    for source in (a, b):
        one = StreamSpec([source], seed=0, rank=0, world_size=1, shuffle_buffer=0, max_target_tokens=10)
        source.share = 1.0
        keys = {s["__key__"] for s in islice(mixed_samples(one, 0, 1), 20)}
        assert keys == {sample_key("b", i) for i in range(20)}
    memory.rm("/mixtest", recursive=True)


# -- shares and carries ---------------------------------------------------------------------------

@pytest.mark.slow
def test_observed_shares_match_configured_over_20000_draws(tmp_path):
    for name in ("x", "y", "b", "c"):
        write_build(tmp_path / f"data/{name}", name, 60, 20)
    write_mix(tmp_path / "s1.yaml", "stage: 1\nmax_target_tokens: 100\nsources:\n"
              "  - {name: x, shards: 'data/x/*.tar', weight: 1}\n  - {name: y, shards: 'data/y/*.tar', weight: 3}\n")
    s2 = write_mix(tmp_path / "s2.yaml", "stage: 2\nmax_target_tokens: 100\nsources:\n"
                   "  - {name: b, shards: 'data/b/*.tar', weight: 3}\n"
                   "  - {name: c, shards: 'data/c/*.tar', weight: 1}\n"
                   "carry: {mix: s1.yaml, fraction: 0.8, weight: 4}\n")
    configured = load_mix(s2).shares()
    assert configured == {"b": 0.375, "c": 0.125, "s1/x": 0.125, "s1/y": 0.375}
    for seed in (0, 1):
        counters: Counter = Counter()
        drawn = list(islice(drawn_samples(spec(s2, tmp_path, seed=seed, shuffle_buffer=200), 0, 1, counters), 20_000))
        observed = Counter(d.source for d in drawn)
        for name, share in configured.items():
            assert abs(observed[name] / 20_000 - share) < 0.02, (seed, name, observed)
        assert all(carry_value(d.key) < 0.8 for d in drawn if d.source.startswith("s1/"))
        assert counters == {}  # nothing over the limit, so no drop counted


def _carried_keys(mix_path: str, root: Path, source: str, n_available: int) -> set[str]:
    """Keys of the first epoch of one carried source, read through the real stream."""
    one = spec(mix_path, root)
    one.sources = [r for r in one.sources if r.source.name == source]
    one.sources[0].share = 1.0
    keys = [s["__key__"] for s in islice(mixed_samples(one, 0, 1), n_available)]
    assert len(keys) == len(set(keys))
    return set(keys)


@pytest.mark.slow
def test_carried_subset_is_the_same_for_any_shard_layout(tmp_path):
    layouts = {"small": 7, "large": 100}
    for layout, shard_size in layouts.items():
        write_build(tmp_path / layout / "data/a", "a", 500, shard_size)
        write_mix(tmp_path / layout / "s1.yaml", "stage: 1\nmax_target_tokens: 100\nsources:\n"
                  "  - {name: a, shards: 'data/a/*.tar', weight: 1}\n")
        write_mix(tmp_path / layout / "s2.yaml", "stage: 2\nmax_target_tokens: 100\nsources:\n"
                  "  - {name: a, shards: 'data/a/*.tar', weight: 1}\ncarry: {mix: s1.yaml, fraction: 0.8, weight: 1}\n")
        write_mix(tmp_path / layout / "s3.yaml", "stage: 3\nmax_target_tokens: 100\nsources: []\n"
                  "carry: {mix: s2.yaml, fraction: 0.8, weight: 1}\n")
    keys = [s.key for s in iter_samples(str(tmp_path / "small/data/a"))]
    assert all(carry_value(k) == stable_hash(k) / 2**64 for k in keys)  # the engines' hash, without importing engines
    expected = {k for k in keys if carry_value(k) < 0.8}
    twice = {k for k in keys if carry_value(k) < 0.8 * 0.8}
    assert 0.75 < len(expected) / 500 < 0.85 and 0.59 < len(twice) / 500 < 0.69
    for layout in layouts:
        root = tmp_path / layout
        assert _carried_keys(str(root / "s2.yaml"), root, "s1/a", len(expected)) == expected
        assert _carried_keys(str(root / "s3.yaml"), root, "s2/a", len(expected)) == expected
        # stage 3 carries 80% of what stage 2 carried of stage 1: 64%, nested inside stage 2's 80%
        assert _carried_keys(str(root / "s3.yaml"), root, "s2/s1/a", len(twice)) == twice
