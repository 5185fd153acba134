"""The main job end to end: real Ray, real renderers, shards read back by webdataset and datasets."""

from __future__ import annotations

import ast
import glob
import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import psutil
import pytest
import yaml

from conftest import REPO, SMOKE_BUILD_ARGS, run_build
from pipelines.build import main as build_main
from pipelines.build import parse
from shards.format import decode_image, record_meta

N, SHARD_SIZE, SHARDS = 32, 4, 8  # the charts build
SMOKE_SHARDS, SMOKE_SHARD_SIZE = 40, 25


def tars(out: Path) -> list[Path]:
    return sorted(out.glob("*.tar"))


def digests(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tars(out)}


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
        assert list(target) == ["title", "source", "x_title", "y_title", "values"]
        assert json.loads(rec["target"]) == target
    assert {record_meta(s["json"])["renderer"] for s in samples} == {"matplotlib", "pyecharts"}
    assert {s["json"]["lang"] for s in samples} == {"en", "zh"}


def test_shards_read_back_with_hf_datasets(built_charts: Path) -> None:
    import datasets

    ds = datasets.load_dataset("webdataset", data_files={"train": [str(p) for p in tars(built_charts)]},
                               split="train")
    assert ds.num_rows == N
    row = ds[5]
    assert row["__key__"] == "charts_0000000005"
    assert row["png"].size[0] >= 200 and row["json"]["task"] == "format"


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


def test_same_seed_same_bytes_with_one_worker(built_charts: Path, tmp_path: Path) -> None:
    proc = run_build(tmp_path / "one", "--workers", "1")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert digests(tmp_path / "one") == digests(built_charts)
    assert (tmp_path / "one" / "manifest.json").read_bytes() == (built_charts / "manifest.json").read_bytes()


def test_smoke_build_same_bytes_with_one_worker(built_smoke: Path, tmp_path: Path) -> None:
    proc = run_build(tmp_path / "one", "--workers", "1", args=SMOKE_BUILD_ARGS)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(digests(built_smoke)) == SMOKE_SHARDS and digests(tmp_path / "one") == digests(built_smoke)
    assert (tmp_path / "one" / "manifest.json").read_bytes() == (built_smoke / "manifest.json").read_bytes()


