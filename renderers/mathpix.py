"""Mathpix-markdown-it in Chromium, GOT's formula and molecule renderer: Mathpix markdown -> HTML -> SVG -> PNG.

The page holds the package's browser bundle (`mathpix-markdown-it/es5/bundle.js`) inline and
loads MathJax once; one `evaluate` call then renders a whole batch of snippets, each into its own
box, and rasterises each snippet's one drawing (MathJax's SVG for math, smiles-drawer's SVG for
`<smiles>`) on a canvas of its own at the requested size. That is the paper's path. Batching is
what makes it fast: a page round trip is paid once per batch, and snippets that share options
go through one `markdownToHTML` call (each call costs milliseconds of set-up), split again at
marker paragraphs between them; when a snippet swallows a marker (say, an unclosed `\\[`) the split
does not come out one part per snippet and that group is typeset again one call per snippet.

Per-snippet isolation: a snippet's pixels depend only on its own text and style, never on its
batch-mates (the suite compares every snippet of a batch with its drawing alone), with one
exception MathJax imposes: its macro table outlives a call, so a snippet that defines a macro
(`\\def`, `\\newcommand`, ...) is refused ("mathpix_defines_macro") before it reaches the page. A
snippet MathJax or smiles-drawer cannot draw (an undefined command, unbalanced braces, a SMILES
syntax error) is a RenderError("mathpix_error") for that snippet only; so is one that draws
nothing, more than one drawing, or text beside its drawing ("mathpix_not_one_drawing"), and one
whose drawing would exceed `max_px` ("image_too_large"). The drawing's extent is its viewBox
grown to whatever overflows it (atom labels, italic overhangs), so nothing drawn is cut off.
"""

from __future__ import annotations

import base64
import functools
import io
import json
import re
from dataclasses import asdict, dataclass
from typing import Any, Sequence

from PIL import Image, ImageColor

from renderers.chromium import npm_asset, shared
from renderers.errors import RenderError
from renderers.result import Rendered

BUNDLE = "mathpix-markdown-it/es5/bundle.js"
PAGE = "mathpix"
# TeX primitives and LaTeX commands that change MathJax's state for every later call.
DEFINES = re.compile(r"\\(?:[gex]?def|let|futurelet|(?:re)?newcommand|providecommand|DeclareMathOperator|"
                     r"(?:re)?newenvironment|require|newcounter|setcounter|addtocounter|global)(?![a-zA-Z])")
RING_STYLES = ("default", "circle")

