"""pipelines.validate: an independent PP-OCR reading scores real builds high and corrupted copies low.

Corrupted copies are real shards rewritten sample by sample with `shards.writer.ShardWriter`: targets
swapped between two samples, a label changed, an image blanked. Each copy keeps only a few samples so
the whole file reads 28 images (PP-OCR loads once per process: `renderers.ppocr.engine` is cached).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import fsspec
import pytest
from PIL import Image

from pipelines.gallery import main as gallery_main
from pipelines.readers import READERS
from pipelines.readers.charts import chart_items
from pipelines.readers.text import cer, fold
from pipelines.validate import main as validate_main
from shards.format import encode_image, encode_record
from shards.reader import StoredSample, iter_shard
from shards.stats import ShardStats, stats_name
from shards.writer import ShardWriter

pytestmark = pytest.mark.slow  # drives the real tools over many samples: not in the quick tier

NEW_LABEL = "Zanzibar"
Corrupt = Callable[[list[StoredSample]], dict[str, str]]


def write_copy(src: Path, dst: Path, keep: int, corrupt: Corrupt | None = None) -> dict[str, str]:
    """Rewrite the first `keep` samples of src's first shard into a new build folder dst, with its stats file.

    Returns:
        what `corrupt` did to each sample, by key ("swap", "label", "blank"); empty for a clean copy.
    """
    shard = sorted(src.glob("*.tar"))[0]
    samples = [s for _, s in zip(range(keep), iter_shard(str(shard)))]
    done = corrupt(samples) if corrupt else {}
    dst.mkdir(parents=True)
    with ShardWriter(fsspec.filesystem("file"), str(dst / shard.name)) as writer:
        for s in samples:
            writer.write(s.key, {"json": encode_record(s.record), "png": s.image_bytes})
    (dst / stats_name(shard.name)).write_text(ShardStats(shard=shard.name, samples=len(samples)).to_json())
    return done


def corrupt_cycle(change_label: Callable[[StoredSample], None]) -> Corrupt:
    """Per run of four samples: targets of the first two swapped, the third's label changed, the fourth blanked."""
    def corrupt(samples: list[StoredSample]) -> dict[str, str]:
        done = {}
        for i in range(0, len(samples) - 3, 4):
            a, b, c, d = samples[i:i + 4]
            a.record["target"], b.record["target"] = b.record["target"], a.record["target"]
            change_label(c)
            blank = Image.new("RGB", d.images[0].size, "white")
            d.image_bytes = encode_image(blank)
            done.update({a.key: "swap", b.key: "swap", c.key: "label", d.key: "blank"})
        return done
    return corrupt


def change_smoke_word(sample: StoredSample) -> None:
    """The first word of the first line becomes NEW_LABEL (a word the smoke vocabulary lacks)."""
    lines = sample.record["target"].split("\n")
    lines[0] = " ".join([NEW_LABEL] + lines[0].split(" ")[1:])
    sample.record["target"] = "\n".join(lines)


def change_chart_label(sample: StoredSample) -> None:
    """The first category label (a series name or title where the categories are points on a numeric scale)
    becomes NEW_LABEL, wherever the target writes it."""
    items = chart_items(sample.record["target"])
    label = (items.series + items.titles if sample.meta["spec"].get("x_values") else items.categories)[0]
    sample.record["target"] = sample.record["target"].replace(json.dumps(label, ensure_ascii=False),
                                                              json.dumps(NEW_LABEL))


def run_validate(folder: Path, n: int) -> dict:
    assert validate_main([str(folder), "--n", str(n)]) == 0
    return json.loads((folder / "validation.json").read_text())


def scores(report: dict) -> dict[str, dict]:
    return {row["key"]: row for row in report["samples"]}


@pytest.fixture
def build(request: pytest.FixtureRequest) -> Path:
    """The session's real build of the engine named by the parameter (built only when asked for)."""
    return request.getfixturevalue(f"built_{request.param}")


@pytest.mark.parametrize("build, keep, change", [("smoke", 8, change_smoke_word), ("charts", 4, change_chart_label)],
                         indirect=["build"])
