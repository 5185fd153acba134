"""The `--source` reader: real papers' LaTeX folders, compiled in the sandbox, as (page image, page markdown) pairs.

Each sub-folder of `--source` is one paper, arXiv style: its main file is the `.tex` that holds
`\\documentclass` (main.tex or ms.tex first). A paper is compiled with three passes and BibTeX/Biber
(pdflatex, or xelatex when it loads ctex or xeCJK or is written in Chinese), converted to markdown (`engines.pages.mmd`, with the
compiled `.aux` resolving references and citations) and split per page (`engines.pages.nougat`); a page
is kept when its ends match at least at `nougat.MIN_SCORE` and its words agree with the page's at
`nougat.MIN_AGREEMENT` ("page_words_differ" where they do not: a title block or float the conversion
left out). What cannot be used is counted, by reason:
a paper with no main file ("no_main_tex"), of the other language ("lang_mismatch"), whose class or
package TeX Live lacks ("latex_missing_file"), that fails ("latex_error", "latex_no_pdf") or times out
("render_timeout"); pages that match poorly ("page_match_low"), show no text ("page_empty"), print a
figure or table caption other than those their markdown holds or elsewhere on the page ("float_elsewhere"),
whose footnotes are not the ones it prints ("note_elsewhere": a note LaTeX carried to the next page, or
split over two), whose markdown says a word the page does not print, or not in the page's order, or a bar, bracket or
straight quote more than it prints ("target_not_printed": `printed_in_order`), or whose markdown does
not open and close with the words the page prints first and last ("page_ends_differ") or with the
displayed formulas it prints there ("math_ends_differ"), or whose running head, page number or side stamp
a target cannot write exactly ("furniture_rotated", "furniture_picture", "furniture_codepoints": see
`engines.pages.furniture`), or that print text inside a figure ("figure_text": `figure_text`). A kept page's
target opens with the running head and closes with the page number it prints, each its own paragraph.
Compiling happens once, when the engine is built: a real paper takes seconds to minutes.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PIL import Image

from engines.pages.furniture import page_furniture
from engines.pages.mmd import Converter, expand_inputs, place_notes, split_notes
from engines.pages.nougat import (
    MIN_AGREEMENT,
    MIN_SCORE,
    SHORT,
    WORD,
    end_fragments,
    page_texts,
    page_words,
    split_markdown,
    strip_notes,
    word_agreement,
)
from engines.pages.nougat import _words as nougat_words
from engines.pages.nougat import masked as nougat_masked
from engines.source import Found
from renderers.errors import RenderError
from renderers.latex import LatexConfig, compile_document
from renderers.pymupdf import PdfDocument
from renderers.scripts import HAN

FORMULA = re.compile(r"[=+<>≤≥≈∼∈∑∏∫×·−∂∇√]")  # what a printed formula shows and prose does not: its operators
MAIN_NAMES = ("main.tex", "ms.tex", "paper.tex")
ARXIV_ID = re.compile(r"(?<![\d.])(\d\d)(0[1-9]|1[0-2])\.\d{4,5}(?!\d)")  # a new-style arXiv id: yymm.nnnnn
DATE_SPAN = (datetime.date(2015, 1, 1), datetime.date(2024, 12, 31))  # a paper with no id is dated within these
CJK = re.compile(r"\\usepackage(\[[^]]*\])?\{(ctex|xeCJK|CJKutf8)\}|\\documentclass(\[[^]]*\])?\{ctex")


@dataclass(frozen=True)
class PaperPage:
    """One kept page of a real paper.

    Attributes:
        paper: the paper's folder name.
        lang: "en", or "zh" for papers typeset with ctex/xeCJK.
        engine: the TeX engine that compiled it.
        page: the page's index in the compiled PDF.
        markdown: the page's target: its running head (if printed), body, notes, page number (if printed).
        score: its Nougat match score.
        pdf: the compiled paper (shared by its pages).
        date: the day the paper was compiled with, ISO ("2021-03-14"): what its `\\today` prints.
    """

    paper: str
    lang: str
    engine: str
    page: int
    markdown: str
    score: float
    pdf: bytes
    date: str

    def render(self, dpi: float) -> Image.Image:
        """The page as an RGB image."""
        with PdfDocument(self.pdf) as doc:
            return doc.render(self.page, dpi)


def _caption_places(text: str) -> dict[str, float]:
    """The figure and table captions a page's text (PDF or markdown) opens a line with ("Figure 2", "Table 1"), each
    with where it starts, as the share of the text's prose words before it.

    A float goes where LaTeX finds room, often on another page than the text around its source: a page
    whose printed captions are not the ones its markdown holds is refused ("float_elsewhere").
    """
    words = [m.start() for m in WORD.finditer(text)]
    return {f"{m[1]} {m[2]}": sum(w < m.start() for w in words) / max(1, len(words))
            for m in re.finditer(r"(?m)^(Figure|Table)\s+(\d+)\s*:", text)}


def floats_in_place(markdown: str, printed: str, slack: float = 0.2) -> bool:
    """Whether a page's markdown holds the figure and table captions the page prints (`printed`: its PDF text), each
    about where the page prints it (within `slack` of the page's words): a float LaTeX moved to the top of
    the page and written where its source stands would be read out of order."""
    mine, shown = _caption_places(markdown), _caption_places(printed)
    return mine.keys() == shown.keys() and all(abs(mine[k] - shown[k]) <= slack for k in mine)


# Marks prose prints as typed and markdown adds none of (outside math and tables); a straight quote among them: a
# source's `"` prints as ” in most text fonts, which a target copying the source's `"` does not say.
SYMBOLS = re.compile(r"[|\[\]()\"]")
TABLE = re.compile(r"\\begin\{tabular\}.*?\\end\{tabular\}", re.S)


MARK = r"[`´¨ˆ˜¸˘ˇ˙˚\u0300-\u036f]"  # an accent a font may print as its own glyph ("Merc`ere")
ACCENT = re.compile(rf"(?<=[^\W\d_]){MARK}\s*(?=[^\W\d_])")
JOIN = re.compile(rf"(?<=[^\W\d_])(?:-\s*|{MARK}\s*)(?=[^\W\d_])")  # a line-end hyphen, or an accent


def _phrases(words: list[tuple[str, int]]) -> list[str]:
    """`words` (`nougat_words`) with each run of Chinese characters one phrase: Chinese is printed unspaced, so its
    characters are compared as the run they stand in, not one by one (a changed, dropped or moved character
    breaks the run; each character found anywhere after the one before let most such targets pass)."""
    out: list[str] = []
    for k, (word, _) in enumerate(words):
        if k and HAN.fullmatch(word) and HAN.fullmatch(words[k - 1][0]):
            out[-1] += word
        else:
            out.append(word)
    return out


def printed_in_order(markdown: str, printed: str) -> bool:
    """Whether every prose word of a page's markdown is printed on the page (`printed`: its body's text), in the
    page's order, and every bar, bracket and straight quote of its prose (outside math and tables) one the page
    prints too.

    The bag of words agrees at `MIN_AGREEMENT` with a tenth of the target wrong: a title written twice, a
    `\\verb` or short-verb line (`|\\cs{x}|`) read as commands ("(||, ||, etc.)", "| de EnhavoTabelo de Enhavo|")
    passed it. Here each markdown word must be found after the one before it in the page's words, read as one
    string with hyphenated words joined: a compound's hyphen at a line's end cannot be told from TeX's ("back-" +
    "propagation"), and pdflatex prints a formula's letter as a letter ("T-length"), so "back", "propagation"
    and "length" are found inside "backpropagation" and "tlength"; an accent a font prints as its own glyph
    ("Merc`ere") stays in its word. A run of Chinese characters (`_phrases`: punctuation, digits and line breaks
    between them aside) must be printed as one run.
    """
    shown, at = " ".join(_phrases(nougat_words(JOIN.sub("", printed)))), 0
    for word in _phrases(nougat_words(ACCENT.sub("", markdown))):
        at = shown.find(word, at)
        if at < 0:
            return False
        at += len(word)
    mine = Counter(SYMBOLS.findall(nougat_masked(TABLE.sub(" ", markdown))))
    return not mine - Counter(SYMBOLS.findall(printed))


def _letters(text: str) -> str:
    """The letters of `text`, command names included, lower case and without accents: what a formula prints."""
    return re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower())


EDGE = 0.05  # a caption printed within this share of a page's words from its top (bottom) is a float LaTeX put there


def place_floats(markdown: str, printed: str, in_paragraph: set[str]) -> str:
    """A page's markdown with each float the page prints at its top (bottom) moved to its start (end), where it is read.

    LaTeX moves floats to the top or bottom of a page; the markdown writes them where their source
    stands. A float is its caption's paragraph and the `tabular`s after it; where its source stood inside a
    paragraph (`in_paragraph`), the paragraph's two parts join again. A float printed mid-page, or on
    another page, stays where it is (`floats_in_place` refuses the page).
    """
    shown, mine = _caption_places(printed), _caption_places(markdown)
    if shown.keys() != mine.keys():
        return markdown
    paras = markdown.split("\n\n")
    top, bottom = [], []
    for name, place in sorted(shown.items(), key=lambda kv: kv[1]):
        if EDGE < place < 1 - EDGE or abs(place - mine[name]) <= EDGE:
            continue
        at = next(k for k, p in enumerate(paras) if p.startswith(f"{name}:"))
        stop = at + 1
        while stop < len(paras) and paras[stop].startswith("\\begin{tabular"):
            stop += 1
        block, paras = paras[at:stop], paras[:at] + paras[stop:]
        if name in in_paragraph and 0 < at < len(paras) and not re.match(r"#|\\\[|\\begin|Figure|Table", paras[at]):
            paras[at - 1:at + 1] = [paras[at - 1] + " " + paras[at]]
        (top if place <= EDGE else bottom).extend(block)
    return "\n\n".join(top + paras + bottom)


def ends_agree(markdown: str, words: list[str], n: int = 3, slack: int = 8) -> bool:
    """Whether a page's markdown opens and closes with the words the page prints first and last: its first `n`
    prose words among the page's first `slack` words, in order, and every word printed before them one of the
    letters of the markdown's own opening (a formula's "arctan", "Gkh"); the same at the page's end.

    The fuzzy break search scores a page by how well its ends match, which a cut a few words off (a
    sentence's end given to the next page) still passes at 0.9; this asks for the very words (allowing any
    printed word in the slack let a page ending "...response (resulting in dynamic range compression)"
    keep a target ending at "dynamic").
    """
    found = nougat_words(markdown)
    if len(found) < n or len(words) < n:
        return True
    head = _letters(markdown[:found[0][1]])
    tail = _letters(markdown[found[-1][1] + len(found[-1][0]):])

    def opens(part: list[str], window: list[str], before: str) -> bool:
        at, first = 0, None
        for w in part:
            if w not in window[at:]:
                return False
            at = window.index(w, at) + 1
            first = at - 1 if first is None else first
        return all(w in before for w in window[:first])

    mine = [w for w, _ in found]
    return opens(mine[:n], words[:slack], head) and opens(mine[::-1][:n], words[::-1][:slack], tail)


def _short_ends(text: str) -> tuple[list[str], list[str]]:
    """The letter runs of `text` (math masked) before its first and after its last prose word: "to" of "to exploit"."""
    found, runs = nougat_words(text), [(m[0].lower(), m.start()) for m in SHORT.finditer(nougat_masked(text))]
    if not found:
        return [], []
    return ([w for w, at in runs if at < found[0][1]],
            [w for w, at in runs if at >= found[-1][1] + len(found[-1][0])])


def short_ends_agree(markdown: str, printed: str) -> bool:
    """Whether a page's markdown and its printed body open and close with the same short words.

    Pages are matched on words of three letters or more, so a break fell before the prose word after it:
    "to" of a page printing "to exploit" went to the page before ("page_ends_differ" where the short
    words differ) and so did inline math: "a RMSE of \\(4.52\\cdot10^{-5}\\)" for a page ending "a RMSE of", so
    the digits of inline math there must be printed there too. Where the markdown ends with display math, the page's
    letters there must be the formula's.
    """
    found, shown_words = nougat_words(markdown), nougat_words(printed)
    if not found or not shown_words:
        return True
    ends = (markdown[:found[0][1]], markdown[found[-1][1] + len(found[-1][0]):])
    printed_ends = (printed[:shown_words[0][1]], printed[shown_words[-1][1] + len(shown_words[-1][0]):])

    def agree(mine: list[str], shown: list[str], end: str, printed_end: str) -> bool:
        if "\\[" in end or "\\begin{" in end:
            return all(_letters(w) in _letters(end) for w in shown)
        inline = Counter(re.findall(r"\d", "".join(re.findall(r"\\\((.*?)\\\)", end, re.S))))
        return mine == shown and not inline - Counter(re.findall(r"\d", printed_end))

    return all(agree(*args) for args in zip(_short_ends(markdown), _short_ends(printed), ends, printed_ends))


def _display_math(markdown: str, printed: str) -> tuple[tuple[bool, bool], tuple[bool, bool]]:
    """Whether the markdown and the printed page (its body text) open and close with display math: before the
    first or after the last prose word, `\\[` or an environment in the markdown, an operator or relation
    (`FORMULA`) on the page."""
    def ends(text: str, display: Callable[[str], bool]) -> tuple[bool, bool]:
        found = nougat_words(text)
        if not found:
            return display(text), display(text)
        return display(text[:found[0][1]]), display(text[found[-1][1] + len(found[-1][0]):])
    return (ends(markdown, lambda t: "\\[" in t or "\\begin{" in t),
            ends(printed, lambda t: FORMULA.search(t) is not None))


def math_at_ends(markdown: str, printed: str) -> bool:
    """Whether a page's markdown opens and closes with display math where the page prints a formula.

    Prose words cannot see a formula: a page ending with a displayed equation below its last line
    matched its words whether or not its markdown held the equation ("math_ends_differ" where not).
    """
    mine, shown = _display_math(markdown, printed)
    return mine == shown


FIGURE_MARGIN = 6.0  # points around a figure's drawing where its labels stand (a tick label beside its axis)


def figure_text(pdf: PdfDocument, index: int) -> list[str]:
    """The text lines page `index` prints inside or beside a figure (`PdfDocument.figure_boxes`, widened by
    `FIGURE_MARGIN`): a TikZ or pgfplots label, an included PDF's axis labels. A figure's target is its caption
    (its drawing is no text a target can write), so these are drawn but said by no target: the page is refused.
    A caption stands below its figure at LaTeX's `\\abovecaptionskip` (10 pt), the text around a float
    further, so neither is taken for the figure's."""
    boxes = [(b[0] - FIGURE_MARGIN, b[1] - FIGURE_MARGIN, b[2] + FIGURE_MARGIN, b[3] + FIGURE_MARGIN)
             for b in pdf.figure_boxes(index)]
    return [t.text for t in pdf.texts(index, dpi=72) if t.text.strip() and any(
        t.bbox[0] < b[2] and t.bbox[2] > b[0] and t.bbox[1] < b[3] and t.bbox[3] > b[1] for b in boxes)]


