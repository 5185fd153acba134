"""The dataset card: every build writes OUT/README.md in the Hugging Face dataset-card form.

So `huggingface-cli upload` of a build folder gives a usable dataset page: YAML front matter that the
Hub reads (licence, task category, languages, size category, the data files and the features), then
what was built, with which command, seed and versions. The features are written from the record
schema itself (`shards.format.RECORD_FIELDS`) and the build's image member, in the very form
`datasets.load_dataset("webdataset", ...)` infers them (a test checks it on a real build), since a
card whose declared features differ from the data makes the Hub's loader fail.

The manifest does not list languages or tasks, so they are taken from a seeded sample of records
(`CARD_SAMPLE`; every record of a smaller build). The card holds no timings: a resumed build writes
the same card as an uninterrupted one.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from typing import Any

import fsspec
import yaml

from pipelines.sampling import seeded_sample, shard_sizes
from shards.format import RECORD_FIELDS
from shards.reader import read_manifest
from shards.writer import write_json_atomic

CARD = "README.md"
CARD_SAMPLE = 500
DTYPES = {str: "string", int: "int64"}
SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                   (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"))


def features(image_ext: str) -> list[dict[str, Any]]:
    """The webdataset features as `datasets` infers them: the record as a struct, the image, key and URL."""
    record = [{"name": name, "dtype": DTYPES[kind]} for name, kind in sorted(RECORD_FIELDS.items())]
    return [{"name": "json", "struct": record}, {"name": image_ext, "dtype": "image"},
            {"name": "__key__", "dtype": "string"}, {"name": "__url__", "dtype": "string"}]


def size_category(n: int) -> str:
    """The Hub's size bucket for n samples."""
    return next((name for limit, name in SIZE_CATEGORIES if n < limit), "n>100M")


def build_command(manifest: dict[str, Any], out: str) -> str:
    """The `pipelines.build` command that makes this build again: every config field as its flag."""
    words = ["python", "-m", "pipelines.build", "--engine", manifest["engine"], "--n", str(manifest["n"]),
             "--shard-size", str(manifest["shard_size"]), "--seed", str(manifest["seed"]), "--out", out]
    for name, value in manifest["config"].items():
        flag = "--" + name.replace("_", "-")
        if isinstance(value, bool):
            words.append(flag if value else "--no-" + flag[2:])
        elif isinstance(value, list):
            words += [flag, *map(str, value)]
        elif value is not None:
            words += [flag, str(value)]
    return shlex.join(words)


def front_matter(manifest: dict[str, Any], langs: list[str], image_ext: str) -> dict[str, Any]:
    """The card's YAML header as a dict."""
    from_source = manifest["config"].get("source") is not None
    return {
        "license": "other" if from_source else "apache-2.0",
        "task_categories": ["image-to-text"],
        "language": langs,
        "tags": ["ocr", "got-ocr2", "synthetic", "webdataset", manifest["engine"]],
        "size_categories": [size_category(manifest["samples"])],
        "pretty_name": f"GOT-OCR2.0 {manifest['engine']} samples",
        "configs": [{"config_name": "default", "data_files": [{"split": "train", "path": "*.tar"}]}],
        "dataset_info": {"features": features(image_ext), "download_size": manifest["bytes"],
                         "splits": [{"name": "train", "num_examples": manifest["samples"]}]},
    }


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{reason} {count:,}" for reason, count in sorted(counts.items())) or "none"


def body(manifest: dict[str, Any], out: str, langs: list[str], tasks: list[str], image_ext: str) -> str:
    """The card's Markdown text: what was built, how, and how to load it."""
    m, fields = manifest, ", ".join(f"`{k}`" for k in RECORD_FIELDS)
    skipped = m["engine_info"].get("skipped")
    licence = ("Built from the user's `--source` files: their licence applies to this data."
               if m["config"].get("source") is not None else
               "Content drawn from the engine's built-in generators; released under Apache-2.0 like the code.")
    lines = [
        f"# GOT-OCR2.0 training samples: `{m['engine']}` engine", "",
        f"{m['samples']:,} synthetic OCR samples for training GOT-OCR2.0 (General OCR Theory, arXiv 2409.01704) "
        f"and its successors, made by the `{m['engine']}` engine of got-data-engine, in {len(m['shards'])} "
        f"WebDataset shards of up to {m['shard_size']:,} samples.", "",
        f"- tasks: {', '.join(tasks)}; languages: {', '.join(langs) or 'none recorded'} "
        f"(from a seeded sample of up to {CARD_SAMPLE} records)",
        f"- failed draws, each drawn again with a derived seed: {_counts(m['failures'])}",
        *([f"- `--source` items skipped: {_counts(skipped)}"] if skipped else []),
        f"- {licence}", "",
        "## Format", "",
        f"Each sample is two tar members: `KEY.{image_ext}` (the image; a multi-page sample is one multi-page TIFF) "
        f"and `KEY.json` with {fields}: GOT's query, the exact target text, the task, and `meta`, the engine's "
        "choices as one JSON string (`json.loads` it).", "",
        "```python",
        "import datasets",
        'ds = datasets.load_dataset("webdataset", data_files={"train": "*.tar"}, split="train")',
        "```", "",
        "## How it was made", "",
        "```sh", build_command(m, out), "```", "",
        f"Seed {m['seed']}: the same command gives byte-identical shards (sha256 of each in `manifest.json`). "
        f"Config hash `{m['config_hash']}`, shard format version {m['format_version']}.", "",
        "Versions: " + ", ".join(f"{name} {v}" for name, v in m["versions"].items()) + ".", "",
    ]
    return "\n".join(lines)


def write_card(out: str) -> str:
    """Write OUT/README.md for the finished build in `out` (atomically) and return its path.

    Raises:
        FileNotFoundError: `out` holds no finished build (no manifest.json or no shards).
    """
    manifest = read_manifest(out)
    if manifest is None:
        raise FileNotFoundError(f"{out}: no manifest.json; finish the build (rerun its command) first")
    records = [sample for _, sample in seeded_sample(shard_sizes(out), CARD_SAMPLE, seed=0)]
    langs = sorted({s.record["lang"] for s in records if re.fullmatch(r"[a-z]{2,3}", s.record["lang"])})
    tasks = sorted({s.record["task"] for s in records})
    image_ext = records[0].image_ext
    text = ("---\n" + yaml.safe_dump(front_matter(manifest, langs, image_ext), sort_keys=False, allow_unicode=True)
            + "---\n\n" + body(manifest, out, langs, tasks, image_ext))
    fs, root = fsspec.core.url_to_fs(out)
    path = posixpath.join(root, CARD)
    write_json_atomic(fs, path, text)
    return path