_SCRIPT = r"""
const MARK = 'GOTSPLIT7F3A';
// The HTML of each item: one markdownToHTML call per group of items with the same options (a call
// costs ms of set-up), split at marker paragraphs; a group whose split does not come out one part
// per item (a snippet swallowed a marker) is rendered again one call per item.
const typeset = (items) => {
  const html = new Array(items.length), groups = new Map();
  items.forEach((it, i) => {
    const key = it.mmd.includes(MARK) ? `alone${i}` : JSON.stringify(it.options);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(i);
  });
  for (const members of groups.values()) {
    let parts = null;
    if (members.length > 1) {
      try {
        const joined = members.map((i) => items[i].mmd).join(`\n\n${MARK}\n\n`);
        const holder = document.createElement('div');
        holder.innerHTML = window.markdownToHTML(joined, items[members[0]].options);
        parts = [[]];
        for (const node of [...holder.childNodes]) {
          if (node.nodeType === 1 && node.textContent.trim() === MARK && !node.querySelector('svg')) parts.push([]);
          else parts[parts.length - 1].push(node);
        }
        if (parts.length !== members.length) parts = null;
      } catch (e) {
        parts = null;
      }
    }
    members.forEach((i, k) => {
      if (parts) { html[i] = {nodes: parts[k]}; return; }
      try { html[i] = {text: window.markdownToHTML(items[i].mmd, items[i].options)}; }
      catch (e) { html[i] = {error: 'exception: ' + String(e).slice(0, 160)}; }
    });
  }
  return html;
};

// MathJax draws math as paths and rects in nested groups: those go straight onto the canvas, each
// with its own matrix (getCTM), which skips serialising the SVG and decoding it as an image (half of
// a formula's drawing time). Anything else (smiles-drawer's lines and text, MathJax's nested <svg>
// or <text>, transparency) goes the image way, as does everything while `window.gotVectorOff` is
// set (the suite compares the two ways). Returns whether it drew.
const VECTOR = new Set(['g', 'path', 'rect']);
const drawVector = (svg, ctx, toCanvas) => {
  if (window.gotVectorOff) return false;
  const nodes = [...svg.querySelectorAll('*')];
  if (nodes.some((n) => !VECTOR.has(n.tagName.toLowerCase()))) return false;
  const styles = nodes.map((n) => getComputedStyle(n));
  if (styles.some((s) => s.opacity !== '1' || s.fillOpacity !== '1' || s.strokeOpacity !== '1')) return false;
  const probe = svg.appendChild(document.createElementNS('http://www.w3.org/2000/svg', 'g'));
  const toViewBox = probe.getCTM().inverse();  // the svg's viewport pixels -> its viewBox units
  probe.remove();
  nodes.forEach((n, i) => {
    const s = styles[i], tag = n.tagName.toLowerCase();
    if (tag === 'g' || s.visibility !== 'visible' || s.display === 'none') return;
    const path = new Path2D(tag === 'path' ? n.getAttribute('d') || '' : undefined);
    if (tag === 'rect') path.rect(n.x.baseVal.value, n.y.baseVal.value, n.width.baseVal.value, n.height.baseVal.value);
    ctx.setTransform(toCanvas.multiply(toViewBox.multiply(n.getCTM())));
    if (s.fill !== 'none') { ctx.fillStyle = s.fill; ctx.fill(path, s.fillRule === 'evenodd' ? 'evenodd' : 'nonzero'); }
    const width = parseFloat(s.strokeWidth);
    if (s.stroke !== 'none' && width > 0) { ctx.lineWidth = width; ctx.strokeStyle = s.stroke; ctx.stroke(path); }
  });
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  return true;
};

let svgImagesSinceGc = 0;
window.gotRender = async (items) => {
  const root = document.getElementById('root');
  root.replaceChildren();
  // SVG images decoded by earlier calls are collected (see renderers.chromium.ChromiumConfig.args) once 32
  // have piled up, not every call: a collection takes about 25 ms, a batch of 40 formulas about 500.
  if (window.gc && svgImagesSinceGc >= 32) { window.gc(); svgImagesSinceGc = 0; }
  const html = typeset(items);
  const prepared = items.map((it, i) => {
    if (html[i].error) return {error: html[i].error};
    const box = document.createElement('div');
    box.style.cssText = `font-size:${it.font_px}px;color:${it.color};display:inline-block;padding:0;margin:0`;
    root.appendChild(document.createElement('div')).appendChild(box);
    if (html[i].nodes) box.append(...html[i].nodes); else box.innerHTML = html[i].text;
    const bad = box.querySelector('error, .smiles-error, mjx-merror, [data-mml-node="merror"]');
    if (bad) return {error: (bad.textContent || bad.getAttribute('data-mjx-error') || 'error').slice(0, 160)};
    const svgs = [...box.querySelectorAll('svg')].filter((s) => !s.parentElement.closest('svg'));
    if (svgs.length !== 1) return {error: `${svgs.length} drawings`, kind: 'count'};
    const rest = box.cloneNode(true);
    rest.querySelectorAll('svg, [style*="display: none"], [style*="display:none"]').forEach((n) => n.remove());
    if (rest.textContent.trim()) return {error: `text beside the drawing: ${rest.textContent.trim().slice(0, 60)}`,
                                         kind: 'count'};
    return {svg: svgs[0]};
  });
  return Promise.all(prepared.map(async (p, i) => {
    if (!p.svg) return p;
    const it = items[i], svg = p.svg, rect = svg.getBoundingClientRect();
    const vb = svg.viewBox.baseVal;
    let x0 = vb.x, y0 = vb.y, x1 = vb.x + vb.width, y1 = vb.y + vb.height;
    const bb = svg.getBBox();  // what overflows the viewBox (labels, italic overhangs) is kept
    x0 = Math.min(x0, bb.x); y0 = Math.min(y0, bb.y);
    x1 = Math.max(x1, bb.x + bb.width); y1 = Math.max(y1, bb.y + bb.height);
    const unit = vb.width > 0 ? rect.width / vb.width : 1;  // CSS px per viewBox unit
    const w = (x1 - x0) * unit * it.scale, h = (y1 - y0) * unit * it.scale;
    if (!(w > 0 && h > 0)) return {error: 'empty drawing', kind: 'count'};
    const pad = it.padding_px;
    const cw = Math.ceil(w) + 2 * pad, ch = Math.ceil(h) + 2 * pad;
    if (Math.max(cw, ch) > it.max_px) return {error: `${cw} x ${ch} px`, kind: 'size'};
    const canvas = document.createElement('canvas');
    canvas.width = cw; canvas.height = ch;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = it.background;
    ctx.fillRect(0, 0, cw, ch);
    const k = unit * it.scale;  // image pixels per viewBox unit
    const paths = drawVector(svg, ctx, new DOMMatrix().translate(pad, pad).scale(k).translate(-x0, -y0));
    if (!paths) {
      const copy = svg.cloneNode(true);
      copy.setAttribute('viewBox', `${x0} ${y0} ${x1 - x0} ${y1 - y0}`);
      copy.setAttribute('width', `${w}px`);
      copy.setAttribute('height', `${h}px`);
      copy.setAttribute('style', `color:${it.color};overflow:visible`);
      const img = new Image();
      svgImagesSinceGc += 1;
      img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(copy));
      await img.decode();
      ctx.drawImage(img, pad, pad, w, h);
    }
    const url = canvas.toDataURL('image/png');
    return {png: url.slice(url.indexOf(',') + 1), css_px: [rect.width, rect.height],
            drawn_as: paths ? 'paths' : 'image'};
  }));
};
"""