def main_file(folder: Path) -> Path | None:
    """The paper's main .tex: a conventional name first, else the first (by name) with \\documentclass."""
    candidates = [folder / n for n in MAIN_NAMES] + sorted(folder.glob("*.tex"))
    return next((p for p in candidates if p.is_file() and "\\documentclass" in p.read_text("utf-8", "replace")
                 and "\\begin{document}" in p.read_text("utf-8", "replace")), None)


def paper_date(folder: Path, main: Path) -> datetime.date:
    """The day a paper is compiled with (TeX's `\\today`, the PDF's dates, `mmd.today` in its target): the month of
    its arXiv id where its folder or main file names one ("2103.01234": March 2021), else a month drawn from its
    folder's name within `DATE_SPAN`; the day of the month drawn from that name.

    Why not the sandbox's fixed date: every title page said "January 1, 1970". Why drawn from the name, not the
    clock: a build and its replay must typeset the same page.
    """
    seed = int.from_bytes(hashlib.sha256(folder.name.encode()).digest()[:8], "big")
    found = ARXIV_ID.search(folder.name) or ARXIV_ID.search(main.stem)
    if found and int(found[1]) >= 7:  # new-style ids began in April 2007 (0704.0001)
        return datetime.date(2000 + int(found[1]), int(found[2]), 1 + seed % 28)
    first, last = DATE_SPAN
    return first + datetime.timedelta(days=seed % ((last - first).days + 1))


