"""The contract every engine shares: the Sample, the Engine base class, seeded randomness, batches.

An engine says WHAT to draw. It is constructed once per worker process from its `Config` and then
asked for samples. Its output must be a pure function of (seed, engine name, index, attempt), so a
build is byte-identical on any number of workers, with any batch size and after any restart. That
is why randomness is never global: the pipeline derives a numpy Generator from a stable hash and
hands it in, and `attempt` (0 for the first draw of an index, then 1, 2, ... after failed draws)
lets an engine that reads a user's `--source` move on to another item when one cannot be drawn.

An engine writes one method, `sample_batch(draws)`. One whose tool is cheaper per sample in bulk (one
LaTeX compile, one browser page, one OCR batch for many samples) sets `batch_size` and draws the batch
together; one that draws each sample alone returns `one_by_one(self._sample_one, draws)`. Either way each
sample's bytes must be exactly those it gets when drawn alone (the contract test checks it).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import types
import typing
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, ClassVar, Iterable, Literal, NamedTuple, Sequence, TypeVar

import numpy as np
from PIL import Image

from engines.source import Found
from tokenizer.protocol import TASKS

T = TypeVar("T")
R = TypeVar("R")
# The `--lang` most engines take: mixed draws English or Chinese per sample (or per page).
Lang = Literal["mixed", "en", "zh"]


@dataclass
class Sample:
    """One training sample, the unit every part of the project exchanges.

    Attributes:
        images: one image for most tasks; the pages of a multi-page sample.
        prompt: GOT's query string, exactly as GOT's code writes it (`tokenizer.protocol`).
        target: what the decoder must write, exactly what the image shows.
        task: one of `tokenizer.protocol.TASKS`.
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
        if not self.prompt or not self.target.strip():
            raise ValueError("a Sample needs a prompt and a non-empty target")


class SampleError(Exception):
    """A sample that cannot be made from this draw; the pipeline retries with a derived seed.

    The one failure type of a draw: a renderer's `RenderError` is one, so an engine lets it pass.

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


def derived(rng: np.random.Generator) -> np.random.Generator:
    """A generator for a part's draw (`Engine.part`), seeded from `rng`: one draw of it, whatever the part uses."""
    return np.random.default_rng(int(rng.integers(2**63)))


def pick(rng: np.random.Generator, options: Sequence[T], weights: Sequence[float] | None = None) -> T:
    """One of `options`: uniformly, or in proportion to `weights` (one per option, any positive scale).

    The one way an engine picks, so that a pick is the same draw everywhere: one `integers(len(options))`, or one
    `choice` over the normalised weights. Engines used to write this line each (`_pick`, `_one`, inline), and a
    sample is a pure function of its rng's calls: changing how a pick draws would change every later draw of
    every sample that picks, so the calls themselves are the contract (`rng.choice(options)` would copy
    `options` into an array and return numpy strings).
    """
    if weights is None:
        return options[int(rng.integers(len(options)))]
    p = np.asarray(weights, dtype=float)
    return options[int(rng.choice(len(options), p=p / p.sum()))]


MAX_ATTEMPTS = 10  # failed draws of one index before its shard fails (an engine that cannot make it)
SOURCE_ATTEMPTS = 200  # ... with a --source of that many items or more (a failure there is usually the item's)


def source_index(n_items: int, index: int, attempt: int, seed: int = 0) -> int:
    """Which of `n_items` source items sample `index` draws on attempt `attempt`.

    Items are walked in an order shuffled by `seed` (the build's): a source is read in file order
    (papers, then their pages), so walking it in that order made a small build of three papers draw
    only the first. The first attempt takes the `index % n`-th item of the shuffle, so a build still
    draws every item once before any twice; retries walk on from a place of the shuffle that depends on
    the index, one item each, so n retries try every item: a source whose usable items are few (a folder
    of photos most of which carry no text) still gives every index one (see `Engine.max_attempts`).
    """
    k = index % n_items if attempt == 0 else (index + stable_hash(str(index)) + attempt) % n_items
    return int(_shuffled(seed, n_items)[k])


@functools.lru_cache(maxsize=8)
def _shuffled(seed: int, n_items: int) -> np.ndarray:
    return np.random.default_rng([seed, n_items]).permutation(n_items)


def contained(make: Callable[[T], R], items: Iterable[T]) -> list[R | Exception]:
    """`make(item)` for each item, an exception standing in for the sample it prevented (counted by the pipeline)."""
    out: list[R | Exception] = []
    for item in items:
        try:
            out.append(make(item))
        except Exception as exc:  # noqa: BLE001 - contained per draw; the pipeline counts it by reason
            out.append(exc)
    return out


class Draw(NamedTuple):
    """One draw the pipeline asks for: sample `index`, its `attempt`-th try, with its own rng."""

    index: int
    attempt: int
    rng: np.random.Generator


