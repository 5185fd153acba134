"""The blocks a generated docs page is built from, as HTML for MuPDF's Story: emphasis runs, tables (ruled and
unruled, the manual's own) with captions, figures (a photograph or a drawn chart, no text in either) with captions,
code blocks, and the parts of letters, forms, receipts, slides, Chinese government notices (通知: 文号, 主送, 附件,
落款), financial reports (单位：万元 tables) and papers (摘要, 关键词).

Every table cell carries an id (`cell_id`), so the page can ask the Story where each cell landed and read the
table row by row (`engines.docs.page`: one row a line, its cells left to right, one space apart); every code
block carries one too (`code_id`), so its lines keep the indentation the image shows. What a block draws is its
text: nothing here draws a character the target will not hold (a form's fields are empty boxes, a figure is a
photograph with no text in it or bars and lines without labels). Captions carry ids too (`caption_id`), so the
page keeps each in the column of what it captions.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from engines import letters, manual_tables, photos, prose
from engines.docs import receipt as receipts
from engines.everyday import CITIES, EN_NAMES, STREETS, ZH_NAMES, day, en_date, en_day, zh_day
from engines.tables.content import Statement
from renderers.scripts import HAN_RANGES

# Forms by their title: the fields each asks for, in its order (the first few, then maybe the rest)
FORMS = {"Change of Address": ("Full name", "Customer number", "Old address", "New address", "Postal code",
                               "Date of move", "Telephone", "Signature"),
         "Registration Form": ("Full name", "Date of birth", "Address", "Postal code", "Telephone", "E-mail",
                               "Signature"),
         "Application Form": ("Full name", "Date of birth", "Address", "Telephone", "E-mail", "Position applied for",
                              "Available from", "Signature"),
         "Enrolment Form": ("Student name", "Date of birth", "Address", "Parent or guardian", "Telephone", "Course",
                            "Start date", "Signature")}
FORM_NOTES = ("Please complete this form in block capitals and sign it.",
              "Please fill in all fields and return the form to the office.",
              "Fields marked with an asterisk must be completed.")
FORM_DECLARATIONS = ("I declare that the information given on this form is correct and complete.",
                     "I confirm that the details above are accurate to the best of my knowledge.")
# Packages the code blocks install and query (the Debian Reference's own examples)
PACKAGES = ("apt", "aptitude", "coreutils", "curl", "git", "locales", "nginx", "openssh-server", "rsync", "sudo",
            "systemd", "tmux", "vim")
# Issuing offices of notices: (name, its document-number code, whom it writes to). A notice goes down one level,
# to the bodies below its issuer, so the addressees belong to the issuer (a national bureau does not write to a
# province's departments).
ZH_ORGS = (("国务院办公厅", "国办发", "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："),
           ("教育部办公厅", "教办函", "各省、自治区、直辖市教育厅（教委），部属各高等学校："),
           ("财政部", "财预", "各省、自治区、直辖市财政厅（局），各有关单位："),
           ("国家统计局", "国统字", "各省、自治区、直辖市统计局，局机关各单位："),
           ("省人民政府办公厅", "政办发", "各市、县（区）人民政府，省政府各部门："),
           ("省科学技术厅", "科发", "各市科技局，各有关单位："),
           ("市生态环境局", "环发", "各区县生态环境分局，局机关各处室："),
           ("市交通运输局", "交运发", "各区县交通运输局，各直属单位："),
           ("县卫生健康委员会", "卫健发", "各乡镇卫生院，委机关各股室："),
           ("区人力资源和社会保障局", "人社发", "各街道劳动保障所，局机关各科室："))
# What each issuer's notices are about: its line of work, the office that takes replies, the projects it funds
ZH_WORK = {"国务院办公厅": ("政务公开", "国务院办公厅秘书局", None),
           "教育部办公厅": ("教育统计", "教育部发展规划司", "教育教学改革研究"),
           "财政部": ("预算执行", "财政部预算司", "财政专项资金"),
           "国家统计局": ("统计年报", "国家统计局办公室", None),
           "省人民政府办公厅": ("安全生产", "省政府办公厅秘书处", None),
           "省科学技术厅": ("科技创新", "省科技厅计划处", "科技计划"),
           "市生态环境局": ("生态环境保护", "市生态环境局办公室", "生态环境保护专项资金"),
           "市交通运输局": ("道路运输安全", "市交通运输局办公室", None),
           "县卫生健康委员会": ("疾病预防控制", "县卫生健康委员会办公室", None),
           "区人力资源和社会保障局": ("就业服务", "区人力资源和社会保障局办公室", "就业创业扶持")}
# Invented listed companies (real names would put invented figures in a real company's mouth)
ZH_COMPANIES = ("恒泰精密制造股份有限公司", "远川新能源科技股份有限公司", "江南智联信息技术股份有限公司",
                "北辰生物医药股份有限公司", "华信科技股份有限公司", "东岳新材料股份有限公司")
# A report's discussion: (the headings it may stand under, the statement it discusses: vocab.STATEMENTS' index)
ZH_REPORT_SECTIONS = ((("一、报告期内主要经营情况", "一、经营情况讨论与分析", "（一）主营业务分析"), 0),
                      (("二、资产、负债情况分析", "（二）资产及负债状况"), 1))
# Why the first line moved, as reports explain it: (rising, falling), for flows and for balances
ZH_REASONS = {True: (("主要系公司业务规模扩大、产品销量增加所致。", "主要系市场需求回升所致。"),
                     ("主要系市场需求下降、产品价格下调所致。", "主要系公司主动调整业务结构所致。")),
              False: (("主要系公司经营规模扩大所致。", "主要系新增投资项目所致。"),
                      ("主要系偿还到期借款、支付工程款所致。", "主要系计提折旧摊销所致。"))}
KEEP_ROWS = 8  # the most body rows of a table on a page of columns (one a column keeps whole)
PHOTO_SHARE = 0.4  # figures that are photographs (as the pages engine's); the others are drawings
LINE_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+、|减：|加：)")
ZH_CHANGE = ("增减（%）", "同比增长（%）")  # a statement's change column, as Chinese reports head it
# A paper's affiliation as Chinese journals print it: the unit, then its own city and postcode (a unit in another
# city than its own is a fact a reader of the page would call wrong)
ZH_UNITS = (("清华大学计算机科学与技术系", "北京 100084"), ("北京大学信息科学技术学院", "北京 100871"),
            ("浙江大学控制科学与工程学院", "杭州 310027"), ("中国科学院自动化研究所", "北京 100190"),
            ("复旦大学经济学院", "上海 200433"), ("武汉大学资源与环境科学学院", "武汉 430079"))


def cell_id(table: int, row: int, col: int) -> str:
    return f"t{table}r{row}c{col}"


def code_id(block: int) -> str:
    return f"code{block}"


def caption_id(kind: str, number: int) -> str:
    """The id of table or figure `number`'s caption ("table", "figure"): the page keeps a caption in the column of
    what it captions (`engines.docs.content`)."""
    return f"{kind}cap{number}"


@dataclass(frozen=True)
class Stress:
    """How a page sets the runs its writer stressed (`prose.Passage.runs`): a tag for the source's bold, italic
    and code runs (commands, file names; None leaves them plain), and whether a list item's term (the words
    before its colon: "interpreter program packages: compatible interpreter must be available") is bold."""

    strong: str
    em: str
    code: str | None
    terms: bool


def draw_stress(rng: np.random.Generator, lang: str) -> Stress:
    """A page's way of setting stress (Chinese: bold only, as Chinese type has no italic)."""
    code = str(rng.choice(["i", "b"])) if lang == "en" else "b"
    return Stress("b", "i" if lang == "en" else "b", code if rng.random() < 0.6 else None, bool(rng.random() < 0.5))


