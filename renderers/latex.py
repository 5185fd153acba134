"""Real LaTeX (pdflatex or xelatex), sandboxed, many snippets per run, one tightly cropped image per snippet.

The trade-off: starting TeX and loading a preamble (TikZ, ctex) costs most of a compile, so a
process per formula spends its time on start-up; one document whose every page is one snippet
(the `standalone` class with `multi`, each page cropped to its content plus `margin_pt`) pays
it once per batch. Batching brings one risk: a bad snippet spoils its batch-mates. So each
snippet is framed by markers (in the log: pages shipped, group and conditional depth; in a
small file, which survives a killed run) that map every error, forbidden access and stray page
to the snippet that caused it. Snippets before the first bad one keep their pages; the bad one
is confirmed by compiling it alone (so its error is its own, not a batch-mate's); the rest are
compiled again. A batch of n with k bad snippets costs about k + 1 batch runs plus k single runs.

Batched and alone give the same bytes for a good snippet: every snippet starts from the same
state (LaTeX counters reset to their values at `\\begin{document}`, random seeds of LaTeX3
and pgf set to 1), page size comes from the snippet's own box, and pages rasterise
independently. What a snippet defines globally (`\\gdef`, `\\newcounter`) does leak into its
batch-mates: snippets must be self-contained bodies.

The sandbox: `-no-shell-escape`; kpathsea's `openin_any=p`, `openout_any=p` (no reading or
writing of absolute paths, `..` or dot files); a private working folder per run, removed after;
HOME inside it, so TeX's caches land there too (bitmap fonts METAFONT makes for fonts without
Type 1 outlines, e.g. T1-encoded Computer Modern without cm-super: slow, but contained); the
address space capped with util-linux's `prlimit` (set before TeX starts, unlike
`resource.setrlimit` in a `preexec_fn`, which is unsafe in threaded Ray workers); the whole
process group killed at the timeout. Beyond what TeX refuses,
a snippet that asks for the shell (`\\write18`) or opens any file for writing is refused as
"latex_forbidden", so nothing it writes can reach a later snippet. Pages larger than
`max_page_pt` are refused before rasterising ("page_too_large"), and blank ones ("latex_blank")
because their target would describe nothing visible.

Whole documents (`compile_document`: a page layout, a real paper with its own files) run in the same
sandbox, with the document's own page breaks, as many passes as cross-references need and BibTeX or
Biber between them; they return the PDF (and the `.aux`) for the caller to rasterise with
`renderers.pymupdf`. A document may write its own auxiliary files in its private folder; any TeX error
fails it, since a page typeset after an error may not show what its source says.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence, TypeVar

import pymupdf
from PIL import ImageOps

from renderers.errors import RenderError
from renderers.pymupdf import PdfDocument
from renderers.result import Rendered

K = TypeVar("K")

TEX_PROGRAMS = ("pdflatex", "xelatex")
JOB = "snippets"
# Chinese with xelatex: ctex with Debian's Noto CJK fonts (fonts-noto-cjk) instead of its default Fandol.
CJK_PREAMBLE = (r"\usepackage[fontset=none]{ctex}" "\n"
                r"\setCJKmainfont{Noto Serif CJK SC}\setCJKsansfont{Noto Sans CJK SC}"
                r"\setCJKmonofont{Noto Sans Mono CJK SC}")

# After the caller's preamble: markers, the per-snippet reset, missing glyphs as errors.
_WRAPPER = r"""
\makeatletter
\newcount\got@shipped
\AddToHook{shipout/after}{\global\advance\got@shipped\@ne}
\newwrite\got@markfile
\def\got@mark#1{\typeout{GOTMARK #1 \the\got@shipped\space\the\currentgrouplevel\space\the\currentiflevel}%
  \immediate\openout\got@markfile=\jobname.mark\relax
  \immediate\write\got@markfile{#1}\immediate\closeout\got@markfile}
\def\got@elt#1{\noexpand\setcounter{#1}{\the\csname c@#1\endcsname}}
\def\got@snapshot{{\let\@elt\got@elt\xdef\got@counters{\cl@@ckpt}}}
\def\got@reset{\got@counters
  \ifcsname sys_gset_rand_seed:n\endcsname\csname sys_gset_rand_seed:n\endcsname{1}\fi
  \ifdefined\pgfmathsetseed\pgfmathsetseed{1}\fi}
\makeatother
\tracinglostchars=3
"""
_SNIPPET = "\\csname got@mark\\endcsname{{{k} begin}}\\csname got@reset\\endcsname\n" \
           "\\begin{{gotsnippet}}%\n{body}%\n\\end{{gotsnippet}}\\csname got@mark\\endcsname{{{k} end}}\n"
_MARK = re.compile(r"^GOTMARK (\d+) (begin|end) (\d+) (\d+) (\d+)$")
_OPENOUT = re.compile(r"^\\openout\d+ = `(.*)'\.$")
_REFUSED = re.compile(r"Not (?:reading from|writing to) (?!/dev/null)\S+")


@dataclass(frozen=True)
class LatexConfig:
    """How snippets are compiled and rasterised.

    Attributes:
        program: "pdflatex" or "xelatex" (Chinese and other Unicode fonts; see `CJK_PREAMBLE`).
        dpi: resolution of the images.
        margin_pt: white border around each snippet's box, in TeX points (1/72.27 inch).
        class_options: extra `standalone` options, e.g. ("varwidth",) for display math and paragraphs.
        timeout_s: wall-clock limit of one run (one batch) before its process group is killed.
        batch_size: most snippets per run: a longer list is cut into runs of this many (a bad
            snippet costs a rerun of the rest of its run, and one run must fit in `timeout_s`).
        memory_mb: address-space limit of the TeX process (xelatex with CJK fonts needs about 1 GiB).
        max_page_pt: longest side a snippet's page may have, in PDF points (1/72 inch).
        texts: also extract each image's text layer (lines with boxes) into `Rendered.texts`.
        tmp_root: where the private working folders are made; the system's temporary folder when None.
        date_epoch: the moment TeX's `\\today` and the PDF's dates say, in seconds since 1970 (UTC): a fixed date
            keeps a run reproducible; 0, the epoch's first day, unless the caller names one (a real paper's).
    """

    program: str = "pdflatex"
    dpi: float = 200.0
    margin_pt: float = 2.0
    class_options: tuple[str, ...] = ()
    timeout_s: float = 30.0
    memory_mb: int = 2048
    max_page_pt: float = 2000.0
    batch_size: int = 64
    texts: bool = False
    tmp_root: str | None = None
    date_epoch: int = 0

    def __post_init__(self) -> None:
        if self.program not in TEX_PROGRAMS:
            raise ValueError(f"LatexConfig.program must be one of {TEX_PROGRAMS}, got {self.program!r}")
        if (min(self.dpi, self.timeout_s, self.memory_mb, self.max_page_pt, self.batch_size) <= 0
                or min(self.margin_pt, self.date_epoch) < 0):
            raise ValueError(f"LatexConfig needs positive dpi, timeout_s, memory_mb, max_page_pt, batch_size and "
                             f"margin_pt, date_epoch >= 0, got {self}")


@dataclass
class _Run:
    """What one TeX run left behind."""

    pdf: bytes | None
    log: str
    stderr: str
    timed_out: bool
    last_mark: str


@dataclass
class _Verdict:
    """The log's reading: the first bad snippet (position in the batch) and why, or a preamble failure."""

    bad: int | None = None
    reason: str = ""
    excerpt: str = ""
    preamble: bool = False