def one_by_one(draw: Callable[[np.random.Generator, int, int], Sample], draws: list[Draw]) -> list[Sample | Exception]:
    """`draw(rng, index, attempt)` for each of `draws`: the `sample_batch` of an engine whose tool is no cheaper in
    bulk, each failed draw's exception in its sample's place."""
    return contained(lambda d: draw(d.rng, d.index, d.attempt), draws)


@dataclass(frozen=True)
class Resources:
    """What one worker of an engine needs, asked of Ray for each shard task.

    Attributes:
        cpus: cores one worker keeps busy (a browser renders beside its Python process).
        memory_mb: peak resident memory of one worker with its child processes.
    """

    cpus: float = 1.0
    memory_mb: int = 1024


def capture_share(default: float, why: str = "") -> Any:
    """The `--capture` field, with an engine's own default (and why it differs from 0.3)."""
    return field(default=default, metadata={
        "help": f"share of samples scanned, photographed or screenshotted (renderers.capture); 0 = none{why}"})


def choices(kind: Any) -> tuple[Any, ...]:
    """The values a field annotated `kind` may hold: a `Literal[...]`'s (and None for `Literal[...] | None`);
    () for any other annotation, which takes any value of its type."""
    if typing.get_origin(kind) is Literal:
        return typing.get_args(kind)
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        parts = [(None,) if a is type(None) else choices(a) for a in typing.get_args(kind)]
        return () if () in parts else tuple(v for part in parts for v in part)
    return ()


@dataclass
class EngineConfig:
    """Options every engine understands; engines subclass this to add their own.

    Each field becomes a `pipelines.build` flag (`--field-name`), typed from its annotation, with
    its `help` metadata as help; a field annotated `Literal[...]` takes only those values (the flag's
    choices, and `check_choices` for a config built in code), so adding an option to an engine is one
    line here and nothing elsewhere.
    """

    source: str | None = field(
        default=None,
        metadata={"help": "real data to draw from instead of the built-in generator (see the engine's docs)"},
    )
    capture: float = capture_share(0.3)
    # What --source takes, as the fix in "no such file or folder; give ..." ("a PDF or a folder of PDFs");
    # empty where the engine checks its --source itself (or takes none).
    source_hint: ClassVar[str] = ""

    def check(self) -> None:
        """Every check of the values, before any work starts: declared choices, --source, then `validate`."""
        self.check_choices()
        self.check_capture()
        self.check_source()
        self.validate()

    def check_choices(self) -> None:
        """Raise ValueError naming the flag when a field annotated `Literal[...]` holds another value."""
        hints = typing.get_type_hints(type(self))
        for f in dataclasses.fields(self):
            allowed = choices(hints[f.name])
            value = getattr(self, f.name)
            if allowed and value not in allowed:
                flag, options = f"--{f.name.replace('_', '-')}", ", ".join(map(str, allowed))
                raise ValueError(f"{flag} {value!r} is not one of {options}; pick one of them")

    def check_source(self) -> None:
        """Raise ValueError naming the fix when --source names no file or folder (engines with a `source_hint`)."""
        if self.source is not None and self.source_hint and not Path(self.source).exists():
            raise ValueError(f"--source {self.source}: no such file or folder; give {self.source_hint}")

    def validate(self) -> None:
        """The engine's own checks (ranges, combinations): raise ValueError naming the flag and the fix."""

    def check_capture(self) -> None:
        """Raise ValueError unless --capture is a share."""
        if not 0.0 <= self.capture <= 1.0:
            raise ValueError(f"--capture {self.capture} is not a share; give a number from 0 to 1")


