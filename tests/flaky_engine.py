"""An engine that fails on purpose, in every way a real engine can, for the containment tests.

Not registered in `engines.ENGINES`: tests add it with monkeypatch. Its first attempt at each index
fails by a different route (a SampleError, a library's RuntimeError, a crashed tool process, a hang,
meta that is not JSON); later attempts succeed, except for index 99, which never does.
"""

from __future__ import annotations

import os
import time

import numpy as np
from PIL import Image

from engines.base import Draw, Engine, Sample, SampleError, one_by_one
from renderers.isolated import Isolated

MODES = ("sample_error", "library_error", "crash", "hang", "bad_meta", "fine")


def tool(arg: str) -> str:
    """A 'C library' that dies on "crash" and hangs on "hang", run in an Isolated child."""
    if arg == "crash":
        os.abort()
    if arg == "hang":
        time.sleep(60)
    return arg


class FlakyEngine(Engine):
    name = "flaky"

    def __init__(self, config=None) -> None:
        super().__init__(config)
        self.tool = Isolated(tool, timeout_s=30, name="flaky-tool")

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        return one_by_one(self._sample_one, draws)

    def _sample_one(self, rng: np.random.Generator, index: int, attempt: int) -> Sample:
        mode = MODES[index % len(MODES)] if attempt == 0 else "fine"
        if index == 99:
            raise SampleError("never_works", f"index {index}")
        meta: dict = {"lang": "en", "value": float(rng.random())}
        if mode == "sample_error":
            raise SampleError("made_up_reason", "first attempt")
        if mode == "library_error":
            raise RuntimeError("raqm_layout() failed")
        if mode == "crash":
            self.tool("crash")
        if mode == "hang":
            time.sleep(30)
        if mode == "bad_meta":
            meta["object"] = object()
        return Sample([Image.new("RGB", (32, 16), "white")], "OCR: ", f"sample {index}", "plain", meta)
