"""The streaming loader: a stage mix as batches any PyTorch trainer can feed to GOT.

    loader = make_loader(LoaderConfig(mix="shards/mixes/stage2.yaml"), rank, world_size)
    for batch in loader:          # endless
        model(pixel_values=batch["pixel_values"], input_ids=batch["input_ids"],
              attention_mask=batch["attention_mask"], labels=batch["labels"])

Each DataLoader worker runs one stream of `shards.stream` and yields whole batches: images
decoded, squared, normalised (`shards.preprocess`), multi-crop tiles and multi-page pages in
`<imgpad>` order, GOT's chat template with labels on the answer only.

Resume: the DataLoader hands out batches from its workers in turn, so batch j comes from stream
j % W, and a stream is a pure function of (seed, rank, stream). The state is therefore one
number, the batches consumed; on resume each stream skips the batches it already gave, before
decoding (cost: reading and tokenising them again, not decoding), and worker 0 takes the stream
whose turn is next. The trade-off: resuming after N samples reads N samples' bytes again, and
the state is only valid for the same seed, mix, ranks, workers, batch size, shuffle buffer and
length pool (checked on load).

Batches are grouped by length (`length_pool`, `shards.stream.batches`): samples of similar
target length share a batch, so little of the decoder's work goes to padding.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterator

import torch
from torch.utils.data import DataLoader, IterableDataset, get_worker_info

from shards.format import decode_image, record_meta
from shards.mix import load_mix, resolve
from shards.preprocess import encoder_images, to_pixel_values
from shards.stream import Drawn, StreamSpec, batches, drawn_samples, rank_shards
from tokenizer.got import IGNORE_INDEX, get_tokenizer

STATE_VERSION = 2  # 2: batches grouped by length (length_pool)


@dataclass
class LoaderConfig:
    """How to stream a mix; every field has the default a 1024 px GOT run wants."""

    mix: str                                # path to a stage yaml
    batch_size: int = 8
    image_size: int = 1024                  # side of the square the encoder sees
    image_tokens: int = 256                 # <imgpad> per image/tile (256 at 1024 px, 16 at 256 px)
    max_target_tokens: int | None = None    # None: the stage's limit from the yaml
    max_tiles: int = 6                      # multi-crop tiles (plus a thumbnail)
    shuffle_buffer: int = 1000              # samples; 0 or 1 turns shuffling off
    length_pool: int = 16                   # batches per pool sorted by target length; 1 turns grouping off
    num_workers: int = 2                    # DataLoader worker processes (0: in the caller's process)
    seed: int = 0
    allow_missing: bool = False             # stream the present sources if some have no shards
    root: str = "."                         # folder that relative shard patterns start from

    def validate(self) -> None:
        """Raise ValueError naming the field and the fix."""
        for name in ("batch_size", "image_size", "image_tokens", "max_tiles", "length_pool"):
            if getattr(self, name) < 1:
                raise ValueError(f"LoaderConfig.{name} must be at least 1, got {getattr(self, name)}")
        for name in ("shuffle_buffer", "num_workers", "seed"):
            if getattr(self, name) < 0:
                raise ValueError(f"LoaderConfig.{name} must be 0 or more, got {getattr(self, name)}")
        if self.max_target_tokens is not None and self.max_target_tokens < 1:
            raise ValueError(f"LoaderConfig.max_target_tokens must be None or at least 1, got {self.max_target_tokens}")


def make_loader(cfg: LoaderConfig, rank: int = 0, world_size: int = 1) -> "StreamingLoader":
    """The loader of one rank: reads the mix and checks every source now, before any worker starts.

    Raises:
        MixError: bad mix file, or missing sources without `allow_missing`.
        ValueError: a bad config field, or a source with fewer shards than ranks.
    """
    return StreamingLoader(cfg, rank, world_size)


class StreamingLoader:
    """Endless batches of one rank; `state_dict()` after any batch resumes at the next one."""

    def __init__(self, cfg: LoaderConfig, rank: int = 0, world_size: int = 1) -> None:
        cfg.validate()
        if not 0 <= rank < world_size:
            raise ValueError(f"rank {rank} is not in [0, world_size={world_size})")
        mix = load_mix(cfg.mix)
        sources = resolve(mix, cfg.root, cfg.allow_missing)
        for source in sources:
            rank_shards(source, rank, world_size)
        self.cfg = cfg
        self.stage = mix.stage
        self.spec = StreamSpec(sources, cfg.seed, rank, world_size, cfg.shuffle_buffer,
                               cfg.max_target_tokens or mix.max_target_tokens)
        self.num_streams = max(1, cfg.num_workers)
        self._batches = 0
        self._stream_counters: dict[int, dict[str, int]] = {}
        get_tokenizer()  # loaded once here, inherited by forked workers

    def __iter__(self) -> Iterator[dict[str, Any]]:
        dataset = _BatchStream(self.spec, self.cfg, self.num_streams, offset=self._batches)
        loader = DataLoader(dataset, batch_size=None, num_workers=self.cfg.num_workers, collate_fn=_as_is)
        for stream, batch, counters in loader:
            if stream != self._batches % self.num_streams:
                raise RuntimeError(f"batch {self._batches} came from stream {stream}; the DataLoader "
                                   "must deliver its workers' batches in turn (in_order=True)")
            self._stream_counters[stream] = counters
            self._batches += 1
            yield batch

    @property
    def counters(self) -> dict[str, int]:
        """This rank's totals over its workers: batches, samples, samples/<source>, drops.

        Samples are counted as delivered; drops as read, up to one length pool ahead of them.
        """
        total: Counter = Counter()
        for counters in self._stream_counters.values():
            total.update(counters)
        return {"batches": self._batches, **dict(sorted(total.items()))}

    def _identity(self) -> dict[str, Any]:
        """What the stream depends on; a state saved under another identity cannot resume."""
        # shard names, not paths: moving the data to another disk or root keeps the stream
        mix = [(s.source.name, s.share, s.source.carry, [posixpath.basename(u) for u in s.urls])
               for s in self.spec.sources]
        return {"seed": self.cfg.seed, "rank": self.spec.rank, "world_size": self.spec.world_size,
                "num_workers": self.num_streams, "batch_size": self.cfg.batch_size,
                "shuffle_buffer": self.cfg.shuffle_buffer, "length_pool": self.cfg.length_pool,
                "max_target_tokens": self.spec.max_target_tokens,
                "mix": hashlib.sha256(json.dumps(mix).encode()).hexdigest()[:16]}

    def state_dict(self) -> dict[str, Any]:
        return {"version": STATE_VERSION, "batches": self._batches, **self._identity()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Continue after the batches `state` counts.

        Raises:
            ValueError: the state was saved by a loader whose stream differs from this one's.
        """
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"loader state version {state.get('version')!r} is not {STATE_VERSION}")
        for field, value in self._identity().items():
            if state.get(field) != value:
                what = "the mix's sources, shares or shards" if field == "mix" else field
                raise ValueError(f"cannot resume: {what} differs from the saved state ({state.get(field)!r}, now "
                                 f"{value!r}); the stream depends on it, so resume with the saved setting")
        self._batches = int(state["batches"])
        self._stream_counters = {}


