"""A self-contained HTML page to check built samples by eye.

    python -m pipelines.gallery data/charts --n 48 --out gallery/charts.html
    python -m pipelines.gallery --flagged data/charts/validation.json --out gallery/flagged.html

The page embeds its images as data URIs and its script inline, so it opens offline, can be
mailed or attached to an issue, and shows exactly the bytes that went into the shards (a
multi-page sample's pages, stacked in one PNG, are shown one by one). Samples are taken from shards spread
evenly over the build, so a look at 48 samples sees the beginning, middle and end of a run.

A target that is one formula (`\\[ ... \\]`, `\\( ... \\)`) or one `<smiles>` is also drawn from its
own text by Mathpix-markdown-it (renderers.mathpix) and shown beside the image, so an eye compares
what the image shows with what the target says, not with its source text. A box prompt's region, and the
text quads a sample's meta holds (`quads`: a scene's lines), are outlined over the image.

Each card puts the image beside its target (the comparison the page exists for); a click on an
image shows it at full size (a click or Escape closes it), a long target scrolls inside its
capped box so one sample never fills the screen, and the header with its filters stays one
sticky line, however many folders the title names.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import os
import re
import sys
from collections import defaultdict
from typing import Iterator

from pipelines.cli import Parser, UsageError, fail
from shards.format import PAGES_KEY, encode_image
from shards.reader import StoredSample, iter_shard, list_shards, read_selected
from tokenizer.protocol import asked_box

PROG = "python -m pipelines.gallery"
# One formula (nothing after its closing delimiter) or one molecule: what `typeset` draws.
ONE_DRAWING = re.compile(r"\\\[(?:(?!\\\]).)*\\\]|\\\((?:(?!\\\)).)*\\\)|<smiles>[^<]*</smiles>", re.S)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 14px system-ui, sans-serif; margin: 16px; background: #f4f4f4; }}
header {{ position: sticky; top: 0; background: #f4f4f4; padding: 8px 0; z-index: 1; display: flex;
          align-items: center; gap: 12px; white-space: nowrap; }}
header h1 {{ font-size: 16px; margin: 0; flex: 1 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; }}
#grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(640px, 1fr)); gap: 12px; }}
.card {{ background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 8px; overflow: hidden;
        display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 8px; align-items: start; }}
.card img {{ max-width: 100%; border: 1px solid #eee; display: block; margin-bottom: 4px; cursor: zoom-in; }}
.boxed {{ position: relative; margin-bottom: 4px; }}
.boxed img {{ margin-bottom: 0; }}
.asked {{ position: absolute; outline: 2px solid #e0f; box-shadow: 0 0 0 9999px rgba(0, 0, 0, .15);
          pointer-events: none; }}
.quads {{ position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }}
.quads polygon {{ fill: rgba(0, 200, 0, .08); stroke: #0c0; stroke-width: 2px; vector-effect: non-scaling-stroke; }}
.card pre {{ white-space: pre-wrap; word-break: break-word; background: #fafafa; padding: 6px; margin: 4px 0; }}
.card pre.target {{ max-height: 360px; overflow-y: auto; }}
.tags span {{ display: inline-block; background: #e8eefc; border-radius: 3px; padding: 0 6px; margin-right: 4px; }}
#zoom {{ display: none; position: fixed; inset: 0; background: rgba(0, 0, 0, .85); z-index: 2; overflow: auto;
        cursor: zoom-out; }}
#zoom.open {{ display: block; }}
#zoom img {{ display: block; margin: 16px auto; background: #fff; }}
</style></head>
<body><header><h1 title="{title}">{title}</h1>
<label>engine <select id="engine"></select></label>
<label>task <select id="task"></select></label>
<label>lang <select id="lang"></select></label>
<span id="count"></span></header>
<div id="zoom"><img alt="enlarged image"></div>
<div id="grid">
{cards}
</div>
<script>
const cards = Array.from(document.querySelectorAll('.card'));
const fields = ['engine', 'task', 'lang'];
for (const f of fields) {{
  const sel = document.getElementById(f);
  const values = Array.from(new Set(cards.map(c => c.dataset[f]))).sort();
  for (const v of ['all', ...values]) {{
    const o = document.createElement('option'); o.value = o.textContent = v; sel.appendChild(o);
  }}
  sel.addEventListener('change', apply);
}}
function apply() {{
  let shown = 0;
  for (const c of cards) {{
    const ok = fields.every(f => {{ const v = document.getElementById(f).value; return v === 'all' || c.dataset[f] === v; }});
    c.style.display = ok ? '' : 'none';
    shown += ok;
  }}
  document.getElementById('count').textContent = shown + ' of ' + cards.length + ' samples';
}}
apply();
const zoom = document.getElementById('zoom');
for (const img of document.querySelectorAll('.card img')) {{
  img.addEventListener('click', () => {{ zoom.firstElementChild.src = img.src; zoom.classList.add('open'); }});
}}
zoom.addEventListener('click', () => zoom.classList.remove('open'));
document.addEventListener('keydown', e => {{ if (e.key === 'Escape') zoom.classList.remove('open'); }});
</script></body></html>
"""