TERM = {"en": re.compile(r"[^:\s][^:]{0,38}(?=: )"), "zh": re.compile("[^：]{2,15}(?=：)")}


def emphasise(passage: prose.Passage, stress: Stress, lang: str) -> str | None:
    """A passage as HTML with the runs its writer stressed set as the page sets stress, or None where it has no
    run the page sets. The text stays the same: stress only changes the face."""
    tags = {"strong": stress.strong, "em": stress.em, "code": stress.code}
    runs = [(start, end, tags[kind]) for start, end, kind in passage.runs if tags[kind]]
    if stress.terms and passage.path and passage.opens and (term := TERM[lang].match(passage.text)) \
            and len(term[0].split()) <= 5 and not any(start < term.end() for start, _, _ in runs):
        runs.insert(0, (0, term.end(), "b"))
    if not runs:
        return None
    out, at = [], 0
    for start, end, tag in runs:
        out.append(f"{html.escape(passage.text[at:start])}<{tag}>{html.escape(passage.text[start:end])}</{tag}>")
        at = end
    return "".join(out) + html.escape(passage.text[at:])


def table(rng: np.random.Generator, index: int, header: list[str], rows: list[list[str]], ruled: bool,
          caption: str | None = None, numeric_right: bool = True) -> str:
    """A table whose every cell has an id (`cell_id`), its caption above it (the convention for tables)."""
    style = "ruled" if ruled else "unruled"
    cells = [header] + rows
    body = "".join(
        "<tr>" + "".join(f"<{'th' if r == 0 and header else 'td'} id='{cell_id(index, r, c)}'"
                         + (" class='num'" if c and numeric_right else "") + f">{html.escape(v)}</"
                         + ("th" if r == 0 and header else "td") + ">" for c, v in enumerate(row)) + "</tr>"
        for r, row in enumerate(cells) if row)
    head = f"<p class='caption' id='{caption_id('table', index)}'>{html.escape(caption)}</p>" if caption else ""
    return f"{head}<table class='{style}'>{body}</table>"