def date_epoch(day: datetime.date) -> int:
    """`day`'s noon (UTC) in seconds since 1970, for `LatexConfig.date_epoch`."""
    return int(datetime.datetime.combine(day, datetime.time(12), datetime.timezone.utc).timestamp())


def paper_pages(folder: Path, lang: str, latex: Callable[[str], LatexConfig], found: Found[PaperPage]) -> None:
    """Add the kept pages of one paper folder to `found` (none, with the reason counted, when it cannot be used).

    Args:
        folder: the paper's source folder.
        lang: "mixed", "en" or "zh": papers of another language are skipped.
        latex: the LaTeX config for a language ("en" or "zh").
        found: where pages are added and reasons counted: a page is kept when its markdown matches the PDF
            at `MIN_SCORE` or more at its ends and at `MIN_AGREEMENT` or more as a bag of words.
    """
    main = main_file(folder)
    if main is None:
        found.skip("no_main_tex", folder.name)
        return
    tex = main.read_text("utf-8", "replace")
    source = expand_inputs(tex, folder)
    paper_lang = "zh" if CJK.search(tex) or len(HAN.findall(source)) >= 100 else "en"
    if lang not in ("mixed", paper_lang):
        found.skip("lang_mismatch", folder.name)
        return
    day = paper_date(folder, main)
    config = dataclasses.replace(latex(paper_lang), date_epoch=date_epoch(day))
    try:
        compiled = compile_document(tex, folder, config, passes=3)
        with PdfDocument(compiled.pdf) as pdf:
            texts, frames = page_texts(pdf), page_furniture(pdf)
            drawn = [figure_text(pdf, page) for page in range(len(pdf))]
    except RenderError as exc:
        found.skip(exc.reason, f"{folder.name}: {' '.join(exc.detail.split())[:100]}")
        return
    converter = Converter(compiled.aux, day)
    markdown = converter.convert(source)
    body, notes = split_notes(markdown)
    bodies, printed = strip_notes(texts, notes)
    words = page_words(bodies, markdown)
    split = split_markdown(body, words, end_fragments(bodies), [_short_ends(text)[0] for text in bodies])
    split = [(place_floats(part, bodies[page], converter.in_paragraph), score)
             for page, (part, score) in enumerate(split)]
    for page, (text, (part, score)) in enumerate(zip(place_notes([t for t, _ in split], notes), split)):
        where = f"{folder.name}: page {page + 1}"
        if not text.strip():
            found.skip("page_empty", where)
        elif frames[page].refused:
            found.skip(frames[page].refused, where)
        elif drawn[page]:
            found.skip("figure_text", f"{where}: {drawn[page][0][:40]}")
        elif score < MIN_SCORE:
            found.skip("page_match_low", where)
        elif word_agreement(part, words[page]) < MIN_AGREEMENT:
            found.skip("page_words_differ", where)
        elif not floats_in_place(part, bodies[page]):
            found.skip("float_elsewhere", where)
        elif {mark for mark in notes if mark in part} != printed[page]:
            found.skip("note_elsewhere", where)
        elif not ends_agree(part, words[page]) or not short_ends_agree(part, bodies[page]):
            found.skip("page_ends_differ", where)
        elif not math_at_ends(part, bodies[page]):
            found.skip("math_ends_differ", where)
        elif not printed_in_order(part, bodies[page]):
            found.skip("target_not_printed", where)
        else:
            found.items.append(PaperPage(folder.name, paper_lang, config.program, page, frames[page].frame(text),
                                         round(score, 4), compiled.pdf, day.isoformat()))


def paper_folders(root: Path, depth: int = 3) -> list[Path]:
    """The paper folders under `root`: a folder with a main .tex is a paper; a folder without one is searched
    `depth` levels down, since users point at the folder that holds their papers' folder (`data/tex` for
    `data/tex/papers/*`); a folder with neither is returned, so that it is counted as "no_main_tex"."""
    subfolders = sorted(p for p in root.iterdir() if p.is_dir()) if depth else []
    if main_file(root) or not subfolders:
        return [root]
    return [paper for sub in subfolders for paper in paper_folders(sub, depth - 1)]


def load_papers(source: str, lang: str, latex: Callable[[str], LatexConfig]) -> Found[PaperPage]:
    """The kept pages of every paper folder under `source`, papers in name order.

    Args:
        source: a folder of paper folders (or one paper folder itself, or a folder above them: `paper_folders`).
        lang, latex: as for `paper_pages`.

    Returns:
        Every kept page of every paper, and what was skipped, by reason.
    """
    found: Found[PaperPage] = Found()
    for folder in paper_folders(Path(source)):
        paper_pages(folder, lang, latex, found)
    return found
