"""The trainer end to end on the CPU with the tiny preset and real chart shards.

Overfitting, resume after SIGKILL, two-process DDP/FSDP and the CLI's errors all run the user's
own command (`python -m model.train`, under torchrun for two ranks) on the session's real
charts build; the overfit checkpoint is then scored by `python -m model.evaluate`.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
import typing
from pathlib import Path

import fsspec
import pytest
import torch
from transformers import GotOcr2ForConditionalGeneration

from conftest import REPO
from model import checkpoint, evaluate, train
from model.generate import Query, read
from model.presets import PRESETS, Preset, build_config
from shards.format import encode_record
from shards.reader import StoredSample, iter_samples
from shards.writer import ShardWriter
from tokenizer.got import get_tokenizer

# One xdist worker runs the whole file: the module's overfit run is made once, not once per worker.
# Every run here is bounded by its --max-steps, so pyproject's 600 s pytest-timeout is lifted: on a
# machine shared with other jobs the overfit fixture alone was measured at 811 s, a correct run.
pytestmark = [pytest.mark.xdist_group("train"), pytest.mark.timeout(0)]


def write_mix(path: Path, shards: Path, max_target_tokens: int, stage: int = 2) -> Path:
    path.write_text(f"stage: {stage}\nmax_target_tokens: {max_target_tokens}\nsources:\n"
                    f"  - name: charts\n    shards: {shards}/charts-*.tar\n    weight: 1.0\n")
    return path


def run_train(*args: str) -> subprocess.CompletedProcess:
    """The user's command; bounded by its --max-steps, not by a clock (a busy machine is only slower)."""
    return subprocess.run([sys.executable, "-m", "model.train", *args], cwd=REPO, capture_output=True, text=True)


def losses(out: Path) -> list[tuple[int, float]]:
    return [(r["step"], r["loss"]) for r in map(json.loads, (out / "metrics.jsonl").read_text().splitlines())]


def events(out: Path, name: str) -> list[dict]:
    return [e for e in map(json.loads, (out / "events.jsonl").read_text().splitlines()) if e["event"] == name]


@pytest.fixture(scope="module")
def overfit(built_charts: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[StoredSample]]:
    """Stage 3 (decoder trains, encoder frozen) on the three real charts with the shortest targets.

    The mix's token limit admits exactly those samples, so every batch is the three of them
    (with length grouping off: a pool of repeated epochs would put copies of one sample together).
    """
    count = get_tokenizer().count
    ranked = sorted(iter_samples(str(built_charts)), key=lambda s: count(s.record["target"]))
    limit = count(ranked[2].record["target"])
    chosen = [s for s in ranked if count(s.record["target"]) <= limit]
    assert 3 <= len(chosen) <= 5 and limit <= 120, "the charts build changed; pick other samples"
    root = tmp_path_factory.mktemp("overfit")
    mix = write_mix(root / "mix.yaml", built_charts, limit, stage=3)
    proc = run_train("--stage", "3", "--mix", str(mix), "--preset", "tiny", "--out", str(root / "run"),
                     "--lr", "6e-3", "--warmup", "5", "--max-steps", "100", "--batch-size", str(len(chosen)),
                     "--workers", "0", "--shuffle-buffer", "0", "--length-pool", "1", "--log-every", "10",
                     "--save-every", "1000")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return root / "run", chosen


@pytest.mark.slow
def test_overfit_tiny_model_reproduces_real_targets_exactly(overfit: tuple[Path, list[StoredSample]]) -> None:
    run, chosen = overfit
    assert losses(run)[-1][1] < 0.2
    model = GotOcr2ForConditionalGeneration.from_pretrained(checkpoint.resolve_model_dir(str(run))).eval()
    queries = [Query(s.images, s.record["prompt"], s.record["task"]) for s in chosen]
    predictions = read(model, queries, max_new_tokens=150)
    assert predictions == [s.record["target"] for s in chosen]