def _document(snippets: Sequence[str], preamble: str, config: LatexConfig) -> str:
    options = ",".join(("multi=gotsnippet", f"border={config.margin_pt}pt", *config.class_options))
    body = "".join(_SNIPPET.format(k=k, body=s.strip()) for k, s in enumerate(snippets))
    return (f"\\documentclass[{options}]{{standalone}}\n{preamble}\n{_WRAPPER}\n"
            f"\\begin{{document}}\\csname got@snapshot\\endcsname\n{body}\\end{{document}}\n")


def _sandboxed(cmd: list[str], work: str, config: LatexConfig) -> tuple[str, bool]:
    """Run one TeX-suite command in the sandbox, in folder `work`: (its stderr, whether it timed out).

    The environment holds only what TeX needs (kpathsea's paranoid file access, no shell escape, HOME and
    font caches inside `work`, fixed dates); the address space is capped by `prlimit` before the tool starts,
    and its whole process group is killed at `config.timeout_s` or on an interrupt.
    """
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": work, "TMPDIR": work, "VARTEXFONTS": work,
           "LC_ALL": "C.UTF-8", "openin_any": "p", "openout_any": "p", "shell_escape": "f",
           "max_print_line": "10000", "SOURCE_DATE_EPOCH": str(config.date_epoch),
           "FORCE_SOURCE_DATE": "1"}
    proc = subprocess.Popen(["prlimit", f"--as={config.memory_mb << 20}", "--", *cmd], cwd=work, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        _, err = proc.communicate(timeout=config.timeout_s)
    except BaseException as exc:  # the timeout, or an interrupt: no TeX may outlive its folder
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        if not isinstance(exc, subprocess.TimeoutExpired):
            raise
        return err.decode("utf-8", "replace"), True
    return err.decode("utf-8", "replace"), False


def _tex(config: LatexConfig, job: str) -> list[str]:
    """The TeX command line compiling `job`.tex without stopping for errors."""
    return [config.program, "-no-shell-escape", "-interaction=nonstopmode", f"{job}.tex"]


def _compile(snippets: Sequence[str], preamble: str, config: LatexConfig) -> _Run:
    """One sandboxed TeX run of a document holding `snippets`, in a private folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="latex-", dir=config.tmp_root) as work:
        Path(work, f"{JOB}.tex").write_text(_document(snippets, preamble, config), encoding="utf-8")
        err, timed_out = _sandboxed(_tex(config, JOB), work, config)
        pdf, log, mark = (Path(work, f"{JOB}.{ext}") for ext in ("pdf", "log", "mark"))
        pdf = pdf.read_bytes() if pdf.exists() and not timed_out else None
        log, mark = (p.read_bytes() if p.exists() else b"" for p in (log, mark))
    return _Run(pdf, log.decode("utf-8", "replace"), err, timed_out, mark.decode("ascii", "replace").strip())


def _reason(message: str) -> str:
    """The reason under which a TeX error message is counted."""
    if message.startswith("! I can't find file") or (message.startswith("! LaTeX Error: File")
                                                      and "not found" in message):
        return "latex_missing_file"
    return "latex_missing_glyph" if "Missing character" in message else "latex_error"


def _excerpt(lines: list[str], i: int) -> str:
    """The error message on log line `i` with the source line TeX shows for it ("l.22 ...")."""
    detail = next((x for x in lines[i + 1:i + 8] if x.startswith("l.")), "")
    return f"{lines[i]} {detail}".strip()


def _read_log(log: str, count: int) -> _Verdict:
    """Find the first snippet that erred, asked for the shell, opened a file, or left pages or groups unbalanced."""
    lines = log.splitlines()
    current, begin, ended = None, (0, 0, 0), 0
    for i, line in enumerate(lines):
        mark = _MARK.match(line)
        if mark:
            k, state = int(mark[1]), tuple(int(x) for x in mark.group(3, 4, 5))
            if mark[2] == "begin":
                current, begin = k, state
                continue
            pages, groups = state[0] - begin[0], state[1:] != begin[1:]
            if pages != 1 or groups:
                problem = f"made {pages} pages" if pages != 1 else "left a group or conditional open"
                return _Verdict(k, "latex_error", problem)
            ended = k + 1
        elif line.startswith("! "):
            # before the first snippet, or after the last one ended: the preamble's fault, as it is alone
            outside = current is None or ended == count
            return _Verdict(current, _reason(line), _excerpt(lines, i), preamble=outside)
        elif current is not None and ("runsystem(" in line or (_OPENOUT.match(line) and
                                                              not line.endswith(f"`{JOB}.mark'."))):
            return _Verdict(current, "latex_forbidden", line)
    if ended < count:
        if current is None:
            return _Verdict(None, "latex_error", "the preamble did not reach the first snippet", preamble=True)
        return _Verdict(ended, "latex_error", "the document ended inside this snippet")
    return _Verdict()


def _page(doc: PdfDocument, index: int, config: LatexConfig) -> Rendered | RenderError:
    """Rasterise page `index` of a compiled batch, unless it is too large or blank."""
    width, height = doc.page_size(index)
    if max(width, height) > config.max_page_pt:
        return RenderError("page_too_large", f"{width:.0f} x {height:.0f} pt over {config.max_page_pt:.0f} pt")
    pymupdf.TOOLS.glyph_cache_empty()  # a glyph cached by an earlier page may land a pixel off: same bytes alone
    try:
        image = doc.render(index, config.dpi)
    except RenderError as exc:  # within max_page_pt, but too many pixels at this dpi
        return exc
    if ImageOps.invert(image.convert("L")).getbbox() is None:
        return RenderError("latex_blank", f"{width:.0f} x {height:.0f} pt page with nothing drawn")
    texts = doc.texts(index, config.dpi) if config.texts else []
    return Rendered([image], texts, {"renderer": "latex", "program": config.program, "dpi": config.dpi,
                                     "page_pt": [round(width, 3), round(height, 3)]})


def _pages(pdf: bytes | None, snippets: list[int], config: LatexConfig) -> dict[int, Rendered | RenderError] | None:
    """The results of `snippets` from the first pages of a run's PDF; None when it has no such pages."""
    try:
        doc = PdfDocument(pdf) if pdf else None
    except RenderError:  # a PDF the run left unfinished
        return None
    if doc is None or len(doc) < len(snippets):
        return None
    with doc:
        return {i: _page(doc, k, config) for k, i in enumerate(snippets)}


def _attempt(batch: list[int], snippets: Sequence[str], preamble: str,
             config: LatexConfig) -> tuple[dict[int, Rendered | RenderError], list[list[int]]]:
    """Compile the snippets at `batch` once: what it settled, and the sub-batches still to compile."""
    run = _compile([snippets[i] for i in batch], preamble, config)
    if run.timed_out:
        marked = re.fullmatch(r"(\d+) (begin|end)", run.last_mark)
        if marked is None:  # the preamble itself hung
            return {i: RenderError("render_timeout", f"preamble over {config.timeout_s:.0f} s") for i in batch}, []
        verdict = _Verdict(min(int(marked[1]) + (marked[2] == "end"), len(batch) - 1), "render_timeout",
                           f"over {config.timeout_s:.0f} s")
    else:
        verdict = _read_log(run.log, len(batch))
    if verdict.preamble:
        excerpt = f"preamble: {verdict.excerpt}" + ("" if run.log else f" ({run.stderr.strip()[-120:]})")
        return {i: RenderError(verdict.reason, excerpt) for i in batch}, []
    good = len(batch) if verdict.bad is None else verdict.bad
    settled, todo = _pages(run.pdf, batch[:good], config), []
    if settled is None:
        if verdict.bad is None:  # no PDF and nothing to blame: each snippet alone (or this one fails)
            if len(batch) == 1:
                return {batch[0]: RenderError("latex_error", f"no PDF: {run.stderr.strip()[-150:]}")}, []
            return {}, [[i] for i in batch]
        settled, todo = {}, [batch[:good]]
    if verdict.bad is not None:
        culprit = batch[verdict.bad]
        if verdict.reason == "render_timeout" or len(batch) == 1:
            refused = _REFUSED.search(run.stderr) if len(batch) == 1 else None
            reason, note = ("latex_forbidden", refused[0]) if refused else (verdict.reason, verdict.excerpt)
            settled[culprit] = RenderError(reason, f"{note} | {snippets[culprit].strip()[:80]}")
        else:
            todo.append([culprit])  # confirm alone: the error may be a batch-mate's doing
        todo.append(batch[verdict.bad + 1:])
    return settled, [b for b in todo if b]


def render_latex(snippets: Sequence[str], preamble: str = "",
                 config: LatexConfig | None = None) -> list[Rendered | RenderError]:
    """Compile every snippet in as few sandboxed TeX runs as its errors allow; one cropped image each.

    Args:
        snippets: LaTeX bodies, each typeset in a box of its own (LR mode unless `class_options` has
            "varwidth"): `$...$`, a `tabular`, a `tikzpicture`, Chinese text with `CJK_PREAMBLE`.
        preamble: what goes between `\\documentclass{standalone}` and `\\begin{document}` (packages).
        config: TeX program, dpi, margin and limits.

    Returns:
        One entry per snippet, in order: a `Rendered` with one image (the snippet's page: its box plus
        `margin_pt`) and `info` {"renderer", "program", "dpi", "page_pt": [width, height] in PDF
        points}, or the `RenderError` it failed with, whose reason is one of "latex_error",
        "latex_missing_file" (a package or input file that is not installed), "latex_missing_glyph" (a character the font lacks),
        "latex_forbidden" (shell, writing files, reading outside the folder), "render_timeout",
        "page_too_large", "latex_blank"; a preamble failure fails every snippet.

    Raises:
        FileNotFoundError: the TeX program or `prlimit` is not installed (an installation fault, not
            a bad snippet).
    """
    config = config or LatexConfig()
    for tool in (config.program, "prlimit"):
        if shutil.which(tool) is None:
            raise FileNotFoundError(f"{tool} is not installed: run `make setup` (Debian packages texlive-* "
                                    f"and util-linux)")
    results: dict[int, Rendered | RenderError] = {}
    size = config.batch_size
    work = [list(range(start, min(start + size, len(snippets)))) for start in range(0, len(snippets), size)]
    while work:
        settled, more = _attempt(work.pop(), snippets, preamble, config)
        results.update(settled)
        work.extend(more)
    return [results[i] for i in range(len(snippets))]


def render_latex_groups(snippets: Sequence[str], keys: Sequence[K],
                        setup: Callable[[K], tuple[str, LatexConfig]]) -> list[Rendered | RenderError]:
    """`render_latex` of snippets that need different preambles or programs: one compile per distinct key.

    A batch of formulas or tables mixes fonts (a font is a preamble and a TeX program), and a batch of
    figures mixes Latin and CJK; compiling each group together keeps TeX's start-up cost per group,
    not per snippet. `setup(key)` gives a group's (preamble, config); results come in input order.
    """
    groups: dict[K, list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    out: dict[int, Rendered | RenderError] = {}
    for key, members in sorted(groups.items()):
        preamble, config = setup(key)
        out.update(zip(members, render_latex([snippets[i] for i in members], preamble, config)))
    return [out[i] for i in range(len(snippets))]


def _first_error(log: str) -> RenderError | None:
    """The first TeX error of a document's log as a RenderError naming it and its source line, or None."""
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("! "):
            return RenderError(_reason(line), _excerpt(lines, i))
    return None


def _copy_inputs(folder: str | os.PathLike, work: str) -> None:
    """Copy a document's own files into the sandbox, leaving out symbolic links (which could point outside)."""
    def links(root: str, names: list[str]) -> list[str]:
        return [n for n in names if os.path.islink(os.path.join(root, n))]

    shutil.copytree(folder, work, ignore=links, dirs_exist_ok=True)


@dataclass(frozen=True)
class CompiledDocument:
    """A compiled document: its PDF, and its `.aux` (cross-reference and citation labels as printed)."""

    pdf: bytes
    aux: str


def compile_document(tex: str, folder: str | os.PathLike | None = None, config: LatexConfig | None = None,
                     passes: int = 1) -> CompiledDocument:
    """Compile one whole document (any number of pages) in the same sandbox as snippets; its PDF.

    Snippets get one cropped page each (`render_latex`); a page layout, a paper, needs the document's own
    page breaks, so this compiles the document as it stands. The sandbox is the same (no shell, no files
    outside the private folder, memory cap, timeout, folder removed after); the document may write its own
    auxiliary files there (cross-references, bibliography data). An error anywhere fails the document: a
    page typeset after a TeX error may not show what its source says.

    Args:
        tex: the main file's text, `\\documentclass` to `\\end{document}`.
        folder: the files the document reads (classes, `\\input` files, `.bib`, figures), copied into the
            private folder (symbolic links left out); nothing is written back.
        config: TeX program, memory cap and `timeout_s`, which bounds each TeX, BibTeX or Biber run.
        passes: TeX runs. With 2 or more, BibTeX (or Biber, for biblatex) runs after the first when the
            document asks for a bibliography, so citations and cross-references settle in later passes.

    Returns:
        The PDF's bytes and the `.aux` file's text ("" when TeX wrote none).

    Raises:
        RenderError: "latex_missing_file" (the excerpt names the class, package or file), "latex_error"
            (the first error and its source line), "render_timeout", or "latex_no_pdf" (TeX ended without one).
        FileNotFoundError: the TeX program or `prlimit` is not installed.
        ValueError: `passes` is under 1.
    """
    config = config or LatexConfig()
    if passes < 1:
        raise ValueError(f"passes must be at least 1, got {passes}")
    for tool in (config.program, "prlimit"):
        if shutil.which(tool) is None:
            raise FileNotFoundError(f"{tool} is not installed: run `make setup` (Debian packages texlive-* "
                                    f"and util-linux)")
    job = "document"
    with tempfile.TemporaryDirectory(prefix="latex-doc-", dir=config.tmp_root) as work:
        if folder is not None:
            _copy_inputs(folder, work)
        Path(work, f"{job}.tex").write_text(tex, encoding="utf-8")
        for n in range(passes):
            _, timed_out = _sandboxed(_tex(config, job), work, config)
            if timed_out:
                raise RenderError("render_timeout", f"TeX pass {n + 1} over {config.timeout_s:.0f} s")
            if n == 0 and passes > 1:
                _bibliography(work, job, config)
        log = Path(work, f"{job}.log")
        error = _first_error(log.read_text("utf-8", "replace") if log.exists() else "")
        if error is not None:
            raise error
        pdf, aux = Path(work, f"{job}.pdf"), Path(work, f"{job}.aux")
        if not pdf.exists():
            raise RenderError("latex_no_pdf", f"{config.program} wrote no PDF and no error")
        return CompiledDocument(pdf.read_bytes(), aux.read_text("utf-8", "replace") if aux.exists() else "")


def _bibliography(work: str, job: str, config: LatexConfig) -> None:
    """Run Biber (biblatex wrote a .bcf) or BibTeX (the .aux names a \\bibdata) when the document asks for one.

    Its failure is not the document's: the next passes show unresolved citations, as the author's own build would.
    """
    aux = Path(work, f"{job}.aux")
    if Path(work, f"{job}.bcf").exists() and shutil.which("biber"):
        cmd = ["biber", "--quiet", job]
    elif aux.exists() and "\\bibdata" in aux.read_text("utf-8", "replace"):
        cmd = ["bibtex", job]
    else:
        return
    _, timed_out = _sandboxed(cmd, work, config)
    if timed_out:
        raise RenderError("render_timeout", f"{cmd[0]} over {config.timeout_s:.0f} s")