def _as_is(item: Any) -> Any:
    """The DataLoader's collate_fn: workers already yield finished batches."""
    return item


class _BatchStream(IterableDataset):
    """Runs in a DataLoader worker: DataLoader worker i plays stream (i + offset) % num_streams."""

    def __init__(self, spec: StreamSpec, cfg: LoaderConfig, num_streams: int, offset: int) -> None:
        self.spec, self.cfg, self.num_streams, self.offset = spec, cfg, num_streams, offset

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any], dict[str, int]]]:
        info = get_worker_info()
        stream = ((info.id if info else 0) + self.offset) % self.num_streams
        given = (self.offset - stream + self.num_streams - 1) // self.num_streams  # batches it gave before
        counters: Counter = Counter()
        samples = drawn_samples(self.spec, stream, self.num_streams, counters)
        spec = self.spec
        grouped = batches(samples, self.cfg.batch_size, self.cfg.length_pool, [spec.seed, spec.rank, stream, 3])
        for i, drawn in enumerate(grouped):
            counters["samples"] += len(drawn)
            counters.update(f"samples/{d.source}" for d in drawn)
            if i >= given:  # the batches before were delivered before the resume
                yield stream, collate([self.prepare(d) for d in drawn]), dict(counters)

    def prepare(self, drawn: Drawn) -> dict[str, Any]:
        """One sample as tensors: its images, and its chat ids with one `<imgpad>` run per image."""
        record = drawn.record
        try:
            frames = decode_image(drawn.image_bytes, record_meta(record))
        except (OSError, ValueError) as e:
            raise ValueError(f"{drawn.url}: sample {drawn.key}: image does not decode: {e}") from None
        images = encoder_images(frames, record["task"], self.cfg.image_size, self.cfg.max_tiles)
        ids, labels = get_tokenizer().encode_chat(record["prompt"], record["target"],
                                                  self.cfg.image_tokens * len(images))
        return {"pixel_values": to_pixel_values(images, self.cfg.image_size), "input_ids": ids, "labels": labels,
                "key": drawn.key, "engine": record["engine"]}


def collate(items: list[dict[str, Any]]) -> dict[str, Any]:
    """A batch: images concatenated in sample order, ids right-padded with the tokenizer's pad id."""
    pad = get_tokenizer().pad_id
    length = max(len(item["input_ids"]) for item in items)
    input_ids = torch.full((len(items), length), pad, dtype=torch.int64)
    labels = torch.full((len(items), length), IGNORE_INDEX, dtype=torch.int64)
    attention_mask = torch.zeros((len(items), length), dtype=torch.int64)
    for row, item in enumerate(items):
        n = len(item["input_ids"])
        input_ids[row, :n] = torch.tensor(item["input_ids"])
        labels[row, :n] = torch.tensor(item["labels"])
        attention_mask[row, :n] = 1
    return {"pixel_values": torch.cat([item["pixel_values"] for item in items]),
            "input_ids": input_ids, "attention_mask": attention_mask, "labels": labels,
            "keys": [item["key"] for item in items], "engines": [item["engine"] for item in items],
            "num_images": [len(item["pixel_values"]) for item in items]}