@pytest.mark.slow
def test_evaluate_scores_the_overfit_checkpoint_as_perfect(overfit: tuple[Path, list[StoredSample]],
                                                            tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    run, chosen = overfit
    folder = tmp_path / "chosen"
    folder.mkdir()
    with ShardWriter(fsspec.filesystem("file"), str(folder / "charts-000000.tar")) as w:
        for s in sorted(chosen, key=lambda s: s.key):  # a shard holds its samples in key order
            w.write(s.key, {"png": s.image_bytes, "json": encode_record(s.record)})
    out = tmp_path / "eval.json"
    assert evaluate.main([str(folder), "--ckpt", str(run), "--max-new-tokens", "150",
                          "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "### charts" in printed and "ap_strict" in printed
    summary = json.loads(out.read_text())["summary"]["charts"]
    assert summary["samples"] == len(chosen)
    assert summary["edit_distance"] == 0.0 and summary["f1"] == 1.0 and summary["bleu"] == pytest.approx(1.0)
    assert summary["ap_strict"] == summary["ap_slight"] == summary["em"] == summary["parsed"] == 1.0


@pytest.mark.slow
def test_killed_run_resumes_on_the_same_loss_curve(built_charts: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    mix = write_mix(tmp_path / "mix.yaml", built_charts, 400)
    args = ["--mix", str(mix), "--preset", "tiny", "--max-steps", "6", "--save-every", "3", "--log-every", "1",
            "--batch-size", "2", "--workers", "1", "--lr", "1e-3", "--warmup", "2"]
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    assert run_train(*args, "--out", str(whole)).returncode == 0

    proc = subprocess.Popen([sys.executable, "-m", "model.train", *args, "--out", str(killed)], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not checkpoint.step_dir(killed, 3).exists():
        assert proc.poll() is None, "run ended before its first checkpoint"
        time.sleep(0.02)
    assert proc.poll() is None, "run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert checkpoint.latest(killed) == checkpoint.step_dir(killed, 3)

    resumed = run_train(*args, "--out", str(killed))
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert events(killed, "resume")[0]["step"] == 3
    expected, got = losses(whole), losses(killed)
    assert [s for s, _ in got] == list(range(1, 7))
    assert [loss for _, loss in got] == pytest.approx([loss for _, loss in expected], abs=1e-6)
    lines = list(map(json.loads, (killed / "metrics.jsonl").read_text().splitlines()))
    assert all(0 <= r["pad_share"] < 0.5 for r in lines), lines  # length-grouped pairs pad little

    other_batch = list(args)
    other_batch[other_batch.index("--batch-size") + 1] = "3"
    assert train.main([*other_batch, "--out", str(killed)]) == 2
    err = capsys.readouterr().err
    assert "cannot resume" in err and "--batch-size 2" in err


@pytest.mark.slow
@pytest.mark.parametrize(("sharding", "preset", "stage"), [("ddp", "tiny", 2), ("fsdp", "tiny", 2),
                                                           ("fsdp", "tiny-opt", 1)])
def test_two_process_gloo_run_splits_the_data(built_charts: Path, tmp_path: Path, sharding: str, preset: str,
                                              stage: int) -> None:
    # tiny-opt is stage 1's path: an OPT decoder, whose layers FSDP must find at .decoder.layers.
    mix = write_mix(tmp_path / "mix.yaml", built_charts, 400, stage=stage)
    out = tmp_path / "run"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2", "-m", "model.train",
           "--stage", str(stage), "--mix", str(mix), "--preset", preset, "--out", str(out), "--max-steps", "2",
           "--save-every", "2", "--batch-size", "1", "--workers", "0", "--log-every", "1"] \
        + (["--fsdp"] if sharding == "fsdp" else [])
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    # A hang guard, not a timing check: a rank stuck at shutdown fails the test instead of stalling the suite.
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, env=env, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rank0, rank1 = [sum(keys, []) for keys in events(out, "first_batch")[0]["keys_by_rank"]]
    assert rank0 and rank1 and not set(rank0) & set(rank1)
    assert [step for step, loss in losses(out) if math.isfinite(loss) and loss > 0] == [1, 2]
    state = checkpoint.load_trainer_state(checkpoint.step_dir(out, 2))
    assert [s["rank"] for s in state["loaders"]] == [0, 1] and state["samples"] == 4
    saved = GotOcr2ForConditionalGeneration.from_pretrained(checkpoint.step_dir(out, 2))
    assert saved.config.text_config.model_type == build_config(preset).text_config.model_type


@pytest.mark.slow
def test_fsdp_shards_every_layer_of_every_preset() -> None:
    for name in PRESETS:
        config = build_config(name)
        with torch.device("meta"):
            got = GotOcr2ForConditionalGeneration(config)
        layers = train.blocks(got)
        assert len(layers) == config.vision_config.num_hidden_layers + config.text_config.num_hidden_layers, name
        assert type(layers[-1]).__name__.endswith("DecoderLayer"), name
    with pytest.raises(RuntimeError, match="cannot find the layers of the Linear decoder.*DECODER_LAYER_PATHS"):
        train.decoder_layers(torch.nn.Linear(2, 2))


def test_cli_errors_name_the_flag(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert typing.get_args(Preset) == tuple(PRESETS)  # --preset's choices are the presets
    with pytest.raises(SystemExit) as e:
        train.parse_args(["--mix", "m.yaml", "--out", str(tmp_path), "--preset", "huge"])
    assert e.value.code == 2 and "--preset: invalid choice: 'huge' (choose from 'got-580m'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        train.parse_args(["--mix", "m.yaml", "--out", str(tmp_path), "--batch-size", "0"])
    assert e.value.code == 2 and "--batch-size must be >= 1" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        train.parse_args(["--mix", "m.yaml", "--out", str(tmp_path), "--preset", "nope"])
    assert e.value.code == 2 and "invalid choice: 'nope'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        train.parse_args(["--mix", "m.yaml", "--out", str(tmp_path), "--image-size", "100"])
    assert "--image-size must be a positive multiple of 64" in capsys.readouterr().err
    assert train.main(["--mix", str(tmp_path / "none.yaml"), "--out", str(tmp_path / "a"), "--preset", "tiny"]) == 2
    assert "no such mix file" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()  # a failed start leaves no empty run folder
    assert train.main(["--mix", "m.yaml", "--out", str(tmp_path / "b"), "--init", "no-such-org/no-such-model"]) == 2
    err = capsys.readouterr().err
    assert "not a local folder and not in the Hugging Face cache" in err and "download it first" in err
    assert not (tmp_path / "b").exists()
    with pytest.raises(SystemExit) as e:
        train.parse_args(["--out", str(tmp_path)])
    assert e.value.code == 2 and capsys.readouterr().err == (
        "python -m model.train: error: --mix is required (e.g. shards/mixes/stage2.yaml) (see --help)\n")


def test_help_shows_every_default(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as e:
        train.parse_args(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert e.value.code == 0
    for shown in ("--batch-size BATCH_SIZE samples per rank and micro-batch (default: 8)", "(default: 10000)",
                  "--workers WORKERS", "--compile, --no-compile torch.compile each block and the loss (GPU) "
                  "(default: False)", "--lr LR peak learning rate (default: 1e-4, 2e-5 in stage 3)"):
        assert shown in text


@pytest.mark.slow
def test_one_step_run_shows_a_progress_bar(built_charts: Path, tmp_path: Path) -> None:
    """--max-steps 1 needs no --warmup; stdout stays JSON lines, the bar (loss, ETA) goes to stderr."""
    mix = write_mix(tmp_path / "mix.yaml", built_charts, 400)
    proc = run_train("--mix", str(mix), "--preset", "tiny", "--out", str(tmp_path / "run"), "--max-steps", "1",
                     "--batch-size", "1", "--workers", "0")
    assert proc.returncode == 0, proc.stderr[-3000:]
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["event"] for r in records if "event" in r] == ["start", "first_batch", "checkpoint"]
    assert records[0]["config"]["warmup"] == 0 and losses(tmp_path / "run")[0][0] == 1
    assert [r["lr"] for r in records if "loss" in r] == [1e-4]  # the one step learns at the peak rate
    bar = proc.stderr.replace("\r", "\n").splitlines()
    assert any(line.startswith("train: 100%") and "1/1 [" in line and "loss=" in line for line in bar), bar
    assert checkpoint.latest(tmp_path / "run") == checkpoint.step_dir(tmp_path / "run", 1)


def test_config_takes_the_papers_stage_defaults() -> None:
    stage1 = train.Config(stage=1, mix="m", out="o")
    stage3 = train.Config(stage=3, mix="m", out="o", max_steps=1000)
    assert (stage1.preset, stage1.lr, stage1.train) == ("got-opt125m", 1e-4, "all")
    assert (stage3.preset, stage3.lr, stage3.train, stage3.warmup) == ("got-580m", 2e-5, "decoder", 10)
    assert train.Config(stage=3, mix="m", out="o", init="runs/stage2").preset is None  # the init's own model
    assert train.Config(stage=3, mix="m", out="o", train="all").train == "all"


def test_lr_warms_up_then_follows_a_cosine_to_zero() -> None:
    cfg = train.Config(mix="m", out="o", lr=1e-3, warmup=10, max_steps=110)
    assert train.get_lr(5, cfg) == pytest.approx(5e-4)
    assert train.get_lr(10, cfg) == train.get_lr(11, cfg) == pytest.approx(1e-3)
    assert train.get_lr(61, cfg) == pytest.approx(5e-4)
    assert 0 < train.get_lr(110, cfg) < 1e-6  # the last step still learns; the cosine ends as it does
    for steps, warmup in ((1, 0), (2, 1), (100, 1), (1000, 10)):
        assert train.Config(mix="m", out="o", max_steps=steps).warmup == warmup


@pytest.mark.slow
def test_bench_smoke_mode_runs_on_cpu(tmp_path: Path) -> None:
    out = tmp_path / "train.json"
    proc = subprocess.run([sys.executable, "-m", "bench.train", "--device", "cpu", "--preset", "tiny", "--steps", "1",
                           "--warmup", "1", "--text-tokens", "32", "--batch-size", "1", "--baseline-batch-size", "1",
                           "--variants", "baseline,tuned-nocompile", "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| baseline | 1 |" in proc.stdout and "| tuned-nocompile | 1 |" in proc.stdout
    result = json.loads(out.read_text())
    assert result["model_flops_per_sample"] > 0 and [r["variant"] for r in result["rows"]] == ["baseline",
                                                                                                 "tuned-nocompile"]
    assert all(r["samples_per_s"] > 0 and r["mfu"] is None for r in result["rows"])
    assert torch.isfinite(torch.tensor([r["loss"][0] for r in result["rows"]])).all()