class Engine:
    """Base class of an engine: subclasses set `name`, `Config`, and write `sample_batch`.

    Subclasses must not hold per-sample state between calls: a draw may come for any index in any
    order, in any process.

    Class attributes:
        name: the registry name (`--engine NAME`), also the prefix of shard and sample keys.
        Config: the engine's config dataclass (its fields are the engine's build flags).
        resources: what one worker needs (Ray asks for it per shard task); `part` grows an engine's to hold
            its parts', so a composed engine asks for what its parts draw with, whatever its config picks.
        packages: PyPI distributions whose versions the manifest records (the tools drawn with); `part` adds
            the part's.
        batch_size: indices handed to `sample_batch` at once.
        capture_presets: how a captured sample is captured (`renderers.capture` preset: weight).
        capture_geometry: False where a prompt names pixels: a capture then moves nothing.
        capture_colour: False where a prompt names a colour: a capture then keeps colours.

    Instance attributes:
        seed: the build's seed, set by the pipeline once the engine is built: the order in which
            `source_item` walks a --source (it changes no item's drawing).
        found: what the engine's --source gave (`use_source`; empty without one): its items, and the
            items skipped, by reason, with an example each; `describe` records it in the manifest.
    """

    name: ClassVar[str]
    Config: ClassVar[type[EngineConfig]] = EngineConfig
    resources: Resources = Resources()
    packages: tuple[str, ...] = ()
    batch_size: ClassVar[int] = 1
    capture_presets: ClassVar[dict[str, float]] = {"scan": 0.45, "photo": 0.35, "screen": 0.2}
    capture_geometry: ClassVar[bool] = True
    capture_colour: ClassVar[bool] = True

    def __init__(self, config: EngineConfig | None = None) -> None:
        self.config = config if config is not None else self.Config()
        self.config.check()
        self.found: Found = Found()
        self.parts: list[Engine] = []  # engines this one draws from (`part`), which share its seed
        self.seed = 0

    @property
    def skipped(self) -> Counter:
        """--source items left out when loading, by reason."""
        return self.found.skipped

    @property
    def max_attempts(self) -> int:
        """Draws an index may fail before its shard fails: MAX_ATTEMPTS, or with a --source enough to try every
        item (the first try and `source_index`'s walk of them all), up to SOURCE_ATTEMPTS: real sources hold mostly unusable items
        (photos without text), each failure counted under its reason."""
        return max(MAX_ATTEMPTS, min(self.source_items + 1, SOURCE_ATTEMPTS))

    @property
    def source_items(self) -> int:
        """How many distinct items the --source offers (0 without one); the build warns when `--n` asks more."""
        return len(self.found.items)

    @property
    def seed(self) -> int:
        return self._seed

    @seed.setter
    def seed(self, value: int) -> None:
        self._seed = value
        for part in getattr(self, "parts", ()):
            part.seed = value

    def part(self, name: str, **config: Any) -> Engine:
        """The registered engine `name`, built from `config`, as a part of this one (stage 3 composes pages,
        slices and scenes).

        Ask it for samples with `part.sample(derived(rng), index, attempt)`: the part's randomness comes
        from this engine's draw, so the composed sample stays a pure function of its own (seed, index,
        attempt), and a fix in the part fixes every engine built on it.
        """
        from engines import get_engine  # the registry imports this module

        cls = get_engine(name)
        engine = cls(cls.Config(**config))
        engine.seed = self.seed
        self.parts.append(engine)
        self.resources = Resources(max(self.resources.cpus, engine.resources.cpus),
                                   max(self.resources.memory_mb, engine.resources.memory_mb))
        self.packages = tuple(dict.fromkeys(self.packages + engine.packages))
        return engine

    def use_source(self, found: Found[T], what: str, hint: str) -> list[T]:
        """The items of `found`, what the engine's --source reader gave, now the engine's `found`.

        Raises:
            ValueError: none is usable; names the source, the items skipped by reason and what to give.
        """
        self.found = found
        if not found.items:
            reasons = ", ".join(f"{k}={v}" for k, v in sorted(found.skipped.items()) if v) or "nothing found"
            raise ValueError(f"--source {self.config.source}: no usable {what} (skipped: {reasons}); {hint}")
        return found.items

    def source_item(self, items: Sequence[T], index: int, attempt: int) -> T:
        """The --source item sample `index` draws on attempt `attempt` (see `source_index`)."""
        return items[source_index(len(items), index, attempt, self.seed)]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Refuse an engine that writes `sample`: one extension point, so a sample alone (`sample`) and in a batch
        (`sample_batch`) cannot be drawn by two different codes."""
        super().__init_subclass__(**kwargs)
        if "sample" in cls.__dict__:
            raise TypeError(f"{cls.__name__}: an engine writes sample_batch(draws) (for one draw at a time: return "
                            "one_by_one(self._sample_one, draws)); sample() is the base class's")

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        """THE method an engine writes: result i is the sample of `draws[i]`, or the exception that failed it.

        Each sample must be what it is when drawn alone (never dependent on its batch-mates), and a failed draw
        is returned, not raised, so its batch-mates survive.
        """
        raise NotImplementedError(f"{type(self).__name__} must write sample_batch(draws)")

    def sample(self, rng: np.random.Generator, index: int, attempt: int = 0) -> Sample:
        """Sample `index` (its `attempt`-th try) alone, a batch of one: for tests and composed engines.

        Raises:
            Exception: whatever failed the draw (a `SampleError` when the engine refused it).
        """
        result = self.sample_batch([Draw(index, attempt, rng)])[0]
        if isinstance(result, Exception):
            raise result
        return result

    def draw_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        """What the pipeline calls: `sample_batch`, then each sample's capture (`engines.capture`, drawn from
        its own rng, so a sample is the same alone and in a batch)."""
        from engines.capture import captured

        out: list[Sample | Exception] = []
        for d, r in zip(draws, self.sample_batch(draws)):
            out += [r] if isinstance(r, Exception) else contained(lambda s, d=d: captured(self, s, d.index, d.attempt), [r])
        return out

    def describe(self) -> dict[str, Any]:
        """The JSON-safe config recorded in manifest.json and, from a --source, how many items it offers and those
        skipped, by reason, with an example each."""
        info: dict[str, Any] = {"engine": self.name, "config": dataclasses.asdict(self.config)}
        if self.found.items or self.found.skipped:
            info["source_items"] = self.source_items
            info["skipped"] = dict(sorted(self.found.skipped.items()))
        if self.found.examples:
            info["skipped_examples"] = dict(sorted(self.found.examples.items()))
        return info
