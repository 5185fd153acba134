"""The built-in source: real prose written by a drawn hand on lined or plain paper, notes, letters and forms.

What a page is: a sheet (plain, ruled with a margin line, a yellow sticky note, or a printed form), a hand
(`hand.draw_hand`), and lines of prose from `engines.prose` (the Debian Reference, English or Chinese) wrapped to
the sheet's width; a form prints its title and field labels (DejaVu Sans or Noto Sans CJK) and the hand fills the
fields in after the labels. A letter is a letter's words, not a manual's: `engines.letters` (the templates the docs
engine's letters use) gives its salutation, paragraphs, closing and sender; an English letter is dated at the top
right, a Chinese one signs and dates at the bottom right under 此致 / 敬礼！, as each is written. The text is chosen
among paragraphs the hand can write (every character has stroke data, or a glyph in the hand's face), so the
target is exactly what the page shows, line by line, top to bottom: a form's line is its printed label followed by
what was written after it.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from engines import letters, prose
from engines.base import SampleError
from engines.everyday import CITIES, EN_NAMES, MONTHS, day, en_day, zh_day
from engines.handwriting import faces
from engines.handwriting.hand import FONT_DIR, FONT_HANDS, Hand, advance, draw_hand, drawable, widths, write_lines
from renderers import pen
from renderers.fonts import font_file

KINDS = ("lined", "plain", "note", "letter", "form")
# Chinese closing marks stay at the end of the line before, as people write them.
NO_LINE_START = frozenset("，。、：；！？）”》")
# A Latin word (with its £ or é), a run of spaces, or one Chinese character or full-width mark
TOKEN = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+|\s+|.")
FORMS = {"en": (("Feedback Form", "Meeting Notes", "Service Request", "Visit Report"),
                ("Date:", "Subject:", "Comments:")),
         "zh": (("意见反馈表", "会议记录", "报修单", "走访记录"), ("日期：", "主题：", "备注："))}
PRINT_FACE = {"en": "dejavu-sans", "zh": "noto-sans-cjk"}
TRIES = 40  # paragraphs looked at for one page before the draw is refused
# A sentence ends after 。！？ (with the closing quote or bracket that follows them) or after . ! ? and spaces before
# a capital: "e.g. the" and "Section 9.4.14" go on.
SENTENCE_END = re.compile(r"(?<=[。！？])(?![”」』）])|(?<=[。！？][”」』）])|(?<=[.!?])\s+(?=[A-Z\"“(])")
NUMBER = re.compile(r"^(?:Chapter \d+\.|第\s*\d+\s*章|[\dA-Z]+(?:\.\d+)*\.)\s*")  # "2.7.2. ", "第 2 章 "


def check_installed() -> None:
    """Raise FileNotFoundError naming what to install when the pen data, handwriting fonts or prose are missing."""
    pen.hanzi_chars()
    if not pen.hershey_fonts():
        raise FileNotFoundError(f"no pen fonts in {pen.HERSHEY_DIR}: run `make setup` (npm ci installs hersheytext)")
    used = {f for fonts in FONT_HANDS.values() for f in fonts}
    for face in sorted(filter(faces.is_face, used)):
        faces.index(face)  # raises naming `make setup`
    missing = sorted(f for f in used if not faces.is_face(f) and not Path(FONT_DIR, f).is_file())
    if missing:
        raise FileNotFoundError(f"handwriting fonts missing under {FONT_DIR}: {', '.join(missing)}; run `make setup` "
                                f"(apt-get install fonts-dkg-handwriting fonts-breip fonts-sjfonts fonts-lxgw-wenkai)")
    for lang in ("en", "zh"):
        prose.paragraphs(lang)


@dataclass(frozen=True)
class Sheet:
    """The paper: its kind, size in pixels, colour, margins and the distance between lines."""

    kind: str
    width: int
    height: int
    color: tuple[int, int, int]
    left: int
    top: int
    pitch: float


def draw_sheet(rng: np.random.Generator, kind: str, hand: Hand) -> Sheet:
    """A sheet of `kind` sized for `hand` (a note is small and yellow; a page is about A5 to A4 in shape)."""
    if kind == "note":
        width, height = int(rng.uniform(16, 24) * hand.size), int(rng.uniform(10, 16) * hand.size)
        color = (int(rng.integers(245, 256)), int(rng.integers(225, 245)), int(rng.integers(120, 170)))
    else:
        width = int(rng.uniform(22, 30) * hand.size)
        height = int(width * rng.uniform(1.2, 1.45))
        tone = int(rng.integers(236, 256))
        color = (tone, tone, int(tone - rng.integers(0, 14)))
    pitch = hand.size * float(rng.uniform(1.45, 1.9)) * (1.15 if hand.lang == "zh" else 1.0)
    left = int(hand.size * rng.uniform(1.2, 2.6))
    top = int(pitch * rng.uniform(1.3, 2.2))
    return Sheet(kind, width, height, color, left, top, round(pitch, 2))


def paper(sheet: Sheet) -> np.ndarray:
    """The blank sheet as an (h, w, 3) array: its colour, and the blue rules and red margin of ruled paper."""
    row = np.empty((1, sheet.width, 3), dtype=np.uint8)
    row[:] = sheet.color
    page = cv2.repeat(row, sheet.height, 1)  # a row copied down: 1/20 of the CPU of three planes merged
    if sheet.kind == "form":
        y = sheet.top + sheet.pitch * 1.1
        while y < sheet.height - sheet.pitch * 0.5:
            end = (sheet.width - sheet.left // 2, int(y))
            cv2.line(page, (sheet.left, int(y)), end, (150, 150, 150), 1, cv2.LINE_AA)
            y += sheet.pitch
    if sheet.kind in ("lined", "letter"):
        y = sheet.top
        while y < sheet.height - 4:
            cv2.line(page, (0, int(y)), (sheet.width, int(y)), (160, 190, 225), 1, cv2.LINE_AA)
            y += sheet.pitch
        margin = max(2, sheet.left - int(sheet.pitch * 0.3))
        cv2.line(page, (margin, 0), (margin, sheet.height), (225, 120, 120), 1, cv2.LINE_AA)
    return page


def wrap(hand: Hand, text: str, width: float, indent: float = 0.0) -> list[str] | None:
    """`text` broken into lines no wider than `width` pixels (at spaces, or between Chinese characters), the first
    `indent` pixels narrower (a Chinese paragraph's first line starts two characters in).

    A Chinese closing mark never starts a line: it is written past the line's end instead.

    Returns None when one word alone is wider than the line (a URL): such text is not used.
    """
    lines: list[str] = []
    line, space, used = "", "", 0.0
    width_of = widths(hand, text + " ").__getitem__  # what `advance` adds up, without a call per word
    for tok in TOKEN.findall(text):
        if tok.isspace():
            space = " " if line else ""
            continue
        alone = sum(map(width_of, tok), 0.0)
        limit = width - (0.0 if lines else indent)
        if alone > limit:
            return None
        joined = sum(map(width_of, space + tok), used)
        if line and joined > limit and tok not in NO_LINE_START:
            lines.append(line)
            line, used = tok, alone
        else:
            line, used = line + space + tok, joined
        space = ""
    if line:
        lines.append(line)
    return lines


def _date(rng: np.random.Generator, lang: str, date: datetime.date) -> str:
    """`date` as a hand writes it: 2024年3月5日, "5 March 2024" or "March 5, 2024"."""
    if lang == "zh":
        return zh_day(date)
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}" if rng.random() < 0.5 else en_day(date)


def sentences(text: str) -> list[str]:
    """`text`'s sentences, in order (a Chinese closing quote stays with the sentence it closes)."""
    return [t for t in SENTENCE_END.split(text) if t and not t.isspace()]


def _first_sentences(hand: Hand, text: str, width: float, room: int, indent: float = 0.0) -> list[str]:
    """`text` wrapped, or its first sentences, as many as `room` lines hold ([] when not even the first fits)."""
    join = "" if hand.lang == "zh" else " "
    parts = sentences(text)
    wrapped = wrap(hand, text, width, indent)
    while parts and (wrapped is None or len(wrapped) > room):
        parts = parts[:-1]
        wrapped = wrap(hand, join.join(parts), width, indent) if parts else None
    return wrapped or []


def body_lines(hand: Hand, rng: np.random.Generator, width: float, count: int) -> list[str]:
    """`count` or fewer wrapped lines of prose the hand can write: whole sentences of paragraphs drawn at random
    (each at most once), so that a note or a form's comment never stops mid-sentence.

    Raises:
        SampleError("no_drawable_text"): no sentence of the `TRIES` paragraphs looked at fits and can be written.
    """
    paragraphs = prose.paragraphs(hand.lang)
    lines: list[str] = []
    for k in dict.fromkeys(int(rng.integers(len(paragraphs))) for _ in range(TRIES)):
        if len(lines) >= count:
            break
        if drawable(hand, paragraphs[k]):
            lines.extend(_first_sentences(hand, paragraphs[k], width, count - len(lines)))
    if not lines:
        raise SampleError("no_drawable_text", f"{hand.lang} hand {hand.font}")
    return lines


def letter_body(hand: Hand, paragraphs: tuple[str, ...], width: float, count: int) -> list[Row]:
    """A letter's paragraphs in order, each from a new line (a Chinese one two characters in, as 正文 is written),
    until `count` lines are written: the page ends after the last whole sentence that fits (a paragraph the hand
    cannot write is left out).

    Raises:
        SampleError("no_drawable_text"): not even the first sentence fits or can be written.
    """
    indent = hand.size * 2 if hand.lang == "zh" else 0.0
    lines: list[Row] = []
    for text in paragraphs:
        if not drawable(hand, text):
            continue
        fitted = _first_sentences(hand, text, width, count - len(lines), indent)
        lines.extend(Row("", line, indent if k == 0 else 0.0) for k, line in enumerate(fitted))
        if fitted != wrap(hand, text, width, indent):
            break
    if not lines:
        raise SampleError("no_drawable_text", f"{hand.lang} letter for hand {hand.font}")
    return lines


def subject(hand: Hand, rng: np.random.Generator, width: float) -> str:
    """A form's subject: a section title of the prose, unnumbered, that the hand writes on one line."""
    titles = prose.headings(hand.lang)
    for _ in range(TRIES):
        title = NUMBER.sub("", titles[int(rng.integers(len(titles)))]).strip()
        if title and drawable(hand, title) and len(wrap(hand, title, width) or ()) == 1:
            return title
    raise SampleError("no_drawable_text", f"{hand.lang} form subject for hand {hand.font}")


@dataclass(frozen=True)
class Row:
    """One line of the page: a printed label (forms only; may be empty), what the hand writes, where it starts.

    `text` is the line as the target says it: the label, a space between a Latin label and the writing, the writing.
    """

    printed: str
    written: str
    x: float

    @property
    def text(self) -> str:
        if not self.printed:
            return self.written
        if not self.written:
            return self.printed
        return self.printed + ("" if self.printed.endswith("：") else " ") + self.written


@functools.lru_cache(maxsize=64)
def _print_font(lang: str, px: int) -> ImageFont.FreeTypeFont:
    path, index = font_file(PRINT_FACE[lang])
    return ImageFont.truetype(path, px, index=index)


def _form_rows(hand: Hand, sheet: Sheet, rng: np.random.Generator, width: float, rows: int) -> list[Row]:
    """A form: its printed title, then each field's label with the hand's answer written after it."""
    lang = hand.lang
    titles, labels = FORMS[lang]
    face = _print_font(lang, int(hand.size * 0.75))
    title = titles[int(rng.integers(len(titles)))]
    out = [Row(title, "", max(0.0, (width - face.getlength(title)) / 2))]
    after = [face.getlength(label) + hand.size * 0.5 for label in labels]
    date = _date(rng, lang, day(rng, 1990, 2029))
    out += [Row(labels[0], date, 0.0), Row(labels[1], subject(hand, rng, width - after[1]), 0.0)]
    comments = body_lines(hand, rng, width - after[2], max(1, rows - 4))
    out.append(Row(labels[2], comments[0], 0.0))
    return out + [Row("", line, 0.0) for line in comments[1:]]


def page_lines(hand: Hand, sheet: Sheet, rng: np.random.Generator) -> list[Row]:
    """The rows of the sheet, top to bottom."""
    width = sheet.width - sheet.left - hand.size * 1.2
    rows = max(1, int((sheet.height - sheet.top - hand.size) / sheet.pitch))
    if sheet.kind == "form":
        return _form_rows(hand, sheet, rng, width, rows)
    if sheet.kind != "letter":
        return [Row("", line, 0.0) for line in body_lines(hand, rng, width, rows)]
    return _letter_rows(hand, rng, width, rows)


def _letter_rows(hand: Hand, rng: np.random.Generator, width: float, rows: int) -> list[Row]:
    """A letter from `engines.letters`: English dated at the top right, salutation, body, closing and the sender's
    signature lines (name, maybe role) under it; Chinese salutation, body, 此致 (indented two characters) and 敬礼！
    (at the line's start), then the sender and the date at the right."""
    lang, when = hand.lang, day(rng)
    if lang == "zh":
        words = letters.zh_letter(rng, when)
    else:
        sender, to = (str(n) for n in rng.choice(EN_NAMES, 2, replace=False))
        words = letters.en_letter(rng, sender, to, str(rng.choice(CITIES)), when)
    date, sender = _date(rng, lang, when), words.signature[0]
    if not all(drawable(hand, t) for t in (date, words.salutation, *words.closing, *words.signature)):
        raise SampleError("no_drawable_text", f"letter heading for hand {hand.font}")
    right = [(t, max(0.0, width - advance(hand, t))) for t in (sender, date)]  # at the line's end
    if lang == "zh":
        head = [Row("", words.salutation, 0.0)]
        tail = [Row("", words.closing[0], hand.size * 2), Row("", words.closing[1], 0.0)]
        tail += [Row("", t, x) for t, x in right]
    else:
        head = [Row("", date, right[1][1]), Row("", words.salutation, 0.0)]
        tail = [Row("", t, width * 0.5) for t in (*words.closing, *words.signature)]
    if rows < len(head) + len(tail) + 2:
        raise SampleError("no_drawable_text", f"a {rows}-line sheet for a letter in hand {hand.font}")
    body = letter_body(hand, words.paragraphs, width, rows - len(head) - len(tail))
    return head + body + tail


def write_page(rng: np.random.Generator, lang: str, kind: str, size: tuple[float, float]
               ) -> tuple[np.ndarray, list[tuple[str, tuple[float, float, float, float]]], Hand, Sheet]:
    """A written sheet: the page pixels, each line with its ink box, the hand and the sheet."""
    hand = draw_hand(rng, lang, size)
    sheet = draw_sheet(rng, kind, hand)
    lines = page_lines(hand, sheet, rng)
    printed = Image.new("L", (sheet.width, sheet.height)) if sheet.kind == "form" else None
    face = _print_font(lang, int(hand.size * 0.75))
    boxes = []  # each row's printed label's box (empty without one)
    starts = []  # where each row's writing starts
    for i, row in enumerate(lines):
        baseline = sheet.top + i * sheet.pitch - hand.size * 0.08
        x = sheet.left + row.x
        box = (np.inf, np.inf, -np.inf, -np.inf)
        if row.printed:
            ImageDraw.Draw(printed).text((x, baseline), row.printed, font=face, fill=255, anchor="ls")
            box = face.getbbox(row.printed, anchor="ls")
            box = (x + box[0], baseline + box[1], x + box[2], baseline + box[3])
            x += face.getlength(row.printed) + hand.size * 0.5
        boxes.append(box)
        starts.append((row.written, x, baseline))
    written = write_lines(hand, [start for start in starts if start[0]], rng)
    inked = iter(written.boxes)
    for k, row in enumerate(lines):  # a form's row: its label's box and its writing's, together
        if row.written:
            box, ink = boxes[k], next(inked)
            boxes[k] = (min(box[0], ink[0]), min(box[1], ink[1]), max(box[2], ink[2]), max(box[3], ink[3]))
    mask = pen.draw_strokes((sheet.width, sheet.height), written.points, written.widths, written.lengths)
    for patch, x, y in written.stamps:
        pen.stamp(mask, patch, x, y)
    page = paper(sheet)
    if printed is not None:
        pen.ink_onto(page, np.asarray(printed), (25, 25, 25))
    pen.ink_onto(page, mask, hand.ink)
    return page, [(row.text, box) for row, box in zip(lines, boxes)], hand, sheet
