"""Export builds for other trainers: GOT's own conversation JSON, or a Hugging Face dataset.

    python -m pipelines.export data/charts --format got --out export/charts
    python -m pipelines.export data/charts data/tables --format hf --out export/charts-tables-hf

Several builds export as one dataset, in the order given (their keys must differ: two builds of the
same engine are refused, as their samples would share keys and files).

`got` writes what GOT's training code reads (GOT-OCR2.0 `GOT/data/conversation_dataset_qwen.py`):
OUT/conversations.json, a JSON list of
    {"image": "charts_0000000042.png",
     "conversations": [{"from": "human", "value": "<image>\\nOCR with format: "},
                       {"from": "gpt", "value": TARGET}]}
and the images under OUT/images/. GOT opens `images + image`, so register the export in
GOT/utils/constants.py as {"images": "OUT/images/", "annotations": "OUT/conversations.json"}.
A multi-image sample is a folder: when `image` names no .png/.jpg file, GOT's loader globs
`images + image + "*.png"` and natural-sorts the matches, so `"image": "KEY/"` with KEY/0.png,
KEY/1.png ... (a prefix that globs only that sample's files) holds a multi-page sample's pages,
split from its stacked PNG, or a multi-crop sample's tiles then its thumbnail (GOT's loader does
not tile: the tiles are cut here as our loader cuts them).

`hf` writes OUT/data/train-00000-of-00004.parquet ... (one per shard) with the columns `image`
(an Image; a list of Images, one per page, for a multi-page build), `conversations` (as above), and
the record's `key`, `engine`, `task`, `lang` and `meta` (the engine's choices, one JSON string as in
the shards). Read it with `datasets.load_dataset("parquet", data_dir=OUT)`. Multi-crop images stay
whole there, since transformers' GotOcr2Processor tiles them itself (`crop_to_patches=True`).

Everything is checked before anything is written; the export is built under OUT.tmp-XXXXXXXX
and renamed to OUT when complete.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features, Image, List, Value
from tqdm import tqdm

from pipelines.cli import Parser, fail
from shards.format import encode_image
from shards.preprocess import tile_image
from shards.reader import StoredSample, iter_shard, list_shards, read_manifest

PROG = "python -m pipelines.export"
MULTI_IMAGE_TASKS = ("multi_page", "multi_crop")
ROW_GROUP = 256  # rows per parquet row group: bounded memory, whatever the shard size
CONVERSATIONS = List({"from": Value("string"), "value": Value("string")})
RECORD_COLUMNS = ("engine", "task", "lang", "meta")  # kept from the record beside the image and the turns


def conversations(sample: StoredSample) -> list[dict[str, str]]:
    """GOT's two turns; the `<image>` placeholder is required by GOT's loader."""
    return [{"from": "human", "value": "<image>\n" + sample.record["prompt"]},
            {"from": "gpt", "value": sample.record["target"]}]


def got_images(sample: StoredSample, tile_size: int, max_tiles: int) -> tuple[str, dict[str, bytes]]:
    """The `image` field and the files (path relative to images/ -> bytes) of one sample."""
    task = sample.record["task"]
    if task not in MULTI_IMAGE_TASKS:
        name = f"{sample.key}.png"
        return name, {name: sample.image_bytes}
    frames = sample.images
    parts = frames if task == "multi_page" else tile_image(frames[0], tile_size, max_tiles)
    return f"{sample.key}/", {f"{sample.key}/{i}.png": encode_image(part) for i, part in enumerate(parts)}


def export_got(shards: list[str], tmp: str, tile_size: int, max_tiles: int, bar: tqdm) -> int:
    """Write conversations.json (streamed, a JSON list) and images/ under `tmp`; return the count."""
    n = 0
    with open(os.path.join(tmp, "conversations.json"), "w", encoding="utf-8") as out:
        out.write("[")
        for sample in _samples(shards, bar):
            image, files = got_images(sample, tile_size, max_tiles)
            for rel, data in files.items():
                path = os.path.join(tmp, "images", rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(data)
            entry = {"image": image, "conversations": conversations(sample)}
            out.write(("," if n else "") + "\n" + json.dumps(entry, ensure_ascii=False))
            n += 1
        out.write("\n]\n")
    return n


def export_hf(shards: list[str], tmp: str, bar: tqdm) -> int:
    """Write one parquet file per shard under `tmp`/data with datasets' feature metadata."""
    os.makedirs(os.path.join(tmp, "data"))
    first = next((sample for shard in shards for sample in iter_shard(shard)), None)
    multi_page = first is not None and first.record["task"] == "multi_page"
    features = Features({"image": List(Image()) if multi_page else Image(), "conversations": CONVERSATIONS,
                         "key": Value("string"), **{name: Value("string") for name in RECORD_COLUMNS}})
    n = 0
    for i, shard in enumerate(shards):
        path = os.path.join(tmp, "data", f"train-{i:05d}-of-{len(shards):05d}.parquet")
        with pq.ParquetWriter(path, features.arrow_schema) as writer:
            for rows in _chunks(_samples([shard], bar), ROW_GROUP):
                if any((s.record["task"] == "multi_page") != multi_page for s in rows):
                    raise ValueError(f"{shard}: mixes multi-page and single-image samples; export them apart")
                batch = {"image": [_hf_image(s, multi_page) for s in rows],
                         "conversations": [conversations(s) for s in rows], "key": [s.key for s in rows],
                         **{name: [s.record[name] for s in rows] for name in RECORD_COLUMNS}}
                writer.write_table(pa.Table.from_pydict(features.encode_batch(batch), schema=features.arrow_schema))
                n += len(rows)
    return n


