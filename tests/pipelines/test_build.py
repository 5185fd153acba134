"""The main job end to end: real Ray, real renderers, shards read back by webdataset and datasets."""

from __future__ import annotations

import ast
import glob
import hashlib
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import tarfile
import time
import tracemalloc
from pathlib import Path

import fsspec
import pytest
import yaml

from bench.chaos import LocalCluster, chaos_build
from conftest import REPO, SMOKE_BUILD_ARGS, run_build
from engines.charts.targets import TEXT_KEYS
from pipelines.build import main as build_main
from pipelines.build import parse
from pipelines.build_plan import remove_stale_temporaries
from pipelines.ray_runner import ShardProgress
from pipelines.shard_task import build_shard
from shards.format import decode_image, record_meta

N, SHARD_SIZE, SHARDS = 32, 4, 8  # the charts build
SMOKE_SHARDS, SMOKE_SHARD_SIZE = 40, 25


def tars(out: Path) -> list[Path]:
    return sorted(out.glob("*.tar"))


def digests(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tars(out)}


@pytest.mark.slow
def test_shards_read_back_with_webdataset(built_charts: Path) -> None:
    import webdataset as wds

    samples = list(wds.WebDataset([str(p) for p in tars(built_charts)], shardshuffle=False).decode("pil"))
    assert len(samples) == N
    assert [s["__key__"] for s in samples] == [f"charts_{i:010d}" for i in range(N)]
    for s in samples:
        assert set(s) >= {"json", "png"} and s["png"].mode == "RGB" and min(s["png"].size) >= 200
        rec = s["json"]
        assert rec["prompt"] == "OCR with format: " and rec["task"] == "format" and rec["engine"] == "charts"
        assert rec["seed"] == 7 and rec["lang"] in ("en", "zh")
        target = ast.literal_eval(rec["target"])
        keys = [*TEXT_KEYS, "values"]  # OneChart's five, and what else a chart prints, in their order
        assert [k for k in keys if k in target] == list(target) and {"title", "source", "values"} <= set(target)
        assert json.loads(rec["target"]) == target
    assert {record_meta(s["json"])["renderer"] for s in samples} == {"matplotlib", "pyecharts"}
    assert {s["json"]["lang"] for s in samples} == {"en", "zh"}


@pytest.mark.slow
def test_shards_read_back_with_hf_datasets(built_charts: Path) -> None:
    import datasets

    ds = datasets.load_dataset("webdataset", data_files={"train": [str(p) for p in tars(built_charts)]},
                               split="train")
    assert ds.num_rows == N
    row = ds[5]
    assert row["__key__"] == "charts_0000000005"
    assert row["png"].size[0] >= 200 and row["json"]["task"] == "format"


@pytest.mark.slow
def test_manifest_and_stats_describe_the_shards(built_charts: Path) -> None:
    manifest = json.loads((built_charts / "manifest.json").read_text())
    assert manifest["engine"] == "charts" and manifest["n"] == N and manifest["samples"] == N
    assert [s["name"] for s in manifest["shards"]] == [f"charts-{k:06d}.tar" for k in range(SHARDS)]
    assert {s["name"]: s["sha256"] for s in manifest["shards"]} == digests(built_charts)
    for entry in manifest["shards"]:
        stats = json.loads((built_charts / entry["name"].replace(".tar", ".stats.json")).read_text())
        assert stats["samples"] == SHARD_SIZE and stats["sha256"] == entry["sha256"] and stats["seconds"] > 0
        assert stats["peak_memory_bytes"] > 50 * 2**20
    assert not list(built_charts.glob("*.tmp-*"))


@pytest.mark.slow
def test_same_seed_same_bytes_with_one_worker(built_charts: Path, tmp_path: Path) -> None:
    proc = run_build(tmp_path / "one", "--workers", "1")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert digests(tmp_path / "one") == digests(built_charts)
    assert (tmp_path / "one" / "manifest.json").read_bytes() == (built_charts / "manifest.json").read_bytes()


@pytest.mark.slow
def test_smoke_build_same_bytes_with_one_worker(built_smoke: Path, tmp_path: Path) -> None:
    proc = run_build(tmp_path / "one", "--workers", "1", args=SMOKE_BUILD_ARGS)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(digests(built_smoke)) == SMOKE_SHARDS and digests(tmp_path / "one") == digests(built_smoke)
    assert (tmp_path / "one" / "manifest.json").read_bytes() == (built_smoke / "manifest.json").read_bytes()


