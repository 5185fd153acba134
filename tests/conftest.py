"""Fixtures shared by the suite: a real charts build, and the real inputs in ../shared/data.

`built_charts` runs the user's own command (`python -m pipelines.build`) once per session
through real Ray, real matplotlib and real Chromium; other tests read, stream, export and
train on what it wrote instead of building their own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"

# The parameters of the session's reference build; test_build compares other builds to it.
CHARTS_BUILD_ARGS = ["--engine", "charts", "--n", "32", "--shard-size", "4", "--seed", "7"]


def run_build(out: Path, *extra: str, env: dict[str, str] | None = None,
              timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `python -m pipelines.build` as a user would, from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines.build", *CHARTS_BUILD_ARGS, "--out", str(out), *extra],
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
def shared_data() -> Path:
    """../shared/data (real inputs); tests that need it skip where it is absent, as on a user's clone."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent (real inputs live beside the repository only in CI and dev)")
    return SHARED_DATA