def pick(folders: list[str], n: int) -> Iterator[StoredSample]:
    """Up to n samples, taken round-robin from shards spread evenly over all folders."""
    shards = [s for folder in folders for s in list_shards(folder)]
    if not shards:
        raise UsageError(f"no shards (*.tar) in {', '.join(folders)}; build some with `python -m pipelines.build`")
    k = min(n, len(shards))
    chosen = [shards[i * len(shards) // k] for i in range(k)]
    streams = [iter_shard(s) for s in chosen]
    taken = 0
    for group in itertools.zip_longest(*streams):
        for sample in group:
            if sample is not None and taken < n:
                taken += 1
                yield sample
        if taken >= n:
            return


def image_uris(sample: StoredSample) -> list[str]:
    if PAGES_KEY not in sample.meta:
        return [f"data:image/png;base64,{base64.b64encode(sample.image_bytes).decode()}"]
    return [f"data:image/png;base64,{base64.b64encode(encode_image(page)).decode()}"
            for page in sample.images]  # a multi-page sample: one PNG per page


def typeset(samples: list[StoredSample]) -> dict[str, str]:
    """key -> HTML of the target drawn from its text, for every formula or SMILES target, in one browser call.

    Where Chromium or the npm assets are missing the page is still written, with a note instead.
    """
    wanted = [s for s in samples if ONE_DRAWING.fullmatch(s.record.get("target", "").strip())]
    if not wanted:
        return {}
    try:
        from renderers.mathpix import render_mathpix  # Playwright: only when there is something to draw
        drawn = render_mathpix([s.record["target"].strip() for s in wanted])
    except Exception as e:  # noqa: BLE001 - an eye-check aid; the page is worth writing without it
        return {s.key: f'<pre class="note">target not typeset: {html.escape(str(e)[:200])}</pre>' for s in wanted}
    out = {}
    for sample, result in zip(wanted, drawn):
        if hasattr(result, "reason"):
            out[sample.key] = f'<pre class="note">the target does not typeset: {html.escape(result.reason)}</pre>'
        else:
            uri = base64.b64encode(encode_image(result.image)).decode()
            out[sample.key] = f'<img alt="target typeset" src="data:image/png;base64,{uri}">'
    return out


def card(sample: StoredSample, note: str = "", drawn_target: str = "") -> str:
    rec = sample.record
    esc = html.escape
    imgs = "".join(f'<img alt="{esc(sample.key)} page {i}" src="{u}">' for i, u in enumerate(image_uris(sample)))
    box = asked_box(rec.get("prompt", ""))
    if box:  # a box prompt: the region it asks about, drawn over the image (GOT's coordinates are per mille)
        x1, y1, x2, y2 = (v / 10 for v in box)
        imgs = (f'<div class="boxed">{imgs}<div class="asked" style="left:{x1}%;top:{y1}%;width:{x2 - x1:.1f}%;'
                f'height:{y2 - y1:.1f}%"></div></div>')
    quads = sample.meta.get("quads")
    if quads and PAGES_KEY not in sample.meta:  # a scene's text lines (image pixels), outlined over the image
        width, height = sample.images[0].size
        shapes = "".join(f'<polygon points="{" ".join(f"{x},{y}" for x, y in quad)}"/>' for quad in quads)
        imgs = (f'<div class="boxed">{imgs}<svg class="quads" viewBox="0 0 {width} {height}" '
                f'preserveAspectRatio="none">{shapes}</svg></div>')
    meta = json.dumps(sample.meta, ensure_ascii=False, indent=1)
    return (f'<div class="card" data-engine="{esc(str(rec.get("engine")))}" data-task="{esc(str(rec.get("task")))}" '
            f'data-lang="{esc(str(rec.get("lang")))}"><div class="media">{imgs}</div><div class="text">'
            f'<div class="tags"><span>{esc(sample.key)}</span><span>{esc(str(rec.get("task")))}</span>'
            f'<span>{esc(str(rec.get("lang")))}</span></div>'
            + (f'<b>flagged</b><pre class="note">{esc(note)}</pre>' if note else "")
            + f'<b>prompt</b><pre>{esc(rec.get("prompt", ""))}</pre>'
            f'<b>target</b><pre class="target">{esc(rec.get("target", ""))}</pre>'
            + (f"<b>target, typeset by Mathpix-markdown-it</b>{drawn_target}" if drawn_target else "")
            + f'<details><summary>meta</summary><pre>{esc(meta)}</pre></details></div></div>')


def flagged_cards(report: str, n: int) -> list[str]:
    """Cards of up to n samples that a `pipelines.validate` report flagged, each with its score and figures.

    Raises:
        UsageError: `report` cannot be read as a validation report.
    """
    try:
        with open(report, encoding="utf-8") as f:
            rows = [r for r in json.load(f)["samples"] if r["flagged"]][:n]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise UsageError(f"--flagged {report}: not a readable `python -m pipelines.validate` report ({e})") from None
    by_shard: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in rows:
        by_shard[r["shard"]][r["key"]] = r
    samples = [s for shard, wanted in by_shard.items() for s in read_selected(shard, keys=wanted)]
    drawn = typeset(samples)
    by_key = {r["key"]: r for r in rows}
    return [card(s, f"score {by_key[s.key]['score']} under {by_key[s.key]['threshold']}: "
                    + json.dumps(by_key[s.key]["details"], ensure_ascii=False), drawn.get(s.key, "")) for s in samples]


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog=PROG, description="Write one self-contained HTML page showing built samples.")
    parser.add_argument("folders", nargs="*", help="output folders of pipelines.build (several engines may be mixed)")
    parser.add_argument("--flagged", default=None, metavar="REPORT.json",
                        help="show only the samples this pipelines.validate report flagged, instead of folders")
    parser.add_argument("--n", type=int, default=48, help="samples to show (default: 48)")
    parser.add_argument("--out", default="gallery/index.html", help="HTML file to write (default: gallery/index.html)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.n < 1:
            raise UsageError(f"--n must be at least 1, got {args.n}")
        if args.flagged:
            cards = flagged_cards(args.flagged, args.n)
        elif not args.folders:
            raise UsageError("give the build folders to show, or --flagged REPORT.json")
        else:
            samples = list(pick(args.folders, args.n))
            drawn = typeset(samples)
            cards = [card(s, drawn_target=drawn.get(s.key, "")) for s in samples]
    except (UsageError, FileNotFoundError) as e:
        fail(PROG, str(e))
    title = (f"{len(cards)} samples flagged in {args.flagged}" if args.flagged
             else f"{len(cards)} samples from {', '.join(args.folders)}")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = f"{args.out}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(PAGE.format(title=html.escape(title), cards="\n".join(cards)))
    os.replace(tmp, args.out)
    print(f"wrote {args.out}: {len(cards)} samples, {os.path.getsize(args.out) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
