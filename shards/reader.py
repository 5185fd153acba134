"""Reading built shards back without webdataset: for the gallery, exports and checks.

Training streams shards through `shards.loader` (webdataset); this module is the plain,
ordered way to walk one output folder (or to pick a few samples of a shard by seeking,
`read_selected`), and it understands the folder's manifest. All our tar reading is here.
"""

from __future__ import annotations

import json
import posixpath
import tarfile
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Iterator

import fsspec
from PIL import Image

from shards.format import decode_image, image_member, record_meta

MANIFEST = "manifest.json"


@dataclass
class StoredSample:
    """A sample as read from a shard: its key, its JSON record and its PNG member."""

    key: str
    record: dict[str, Any]
    image_bytes: bytes

    @property
    def images(self) -> list[Image.Image]:
        """Its pages (one for most tasks), split from the stored PNG at meta's page layout."""
        return decode_image(self.image_bytes, self.meta)

    @property
    def meta(self) -> dict[str, Any]:
        """The engine's record of its choices (stored as a JSON string in the record)."""
        return record_meta(self.record)


def list_shards(out: str) -> list[str]:
    """The finished shards in an output folder (or fsspec URL), sorted; temporary files excluded."""
    fs, root = fsspec.core.url_to_fs(out)
    if not fs.isdir(root):
        raise FileNotFoundError(f"{out}: no such folder; build one with `python -m pipelines.build`")
    names = sorted(p for p in fs.ls(root, detail=False) if p.endswith(".tar"))
    return [_unstrip(out, root, p) for p in names]


def _unstrip(out: str, root: str, path: str) -> str:
    """Give back a URL in the user's form (fsspec strips the protocol)."""
    return out.rstrip("/") + "/" + posixpath.basename(path) if "://" in out else path


def iter_shard(path: str) -> Iterator[StoredSample]:
    """Samples of one shard in order; raises ValueError naming the shard if a sample is malformed."""
    with fsspec.open(path, "rb") as f, tarfile.open(fileobj=f, mode="r|") as tar:
        members: dict[str, bytes] = {}
        key = None
        for info in tar:
            name = posixpath.basename(info.name)
            k, _, ext = name.partition(".")
            if key is not None and k != key:
                yield _assemble(path, key, members)
                members = {}
            key = k
            members[ext] = tar.extractfile(info).read()  # type: ignore[union-attr]
        if key is not None:
            yield _assemble(path, key, members)


def _assemble(path: str, key: str, members: dict[str, bytes]) -> StoredSample:
    """The sample of one key's tar members (`{ext: bytes}`), checked to be its JSON and its PNG.

    Raises:
        ValueError: other members, naming the shard and the sample.
    """
    image = image_member(members, path, key)
    return StoredSample(key, json.loads(members["json"]), image)


def read_selected(shard: str, positions: Collection[int] = (), keys: Collection[str] = ()) -> list[StoredSample]:
    """The samples of one shard at the given positions (0-based, in shard order) or with the given keys.

    Members in between are skipped by seeking past them, never read.

    Args:
        shard: path or fsspec URL of a `.tar` shard.
        positions: sample positions to read.
        keys: sample keys to read.

    Returns:
        the selected samples, in shard order (fewer when a position or key is not in the shard).

    Raises:
        ValueError: a selected sample is not one JSON plus one image member.
    """
    want_pos, want_keys = set(positions), set(keys)
    found: list[StoredSample] = []
    members: dict[str, bytes] = {}
    key, position = None, -1
    with fsspec.open(shard, "rb") as f, tarfile.open(fileobj=f, mode="r:") as tar:
        for info in tar:
            k, _, ext = posixpath.basename(info.name).partition(".")
            if k != key:
                if members:
                    found.append(_assemble(shard, key, members))
                    members = {}
                if len(found) == len(want_pos) + len(want_keys):
                    break
                key, position = k, position + 1
            if position in want_pos or k in want_keys:
                members[ext] = tar.extractfile(info).read()  # type: ignore[union-attr]
        if members:
            found.append(_assemble(shard, key, members))
    return found


def iter_samples(out: str) -> Iterator[StoredSample]:
    """Every sample of an output folder, shard by shard."""
    for shard in list_shards(out):
        yield from iter_shard(shard)


def read_manifest(out: str) -> dict[str, Any] | None:
    """The folder's manifest.json, or None while a build has not finished."""
    fs, root = fsspec.core.url_to_fs(out)
    path = posixpath.join(root, MANIFEST)
    if not fs.exists(path):
        return None
    with fs.open(path, "r", encoding="utf-8") as f:
        return json.load(f)