def test_correct_build_scores_high_and_corrupted_copy_low(build: Path, keep: int, change: Callable,
                                                          tmp_path: Path) -> None:
    src, engine = build, json.loads((build / "manifest.json").read_text())["engine"]
    write_copy(src, tmp_path / "clean", keep)
    done = write_copy(src, tmp_path / "corrupt", keep, corrupt_cycle(change))
    clean, bad = scores(run_validate(tmp_path / "clean", keep)), scores(run_validate(tmp_path / "corrupt", keep))
    threshold = READERS[engine][1]
    assert len(clean) == len(bad) == keep
    clean_scores = sorted(r["score"] for r in clean.values())
    assert clean_scores[len(clean_scores) // 2] >= 0.9, clean  # median: the reader confirms correct samples
    for key, kind in done.items():
        row = bad[key]
        assert row["score"] < clean[key]["score"], (kind, row, clean[key])
        if kind == "blank":
            assert row["score"] == 0.0 and row["flagged"], row
        elif kind == "swap":
            assert row["score"] < threshold and row["flagged"], row
        else:  # one label of several: the redraw differs, or the label is named among what the reader missed
            assert row["details"].get("differing_pixels") or NEW_LABEL in row["details"]["missed"], row
    if engine == "smoke":  # clean text reads exactly: nothing correct is flagged, every corruption is
        assert not any(r["flagged"] for r in clean.values())
        assert all(bad[key]["flagged"] for key in done)


def test_report_groups_and_flagged_gallery(built_smoke: Path, tmp_path: Path) -> None:
    """The JSON groups by engine/task/lang; engines without a reader are counted, not failed; the gallery
    shows just the flagged samples with why."""
    done = write_copy(built_smoke, tmp_path / "bad", 4, corrupt_cycle(change_smoke_word))

    def unknown_engine(samples: list[StoredSample]) -> dict[str, str]:
        for s in samples:
            s.record["engine"] = "nonesuch"
        return {}

    write_copy(built_smoke, tmp_path / "unread", 3, unknown_engine)
    out = tmp_path / "both.json"
    assert validate_main([str(tmp_path / "bad"), str(tmp_path / "unread"), "--n", "4", "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    groups = {g["engine"]: g for g in report["groups"]}
    assert groups["nonesuch"] == {"engine": "nonesuch", "task": "plain", "lang": "en", "samples": 3, "reader": None}
    assert groups["smoke"]["samples"] == 4 and groups["smoke"]["flagged"] == len(done) == 4
    page = tmp_path / "flagged.html"
    assert gallery_main(["--flagged", str(out), "--out", str(page)]) == 0
    text = page.read_text()
    assert text.count('class="card"') == 4 and text.count('class="note"') == 4
    assert all(key in text for key in done)


def test_chart_items_parses_every_target_format() -> None:
    onechart = ('{"title": "Sales 2020", "source": "None", "x_title": "Month", "y_title": "None", '
                '"values": {"Budget": {"Aug": 12.50, "Sep": "7%"}, "Actual": {"Aug": 3, "Sep": "8%"}}}')
    html = ("<table><caption>Sales 2020</caption><tr><th>Month</th><th>Budget</th><th>Actual</th></tr>"
            "<tr><td>Aug</td><td>12.50</td><td>3</td></tr><tr><td>Sep</td><td>7%</td><td>8%</td></tr></table>")
    markdown = "Sales 2020\n\n| Month | Budget | Actual |\n| --- | --- | --- |\n| Aug | 12.50 | 3 |\n| Sep | 7% | 8% |"
    for target in (onechart, html, markdown):
        items = chart_items(target)
        assert items.titles == ["Sales 2020", "Month"], target
        assert (items.series, items.categories) == (["Budget", "Actual"], ["Aug", "Sep"]), target
        assert sorted(items.values) == sorted(["12.50", "7%", "3", "8%"]), target  # digits as written
    single = chart_items("| Year | Revenue |\n|---|---|\n| 2019 | 4 |\n| A \\| B | 5 |")
    assert single.series == [] and single.categories == ["2019", "A | B"]  # a lone value column names no series
    with pytest.raises(ValueError, match="not a OneChart dict, HTML table or Markdown table"):
        chart_items("Sales went up.")


def test_line_cer_folds_what_ppocr_cannot_tell_apart_and_nothing_else() -> None:
    # Seen in real readings: PP-OCR drops the space between Chinese and Latin text, reads U+2010 (not in
    # its dictionary) as "-", bullets as "·" and curly quotes as straight ones.
    for truth, read in (("或 “/opt” 中。", "或\"/opt\"中。"),
                        ("‧ 一些命令以 \"‐‐\" 开头", "·一些命令以\"--\"开头"),
                        ("“Sandbox”.", '"Sandbox".'), ("a  b ⋯", "a b ..."),
                        ("I. Introduction", "I. INTRODUCTION")):
        assert cer(fold(read), fold(truth)) == 0.0, (truth, read)
    assert cer(fold("按下 “1” 键"), fold("按下 “l” 键")) == 1 / 6  # no letter or digit becomes another
    assert fold("Debian 12 ships") == "debian 12 ships"  # spaces between Latin words stay
    assert cer("", "") == 0.0 and cer("x", "") == 1.0


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    for argv, message in (([str(tmp_path / "missing")], "no such folder"),
                          ([str(tmp_path), str(tmp_path)], "say where the report goes with --out"),
                          ([str(tmp_path), "--n", "0"], "--n must be at least 1")):
        with pytest.raises(SystemExit) as exit_info:
            validate_main(argv)
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err
    assert not list(tmp_path.iterdir())


def test_code_points_no_source_holds_are_named_and_source_text_passes() -> None:
    """Compatibility ideographs, look-alike punctuation, private use, invisible characters and Cyrillic
    letters in Latin words are found without a reader; real Chinese, English, LaTeX and SMILES are not."""
    from pipelines.readers.codepoints import check, suspicious

    for clean in ("这不是问题。", "see ls -l and “Section 1.6”", r"\[ \beta_{2} \equiv x \]", "<smiles>CC(=O)O</smiles>",
                  "Москва and Paris", "μm and αβ", "中文 · English\n\tindent"):
        assert check(clean) is None, clean
    for wrong, code in (("这\uf967是", "U+F967"), ("ls \u2011l", "U+2011"), ("\u2027 item", "U+2027"),
                        ("a\ue000b", "U+E000"), ("soft\u00adhyphen", "U+00AD"), ("Fr\u0430nce", "U+0430"),
                        ("\u2f08 radical", "U+2F08")):
        assert [f["code"] for f in suspicious(wrong)] == [code], wrong


def test_reading_order_is_judged_from_detected_columns_not_the_target() -> None:
    """Two columns of three lines under a full-width title: column order passes, rows read across the
    gutter (interleaved), two lines swapped and a line split into words fail; a dropped line is a
    detection nothing matches."""
    from pipelines.readers.order import Placed, judge

    left = ["the first line of the left", "second line on the left side", "third line in the left column"]
    right = ["right column opens here now", "and goes on with a second", "before it ends on the third"]
    found = [Placed(0, (10, 10, 590, 30), "a title across both columns")]
    found += [Placed(0, (10, 50 + 30 * i, 280, 70 + 30 * i), t) for i, t in enumerate(left)]
    found += [Placed(0, (320, 50 + 30 * i, 590, 70 + 30 * i), t) for i, t in enumerate(right)]
    title = ["a title across both columns"]
    good = judge(title + left + right, found)
    assert (good["order"], good["split"], good["unmatched_found"]) == (1.0, 0, 0), good
    interleaved = judge(title + [t for pair in zip(left, right) for t in pair], found)
    assert interleaved["order"] < 0.7, interleaved
    swapped = judge(title + [left[1], left[0]] + left[2:] + right, found)
    assert swapped["in_order"] == swapped["pairs"] - 1, swapped
    split = judge(title + left[0].split() + left[1:] + right, found)
    assert split["split"] >= 3, split
    dropped = judge(title + left[:2] + right, found)
    assert dropped["unmatched_found"] == 1 and dropped["order"] == 1.0, dropped


def test_mutation_bench_flags_broken_smoke_targets_and_not_right_ones() -> None:
    """The suite's small `bench.mutate`: 4 real smoke samples, each broken every way a plain text can be."""
    from bench.mutate import mutation_table
    from bench.validate import draw

    samples = [StoredSample(f"smoke_{i}", record, encode_image(images[0]))
               for i, (record, images) in enumerate(draw("smoke", 4, 3))]
    result = mutation_table(samples, 0)
    assert result["good"]["smoke"]["flagged"] == 0, result["misses"]
    table = {row["kind"]: row for row in result["table"]}
    assert {"letter", "look_alike", "swap_lines", "split_line", "drop_line"} <= set(table), table
    for kind, row in table.items():
        assert row["flagged"] == row["applied"] > 0, (kind, result["misses"])


def test_a_full_width_footnote_under_two_columns_is_read_after_both() -> None:
    from pipelines.readers.order import Placed, judge

    left = [f"left column line number {i}" for i in range(4)]
    right = [f"right column line number {i}" for i in range(4)]
    found = [Placed(0, (10, 10, 590, 30), "a title across both columns")]
    found += [Placed(0, (10, 50 + 30 * i, 280, 70 + 30 * i), t) for i, t in enumerate(left)]
    found += [Placed(0, (320, 50 + 30 * i, 590, 70 + 30 * i), t) for i, t in enumerate(right)]
    found.append(Placed(0, (10, 200, 590, 220), "1 a footnote that runs across the whole page"))
    lines = ["a title across both columns", *left, *right, "1 a footnote that runs across the whole page"]
    assert judge(lines, found)["order"] == 1.0
    assert judge(lines[:5] + lines[-1:] + lines[5:-1], found)["order"] < 1.0


def test_one_changed_character_on_a_page_of_fifty_lines_is_flagged() -> None:
    """A page of 52 prose lines, each read from its box: the right target passes, and one letter changed flags it
    (the reader once allowed one misread line per 50, so the changed line passed as PP-OCR's own slip; now a
    misread line is read again with other crop margins and counts only if no look reads it as the target)."""
    import pymupdf

    from engines import prose
    from pipelines.readers import get_reader
    from renderers.pymupdf import PdfDocument

    # ASCII paragraphs only: the page is set in the base-14 Helvetica, which draws a "→" as "·"
    words = " ".join([p for p in prose.paragraphs("en") if p.isascii()][200:260]).split()
    lines = [" ".join(words[k:k + 7]) for k in range(0, 7 * 52, 7)]
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for i, line in enumerate(lines):
        page.insert_text((50, 40 + 15 * i), line, fontsize=10, fontname="helv")
    pdf = PdfDocument(doc.tobytes())
    image, texts = pdf.render(0, 150), pdf.texts(0, 150)
    assert [t.text for t in texts] == lines
    meta = json.dumps({"boxes": [list(t.bbox) for t in texts]})
    read, threshold = get_reader("docs")
    assert read({"target": "\n".join(lines), "meta": meta}, [image]).score >= threshold
    at = next(i for i, c in enumerate(lines[30]) if c in "aeiou")
    changed = lines[30][:at] + ("o" if lines[30][at] != "o" else "e") + lines[30][at + 1:]
    wrong = read({"target": "\n".join(lines[:30] + [changed] + lines[31:]), "meta": meta}, [image])
    assert wrong.score < threshold and wrong.details["lines_misread"] == 1, wrong.details


def test_a_row_written_as_cells_is_a_split_and_a_letter_head_is_not_two_columns() -> None:
    """A table row the detector cut into cells and the target wrote one cell a line is a split; a letter's sender
    block (right) over its recipient block (left) is read top to bottom, not as two columns."""
    from pipelines.readers.order import Placed, judge

    row = [Placed(0, (10, 10, 120, 30), "operating income"), Placed(0, (300, 10, 400, 30), "9,097.97"),
           Placed(0, (450, 10, 560, 30), "10,737.22")]
    assert judge(["operating income 9,097.97 10,737.22"], row)["split"] == 0
    cells = judge(["operating income", "9,097.97", "10,737.22"], row)
    assert cells["split"] == 2 and cells["order"] == 0.0, cells
    sender = ["emily clarke", "376 station road", "austin, tx 78701", "september 4, 2017"]
    recipient = ["anna schmidt", "182 park road", "madison, wi 53703"]
    found = [Placed(0, (700 - 10 * len(t), 10 + 30 * i, 700, 30 + 30 * i), t) for i, t in enumerate(sender)]
    found += [Placed(0, (10, 160 + 30 * i, 10 + 10 * len(t), 180 + 30 * i), t) for i, t in enumerate(recipient)]
    letter = judge(sender + recipient, found)
    assert letter["order"] == 1.0 and letter["split"] == 0, letter
