"""Fixtures and helpers shared by the suite: real builds, the real inputs in ../shared/data, drawn lines, samples
drawn as a build draws them.

`built_smoke` and `built_charts` run the user's own command (`python -m pipelines.build`) once per
session through real Ray, also when pytest-xdist runs the suite in several workers (`make test`
does): the first worker to ask builds under a file lock, the others wait and read the same folder.
The cheap `smoke` engine (Pillow only) carries the build, resume and cluster tests; the charts build
(real matplotlib and real Chromium) is what the gallery, export, loader and trainer tests read,
stream and train on instead of building their own.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterable

import fsspec
import pytest
from filelock import FileLock
from PIL import Image, ImageDraw, ImageFont

from engines import Draw, Engine, Sample, make_rng
from renderers.errors import RenderError
from renderers.result import DrawnText, Rendered, box_quad
from shards.format import sample_key, sample_members, shard_name
from shards.writer import ShardWriter
from tokenizer.protocol import PROMPT_MULTI_CROP, PROMPT_MULTI_PAGE, PROMPT_PLAIN

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
NOTO_CJK_SC = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2)  # face 2: Simplified Chinese
LINES = [  # what the reader and degradation tests draw, English and Chinese
    ("en", "The quick brown fox jumps over the lazy dog."),
    ("zh", "数据引擎生成训练样本，用于模型训练。"),
    ("en", "Invoice 2024-07: total $1,234.56 due"),
    ("zh", "北京市海淀区中关村大街27号"),
]

if "PYTEST_XDIST_WORKER" in os.environ:
    # Each xdist worker has a core's share of the machine: thread pools sized to all of it (torch,
    # OpenMP) spin against the other worker's (the overfit run took 4x longer). Children inherit
    # this, and keep freed memory: glibc unmapping and faulting in the tiny trainer's 40-110 MB
    # buffers every step was a third of its CPU time.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("MALLOC_MMAP_THRESHOLD_", str(1 << 30))
    os.environ.setdefault("MALLOC_TRIM_THRESHOLD_", str(1 << 30))

# The parameters of the session's reference builds; test_build compares other builds to them.
CHARTS_BUILD_ARGS = ["--engine", "charts", "--n", "32", "--shard-size", "4", "--seed", "7"]
SMOKE_BUILD_ARGS = ["--engine", "smoke", "--n", "1000", "--shard-size", "25", "--seed", "7"]


def run_build(out: Path, *extra: str, args: list[str] = CHARTS_BUILD_ARGS,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `python -m pipelines.build` as a user would, from the repository root.

    No wall-clock limit of its own: a build is bounded by its --n, and a busy machine must not fail a
    correct run (pyproject's pytest-timeout still ends a hung test).
    """
    return subprocess.run(
        [sys.executable, "-m", "pipelines.build", *args, "--out", str(out), *extra],
        cwd=REPO, env=env or dict(os.environ), capture_output=True, text=True,
    )


def build_once(factory: pytest.TempPathFactory, name: str, args: list[str]) -> Path:
    """Build `args` with 2 workers into a folder of this session's, once, whichever xdist worker asks first.

    Tests only read these folders (they write into their own tmp_path), so workers can share them.
    """
    if "PYTEST_XDIST_WORKER" in os.environ:
        root = factory.getbasetemp().parent  # this session's folder, above each worker's own
    else:
        root = factory.getbasetemp()
    out = root / "built" / name
    with FileLock(str(root / f"built-{name}.lock")):
        if not (out / "manifest.json").is_file():  # a build that failed in another worker resumes here
            proc = run_build(out, "--workers", "2", args=args)
            assert proc.returncode == 0, f"build failed:\n{proc.stdout}\n{proc.stderr[-3000:]}"
    return out


