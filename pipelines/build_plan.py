"""What a build must make, what an output folder already holds, and the manifest that ends it.

Resume works like img2dataset's incremental mode and datatrove's completion markers: a shard
counts as done only when its tar AND its stats file exist and the stats carry this build's
config hash and the expected sample count. Anything else is made again. The manifest is
written last and holds only deterministic facts (no timings), so an interrupted-then-resumed
build ends with the same manifest as an uninterrupted one.

A plan is lazy: shard k's spec is made when the runner asks for it, and what a folder already holds
is read from its listing, so planning 10^9 samples costs what planning 10^3 does.
"""

from __future__ import annotations

import hashlib
import json
import platform
import posixpath
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Container, Iterator

import fsspec

from engines.base import Resources
from pipelines.shard_task import ShardSpec
from shards.format import shard_name
from shards.reader import MANIFEST
from shards.stats import ShardStats, stats_name
from shards.writer import TMP_MARKER, write_json_atomic

MAX_SHARDS = 10**6  # shard names number shards with 6 digits (shards.format.shard_name)
MAX_SAMPLES = 10**10  # sample keys number samples with 10 digits (shards.format.sample_key)
FORMAT_VERSION = 3  # 2: meta is one JSON string in every record; 3: one PNG member for every engine, pages stacked
VERSIONED_PACKAGES = ("got-data-engine", "numpy", "pillow", "ray", "webdataset")  # plus each engine's own