@pytest.mark.slow
def test_a_killed_build_resumes_to_the_same_bytes(built_smoke: Path, tmp_path: Path) -> None:
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "pipelines.build", *SMOKE_BUILD_ARGS, "--out", str(out), "--workers", "2"]
    proc = subprocess.Popen(cmd, cwd=REPO, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while len(glob.glob(str(out / "*.stats.json"))) < 2:  # bounded by the build itself: it ends, or it is killed
        assert proc.poll() is None, "build ended before it could be killed"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = len(glob.glob(str(out / "*.stats.json")))
    assert finished < SMOKE_SHARDS, "the kill came too late to test a resume"
    time.sleep(1)
    for path in tars(out):  # whatever has a final name is a complete shard
        with tarfile.open(path) as tar:
            assert len(tar.getmembers()) == 2 * SMOKE_SHARD_SIZE, f"{path.name} is partial"
    assert not (out / "manifest.json").exists()

    rerun = run_build(out, "--workers", "2", args=SMOKE_BUILD_ARGS)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert "complete, resuming" in rerun.stderr
    assert digests(out) == digests(built_smoke)
    assert (out / "manifest.json").read_bytes() == (built_smoke / "manifest.json").read_bytes()
    assert not list(out.glob("*.tmp-*"))


@pytest.mark.slow
def test_a_two_node_cluster_build_survives_killed_workers_a_killed_node_and_a_killed_driver(
        built_smoke: Path, tmp_path: Path) -> None:
    """Preemption, as on spot machines: a head and a second node on this machine, driven with --address;
    the driver is SIGKILLed after 3 shards and rerun, a worker making a shard is SIGKILLed every 4
    finished shards, and the second node is killed at half the shards and replaced 4 shards later."""
    out = tmp_path / "chaos"
    with LocalCluster() as cluster:
        cluster.start_node()
        node = cluster.start_node()
        run = chaos_build(cluster, out, SMOKE_BUILD_ARGS, SMOKE_SHARDS, kill_every=4, node=node, kill_driver_at=3)
    assert run.returncode == 0, f"{run.events}\n{run.stderr[-2000:]}"
    assert run.driver_kills == 1 and run.node_restarts == 1 and run.kills >= 3, run.events
    assert run.retries >= 1 and "retried" in run.stdout, run.stdout
    counted = [int(k) for k in re.findall(r"(\d+)/1000 \[", run.stderr)]  # the bar, each time it was drawn
    assert counted[-1] == 1000 and max(counted) == 1000, "the bar counted a killed attempt's samples twice"
    nodes = {json.loads(p.read_text())["node"] for p in out.glob("*.stats.json")}
    assert len(nodes) >= 2, f"shards were made on {len(nodes)} node(s), expected several"
    assert digests(out) == digests(built_smoke)
    assert (out / "manifest.json").read_bytes() == (built_smoke / "manifest.json").read_bytes()
    names = [s["name"] for s in json.loads((out / "manifest.json").read_text())["shards"]]
    assert names == [f"smoke-{k:06d}.tar" for k in range(SMOKE_SHARDS)]
    assert not [p.name for p in out.iterdir() if ".tmp-" in p.name]


def test_ray_cluster_yaml_is_valid_and_installs_what_make_installs() -> None:
    from ray.autoscaler._private.util import prepare_config, validate_config

    config = yaml.safe_load((REPO / "ray_cluster.yaml").read_text())
    validate_config(prepare_config(config))  # what `ray up` runs on it
    assert any(cmd.endswith("make setup") for cmd in config["setup_commands"])
    makefile = (REPO / "Makefile").read_text()
    assert "\ndemo: setup" in makefile and "\nlint: setup" in makefile and "\ntest: lint" in makefile
    for cmd in config["head_start_ray_commands"] + config["worker_start_ray_commands"]:
        assert "RAY_AUTH_MODE=disabled" in cmd


def test_the_main_job_plans_two_million_samples(tmp_path: Path) -> None:
    plan, _, _ = parse(["--engine", "charts", "--n", "2e6", "--out", str(tmp_path / "charts")])
    assert plan.n == 2_000_000 and plan.num_shards == 2000
    spec = plan.spec(42)
    assert (spec.start, spec.stop, spec.name) == (42_000, 43_000, "charts-000042.tar")
    assert parse(["--engine", "charts", "--n", "1_000", "--out", str(tmp_path / "c")])[0].n == 1000


@pytest.mark.parametrize("argv, message", [
    (["--engine", "nope", "--n", "10"], r"unknown engine 'nope'; known engines: charts, .*smoke"),
    (["--engine", "charts", "--n", "0"], r"--n must be at least 1"),
    (["--engine", "charts", "--n", "-3"], r"--n must be at least 1"),
    (["--engine", "charts", "--n", "lots"], r"--n 'lots' is not a number"),
    (["--engine", "charts", "--n", "10", "--shard-size", "0"], r"--shard-size must be between 1 and 100000"),
    (["--engine", "charts", "--n", "10", "--shard-size", "200000"], r"--shard-size must be between"),
    (["--engine", "charts", "--n", "10", "--renderer", "gnuplot"], r"--renderer"),
    (["--engine", "smoke", "--n", "1e12"], r"--n 1,000,000,000,000 is more than the 10,000,000,000 samples "
                                          r"that 10-digit sample keys can number; give --n 10,000,000,000 or less"),
    (["--engine", "smoke", "--n", "1e9", "--shard-size", "999"],
     r"--n 1,000,000,000 in shards of 999 makes 1,001,002 shards, more than the 1,000,000 that 6-digit shard "
     r"names can number; raise --shard-size to 1,000 or more"),
    (["--engine", "smoke", "--n", "10", "--max-shards", "0"], r"--max-shards must be at least 1"),
])
def test_bad_input_is_one_line_exit_2_nothing_written(argv: list[str], message: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_info:
        build_main([*argv, "--out", str(out)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert re.search(message, err), err
    assert not out.exists()


def test_an_output_that_cannot_be_written(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for out in (blocker, blocker / "charts"):
        with pytest.raises(SystemExit) as exit_info:
            build_main(["--engine", "charts", "--n", "10", "--out", str(out)])
        assert exit_info.value.code == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and str(out) in err and ("file" in err or "cannot be written" in err)
    assert blocker.read_text() == "not a folder"


@pytest.mark.slow
def test_a_folder_of_another_build_is_refused(built_smoke: Path, capsys: pytest.CaptureFixture) -> None:
    before = digests(built_smoke)
    with pytest.raises(SystemExit):
        build_main([*SMOKE_BUILD_ARGS[:-1], "8", "--out", str(built_smoke)])
    assert "another seed or configuration" in capsys.readouterr().err
    assert digests(built_smoke) == before


@pytest.mark.slow
def test_images_decode_like_the_loader_sees_them(built_charts: Path) -> None:
    with tarfile.open(tars(built_charts)[0]) as tar:
        png = next(m for m in tar.getmembers() if m.name.endswith(".png"))
        assert png.mtime == 946684800 and png.uid == 0 and png.mode == 0o444
        (image,) = decode_image(tar.extractfile(png).read())
    assert image.mode == "RGB"


def test_progress_counts_a_retried_shard_once() -> None:
    progress = ShardProgress()
    progress.start("a.tar", "first")
    progress.add("a.tar", "first", 10)
    progress.start("b.tar", "only")
    progress.add("b.tar", "only", 3)
    progress.start("a.tar", "second")  # the first attempt's worker died; Ray runs the shard again
    progress.add("a.tar", "first", 5)  # a report the dead worker sent before it died, arriving late
    progress.add("a.tar", "second", 4)
    assert progress.snapshot() == ({"a.tar": 4, "b.tar": 3}, {"a.tar": 1})
    progress.finish("b.tar", "only")
    progress.finish("a.tar", "second")
    assert progress.snapshot() == ({}, {"a.tar": 1})


@pytest.mark.parametrize("out", ["memory://h1-dead-attempts/out", "local"])
def test_a_written_shard_removes_what_its_dead_attempts_left(out: str, tmp_path: Path) -> None:
    """A retried shard's killed attempts left temporaries beside it: the attempt that writes it removes
    them (local folders and fsspec URLs alike); the end of the build removes any other."""
    out = str(tmp_path) if out == "local" else out
    plan = parse([*SMOKE_BUILD_ARGS, "--out", out])[0]
    fs, root = fsspec.core.url_to_fs(plan.out)
    dead = ["smoke-000000.tar.tmp-dead0001", "smoke-000000.tar.tmp-dead0002", "smoke-000000.stats.json.tmp-dead0003"]
    for name in [*dead, "smoke-000001.tar.tmp-dead0004"]:
        fs.pipe(f"{root}/{name}", b"half a shard")
    stats = build_shard(plan.spec(0))
    left = sorted(p.rsplit("/", 1)[1] for p in fs.ls(root, detail=False))
    assert left == ["smoke-000000.stats.json", "smoke-000000.tar", "smoke-000001.tar.tmp-dead0004"]
    assert stats.samples == SMOKE_SHARD_SIZE
    assert remove_stale_temporaries(plan.out) == 1
    assert sorted(p.rsplit("/", 1)[1] for p in fs.ls(root, detail=False)) == left[:2]
    if out.startswith("memory://"):
        fs.rm(root, recursive=True)


def plan_memory(n: str, out: Path) -> tuple[int, list]:
    """Peak bytes Python allocated to plan a build of `n` samples and take its first two missing shards."""
    tracemalloc.start()
    try:
        plan = parse(["--engine", "smoke", "--n", n, "--out", str(out)])[0]
        first = list(itertools.islice(plan.specs(skip={"smoke-000000.tar"}), 2))
        return tracemalloc.get_traced_memory()[1], first
    finally:
        tracemalloc.stop()


def test_a_billion_sample_plan_is_lazy(tmp_path: Path) -> None:
    """Planning 10^9 samples (the most 6-digit shard names hold at 1,000 a shard) costs what 10^4 does."""
    plan_memory("1e4", tmp_path / "warm-up")  # imports, caches
    small, _ = plan_memory("1e4", tmp_path / "small")
    big, first = plan_memory("1e9", tmp_path / "big")
    assert big < small + 2**20, f"planning 10^9 took {big / 2**20:.1f} MiB, 10^4 {small / 2**20:.1f} MiB"
    assert [(s.name, s.start, s.stop) for s in first] == [("smoke-000001.tar", 1000, 2000),
                                                          ("smoke-000002.tar", 2000, 3000)]
    plan = parse(["--engine", "smoke", "--n", "1e9", "--out", str(tmp_path / "big")])[0]
    assert plan.num_shards == 10**6 and plan.spec(999_999).name == "smoke-999999.tar"
    assert plan.spec(999_999).stop == 10**9


@pytest.mark.slow
def test_a_billion_sample_build_makes_one_shard_and_stops(tmp_path: Path) -> None:
    out = tmp_path / "big"
    proc = run_build(out, "--workers", "1", "--max-shards", "1", args=["--engine", "smoke", "--n", "1e9"])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sorted(p.name for p in out.iterdir()) == ["smoke-000000.stats.json", "smoke-000000.tar"]
    assert "making 1 of the 1,000,000 missing (--max-shards)" in proc.stderr
    assert "stopped after 1 shards (--max-shards): 999,999 still missing; rerun to continue" in proc.stderr
    assert "smoke: 1,000 samples in 1 shards" in proc.stdout


@pytest.mark.slow
def test_ctrl_c_during_the_build_and_during_shutdown_exits_130_with_one_line(tmp_path: Path) -> None:
    """Ctrl-C as a terminal sends it (to the whole process group), then again while Ray shuts down."""
    out = tmp_path / "interrupted"
    # 800 shards: the first shard's stats appear long before the last, however fast the machine
    cmd = [sys.executable, "-m", "pipelines.build", "--engine", "smoke", "--n", "20000", "--shard-size", "25",
           "--out", str(out), "--workers", "2"]
    # a terminal's foreground job gets Ctrl-C; a suite started in the background (`make test &`) hands its children
    # SIGINT ignored, which Python then leaves ignored, so the build is given the terminal's disposition
    proc = subprocess.Popen(cmd, cwd=REPO, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    while not list(out.glob("*.stats.json")):
        assert proc.poll() is None, "build ended before it could be interrupted"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    time.sleep(0.3)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate()
    assert proc.returncode == 130, err[-2000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-2000:]
    assert err.rstrip().splitlines()[-1] == ("interrupted: finished shards are kept; "
                                             "rerun the same command to resume")
    assert not (out / "manifest.json").exists() and not list(out.glob("*.tmp-*"))