@pytest.fixture(scope="session")
def built_charts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real charts build (32 samples, 8 shards, both renderers, en and zh)."""
    return build_once(tmp_path_factory, "charts", CHARTS_BUILD_ARGS)


@pytest.fixture(scope="session")
def built_smoke(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real smoke build (1,000 samples, 40 shards) through Ray with 2 workers."""
    return build_once(tmp_path_factory, "smoke", SMOKE_BUILD_ARGS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The trainer's tests first: they are one xdist group (one worker, one overfit run) and the
    longest, so under `-n 2` one worker starts on them while the other takes everything else."""
    items.sort(key=lambda item: item.get_closest_marker("xdist_group") is None)


def draw_lines(lines: list[tuple[str, str]], size: int = 22) -> tuple[Image.Image, list[DrawnText]]:
    """White page, one line per (lang, text) (DejaVu for English, Noto Sans CJK SC for Chinese), with their boxes."""
    fonts = {"en": ImageFont.truetype(DEJAVU, size),
             "zh": ImageFont.truetype(NOTO_CJK_SC[0], size, index=NOTO_CJK_SC[1])}
    image = Image.new("RGB", (620, 40 + len(lines) * 2 * size), "white")
    draw, texts = ImageDraw.Draw(image), []
    for i, (lang, text) in enumerate(lines):
        xy = (24, 24 + i * 2 * size)
        draw.text(xy, text, fill="black", font=fonts[lang])
        texts.append(DrawnText(text, box_quad(*draw.textbbox(xy, text, font=fonts[lang]))))
    return image, texts


def drawn_as_built(engine: Engine, indices: Iterable[int], seed: int = 0) -> list[tuple[Draw, Sample]]:
    """Each index drawn as a build draws it (`pipelines.shard_task.draw_range`): `draw_batch`, each failed draw
    drawn again with the next attempt, an index failing `engine.max_attempts` times raising its last error.

    Returns (the draw that made it, the sample) in the order of `indices`, for tests that look at what an index
    gives (a refused draw is a build's everyday event, not a test's concern).
    """
    order = list(indices)
    todo = dict.fromkeys(order, 0)  # index -> attempt
    done: dict[int, tuple[Draw, Sample]] = {}
    while todo:
        draws = [Draw(i, a, make_rng(seed, engine.name, i, a)) for i, a in todo.items()]
        for d, result in zip(draws, engine.draw_batch(draws)):
            if isinstance(result, Sample):
                done[d.index] = (d, result)
                del todo[d.index]
            elif d.attempt + 1 >= engine.max_attempts:
                raise result
            else:
                todo[d.index] += 1
    return [done[i] for i in order]


def digest(image: Image.Image) -> str:
    """The pixels' hash: two renders are the same image when their digests are equal."""
    return hashlib.sha256(image.tobytes()).hexdigest()


def pixels(result: Rendered | RenderError) -> bytes:
    """A render's pixels; fails the test (showing the error) when it did not render."""
    assert isinstance(result, Rendered), result
    return result.image.tobytes()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data (real inputs); tests that need it skip where it is absent, as on a user's clone."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent (real inputs live beside the repository only in CI and dev)")
    return SHARED_DATA


PROMPTS = {"plain": PROMPT_PLAIN, "multi_page": PROMPT_MULTI_PAGE, "multi_crop": PROMPT_MULTI_CROP}


def write_build(out: Path, engine: str, n: int, shard_size: int = 50, task: str = "plain",
                size: tuple[int, int] = (64, 48), target: Callable[[int], str] = lambda i: f"line {i}",
                pages: int = 3) -> Path:
    """A real build of `n` samples: `engine-000000.tar` ... and manifest.json, as pipelines.build writes."""
    fs = fsspec.filesystem("file")
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for k in range((n + shard_size - 1) // shard_size):
        indices = range(k * shard_size, min(n, (k + 1) * shard_size))
        with ShardWriter(fs, str(out / shard_name(engine, k))) as writer:
            for i in indices:
                images = [page_image(f"{engine} {i} p{p}", size) for p in range(pages if task == "multi_page" else 1)]
                writer.write(sample_key(engine, i), sample_members(images, prompt=PROMPTS[task], target=target(i),
                                                                   task=task, engine=engine, seed=0, index=i,
                                                                   meta={"lang": "en"}))
        entries.append({"name": shard_name(engine, k), "samples": len(indices), "bytes": writer.nbytes,
                        "sha256": writer.sha256, "failures": {}})
    manifest = {"engine": engine, "config": {}, "seed": 0, "n": n, "shard_size": shard_size,
                "versions": {}, "shards": entries}
    (out / "manifest.json").write_text(json.dumps(manifest))
    return out


def page_image(text: str, size: tuple[int, int]) -> Image.Image:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((3, 3), text, fill=(20, 20, 20))
    return image


def write_mix(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)
