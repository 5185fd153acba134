"""A build's shape at a glance: one self-contained HTML page of plots.

    python -m pipelines.report data/charts [--n 1000] [--out data/charts/report.html]
    python -m pipelines.report data/charts data/tables data/docs --out mix-report.html   # a mix's builds

What a user checks before training on two million samples, drawn as inline SVG (`pipelines.plots`) on
one page that opens offline: samples per kind and language, target length in GOT tokens, image
sizes, how each engine's samples look (renderers, faces, page kinds, columns and blocks: `LOOKS`), how samples
were captured (scanned, photographed, screenshotted: the share per preset per engine, the
effects, what the legibility gate lightened), failed draws by reason, skipped `--source` items by reason, the share
of `--source` draws kept (and a pseudo-labelled scene's detected lines by verdict), throughput per worker, and the
validation scores when `pipelines.validate` has written them. Counts of failures and skips come
from the manifest and the shards' stats files (exact); the figures about samples themselves come
from a seeded sample of them (`--n`, the whole build when smaller), read without streaming whole
shards, so the report of a build of millions takes seconds, and says how many samples it read.
Several builds (a stage mix's sources) make one page: the same plots over all of them, `--n`
samples read from each, failures and skips labelled by engine, one overview line per build.
"""

from __future__ import annotations

import html
import io
import json
import posixpath
import statistics
import sys
from collections import Counter, defaultdict
from typing import Any

import fsspec
from PIL import Image

from pipelines import plots
from pipelines.cli import Parser, UsageError, fail
from pipelines.sampling import seeded_sample, shard_stats
from pipelines.validate import VALIDATION
from renderers.capture import CaptureParams
from shards.reader import read_manifest
from shards.stats import ShardStats
from shards.writer import write_json_atomic
from tokenizer.got import get_tokenizer