def manual_table(rng: np.random.Generator, index: int, lang: str, source: str, ruled: bool, width: float,
                 size: float, passage: int, chapter: str, used: set[int]) -> str | None:
    """A table the manual prints (`engines.manual_tables`: the Debian Reference's packages with their popularity
    and size, commands, files; the KiCad manuals' hotkeys and properties), under its caption numbered `index`: of
    those not yet on the page (`used`, which it joins), the nearest to where the page reads (`passage`, an index
    into `engines.prose.passages`; its chapter's first), a run of 2-`KEEP_ROWS` of its rows with the manual's own
    values. Its widest columns after the first are left out until it fits `width` points at `size`; None where no
    table near enough fits (a column too narrow for a table)."""
    found = manual_tables.tables(lang, source)
    near = manual_tables.nearest(lang, source, manual_tables.paragraph_at(lang, source, passage), chapter)
    for k in (k for k in near[:8] if k not in used and len(found[k].rows) >= 2):
        rows = [list(row) for row in found[k].rows]
        n = min(len(rows), int(rng.integers(2, KEEP_ROWS + 1)))
        start = int(rng.integers(len(rows) - n + 1))
        rows, header = rows[start:start + n], list(found[k].header)
        columns = list(range(len(rows[0])))
        while len(columns) >= 2:
            cells = [[row[c] for c in columns] for row in ([header] if header else []) + rows]
            if _width(cells, size) <= width:
                used.add(k)
                number = f"表{index + 1} " if lang == "zh" else f"Table {index + 1}. "
                return table(rng, index, cells[0] if header else [], cells[1:] if header else cells, ruled,
                             number + found[k].caption, numeric_right=False)
            columns.remove(max(columns[1:], key=lambda c: max(len(row[c]) for row in rows)))
    return None


def _width(cells: list[list[str]], size: float) -> float:
    """At most how wide a table of `cells` is in points at `size`: 0.6 em a Latin letter (bold headers and wide
    faces), an em a Chinese one, 1.2 em of padding a column. MuPDF squeezes a table wider than its column, and a
    cell's unbreakable text then runs over its rules (a Chinese header 17 pt past its cell at 11.1 pt)."""
    ems = [max(sum(1 if re.match(f"[{HAN_RANGES}\uff00-\uffef]", ch) else 0.6 for ch in cell) for cell in column)
           for column in zip(*cells)]
    return sum(e + 1.2 for e in ems) * size


