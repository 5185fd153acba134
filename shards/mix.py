"""Stage mixes: which shards a training stage streams, with what weights, and what it carries.

A mix is a small YAML file (`shards/mixes/stage1.yaml` ...), checked against fixed keys so a
misspelt key is an error naming the key and the file, never a silently ignored option:

    stage: 2                    # int >= 1
    max_target_tokens: 6000     # samples whose target is longer are dropped, and counted
    sources:                    # a list; may be empty when `carry` is given
      - name: charts            # unique within the stage: letters, digits, _ and -
        shards: data/charts/charts-*.tar   # braces {000000..000099} and globs * ? [..];
                                # relative to `root` (default: the current directory),
                                # or an fsspec URL (s3://..., memory://...) or a `pipe:` command
        weight: 2.0             # > 0; weights are relative
    carry:                      # optional: stream part of another stage alongside
      mix: stage1.yaml          # relative to THIS file's folder
      fraction: 0.8             # 0 < f <= 1: keep a carried sample iff carry_value(key) < f
      weight: 4.0               # > 0: the carried stage's total weight, split as that stage splits it

Carried sources are flattened into the stage under the name `<carried stem>/<name>`
(`stage1/scene`), each with share `weight * (its share within the carried stage)`. The kept
subset depends on the sample key alone, so it is the same however the shards are laid out. A
chain of carries multiplies: stage 3 carries 80% of everything stage 2 streams, including the
80% of stage 1 that stage 2 carried, so it sees 64% of stage 1. Because the same hash decides at
every level, the subsets nest: the 64% is part of the 80%, and a stage-1 sample that stage 2 did
not carry never reappears in stage 3.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass, field, replace
from typing import Any

import braceexpand
import fsspec
import yaml

TOP_KEYS = {"stage": True, "max_target_tokens": True, "sources": True, "carry": False}  # key -> required
SOURCE_KEYS = {"name": True, "shards": True, "weight": True}
CARRY_KEYS = {"mix": True, "fraction": True, "weight": True}
NAME = re.compile(r"^[A-Za-z0-9_-]+$")
GLOB_CHARS = re.compile(r"[*?\[]")


class MixError(ValueError):
    """A mix that cannot be used as written; the message names the file, the entry and the fix."""


def carry_value(key: str) -> float:
    """Where a sample key falls in [0, 1): blake2b, so every process and machine agrees.

    The same 64-bit blake2b as `engines.base.stable_hash` (shards/ must not import engines/).
    """
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little") / 2**64


@dataclass
class Source:
    """One shard pattern of a stage, after carries are flattened.

    Attributes:
        name: unique in the mix; carried sources are prefixed with the carried file's stem.
        shards: the pattern as written.
        weight: unnormalised; carried sources already include the carry weight.
        carry: keep a sample iff `carry_value(key) < carry` (1.0 keeps everything).
    """

    name: str
    shards: str
    weight: float
    carry: float = 1.0


@dataclass
class Mix:
    """A loaded stage: its limits and its flattened sources (own first, then carried)."""

    path: str
    stage: int
    max_target_tokens: int
    sources: list[Source] = field(default_factory=list)

    def shares(self, names: list[str] | None = None) -> dict[str, float]:
        """Each source's share of draws, renormalised over `names` (default: all)."""
        chosen = [s for s in self.sources if names is None or s.name in names]
        total = sum(s.weight for s in chosen)
        return {s.name: s.weight / total for s in chosen}


def load_mix(path: str) -> Mix:
    """Read and check a mix file and every mix it carries.

    Raises:
        MixError: missing file, bad YAML, unknown or missing key, bad weight/fraction/limit,
            duplicate source name, or a carry cycle.
    """
    return _load(os.path.abspath(path), ())


def _load(path: str, chain: tuple[str, ...]) -> Mix:
    if path in chain:
        cycle = " -> ".join(os.path.basename(p) for p in (*chain, path))
        raise MixError(f"{path}: carry cycle {cycle}; a stage can only carry an earlier stage")
    if not os.path.isfile(path):
        raise MixError(f"{path}: no such mix file (the shipped ones are in shards/mixes/)")
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except yaml.YAMLError as e:
        raise MixError(f"{path}: not valid YAML: {str(e).splitlines()[0]}") from None
    _check_keys(path, "the top level", doc, TOP_KEYS)
    stage = _positive(path, "stage", doc["stage"], int)
    limit = _positive(path, "max_target_tokens", doc["max_target_tokens"], int)
    if not isinstance(doc["sources"], list):
        raise MixError(f"{path}: `sources` must be a list of {{name, shards, weight}}")
    sources = [_source(path, i, entry) for i, entry in enumerate(doc["sources"])]
    if doc.get("carry") is not None:
        sources += _carried(path, doc["carry"], (*chain, path))
    if not sources:
        raise MixError(f"{path}: no sources and no carry; list at least one source")
    names = [s.name for s in sources]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise MixError(f"{path}: source name {dupes[0]!r} appears twice; names must be unique")
    return Mix(path=path, stage=stage, max_target_tokens=limit, sources=sources)