@dataclass(frozen=True)
class MathpixStyle:
    """How one snippet is drawn; every field is JSON-safe and recorded in a sample's meta.

    Attributes:
        font_px: CSS font size the snippet is typeset at (MathJax's 1em; smiles-drawer ignores it).
        scale: image pixels per CSS pixel (above 1 draws the vector drawing larger, not blurrier).
        padding_px: blank border around the drawing, in image pixels.
        color: ink colour (MathJax and smiles-drawer draw in the current colour).
        background: opaque background colour.
        smiles_font_px: atom label size of a `<smiles>` drawing.
        smiles_rings: aromatic rings drawn "default" (alternating bonds) or "circle".
        smiles_colors: atom labels in element colours (False: all in `color`).
        smiles_gradient: bonds between coloured atoms shaded from one colour to the other.
        max_px: the longest side an image may have.
    """

    font_px: float = 20.0
    scale: float = 1.0
    padding_px: int = 8
    color: str = "#000000"
    background: str = "#ffffff"
    smiles_font_px: float = 14.0
    smiles_rings: str = "default"
    smiles_colors: bool = True
    smiles_gradient: bool = False
    max_px: int = 4096

    def __post_init__(self) -> None:
        if self.smiles_rings not in RING_STYLES:
            raise ValueError(f"smiles_rings must be one of {RING_STYLES}, got {self.smiles_rings!r}")
        if min(self.font_px, self.scale, self.smiles_font_px, self.max_px) <= 0 or self.padding_px < 0:
            raise ValueError(f"MathpixStyle needs positive sizes and padding_px >= 0, got {self}")
        ImageColor.getrgb(self.color)
        ImageColor.getrgb(self.background)

    def options(self) -> dict[str, Any]:
        """`markdownToHTML`'s options for this style."""
        # No emoji: markdown-it-emoji compiles a pattern of every emoji name on each call (two
        # thirds of a call's set-up), and a snippet is one drawing, never text that holds emoji.
        return {"outMath": {"include_latex": False, "include_svg": True, "include_error": True},
                "typographer": False, "linkify": False, "isDisableEmoji": True,
                "smiles": {"fontSize": self.smiles_font_px, "ringVisualization": self.smiles_rings,
                           "disableColors": not self.smiles_colors, "disableGradient": not self.smiles_gradient}}


