"""Fixtures shared by the suite: real builds, and the real inputs in ../shared/data.

`built_smoke` and `built_charts` run the user's own command (`python -m pipelines.build`) once per
session through real Ray. The cheap `smoke` engine (Pillow only) carries the build, resume and
cluster tests; the charts build (real matplotlib and real Chromium) is what the gallery, export,
loader and trainer tests read, stream and train on instead of building their own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"

# The parameters of the session's reference builds; test_build compares other builds to them.
CHARTS_BUILD_ARGS = ["--engine", "charts", "--n", "32", "--shard-size", "4", "--seed", "7"]
SMOKE_BUILD_ARGS = ["--engine", "smoke", "--n", "1000", "--shard-size", "25", "--seed", "7"]


def run_build(out: Path, *extra: str, args: list[str] = CHARTS_BUILD_ARGS, env: dict[str, str] | None = None,
              timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `python -m pipelines.build` as a user would, from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines.build", *args, "--out", str(out), *extra],
        cwd=REPO, env=env or dict(os.environ), capture_output=True, text=True, timeout=timeout,
    )


@pytest.fixture(scope="session")
def built_charts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real charts build (32 samples, 8 shards, both renderers, en and zh)."""
    out = tmp_path_factory.mktemp("built") / "charts"
    proc = run_build(out, "--workers", "2")
    assert proc.returncode == 0, f"build failed:\n{proc.stdout}\n{proc.stderr[-3000:]}"
    return out


@pytest.fixture(scope="session")
def built_smoke(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real smoke build (1,000 samples, 40 shards) through Ray with 2 workers."""
    out = tmp_path_factory.mktemp("built") / "smoke"
    proc = run_build(out, "--workers", "2", args=SMOKE_BUILD_ARGS)
    assert proc.returncode == 0, f"build failed:\n{proc.stdout}\n{proc.stderr[-3000:]}"
    return out


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data (real inputs); tests that need it skip where it is absent, as on a user's clone."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent (real inputs live beside the repository only in CI and dev)")
    return SHARED_DATA
