"""GOT's text metrics and OneChart's chart AP against hand-computed values, and the evaluate CLI."""

from __future__ import annotations

import json
from pathlib import Path

import fsspec
import pytest
import torch
from PIL import Image
from transformers import GotOcr2ForConditionalGeneration

from model import checkpoint, evaluate
from model.chart_ap import chart_ap, parse_values, similarity, triples
from model.metrics import mean_metrics, meteor_available, text_metrics
from model.presets import build_config
from shards.format import encode_image, encode_record, make_record, sample_key, shard_name
from shards.writer import ShardWriter

CHART = '{"title": "T", "source": "None", "x_title": "None", "y_title": "None", "values": %s}'


def test_precision_and_recall_keep_prediction_and_reference_in_their_roles() -> None:
    m = text_metrics("a b c d", "a b e")  # pred has 4 distinct words, ref 3, 2 shared
    assert m["precision"] == pytest.approx(2 / 4) and m["recall"] == pytest.approx(2 / 3)
    assert m["f1"] == pytest.approx(2 * (1 / 2) * (2 / 3) / (1 / 2 + 2 / 3))
    assert m["edit_distance"] == pytest.approx(3 / 7)  # c->e, drop " d"; over the longer length
    swapped = text_metrics("a b e", "a b c d")
    assert (swapped["precision"], swapped["recall"]) == pytest.approx((2 / 3, 2 / 4))
    assert (m["meteor"] is None) == (not meteor_available())


def test_bleu_is_sentence_bleu_of_the_prediction_against_the_reference() -> None:
    m = text_metrics("the cat sat on the mat", "the cat sat on a mat")
    # 1- to 4-gram precisions 5/6, 3/5, 2/4, 1/3; same length, so no brevity penalty
    assert m["bleu"] == pytest.approx((5 / 6 * 3 / 5 * 2 / 4 * 1 / 3) ** 0.25)
    assert text_metrics("the cat sat on the mat", "the cat sat on the mat")["bleu"] == pytest.approx(1.0)


def test_chinese_is_segmented_with_jieba_and_empty_texts_count() -> None:
    m = text_metrics("你好世界", "你好中国")
    assert (m["precision"], m["recall"], m["f1"]) == pytest.approx((0.5, 0.5, 0.5))
    assert m["edit_distance"] == pytest.approx(0.5)
    empty = text_metrics("", "a b")
    assert (empty["precision"], empty["recall"], empty["f1"], empty["bleu"], empty["edit_distance"]) == (0, 0, 0, 0, 1)
    both = text_metrics("", "")
    assert (both["f1"], both["edit_distance"]) == (1.0, 0.0)
    assert mean_metrics([{"f1": 1.0, "meteor": None}, {"f1": 0.5, "meteor": None}]) == {"f1": 0.75, "meteor": None}


def test_chart_ap_of_a_perfect_and_a_perturbed_prediction() -> None:
    ref = CHART % '{"a": 10, "b": 20, "c": 30, "d": 40}'
    perfect = chart_ap([ref], [ref])
    assert perfect == {"ap_strict": 1.0, "ap_slight": 1.0, "ap_high": 1.0, "em": 1.0, "texts_em": 1.0,
                       "parsed": 1.0}
    # d off by 2.5%: strict matches 3 of a union of 5 (sim 0.6, so AP counts thresholds 0.50, 0.55, 0.60);
    # slight and high tolerate 5% and 10%, so all 4 match and the union is 4
    off = chart_ap([CHART % '{"a": 10, "b": 20, "c": 30, "d": 41}'], [ref])
    assert off["ap_strict"] == pytest.approx(0.3) and off["em"] == 0.0
    assert off["ap_slight"] == off["ap_high"] == 1.0
    # one unparseable prediction of two: similarity 0 for it, and half parsed
    two = chart_ap([ref, "not json"], [ref, ref])
    assert two["ap_strict"] == 0.5 and two["parsed"] == 0.5
    with pytest.raises(ValueError, match="reference is not a chart JSON"):
        chart_ap([ref], ["plain text"])


def test_chart_triples_follow_onechart() -> None:
    assert triples({"Rent": "$299", "IT": "8%"}) == {("rent", "value", 299.0), ("it", "value", 8.0)}
    nested = triples(parse_values(CHART % '{"2019": {"Sales": 5}}'))
    assert nested == triples(parse_values(CHART % '{"Sales": {"2019": 5}}'))  # heads sorted
    assert parse_values('{"values": {"a": 10, "b": 20') == {"a": 10, "b": 20}  # braces closed as OneChart does
    pred, ref = triples({"Salse": 5}), triples({"Sales": 5})  # a 2-edit typo in a head
    assert similarity(pred, ref, 0, 0.0) == pytest.approx(0.0)
    assert similarity(pred, ref, 2, 0.05) == 1.0


@pytest.fixture(scope="module")
def tiny_ckpt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch.manual_seed(0)
    model = GotOcr2ForConditionalGeneration(build_config("tiny"))
    run = tmp_path_factory.mktemp("eval") / "run"
    checkpoint.save(run, 1, model, model.state_dict(), {"step": 1})
    return run


def write_shards(folder: Path) -> Path:
    folder.mkdir(parents=True)
    fs = fsspec.filesystem("file")
    for engine, target, prompt, task in (("charts", CHART % '{"a": 1}', "OCR with format: ", "format"),
                                         ("text", "hello world", "OCR: ", "plain")):
        with ShardWriter(fs, str(folder / shard_name(engine, 0))) as w:
            record = make_record(prompt=prompt, target=target, task=task, engine=engine, seed=0, index=0, meta={})
            w.write(sample_key(engine, 0), {"png": encode_image(Image.new("RGB", (300, 200), "white")),
                                            "json": encode_record(record)})
    return folder


@pytest.mark.slow
def test_evaluate_prints_one_table_per_engine(tiny_ckpt: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    shards = write_shards(tmp_path / "shards")
    out = tmp_path / "eval.json"
    assert evaluate.main([str(shards), "--ckpt", str(tiny_ckpt), "--max-new-tokens", "4",
                          "--batch-size", "2", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    charts, text = printed.split("### charts")[1].split("### text")
    assert "ap_strict" in charts and "ap_strict" not in text and "| edit_distance | f1 |" in text
    assert ("METEOR: n/a" in printed) == (not meteor_available())
    result = json.loads(out.read_text())
    assert set(result["summary"]) == {"charts", "text"}
    row = next(r for r in result["samples"] if r["engine"] == "text")
    assert row["reference"] == "hello world" and isinstance(row["prediction"], str)


def test_evaluate_errors(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert evaluate.main([str(tmp_path), "--ckpt", str(tmp_path / "none")]) == 2
    assert "no such folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        evaluate.parse_args(["s", "--ckpt", "c", "--n", "0"])
    assert e.value.code == 2 and capsys.readouterr().err == (
        "python -m model.evaluate: error: --n must be >= 1, got 0 (see --help)\n")