def zh_table(rng: np.random.Generator, index: int, ruled: bool, caption: str, statement: Statement) -> str:
    """A financial statement excerpt under its caption and unit line (the caption names `statement`, whose lines
    are the rows), maybe with the change between its periods."""
    change = rng.random() < 0.5
    header = [*statement.head] + ([ZH_CHANGE[int(rng.integers(len(ZH_CHANGE)))]] if change else [])
    rows = []
    for k, label in enumerate(statement.labels):
        row = [label] + [f"{p[k]:,.{statement.decimals}f}" for p in statement.periods]
        if change:
            pct = statement.change(k)
            row.append("--" if pct is None else f"{pct:.2f}")
        rows.append(row)
    unit = f"<p class='unit'>{html.escape(statement.unit)}</p>"
    return (f"<p class='caption' id='{caption_id('table', index)}'>{html.escape(caption)}</p>{unit}"
            + table(rng, index, header, rows, ruled))


def figure(rng: np.random.Generator, number: int, width_pt: float, label: str, about: str,
           lang: str, topic: str = "") -> tuple[str, str, bytes]:
    """(HTML, image file name, image bytes) of figure `number`, its caption below it (the convention for figures),
    `label` ("Figure 2. ", "图2 ") then what it shows: two times in five a photograph of what the text around it
    speaks of (`engines.photos`: a crop of a packaged photo with no text in it, captioned by what the photo shows;
    `about` and `topic`, the text, say the subject: none in the built-in manuals), else a chart-like drawing with no
    text (bars or lines over a frame with ticks), captioned by `about` (the section it stands in)."""
    photo = photos.photo(rng, lang, f"{about} {topic}") if rng.random() < PHOTO_SHARE else None
    if photo:
        name, image, caption = photo.name, photos.jpeg(photo.name), label + photo.shows
    else:
        name, image, caption = f"figure{number}.png", _chart(rng), label + about
    shown = min(width_pt, float(rng.uniform(0.6, 0.9)) * width_pt)
    markup = (f"<div class='figure' id='figure{number}'><img src='{name}' style='width: {shown:.0f}pt'/></div>"
              f"<p class='caption' id='{caption_id('figure', number)}'>{html.escape(caption)}</p>")
    return markup, name, image


def _chart(rng: np.random.Generator) -> bytes:
    """The PNG of a chart-like drawing without any text: bars or lines over a frame with ticks."""
    w, h = 480, int(480 * float(rng.uniform(0.4, 0.65)))
    image = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(30, 10), (30, h - 20), (w - 10, h - 20)], fill="black", width=2)
    for k in range(1, 5):
        y = h - 20 - k * (h - 40) // 4
        draw.line([(26, y), (30, y)], fill="black", width=2)
        draw.line([(31, y), (w - 10, y)], fill=(225, 225, 225), width=1)
    colours = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40)]
    n = int(rng.integers(5, 12))
    values = np.clip(np.cumsum(rng.normal(0, 0.15, (2, n)), axis=1) + 0.5, 0.05, 0.95)
    step = (w - 50) / n
    if rng.random() < 0.5:
        for i in range(n):
            x = 40 + i * step
            draw.rectangle([x, h - 20 - values[0, i] * (h - 40), x + step * 0.6, h - 21], fill=colours[0])
    else:
        for series, colour in zip(values, colours[1:]):
            draw.line([(40 + i * step, h - 20 - v * (h - 40)) for i, v in enumerate(series)], fill=colour, width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)  # embedded in a PDF written uncompressed: size does not matter
    return buffer.getvalue()