def _source(path: str, i: int, entry: Any) -> Source:
    where = f"sources[{i}]"
    _check_keys(path, where, entry, SOURCE_KEYS)
    name = entry["name"]
    if not isinstance(name, str) or not NAME.match(name):
        raise MixError(f"{path}: {where}: name {name!r} must be letters, digits, _ or -")
    if not isinstance(entry["shards"], str) or not entry["shards"].strip():
        raise MixError(f"{path}: {where} ({name}): shards must be a pattern such as data/{name}/{name}-*.tar")
    weight = _positive(path, f"{where} ({name}): weight", entry["weight"], float)
    return Source(name=name, shards=entry["shards"], weight=weight)


def _carried(path: str, carry: Any, chain: tuple[str, ...]) -> list[Source]:
    _check_keys(path, "carry", carry, CARRY_KEYS)
    fraction = _positive(path, "carry: fraction", carry["fraction"], float)
    if fraction > 1:
        raise MixError(f"{path}: carry: fraction must be in (0, 1], got {carry['fraction']!r}")
    weight = _positive(path, "carry: weight", carry["weight"], float)
    if not isinstance(carry["mix"], str):
        raise MixError(f"{path}: carry: mix must be a file name such as stage1.yaml")
    inner_path = os.path.join(os.path.dirname(path), carry["mix"])
    inner = _load(os.path.abspath(inner_path), chain)
    stem = os.path.splitext(os.path.basename(inner_path))[0]
    return [replace(s, name=f"{stem}/{s.name}", weight=weight * share, carry=s.carry * fraction)
            for s, share in zip(inner.sources, inner.shares().values(), strict=True)]


def _check_keys(path: str, where: str, entry: Any, allowed: dict[str, bool]) -> None:
    if not isinstance(entry, dict):
        raise MixError(f"{path}: {where} must be a mapping with keys {', '.join(allowed)}")
    for key in entry:
        if key not in allowed:
            raise MixError(f"{path}: unknown key {key!r} in {where}; allowed: {', '.join(allowed)}")
    for key, required in allowed.items():
        if required and key not in entry:
            raise MixError(f"{path}: {where} lacks the required key {key!r}")


def _positive(path: str, what: str, value: Any, kind: type) -> Any:
    """A finite number > 0 of `kind`; booleans and strings are refused (YAML reads `yes` as True)."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < math.inf
    if kind is int:
        ok = ok and float(value).is_integer()
    if not ok:
        raise MixError(f"{path}: {what} must be a positive {'whole ' if kind is int else ''}number, got {value!r}")
    return kind(value)


def is_url(pattern: str) -> bool:
    return pattern.startswith("pipe:") or "://" in pattern


def resolve_shards(pattern: str, root: str = ".") -> list[str]:
    """The sorted shard URLs a pattern names: braces expanded, globs matched, `root` applied.

    `pipe:` commands are taken as written (they cannot be listed). A brace-expanded path that
    does not exist is an error, since it was named explicitly; a glob that matches nothing
    gives an empty list (the source is missing).

    Raises:
        MixError: an explicitly named shard does not exist.
    """
    urls: list[str] = []
    for one in braceexpand.braceexpand(pattern):
        if one.startswith("pipe:"):
            urls.append(one)
            continue
        if not is_url(one):
            one = os.path.join(root, one)
        fs, path = fsspec.core.url_to_fs(one)
        if GLOB_CHARS.search(path):
            urls += [_unstrip(one, fs, p) for p in fs.glob(path)]
        elif fs.exists(path):
            urls.append(one)
        elif "{" in pattern:
            raise MixError(f"{one}: named by {pattern!r} but does not exist; fix the range or build the shard")
    return sorted(set(urls))


def _unstrip(original: str, fs: fsspec.AbstractFileSystem, path: str) -> str:
    """Give a globbed path back in the form the user wrote (fsspec strips the protocol)."""
    return fs.unstrip_protocol(path) if "://" in original else path


@dataclass
class Resolved:
    """A source with its shard URLs and its share among the sources that have shards."""

    source: Source
    urls: list[str]
    share: float


def resolve(mix: Mix, root: str = ".", allow_missing: bool = False) -> list[Resolved]:
    """The mix's sources with their shards; missing sources only by explicit choice.

    Args:
        root: folder that relative shard patterns are joined to.
        allow_missing: stream the sources that have shards, weights renormalised over them.

    Raises:
        MixError: a source has no shards (unless allow_missing), or no source has any.
    """
    found = {s.name: resolve_shards(s.shards, root) for s in mix.sources}
    missing = [s for s in mix.sources if not found[s.name]]
    listing = ", ".join(f"{s.name} ({s.shards})" for s in missing)
    if len(missing) == len(mix.sources):
        raise MixError(f"{mix.path}: no source has shards under root {os.path.abspath(root)}: {listing}; "
                       "build them with `python -m pipelines.build`, or pass the right root")
    if missing and not allow_missing:
        raise MixError(f"{mix.path}: {len(missing)} source(s) have no shards: {listing}; build them, or pass "
                       "allow_missing=True (--allow-missing) to stream the others with weights renormalised")
    shares = mix.shares([name for name, urls in found.items() if urls])
    return [Resolved(s, found[s.name], shares[s.name]) for s in mix.sources if found[s.name]]
