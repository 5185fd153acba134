"""The dataset card: every build writes OUT/README.md in the Hugging Face dataset-card form.

So `huggingface-cli upload` of a build folder gives a usable dataset page: YAML front matter that the
Hub reads (licences, task category, languages, size category, the data files, the features and the
split), then where every part of the content comes from and under which licence, what was built, with
which command, seed and versions. The card is made with `huggingface_hub`'s own card classes
(`DatasetCard`, `DatasetCardData`), and its features are written from the record schema itself
(`shards.format.RECORD_FIELDS`) in the very form `datasets.load_dataset("webdataset", ...)` infers
them, with a split that `datasets` reads without a warning (a test checks both on a real build), since
a card whose declared features differ from the data makes the Hub's loader fail.

Where content comes from (`origins`): the built-in sources are named here engine by engine (the
document engines' prose from `engines.prose.SOURCES`, the build's `prose` setting); a `--source` build
is the user's own data, named by its base name only, never by a path of the machine that built it.

The manifest does not list languages or tasks, so they are taken from a seeded sample of records
(`CARD_SAMPLE`; every record of a smaller build). The card holds no timings: a resumed build writes
the same card as an uninterrupted one.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass
from typing import Any

import fsspec
from huggingface_hub import DatasetCard, DatasetCardData

from engines import prose
from pipelines.sampling import seeded_sample, shard_sizes
from shards.format import IMAGE_MEMBER, PAGES_KEY, RECORD_FIELDS
from shards.reader import read_manifest
from shards.writer import write_json_atomic

CARD = "README.md"
CARD_SAMPLE = 500
DTYPES = {str: "string", int: "int64"}
SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                   (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"))
CODE_LICENCE = "apache-2.0"  # the project's own: what its code draws from the seed is released under it
PROSE_ENGINES = ("docs", "doc_slices", "pages", "scene", "scene_crops", "handwriting")  # text from `engines.prose`
GENERATED = {  # what each engine's built-in source draws from the seed with its own code
    "charts": "chart topics, labels and values",
    "formulas": "LaTeX formulas",
    "tables": "tables (topics, row and column names, numbers)",
    "geometry": "TikZ figures",
    "sheet_music": "piano excerpts in **kern",
    "smoke": "lines of common words",
    "pages": "the pages' formulas, lists and tables around the prose",
    "docs": "page layouts (sizes, columns, faces)",
    "doc_slices": "page layouts (sizes, columns, faces)",
    "scene": "text placements, faces, colours and photo effects",
    "scene_crops": "text placements, faces, colours and photo effects",
    "handwriting": "hands (slant, size, pen, jitter), sheets and page layouts",
}
# data a built-in source draws besides prose: (part, origin, Hub licence id; "other" where the Hub has none)
DRAWN_FROM = {
    "scene": [("backgrounds", "photographs of Debian's `mate-backgrounds` and `plasma-workspace-wallpapers`", "gpl-2.0"),
              ("backgrounds", "photographs of Debian's `lomiri-wallpapers-16.04` and `-20.04` (CC-BY-4.0, CC-BY-SA-4.0, "
                              "CC-BY-SA-3.0 or CC0-1.0 per photo, photographer named in its file name)", "other"),
              ("backgrounds", "photographs of Debian's `lxqt-themes`", "lgpl-2.1"),
              ("backgrounds", "sample photographs of Debian's `opencv-doc` (Apache-2.0 and BSD-3-Clause)", "apache-2.0")],
    "handwriting": [("strokes", "English pen strokes from the Hershey fonts (public domain) and the EMS faces "
                                "(SIL OFL 1.1), npm `hersheytext`", "ofl-1.1"),
                    ("strokes", "Chinese stroke medians of Make Me a Hanzi, npm `hanzi-writer-data` (Arphic Public "
                                "License)", "other"),
                    ("fonts", "Chinese handwriting face Ma Shan Zheng (Google Fonts, The MaShanZheng Project Authors), "
                              "npm `@fontsource/ma-shan-zheng`", "ofl-1.1")],
}
DRAWN_FROM["scene_crops"] = DRAWN_FROM["scene"]
# stage-3 engines compose others' samples (`Engine.part`): their content is their parts'
COMPOSED = {"finegrained": ("docs", "scene"), "multipage": ("pages",), "multicrop": ("docs", "pages")}
MOLECULES = ("SMILES of RDKit's bundled NCI sample (`rdkit/Data/NCI/first_5K.smi`, compounds of the US National "
             "Cancer Institute's open database), distributed with RDKit under BSD-3-Clause")


@dataclass(frozen=True)
class Origin:
    """Where one part of a build's content comes from, and the licence it carries."""

    part: str
    origin: str
    licence: str  # a Hugging Face Hub licence id; "other" where the card cannot know it


def origins(engine: str, config: dict[str, Any]) -> list[Origin]:
    """The origins of a build's content, from its engine and config (as the manifest records them)."""
    source = config.get("source")
    if source is not None:
        name = posixpath.basename(str(source).rstrip("/\\")) or str(source)
        return [Origin("content", f"provided by the user (`--source {name}`); its licence applies", "other")]
    if engine in COMPOSED:
        parts = [o for part in COMPOSED[engine] for o in origins(part, config)]
        return list(dict.fromkeys(parts))  # the parts' origins, each once
    found = []
    if engine in PROSE_ENGINES:
        used = prose.SOURCES[config.get("prose") or prose.DEFAULT]
        packages = ", ".join(f"`{p}`" for p in used.packages.values())
        found.append(Origin("prose", f"{used.title}, as Debian ships it ({packages}); {used.terms}", used.licence))
    if engine == "molecules":
        found.append(Origin("molecules", MOLECULES, "bsd-3-clause"))
    found += [Origin(part, origin, licence) for part, origin, licence in DRAWN_FROM.get(engine, [])]
    if engine in GENERATED:
        found.append(Origin("generated", f"{GENERATED[engine]}, drawn from the seed by the engine's code",
                            CODE_LICENCE))
    return found or [Origin("content", f"not declared for the `{engine}` engine: see its documentation", "other")]


