"""The contract every engine shares: the Sample, the Engine base class and seeded randomness.

An engine says WHAT to draw. It is constructed once per worker process from its `Config`
and then asked for samples one index at a time. Its output must be a pure function of
(seed, engine name, index, attempt), so a build is byte-identical on any number of workers
and after any restart. That is why randomness is never global: the pipeline derives a numpy
Generator from a stable hash and hands it in.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from PIL import Image

TASKS = ("plain", "format", "box", "color", "multi_crop", "multi_page")

PROMPT_PLAIN = "OCR: "
PROMPT_FORMAT = "OCR with format: "
PROMPT_MULTI_CROP = "OCR with format upon the patch reference: "
PROMPT_MULTI_PAGE = "OCR with format across multi pages: "


@dataclass
class Sample:
    """One training sample, the unit every part of the project exchanges.

    Attributes:
        images: one image for most tasks; the pages of a multi-page sample.
        prompt: GOT's query string, exactly as GOT's code writes it.
        target: what the decoder must write, exactly what the image shows.
        task: one of TASKS.
        meta: JSON-safe record of the engine's choices (renderer, fonts, lang, ...), enough
            to re-render the sample from its JSON alone.
    """

    images: list[Image.Image]
    prompt: str
    target: str
    task: str
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"task {self.task!r} is not one of {TASKS}")
        if not self.images:
            raise ValueError("a Sample needs at least one image")


class SampleError(Exception):
    """A sample that cannot be made from this draw; the pipeline retries with a derived seed.

    `reason` is a short stable slug (e.g. "target_too_long", "render_timeout") under which the
    failure is counted in the shard's stats, so it must not contain per-sample detail.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def stable_hash(text: str) -> int:
    """A 64-bit hash that is the same in every process (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def make_rng(seed: int, engine: str, index: int, attempt: int = 0) -> np.random.Generator:
    """The one source of randomness for a sample: depends only on its (seed, engine, index, attempt)."""
    return np.random.default_rng([seed, stable_hash(engine), index, attempt])


@dataclass
class EngineConfig:
    """Options every engine understands; engines subclass this to add their own.

    Each field becomes a `pipelines.build` flag (`--field-name`), its `help` metadata the
    flag's help, so adding an option to an engine is one line here and nothing elsewhere.
    """

    source: str | None = field(
        default=None,
        metadata={"help": "real data to draw from instead of the built-in generator (see the engine's docs)"},
    )

    def validate(self) -> None:
        """Raise ValueError naming the flag and the fix; called before any work starts."""


class Engine:
    """Base class of an engine: subclasses set `name`, `Config`, and write `sample`.

    Subclasses must not hold per-sample state between calls: `sample` may be called for any
    index in any order, in any process.
    """

    name: ClassVar[str]
    Config: ClassVar[type[EngineConfig]] = EngineConfig
    image_format: ClassVar[str] = "png"  # one format per engine: png, jpg or tiff (multi-page)

    def __init__(self, config: EngineConfig | None = None) -> None:
        self.config = config if config is not None else self.Config()
        self.config.validate()

    def sample(self, rng: np.random.Generator, index: int) -> Sample:
        """Draw sample `index` using only `rng` for randomness."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what the engine holds (renderers are per-process and close themselves)."""

    def describe(self) -> dict[str, Any]:
        """The JSON-safe config recorded in manifest.json, to tell one build from another."""
        return {"engine": self.name, "config": dataclasses.asdict(self.config)}
