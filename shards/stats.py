"""Per-shard statistics: written beside each finished tar, they mark the shard done.

`ShardStats` add up (`a + b`), as datatrove's Stats do, so the build's summary is the sum of
its shards' files. The fields split in two: the deterministic ones (samples, bytes, sha256,
failures) go into manifest.json; the timing ones (seconds, peak memory) only describe a run.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ShardStats:
    """What one shard holds and what making it cost.

    Attributes:
        shard: the shard's file name (`ENGINE-000042.tar`); empty for a sum of shards.
        config_hash: the build configuration that made it; a rerun with another config refuses it.
        samples: samples in the tar.
        bytes: size of the tar.
        sha256: hex digest of the tar.
        failures: failed draws by reason; each was retried with a derived seed.
        seconds: wall time spent making the shard.
        peak_memory_bytes: the largest resident memory seen in the worker (with its child processes).
        node: where it was made (a Ray node id), to see how a cluster shared the work.
    """

    shard: str = ""
    config_hash: str = ""
    samples: int = 0
    bytes: int = 0
    sha256: str = ""
    failures: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_memory_bytes: int = 0
    node: str = ""

    def __add__(self, other: "ShardStats") -> "ShardStats":
        return ShardStats(
            samples=self.samples + other.samples,
            bytes=self.bytes + other.bytes,
            failures=dict(Counter(self.failures) + Counter(other.failures)),
            seconds=self.seconds + other.seconds,
            peak_memory_bytes=max(self.peak_memory_bytes, other.peak_memory_bytes),
        )

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "ShardStats":
        data: dict[str, Any] = json.loads(text)
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    def manifest_entry(self) -> dict[str, Any]:
        """The deterministic part, as listed in manifest.json."""
        return {"name": self.shard, "samples": self.samples, "bytes": self.bytes,
                "sha256": self.sha256, "failures": dict(sorted(self.failures.items()))}


def stats_name(shard_name: str) -> str:
    """`charts-000042.tar` -> `charts-000042.stats.json`."""
    return shard_name.removesuffix(".tar") + ".stats.json"