def features() -> list[dict[str, Any]]:
    """The webdataset features as `datasets` infers them: the record as a struct, the image, key and URL."""
    record = [{"name": name, "dtype": DTYPES[kind]} for name, kind in sorted(RECORD_FIELDS.items())]
    return [{"name": "json", "struct": record}, {"name": IMAGE_MEMBER, "dtype": "image"},
            {"name": "__key__", "dtype": "string"}, {"name": "__url__", "dtype": "string"}]


def size_category(n: int) -> str:
    """The Hub's size bucket for n samples."""
    return next((name for limit, name in SIZE_CATEGORIES if n < limit), "n>100M")


def build_command(manifest: dict[str, Any], out: str) -> str:
    """The `pipelines.build` command that makes this build again: every config field as its flag.

    Folders are given by their base names (run it beside them), so the card names no path of the machine.
    """
    words = ["python", "-m", "pipelines.build", "--engine", manifest["engine"], "--n", str(manifest["n"]),
             "--shard-size", str(manifest["shard_size"]), "--seed", str(manifest["seed"]),
             "--out", posixpath.basename(out.rstrip("/")) or out]
    for name, value in manifest["config"].items():
        flag = "--" + name.replace("_", "-")
        if name == "source" and value is not None:
            value = posixpath.basename(str(value).rstrip("/\\")) or value
        if isinstance(value, bool):
            words.append(flag if value else "--no-" + flag[2:])
        elif isinstance(value, list):
            words += [flag, *map(str, value)]
        elif value is not None:
            words += [flag, str(value)]
    return shlex.join(words)


def card_data(manifest: dict[str, Any], langs: list[str], found: list[Origin]) -> DatasetCardData:
    """The card's YAML header: the Hub's fields, the data files, the features and the one split."""
    licences = sorted({o.licence for o in found})
    return DatasetCardData(
        license=licences[0] if len(licences) == 1 else licences,
        task_categories=["image-to-text"],
        language=langs,
        tags=["ocr", "got-ocr2", "synthetic", "webdataset", manifest["engine"]],
        size_categories=[size_category(manifest["samples"])],
        pretty_name=f"GOT-OCR2.0 {manifest['engine']} samples",
        configs=[{"config_name": "default", "data_files": [{"split": "train", "path": "*.tar"}]}],
        # num_bytes: the shards' bytes; the Arrow table holds the same image and JSON bytes
        dataset_info={"features": features(), "download_size": manifest["bytes"], "dataset_size": manifest["bytes"],
                      "splits": [{"name": "train", "num_bytes": manifest["bytes"],
                                  "num_examples": manifest["samples"]}]},
    )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{reason} {count:,}" for reason, count in sorted(counts.items())) or "none"


def body(manifest: dict[str, Any], out: str, langs: list[str], tasks: list[str], found: list[Origin]) -> str:
    """The card's Markdown text: where the content comes from, what was built, how, and how to load it."""
    m, fields = manifest, ", ".join(f"`{k}`" for k in RECORD_FIELDS)
    skipped = m["engine_info"].get("skipped")
    lines = [
        f"# GOT-OCR2.0 training samples: `{m['engine']}` engine", "",
        f"{m['samples']:,} synthetic OCR samples for training GOT-OCR2.0 (General OCR Theory, arXiv 2409.01704) "
        f"and its successors, made by the `{m['engine']}` engine of got-data-engine, in {len(m['shards'])} "
        f"WebDataset shards of up to {m['shard_size']:,} samples.", "",
        f"- tasks: {', '.join(tasks)}; languages: {', '.join(langs) or 'none recorded'} "
        f"(from a seeded sample of up to {CARD_SAMPLE} records)",
        f"- failed draws, each drawn again with a derived seed: {_counts(m['failures'])}",
        *([f"- `--source` items skipped: {_counts(skipped)}"] if skipped else []), "",
        "## Sources and licences", "",
        *[f"- {o.part}: {o.origin} (licence: `{o.licence}`)" for o in found],
        "- the images are drawn by got-data-engine (Apache-2.0) with the tools listed under Versions; the "
        "samples carry the licences of the content above.", "",
        "## Format", "",
        f"Each sample is two tar members, the same two in every build of every engine: `KEY.{IMAGE_MEMBER}` (the "
        f"image, lossless; a multi-page sample's pages stacked top to bottom, their `[top, width, height]` in "
        f"meta's `{PAGES_KEY}`) and `KEY.json` with {fields}: GOT's query, the exact target text, the task, and "
        "`meta`, the engine's choices as one JSON string (`json.loads` it). Builds of several engines load together.",
        "",
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
    found = origins(manifest["engine"], manifest["config"])
    card = DatasetCard(f"---\n{card_data(manifest, langs, found).to_yaml()}\n---\n\n"
                       + body(manifest, out, langs, tasks, found))
    text = str(card)
    fs, root = fsspec.core.url_to_fs(out)
    path = posixpath.join(root, CARD)
    write_json_atomic(fs, path, text)
    return path