def _hf_image(sample: StoredSample, multi_page: bool) -> Any:
    """The PNG as stored (a multi-page sample's pages split and encoded one by one); `path` keeps the key."""
    if not multi_page:
        return {"bytes": sample.image_bytes, "path": f"{sample.key}.png"}
    return [{"bytes": encode_image(page), "path": f"{sample.key}/{i}.png"} for i, page in enumerate(sample.images)]


def _samples(shards: list[str], bar: tqdm) -> Iterator[StoredSample]:
    for shard in shards:
        for sample in iter_shard(shard):
            bar.update()
            yield sample


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def check_out(out: str) -> None:
    """Refuse an existing OUT and an OUT whose nearest existing parent cannot be written."""
    if os.path.lexists(out):
        raise ValueError(f"--out {out} already exists; remove it or choose another folder")
    parent = os.path.dirname(os.path.abspath(out))
    while not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent) or not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"--out {out}: cannot write in {parent}; choose a writable folder")


def list_builds(builds: list[str]) -> list[str]:
    """Every shard of `builds`, in order; refuses a build without shards and two builds whose keys would clash."""
    shards: list[str] = []
    owner: dict[str, str] = {}
    for build in builds:
        found = list_shards(build)
        if not found:
            raise ValueError(f"{build}: no shards (*.tar) in this folder; build them with "
                             f"`python -m pipelines.build --out {build}`")
        for shard in found:
            name = os.path.basename(shard)
            if name in owner:
                raise ValueError(f"{build} and {owner[name]} both hold {name} (the same engine's keys); "
                                 f"export them apart")
            owner[name] = build
        shards += found
    return shards


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog=PROG, description="Export builds (folders of shards) to GOT's conversation JSON "
                                           "or a Hugging Face parquet dataset.")
    parser.add_argument("folders", nargs="+", metavar="BUILD",
                        help="build folders, e.g. data/charts (or fsspec URLs); several export as one dataset")
    parser.add_argument("--format", required=True, choices=("got", "hf"),
                        help="got: conversations.json + images/ for GOT's trainer; hf: parquet for `datasets`")
    parser.add_argument("--out", required=True, help="new folder to create, e.g. export/charts")
    parser.add_argument("--tile-size", type=int, default=1024,
                        help="got: side of the multi-crop tiles written, GOT's encoder input (default: 1024)")
    parser.add_argument("--max-tiles", type=int, default=6,
                        help="got: most multi-crop tiles per image, thumbnail not counted (default: 6)")
    args = parser.parse_args(argv)
    try:
        if args.tile_size < 1 or args.max_tiles < 1:
            raise ValueError("--tile-size and --max-tiles must be at least 1")
        shards = list_builds(args.folders)
        check_out(args.out)
    except (FileNotFoundError, ValueError) as e:
        fail(PROG, str(e))
    manifests = [read_manifest(build) for build in args.folders]
    total = None if None in manifests else sum(s["samples"] for m in manifests for s in m.get("shards", [])) or None
    out = os.path.abspath(args.out)
    tmp = f"{out}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        os.makedirs(tmp)
    except OSError as e:
        fail(PROG, f"--out {args.out}: cannot create a folder there ({e.strerror}); choose a writable folder")
    try:
        with tqdm(total=total, unit="sample", desc=f"export {args.format}", file=sys.stderr) as bar:
            if args.format == "got":
                n = export_got(shards, tmp, args.tile_size, args.max_tiles, bar)
            else:
                n = export_hf(shards, tmp, bar)
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    where = (f"register in GOT/utils/constants.py as {{'images': '{out}/images/', "
             f"'annotations': '{out}/conversations.json'}}" if args.format == "got"
             else f"load with datasets.load_dataset('parquet', data_dir='{out}')")
    print(f"exported {n} samples from {len(shards)} shards of {', '.join(args.folders)} to {out} ({args.format}); "
          f"{where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