@functools.lru_cache(maxsize=1)
def page_html() -> str:
    """The page: the bundle inline (no network), MathJax's styles loaded once, and the batch renderer.

    The snippets are laid out (their sizes are measured) inside a 0 x 0 box that clips them, so the
    page itself never paints or rasterises them: a tenth of the browser's time a molecule.
    """
    return ("<!doctype html><html><head><meta charset='utf-8'><script>" + npm_asset(BUNDLE) +
            "</script><script>" + _SCRIPT + "</script></head>"
            "<body style='margin:0;background:#fff'><div style='position:absolute;width:0;height:0;overflow:hidden'>"
            "<div id='root'></div></div>"
            "<script>window.loadMathJax();</script></body></html>")


def render_mathpix(snippets: Sequence[str], styles: Sequence[MathpixStyle] | MathpixStyle | None = None
                   ) -> list[Rendered | RenderError]:
    """Draw Mathpix-markdown snippets in the process's Chromium, one image each, in one page call.

    Args:
        snippets: Mathpix markdown, each drawing exactly one thing and nothing beside it: `\\[ ... \\]` or
            `\\( ... \\)` math, or `<smiles>SMILES</smiles>`.
        styles: one style per snippet, one style for all, or None for the default style.

    Returns:
        One entry per snippet, in order: a `Rendered` with the image (the drawing's extent plus the
        padding) and info {"renderer": "mathpix", "css_px": [width, height] as laid out, "drawn_as":
        "paths" (straight onto the canvas) or "image" (the SVG decoded as an image)}, or the
        RenderError it failed with: "mathpix_error" (MathJax or smiles-drawer refused it; the
        excerpt has the message), "mathpix_not_one_drawing", "image_too_large",
        "mathpix_defines_macro".

    Raises:
        FileNotFoundError: the npm package is not installed (run `make setup`).
        renderers.chromium.ChromiumError: the browser failed repeatedly (infrastructure, not the snippet).
    """
    if styles is None or isinstance(styles, MathpixStyle):
        styles = [styles or MathpixStyle()] * len(snippets)
    if len(styles) != len(snippets):
        raise ValueError(f"{len(snippets)} snippets but {len(styles)} styles")
    results: list[Rendered | RenderError | None] = [None] * len(snippets)
    items, where = [], []
    for i, (text, style) in enumerate(zip(snippets, styles)):
        if DEFINES.search(text):
            results[i] = RenderError("mathpix_defines_macro", text[:120])
            continue
        items.append({"mmd": text, "options": style.options(), **asdict(style)})
        where.append(i)
    # One JSON string each way: Playwright's own serialisation checks every nested value, which cost
    # more Python time per batch than decoding its images.
    replies = json.loads(shared().call(PAGE, page_html(), "async (text) => JSON.stringify(await "
                                       "window.gotRender(JSON.parse(text)))", json.dumps(items))) if items else []
    for i, reply in zip(where, replies):
        results[i] = _result(reply, snippets[i])
    return results  # type: ignore[return-value]


def _result(reply: dict[str, Any], snippet: str) -> Rendered | RenderError:
    if "png" not in reply:
        reason = {"count": "mathpix_not_one_drawing", "size": "image_too_large"}.get(reply.get("kind", ""),
                                                                                     "mathpix_error")
        return RenderError(reason, f"{reply.get('error', '')} | {snippet[:100]}")
    image = Image.open(io.BytesIO(base64.b64decode(reply["png"]))).convert("RGB")
    return Rendered([image], [], {"renderer": "mathpix", "css_px": [round(v, 2) for v in reply["css_px"]],
                                  "drawn_as": reply["drawn_as"]})