def test_a_killed_build_resumes_to_the_same_bytes(built_smoke: Path, tmp_path: Path) -> None:
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "pipelines.build", *SMOKE_BUILD_ARGS, "--out", str(out), "--workers", "2"]
    proc = subprocess.Popen(cmd, cwd=REPO, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while len(glob.glob(str(out / "*.stats.json"))) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, "build ended before it could be killed"
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


def _free_ports(k: int) -> list[int]:
    socks = [socket.socket() for _ in range(k)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def test_two_node_local_cluster_with_address(built_smoke: Path, tmp_path: Path) -> None:
    """A head and a second node on this machine (separate ports and temp dirs), driven with --address."""
    ray = str(Path(sys.executable).parent / "ray")
    env = dict(os.environ, RAY_AUTH_MODE="disabled")
    gcs, nm1, om1, nm2, om2 = _free_ports(5)
    head_tmp, node_tmp = tempfile.mkdtemp(prefix="rh"), tempfile.mkdtemp(prefix="rn")
    common = ["--num-cpus", "1", "--disable-usage-stats"]
    start = [
        [ray, "start", "--head", f"--port={gcs}", f"--temp-dir={head_tmp}", f"--node-manager-port={nm1}",
         f"--object-manager-port={om1}", "--include-dashboard=false", "--min-worker-port=21000",
         "--max-worker-port=21100", *common],
        [ray, "start", f"--address=127.0.0.1:{gcs}", f"--temp-dir={node_tmp}", f"--node-manager-port={nm2}",
         f"--object-manager-port={om2}", "--min-worker-port=21200", "--max-worker-port=21300", *common],
    ]
    try:
        for cmd in start:
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr[-2000:]
        out = tmp_path / "cluster"
        proc = run_build(out, "--address", f"127.0.0.1:{gcs}", args=SMOKE_BUILD_ARGS, env=env)
        assert proc.returncode == 0, proc.stderr[-2000:]
        nodes = {json.loads(p.read_text())["node"] for p in out.glob("*.stats.json")}
        assert len(nodes) == 2, f"shards were made on {len(nodes)} node(s), expected both"
        assert digests(out) == digests(built_smoke)
    finally:
        stop_nodes(head_tmp, node_tmp)


def stop_nodes(*temp_dirs: str) -> None:
    """Kill the Ray processes of the nodes started with these --temp-dir folders, and only those:
    `ray stop` would kill every Ray on the machine, the other xdist worker's builds included."""
    procs = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if any(folder in cmdline for folder in temp_dirs):
            procs.append(proc)
    for proc in procs:
        try:
            proc.kill()
        except psutil.NoSuchProcess:  # it ended on its own meanwhile
            pass
    psutil.wait_procs(procs, timeout=30)


def test_ray_cluster_yaml_is_valid_and_installs_what_make_installs() -> None:
    from ray.autoscaler._private.util import prepare_config, validate_config

    config = yaml.safe_load((REPO / "ray_cluster.yaml").read_text())
    validate_config(prepare_config(config))  # what `ray up` runs on it
    assert any(cmd.endswith("make setup") for cmd in config["setup_commands"])
    makefile = (REPO / "Makefile").read_text()
    assert "\ndemo: setup" in makefile and "\ntest: setup" in makefile
    for cmd in config["head_start_ray_commands"] + config["worker_start_ray_commands"]:
        assert "RAY_AUTH_MODE=disabled" in cmd


def test_the_main_job_plans_two_million_samples(tmp_path: Path) -> None:
    plan, _, _ = parse(["--engine", "charts", "--n", "2e6", "--out", str(tmp_path / "charts")])
    assert plan.n == 2_000_000 and plan.num_shards == 2000
    specs = plan.specs()
    assert (specs[42].start, specs[42].stop, specs[42].name) == (42_000, 43_000, "charts-000042.tar")
    assert parse(["--engine", "charts", "--n", "1_000", "--out", str(tmp_path / "c")])[0].n == 1000


@pytest.mark.parametrize("argv, message", [
    (["--engine", "nope", "--n", "10"], r"unknown engine 'nope'; known engines: charts, .*smoke"),
    (["--engine", "charts", "--n", "0"], r"--n must be at least 1"),
    (["--engine", "charts", "--n", "-3"], r"--n must be at least 1"),
    (["--engine", "charts", "--n", "lots"], r"--n 'lots' is not a number"),
    (["--engine", "charts", "--n", "10", "--shard-size", "0"], r"--shard-size must be between 1 and 100000"),
    (["--engine", "charts", "--n", "10", "--shard-size", "200000"], r"--shard-size must be between"),
    (["--engine", "charts", "--n", "10", "--renderer", "gnuplot"], r"--renderer"),
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


def test_a_folder_of_another_build_is_refused(built_smoke: Path, capsys: pytest.CaptureFixture) -> None:
    before = digests(built_smoke)
    with pytest.raises(SystemExit):
        build_main([*SMOKE_BUILD_ARGS[:-1], "8", "--out", str(built_smoke)])
    assert "another seed or configuration" in capsys.readouterr().err
    assert digests(built_smoke) == before


def test_images_decode_like_the_loader_sees_them(built_charts: Path) -> None:
    with tarfile.open(tars(built_charts)[0]) as tar:
        png = next(m for m in tar.getmembers() if m.name.endswith(".png"))
        assert png.mtime == 946684800 and png.uid == 0 and png.mode == 0o444
        (image,) = decode_image(tar.extractfile(png).read())
    assert image.mode == "RGB"
