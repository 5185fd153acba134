"""Writing one shard: a reproducible tar that appears under its final name only when complete.

Reproducible: members are written in key order with fixed mtime, owner and mode, so the same
samples always give the same bytes (webdataset's TarWriter takes an mtime for the same reason).
Atomic: the tar is written to a temporary name beside the final one and renamed at the end; a
killed writer leaves only a `*.tmp-*` file. The attempt that finally writes a shard removes the
temporaries that attempts killed before it left beside that shard, and the build removes any others
when it ends, so a finished build holds only finished files.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import uuid
from typing import Any

import fsspec

TAR_MTIME = 946684800  # 2000-01-01, fixed so tars do not depend on when they were written
TMP_MARKER = ".tmp-"


class _HashingFile(io.RawIOBase):
    """Counts and hashes bytes on their way to the real file, so the sha256 costs no re-read."""

    def __init__(self, f: Any) -> None:
        self._f = f
        self.sha256 = hashlib.sha256()
        self.nbytes = 0

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        self._f.write(b)
        self.sha256.update(b)
        self.nbytes += len(b)
        return len(b)


class ShardWriter:
    """Write `(key, {ext: bytes})` samples into `path` on filesystem `fs`.

    Use as a context manager: leaving it normally renames the temporary file to `path`; leaving
    it by an exception deletes the temporary file.

    Attributes (after the block): `sha256` (hex) and `nbytes` of the finished tar.
    """

    def __init__(self, fs: fsspec.AbstractFileSystem, path: str) -> None:
        self.fs = fs
        self.path = path
        self.tmp_path = f"{path}{TMP_MARKER}{uuid.uuid4().hex[:8]}"
        self.sha256 = ""
        self.nbytes = 0
        self._last_key = ""

    def __enter__(self) -> "ShardWriter":
        self._file = self.fs.open(self.tmp_path, "wb")
        self._hashing = _HashingFile(self._file)
        # "w|" streams: no seeking, so any fsspec file (local, s3, gcs) can take the tar.
        self._tar = tarfile.open(fileobj=self._hashing, mode="w|", format=tarfile.USTAR_FORMAT)
        return self

    def write(self, key: str, members: dict[str, bytes]) -> None:
        """Append one sample; keys must arrive in increasing order (shards are sorted by key)."""
        if key <= self._last_key:
            raise ValueError(f"sample keys must increase: {key!r} after {self._last_key!r}")
        self._last_key = key
        for ext in sorted(members):
            info = tarfile.TarInfo(f"{key}.{ext}")
            info.size = len(members[ext])
            info.mtime = TAR_MTIME
            info.mode = 0o444
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            self._tar.addfile(info, io.BytesIO(members[ext]))

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            self._tar.close()
        finally:
            self._file.close()
        if exc_type is not None:
            self.fs.rm(self.tmp_path)
            return
        self.sha256 = self._hashing.sha256.hexdigest()
        self.nbytes = self._hashing.nbytes
        self.fs.mv(self.tmp_path, self.path)
        remove_dead_temporaries(self.fs, self.path)


def remove_dead_temporaries(fs: fsspec.AbstractFileSystem, path: str) -> int:
    """Delete the temporaries that killed writers of `path` left; returns how many.

    Called once `path` is complete: any temporary of it still there belongs to an attempt that
    died (a retried task's, a preempted node's), since the one that succeeded has been renamed.
    """
    stale = fs.glob(f"{path}{TMP_MARKER}*")
    for tmp in stale:
        try:
            fs.rm(tmp)
        except FileNotFoundError:  # another finisher of the same shard removed it first
            pass
    return len(stale)


def write_json_atomic(fs: fsspec.AbstractFileSystem, path: str, text: str) -> None:
    """Write a small text file so readers see either the old or the whole new content."""
    tmp = f"{path}{TMP_MARKER}{uuid.uuid4().hex[:8]}"
    with fs.open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    fs.mv(tmp, path)
    remove_dead_temporaries(fs, path)