PROG = "python -m pipelines.report"
REPORT = "report.html"

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 14px system-ui, sans-serif; margin: 16px auto; max-width: 980px; color: #222; }}
section {{ margin: 18px 0 26px; }}
h2 {{ font-size: 18px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }}
p.summary {{ margin: 4px 0 8px; }}
svg.plot {{ display: block; max-width: 100%; height: auto; }}
code {{ background: #f3f3f3; padding: 0 3px; }}
</style></head>
<body><h1>{title}</h1>
<p class="summary" id="overview">{overview}</p>
{sections}
</body></html>
"""


def _section(ident: str, heading: str, summary: str, plot: str = "") -> str:
    return (f'<section id="{ident}"><h2>{html.escape(heading)}</h2>'
            f'<p class="summary">{summary}</p>{plot}</section>')


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of an image member, from its header only (no decoding of pixels)."""
    with Image.open(io.BytesIO(data)) as im:
        return im.size


def samples_sections(rows: list[dict[str, Any]], total: int) -> list[str]:
    """Kinds and languages, target lengths and image sizes of the sampled records."""
    share = (f"all {len(rows):,} samples" if len(rows) == total
             else f"a seeded sample of {len(rows):,} of the {total:,} samples")
    kinds: dict[str, Counter] = {}
    for r in rows:
        kinds.setdefault(r["kind"], Counter())[r["lang"]] += 1
    langs = Counter(r["lang"] for r in rows)
    tokens = [r["tokens"] for r in rows]
    sizes = Counter(r["size"] for r in rows)
    (common_w, common_h), common_n = sizes.most_common(1)[0]
    widths, heights = [w for w, _ in sizes], [h for _, h in sizes]
    return [
        _section("kinds", "Samples per kind and language",
                 f"{len(kinds)} kind{'s' * (len(kinds) != 1)} in {share}; languages: "
                 + ", ".join(f"{lang} {c:,}" for lang, c in langs.most_common()) + ".",
                 plots.bars(sorted(((k, dict(v)) for k, v in kinds.items()), key=lambda kv: -sum(kv[1].values())),
                            "samples per kind, split by language")),
        _section("tokens", "Target length in GOT tokens",
                 f"median {statistics.median(tokens):,.0f}, 95th percentile "
                 f"{sorted(tokens)[int(0.95 * (len(tokens) - 1))]:,}, longest {max(tokens):,} tokens "
                 f"(Qwen BPE with GOT's tokens) over {share}.",
                 plots.histogram(tokens, "target length in tokens", "tokens per target")),
        _section("sizes", "Image sizes",
                 f"{len(sizes):,} distinct sizes, {min(widths):,} to {max(widths):,} px wide and {min(heights):,} "
                 f"to {max(heights):,} px high"
                 + (f"; most common {common_w} x {common_h} px ({common_n:,} samples)." if common_n > 1 else "."),
                 plots.scatter([r["size"] for r in rows], "image width against height", "width (px)", "height (px)")),
    ] + _line_verdicts(rows, share)


def _line_verdicts(rows: list[dict[str, Any]], share: str) -> list[str]:
    """The detected lines of the kept pseudo-labelled photos by verdict (`line_verdicts` in a scene's meta): how
    many the target names, and why the rest, read too unsurely to be legible text, stay unnamed."""
    lines: Counter[str] = Counter()
    for r in rows:
        lines.update(r["lines"] or {})
    if not lines:
        return []
    return [_reasons("lines", "Detected lines of the kept photos by verdict", dict(lines), "",
                     f"{lines['kept']:,} of {sum(lines.values()):,} detected lines kept "
                     f"({lines['kept'] / sum(lines.values()):.1%}) "
                     f"in the kept photos of {share}; the others were read too unsurely to count as legible.")]


def capture_of(meta: dict[str, Any]) -> tuple[str, list[str], str]:
    """(preset, effects, gate reason) of a sample: its `--capture`, else an engine's own degradation (handwriting,
    scene, sheet music), else "clean"."""
    if meta.get("capture"):
        p = CaptureParams.from_dict(meta["capture"])
        return (p.preset if p.preset != "none" else "clean"), p.effects, p.gated
    own = meta.get("degrade") or {}
    if own.get("preset", "none") != "none":
        return f"{own['preset']} (engine's own)", [], ""
    return "clean", [], ""


def capture_section(rows: list[dict[str, Any]]) -> str:
    """The share of each engine's sampled samples per capture preset, the effects and the gate's reasons."""
    by_engine: dict[str, Counter] = {}
    effects: dict[str, Counter] = {}
    gated: dict[str, Counter] = {}
    for r in rows:
        preset, on, why = r["capture"]
        by_engine.setdefault(r["engine"], Counter())[preset] += 1
        effects.setdefault(r["engine"], Counter()).update(on)
        if why:
            gated.setdefault(r["engine"], Counter())[why] += 1
    lines, bars = [], []
    for engine, counts in sorted(by_engine.items()):
        n = sum(counts.values())
        bars.append((engine, {preset: round(100 * c / n, 1) for preset, c in sorted(counts.items())}))
        line = (f"<code>{html.escape(engine)}</code>: {1 - counts['clean'] / n:.0%} of {n:,} captured ("
                + ", ".join(f"{p} {c / n:.0%}" for p, c in counts.most_common() if p != "clean") + ")")
        if effects.get(engine):
            line += "; effects: " + ", ".join(f"{e} {c}" for e, c in effects[engine].most_common())
        if gated.get(engine):
            line += "; lightened by the legibility gate: " + ", ".join(f"{g} {c}" for g, c in gated[engine].most_common())
        lines.append(line + ".")
    return _section("capture", "Capture: scanned, photographed, screenshotted", "<br>".join(lines),
                    plots.bars(bars, "share of samples per capture preset, by engine (%)"))


# What each engine records in its meta about how a sample looks (renderer, faces, layout, style), as dotted meta
# paths: a value is counted as it is, a list's items one by one, a dict's keys where their value is truthy (the
# blocks a page shows). One line per engine in the report; an engine not named here shows only its capture.
LOOKS: dict[str, tuple[str, ...]] = {
    "charts": ("renderer", "kind", "spec.style.font", "spec.style.palette", "spec.style.publisher",
               "spec.style.end_labels", "spec.style.panels", "notes.topic"),
    "formulas": ("renderer", "style.font", "display", "where"),
    "tables": ("lang", "style.font", "style.sans"),
    "molecules": ("renderer", "atom_numbers", "r_groups", "stereo_drawn"),
    "geometry": ("kind", "latex"),
    "sheet_music": ("origin", "options.music_font", "header", "drawn_by"),
    "docs": ("lang", "unit", "layout.kind", "layout.face", "layout.heading_face", "layout.columns", "layout.blocks"),
    "doc_slices": ("lang", "unit", "layout.kind", "layout.face", "layout.columns", "layout.blocks"),
    "pages": ("lang", "engine", "style.family", "style.columns", "document_blocks"),
    "handwriting": ("lang", "kind", "hand.font", "sheet.kind"),
    "scene": ("lang", "background"),
    "scene_crops": ("lang", "background"),
    "finegrained": ("part", "region", "lang"),
    "multicrop": ("part", "layout", "lang"),
    "multipage": ("lang", "sources"),
}


def looks_of(engine: str, meta: dict[str, Any]) -> dict[str, list[str]]:
    """The values of an engine's `LOOKS` paths in one sample's meta (a path it lacks is left out)."""
    out = {}
    for path in LOOKS.get(engine, ()):
        value: Any = meta
        for key in path.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            continue
        if isinstance(value, dict):
            out[path] = [str(k) for k, v in value.items() if v]
        elif isinstance(value, list):
            out[path] = [str(v) for v in value]
        else:
            out[path] = [str(value)]
    return out


def looks_shares(rows: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, float]]]:
    """Per engine, per `LOOKS` path, the share of the engine's sampled samples showing each value, commonest first
    (a list's or dict's values are counted once per sample: shares of samples, which may sum past 1)."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for engine in sorted({r["engine"] for r in rows}):
        mine = [r["looks"] for r in rows if r["engine"] == engine]
        paths = {path: Counter(v for looks in mine for v in set(looks.get(path, []))) for path in LOOKS.get(engine, ())}
        out[engine] = {path: {v: round(c / len(mine), 3) for v, c in counts.most_common()}
                       for path, counts in paths.items() if counts}
    return out


def layout_section(rows: list[dict[str, Any]]) -> list[str]:
    """Per engine, how its samples look: the shares of renderers, faces, page kinds, columns and blocks shown, as
    each engine records them (`LOOKS`): how much of the build looks like which real documents."""
    shares = {e: by_path for e, by_path in looks_shares(rows).items() if by_path}
    if not shares:
        return []
    lines = []
    for engine, by_path in shares.items():
        parts = [f"{html.escape(path)}: " + ", ".join(f"{html.escape(v)} {c:.0%}" for v, c in list(values.items())[:8])
                 + (f" (+{len(values) - 8} more)" if len(values) > 8 else "") for path, values in by_path.items()]
        lines.append(f"<code>{html.escape(engine)}</code>: " + "; ".join(parts) + ".")
    return [_section("layouts", "Renderers, faces and layouts by engine",
                     "Share of each engine's sampled samples showing each value (blocks and lists: share of samples "
                     "showing it).<br>" + "<br>".join(lines))]


def _reasons(ident: str, heading: str, counts: dict[str, int], none: str, summary: str) -> str:
    if not counts:
        return _section(ident, heading, none)
    rows = sorted(((reason, {"count": float(c)}) for reason, c in counts.items()), key=lambda kv: -kv[1]["count"])
    return _section(ident, heading, summary, plots.bars(rows, heading.lower()))


def build_sections(builds: list[tuple[dict[str, Any], list[ShardStats]]]) -> list[str]:
    """Failed draws, skipped --source items and throughput, from the manifests and stats files.

    Reasons are labelled `engine: reason` when there are several builds.
    """
    failures: Counter[str] = Counter()
    skipped: Counter[str] | None = None
    for manifest, _ in builds:
        label = f"{manifest['engine']}: " if len(builds) > 1 else ""
        failures.update({label + reason: c for reason, c in manifest["failures"].items()})
        if (source_skips := manifest["engine_info"].get("skipped")) is not None:
            skipped = (skipped or Counter()) + Counter({label + reason: c for reason, c in source_skips.items()})
    made = sum(manifest["samples"] for manifest, _ in builds)
    failed = sum(failures.values())
    kept = [f"{manifest['engine']}: {manifest['samples']:,} of {manifest['samples'] + sum(manifest['failures'].values()):,}"
            f" ({manifest['samples'] / max(1, manifest['samples'] + sum(manifest['failures'].values())):.1%})"
            for manifest, _ in builds if manifest.get("config", {}).get("source")]
    stats = [st for _, shards in builds for st in shards]
    rates = [s.samples / s.seconds for s in stats if s.seconds > 0]
    worker_s = sum(s.seconds for s in stats)
    return [
        _reasons("failures", "Failed draws by reason", failures, "No failed draws.",
                 f"{failed:,} failed draws for {made:,} samples ({failed / (made + failed):.1%} of draws), "
                 "each drawn again with a derived seed."),
        _reasons("skipped", "Skipped --source items by reason", skipped or {},
                 "No <code>--source</code> items skipped." if skipped is not None
                 else "Built without <code>--source</code>: nothing to skip.",
                 f"{sum((skipped or {}).values()):,} items of the user's <code>--source</code> skipped."),
        *([_section("kept", "Kept --source draws",
                    "Draws from the user's <code>--source</code> that became samples (a pseudo-labelled photo is "
                    "kept only when the reader is sure of every legible line; the refused ones are the failed "
                    "draws above, by reason): " + "; ".join(kept) + ".")] if kept else []),
        _section("throughput", "Throughput",
                 f"{made:,} samples in {worker_s:,.1f} worker-seconds over {len(stats)} shards: median "
                 f"{statistics.median(rates):.2f} samples/s per worker; peak worker memory "
                 f"{max(s.peak_memory_bytes for s in stats) / 2**20:,.0f} MiB.",
                 plots.histogram(rates, "samples per second per worker, by shard", "samples/s per worker")),
    ]


def validation_section(report: dict[str, Any] | None) -> str:
    """Score histograms per (engine, task, lang) with the flag threshold marked, or how to get them."""
    if report is None:
        return _section("validation", "Validation", "Not validated yet: run <code>python -m pipelines.validate "
                        "OUT</code>, then this report again.")
    parts, lines = [], []
    scored: dict[tuple[str, str, str], list[float]] = defaultdict(list)  # one pass over the samples, not one a group
    for s in report["samples"]:
        scored[s["engine"], s["task"], s["lang"]].append(s["score"])
    for g in report["groups"]:
        name = f"{g['engine']} / {g['task']} / {g['lang']}"
        if g["reader"] is None:
            lines.append(f"{html.escape(name)}: {g['samples']} samples, no reader for this engine yet.")
            continue
        scores = scored[g["engine"], g["task"], g["lang"]]
        lines.append(f"{html.escape(name)}: mean {g['mean']:.3f}, {g['flagged']} of {g['samples']} flagged "
                     f"(under {g['threshold']}).")
        parts.append(f'<h3>{html.escape(name)}</h3>'
                     + plots.histogram(scores, f"independent reading score, {name}", "score (1 = target fully read)",
                                       lo=0.0, hi=1.0, marker=g["threshold"], marker_label="threshold"))
    flagged = [s for s in report["samples"] if s["flagged"]]
    keys = ", ".join(html.escape(s["key"]) for s in flagged[:20]) + (" ..." if len(flagged) > 20 else "")
    return _section("validation", "Validation by an independent reader",
                    "<br>".join(lines) + (f"<br>Flagged: {keys}" if flagged else ""), "".join(parts))


def sample_rows(sizes: list[tuple[str, int]], n: int, seed: int) -> list[dict[str, Any]]:
    """Kind, language, target tokens and image size of a seeded sample of the build."""
    count = get_tokenizer().count
    rows = []
    for _, s in seeded_sample(sizes, n, seed):
        rec = s.record
        rows.append({"kind": f"{rec['engine']} {s.meta.get('kind') or rec['task']}", "lang": rec["lang"],
                     "tokens": count(rec["target"]), "size": _image_size(s.image_bytes), "engine": rec["engine"],
                     "capture": capture_of(s.meta), "lines": s.meta.get("line_verdicts"),
                     "looks": looks_of(rec["engine"], s.meta)})
    return rows


def load_validation(outs: list[str], path: str | None) -> dict[str, Any] | None:
    """The validation report at `path`, else the builds' OUT/validation.json files merged, else None.

    Raises:
        FileNotFoundError: `path` was given and does not exist.
    """
    merged: dict[str, Any] | None = None
    for found in [path] if path else [out.rstrip("/") + "/" + VALIDATION for out in outs]:
        fs, local = fsspec.core.url_to_fs(found)
        if not fs.exists(local):
            if path is None:
                continue
            raise FileNotFoundError(f"--validation {path}: no such file; write it with `python -m pipelines.validate`")
        with fs.open(local, "r", encoding="utf-8") as f:
            report = json.load(f)
        if merged is None:
            merged = report
        else:
            merged["groups"] += report["groups"]
            merged["samples"] += report["samples"]
    return merged


def render(outs: list[str], n: int, seed: int, validation: str | None) -> str:
    """The report page of the builds in `outs` (one or several), `n` samples read from each.

    Raises:
        FileNotFoundError: no finished build in one of `outs`, or no such --validation file.
    """
    builds, rows, lines = [], [], []
    for out in outs:
        manifest = read_manifest(out)
        if manifest is None:
            raise FileNotFoundError(f"{out}: no manifest.json; finish the build (rerun its command) first")
        stats = shard_stats(out)
        builds.append((manifest, [st for _, st in stats]))
        rows += sample_rows([(shard, st.samples) for shard, st in stats], n, seed)
        lines.append(f"<code>{html.escape(manifest['engine'])}</code> engine"
                     + (f" ({html.escape(out)}): {manifest['samples']:,} samples, " if len(outs) > 1 else ", ")
                     + f"seed {manifest['seed']}, {len(stats)} shards, {manifest['bytes'] / 1e6:,.1f} MB; config "
                     f"<code>{html.escape(json.dumps(manifest['config'], ensure_ascii=False))}</code>.")
    total = sum(manifest["samples"] for manifest, _ in builds)
    if len(outs) == 1:
        title = f"Build report: {builds[0][0]['engine']}, {total:,} samples ({outs[0]})"
    else:
        engines = ", ".join(dict.fromkeys(manifest["engine"] for manifest, _ in builds))
        title = f"Build report: {len(outs)} builds ({engines}), {total:,} samples"
    sections = (samples_sections(rows, total) + layout_section(rows) + [capture_section(rows)] + build_sections(builds)
                + [validation_section(load_validation(outs, validation))])
    return PAGE.format(title=html.escape(title), overview="<br>".join(lines), sections="\n".join(sections))


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog=PROG, description="Write one self-contained HTML page of plots describing builds.")
    parser.add_argument("folders", nargs="+", metavar="BUILD",
                        help="output folders of pipelines.build (several, e.g. a mix's sources, make one page)")
    parser.add_argument("--n", type=int, default=1000,
                        help="samples read from each build for the per-sample plots (default: 1000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample read (default: 0)")
    parser.add_argument("--validation", default=None,
                        help=f"validation report to plot (default: OUT/{VALIDATION} when it exists)")
    parser.add_argument("--out", default=None,
                        help=f"HTML file to write (default: BUILD/{REPORT} for one build, ./{REPORT} for several)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    out = args.out or (args.folders[0].rstrip("/") + "/" + REPORT if len(args.folders) == 1 else REPORT)
    try:
        if args.n < 1:
            raise UsageError(f"--n must be at least 1, got {args.n}")
        page = render(args.folders, args.n, args.seed, args.validation)
    except (UsageError, FileNotFoundError) as e:
        fail(PROG, str(e))
    fs, path = fsspec.core.url_to_fs(out)
    fs.makedirs(posixpath.dirname(path), exist_ok=True)
    write_json_atomic(fs, path, page)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