def code_lines(rng: np.random.Generator) -> list[str]:
    """A code block's lines: a shell session or a short script, its indentation in spaces, one space between
    tokens."""
    packages = [str(p) for p in rng.choice(PACKAGES, 3, replace=False)]
    kind = int(rng.integers(3))
    if kind == 0:
        lines = [f"$ sudo apt-get install {packages[0]}", f"$ dpkg -L {packages[1]} | head",
                 f"$ apt-cache policy {packages[2]}", "$ systemctl status --no-pager"]
        lines = lines[:int(rng.integers(2, 5))]
    elif kind == 1:
        lines = ["#!/bin/sh", "set -e", f"for pkg in {' '.join(packages)}; do",
                 "    if ! dpkg -s \"$pkg\" >/dev/null 2>&1; then", "        apt-get install -y \"$pkg\"",
                 "    fi", "done"]
    else:
        lines = ["def installed(names):", "    found = []", "    for name in names:",
                 "        if name in (" + ", ".join(f"'{p}'" for p in packages[:2]) + "):",
                 "            found.append(name)", "    return found"]
    return lines


def code(lines: list[str], index: int, size: float) -> str:
    """A code block of `lines` set at `size` points (`engines.docs.content` sets it where its longest line fits its
    column: MuPDF drops the glyphs past a column's edge from the image and the text layer alike, cutting the
    line, and draws the glyph on the edge half)."""
    return f"<pre id='{code_id(index)}' style='font-size: {size:.2f}pt'>" + html.escape("\n".join(lines)) + "</pre>"










def form(rng: np.random.Generator, index: int, title: str) -> str:
    """A form titled `title`: a note on filling it in, its fields a table of labels beside empty boxes (one field a
    row), and the declaration above the signature."""
    fields = FORMS[title][:int(rng.integers(5, len(FORMS[title]) + 1))]
    rows = "".join(f"<tr><td id='{cell_id(index, r, 0)}'>{html.escape(f)}:</td>"
                   f"<td id='{cell_id(index, r, 1)}'><div class='field'></div></td></tr>"
                   for r, f in enumerate(fields))
    note, declaration = (str(rng.choice(options)) for options in (FORM_NOTES, FORM_DECLARATIONS))
    return f"<p>{note}</p><table class='unruled'>{rows}</table><p>{declaration}</p><p>Date: {en_date(rng)}</p>"






def letter(rng: np.random.Generator, lang: str) -> str:
    """A letter (`engines.letters`): English with the sender's block (right), the date, the recipient's block,
    maybe a subject line, the salutation, its paragraphs, the closing and the signature; Chinese with 尊敬的...：, its
    paragraphs indented, 此致 / 敬礼！ and the sender and date at the right."""
    if lang == "zh":
        date = day(rng)
        words = letters.zh_letter(rng, date)
        paragraphs = "".join(f"<p class='indent'>{html.escape(p)}</p>" for p in words.paragraphs)
        return (f"<p>{html.escape(words.salutation)}</p>{paragraphs}<p class='indent'>{words.closing[0]}</p>"
                f"<p>{words.closing[1]}</p><p class='right'>{html.escape(words.signature[0])}</p>"
                f"<p class='right'>{zh_day(date)}</p>")
    sender, to = (str(n) for n in rng.choice(EN_NAMES, 2, replace=False))
    home, city = f"{int(rng.integers(2, 400))} {rng.choice(STREETS)}", str(rng.choice(CITIES))
    date = day(rng)
    words = letters.en_letter(rng, sender, to, city, date)
    subject = f"<p><b>Re: {html.escape(words.subject)}</b></p>" if words.subject else ""
    return (f"<p class='right'>{html.escape(words.company or sender)}<br/>{home}<br/>{city}</p>"
            f"<p class='right'>{en_day(date)}</p>"
            f"<p>{to}<br/>{int(rng.integers(2, 400))} {rng.choice(STREETS)}<br/>{rng.choice(CITIES)}</p>"
            f"{subject}<p>{html.escape(words.salutation)}</p>"
            + "".join(f"<p>{html.escape(p)}</p>" for p in words.paragraphs)
            + f"<p>{html.escape(words.closing[0])}</p><p>{'<br/>'.join(html.escape(t) for t in words.signature)}</p>")