@dataclass
class BuildPlan:
    """A build: which engine and config, how many samples, where, cut into shards."""

    engine: str
    config: dict[str, Any]
    n: int
    shard_size: int
    seed: int
    out: str
    info: dict[str, Any] = field(default_factory=dict)  # what the engine reports of its inputs
    packages: tuple[str, ...] = ()  # the engine's tools, whose versions the manifest records
    resources: Resources = field(default_factory=Resources)  # what one worker needs, asked of Ray per shard
    config_hash: str = field(init=False)

    def __post_init__(self) -> None:
        key = {"format": FORMAT_VERSION, "engine": self.engine, "config": self.config,
               "seed": self.seed, "shard_size": self.shard_size}
        self.config_hash = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]

    @property
    def num_shards(self) -> int:
        return -(-self.n // self.shard_size)

    def spec(self, k: int) -> ShardSpec:
        """Shard k: samples [k * shard_size, (k + 1) * shard_size), the last one cut at n."""
        return ShardSpec(self.engine, self.config, self.config_hash, self.seed, self.out,
                         shard_name(self.engine, k), k * self.shard_size, min((k + 1) * self.shard_size, self.n))

    def specs(self, skip: Container[str] = ()) -> Iterator[ShardSpec]:
        """The shards in order, but those named in `skip`, each made only when asked for."""
        return (self.spec(k) for k in range(self.num_shards) if shard_name(self.engine, k) not in skip)

    def shard_index(self, name: str) -> int | None:
        """k if `name` is this plan's shard k, else None."""
        digits = name.removeprefix(f"{self.engine}-").removesuffix(".tar")
        if not digits.isdigit() or shard_name(self.engine, int(digits)) != name:
            return None
        k = int(digits)
        return k if k < self.num_shards else None


def size_error(n: int, shard_size: int) -> str | None:
    """Why an output cannot hold n samples in shards of `shard_size`, or None if it can."""
    if n > MAX_SAMPLES:
        return (f"--n {n:,} is more than the {MAX_SAMPLES:,} samples that 10-digit sample keys can number; give "
                f"--n {MAX_SAMPLES:,} or less (several builds make more)")
    shards = -(-n // shard_size)
    if shards > MAX_SHARDS:
        return (f"--n {n:,} in shards of {shard_size:,} makes {shards:,} shards, more than the {MAX_SHARDS:,} "
                f"that 6-digit shard names can number; raise --shard-size to {-(-n // MAX_SHARDS):,} or more")
    return None


def _fs(out: str) -> tuple[fsspec.AbstractFileSystem, str]:
    return fsspec.core.url_to_fs(out)


@dataclass
class Existing:
    """What an output folder holds before a run, read once: file names, shard stats, manifest."""

    names: set[str] = field(default_factory=set)  # file names in the folder
    stats: dict[str, ShardStats] = field(default_factory=dict)  # by shard name (`charts-000042.tar`)
    manifest: dict[str, Any] | None = None


def scan_output(out: str) -> Existing:
    """List the folder once and read its stats files and manifest (nothing, if it does not exist)."""
    fs, root = _fs(out)
    if not fs.isdir(root):
        return Existing()
    found = Existing(names={posixpath.basename(p) for p in fs.ls(root, detail=False)})
    for name in found.names:
        if name.endswith(".stats.json"):
            with fs.open(posixpath.join(root, name), "r", encoding="utf-8") as f:
                found.stats[name.removesuffix(".stats.json") + ".tar"] = ShardStats.from_json(f.read())
    if MANIFEST in found.names:
        with fs.open(posixpath.join(root, MANIFEST), "r", encoding="utf-8") as f:
            found.manifest = json.load(f)
    return found


def done_shards(plan: BuildPlan, existing: Existing) -> dict[str, ShardStats]:
    """The plan's shards that a previous run finished, by shard name."""
    done = {}
    for name, st in existing.stats.items():
        k = plan.shard_index(name)
        if k is None or name not in existing.names or st.config_hash != plan.config_hash:
            continue
        spec = plan.spec(k)
        if st.samples == spec.stop - spec.start:
            done[name] = st
    return done


def conflicting_build(plan: BuildPlan, existing: Existing) -> str | None:
    """Why the output folder cannot take this build (another engine or config), or None."""
    other = existing.manifest
    if other is not None and other.get("config_hash") != plan.config_hash:
        return (f"it holds a {other.get('engine')} build with another seed or configuration "
                f"(config {other.get('config')}, seed {other.get('seed')})")
    for shard, st in sorted(existing.stats.items()):
        if st.config_hash != plan.config_hash:
            return f"{stats_name(shard)} was built with another engine, seed or configuration"
    return None


def remove_stale_temporaries(out: str) -> int:
    """Delete the temporary files of killed writers (before a run, and after it: a finished build
    holds only finished files); returns how many."""
    fs, root = _fs(out)
    if not fs.isdir(root):
        return 0
    stale = [path for path in fs.ls(root, detail=False) if TMP_MARKER in posixpath.basename(path)]
    for path in stale:
        try:
            fs.rm(path)
        except FileNotFoundError:  # a writer's own clean-up got there first
            pass
    return len(stale)


def versions(packages: tuple[str, ...] = ()) -> dict[str, str]:
    """Python's version and the installed versions of the project's and the engine's packages."""
    found = {"python": platform.python_version()}
    for pkg in VERSIONED_PACKAGES + tuple(packages):
        try:
            found[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return found


def write_manifest(plan: BuildPlan, stats: list[ShardStats]) -> str:
    """Write manifest.json (atomically) and return its path."""
    fs, root = _fs(plan.out)
    total = sum(stats, ShardStats())
    manifest = {
        "engine": plan.engine, "config": plan.config, "config_hash": plan.config_hash,
        "seed": plan.seed, "n": plan.n, "shard_size": plan.shard_size, "format_version": FORMAT_VERSION,
        "versions": versions(plan.packages), "engine_info": plan.info,
        "samples": total.samples, "bytes": total.bytes, "failures": dict(sorted(total.failures.items())),
        "shards": [s.manifest_entry() for s in sorted(stats, key=lambda s: s.shard)],
    }
    path = posixpath.join(root, MANIFEST)
    write_json_atomic(fs, path, json.dumps(manifest, indent=1, sort_keys=False, ensure_ascii=False) + "\n")
    return path