def receipt(rng: np.random.Generator, index: int, most: int) -> str:
    """A shop receipt (`engines.docs.receipt`) of at most `most` item lines: the shop's name, address, date and
    number, an unruled table of its items and amounts, the sums and the payment, and a line of thanks."""
    drawn = receipts.draw(rng, most)
    items = table(rng, index, [], receipts.rows(drawn, rng), ruled=False)  # across the roll, amounts at its right
    return receipts.head(drawn, rng) + items.replace("<table ", "<table style='width: 100%' ", 1) + receipts.thanks(rng)


def notice(rng: np.random.Generator) -> tuple[str, str, str]:
    """A Chinese government notice (`engines.letters.zh_notice`) as (head, body, close): the issuing organ, 文号 (of
    the year it is issued), the title and 主送 (the bodies below its issuer); the paragraphs, 特此通知。; 附件 and
    落款 (the issuer and the day it is issued)."""
    org, code, addressees = ZH_ORGS[int(rng.integers(len(ZH_ORGS)))]
    words = letters.zh_notice(rng, *ZH_WORK[org])
    number = f"{code}〔{words.issued.year}〕{int(rng.integers(1, 99))}号"
    head = (f"<p class='org'>{org}文件</p><p class='centre'>{number}</p>"
            f"<h1>{html.escape(words.title)}</h1><p>{addressees}</p>")
    body = "".join(f"<p class='indent'>{html.escape(p)}</p>" for p in words.paragraphs)
    attached = [f"{'附件：' if i == 0 else ''}{i + 1}. {t}" for i, t in enumerate(words.attachments)]
    close = "".join(f"<p class='indent'>{t}</p>" for t in attached)
    return head, body, close + f"<p class='right'>{org}</p><p class='right'>{zh_day(words.issued)}</p>"


def paper_head(rng: np.random.Generator, title: str, abstract: str, keywords: list[str]) -> str:
    """A Chinese paper's head: title, authors, affiliation, 摘要 and 关键词."""
    authors = "，".join(str(n) for n in rng.choice(ZH_NAMES, int(rng.integers(1, 4)), replace=False))
    unit, city = ZH_UNITS[int(rng.integers(len(ZH_UNITS)))]
    return (f"<h1>{html.escape(title)}</h1><p class='centre'>{authors}</p>"
            f"<p class='centre small'>（{unit}，{city}）</p>"
            f"<p class='abstract'><b>摘要：</b>{html.escape(abstract)}</p>"
            f"<p class='abstract'><b>关键词：</b>{html.escape('；'.join(keywords))}</p>")


def report_title(rng: np.random.Generator) -> str:
    """A listed company's annual report for 2023, the year its statements' periods end in."""
    return f"{ZH_COMPANIES[int(rng.integers(len(ZH_COMPANIES)))]}2023年年度报告"


def zh_discussion(rng: np.random.Generator, statement: Statement) -> str:
    """A report's paragraph on `statement`, as management's discussion words it: its main lines' amounts in its
    unit and their change on the last period (the figures the table below shows), and why the first moved."""
    unit = statement.unit.removeprefix("单位：")
    against = "上年同期" if statement.flow else "期初"
    # an income statement leads with revenue, then net profit; a balance sheet with total assets
    last = max(statement.totals, default=0)
    lead = (0, last) if statement.flow else (last,)
    order = sorted(range(len(statement.labels)), key=lambda k: (k not in lead, lead.index(k) if k in lead else 0,
                                                                 k not in statement.totals, k))
    said = []
    for k in order[:int(rng.integers(2, 4))]:
        amount = f"{statement.periods[0][k]:,.{statement.decimals}f}{unit}"
        change = statement.change(k)
        moved = "" if change is None else f"，较{against}{'增长' if change >= 0 else '下降'}{abs(change):.2f}%"
        said.append(f"{LINE_PREFIX.sub('', statement.labels[k])}{amount}{moved}")
    first = statement.change(order[0])
    reasons = ZH_REASONS[statement.flow][first is not None and first < 0]
    why = f"{LINE_PREFIX.sub('', statement.labels[order[0]])}变动{reasons[int(rng.integers(len(reasons)))]}"
    return f"{'报告期内' if statement.flow else '报告期末'}，公司{'；'.join(said)}。" + (why if first is not None else "")
