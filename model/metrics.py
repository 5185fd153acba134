"""GOT's text metrics, with the prediction and the reference in their right roles.

What GOT's evaluation computes (GOT-OCR2.0 `eval/pyevaltools/eval_ocr.py`, Fox's likewise):
words by whitespace, or jieba's segmentation when either text has a Chinese character; BLEU as
nltk's `sentence_bleu` (4-gram, no smoothing); METEOR as nltk's (needs WordNet); precision,
recall and F1 on the *sets* of words; edit distance on characters, divided by the longer length;
then the mean over samples. GOT's script passes the label as the prediction and the answer as
the reference, which swaps precision with recall and BLEU's roles. Here `pred` is always the
model's output and `ref` the target: precision = |pred ∩ ref| / |pred|, recall = |pred ∩ ref| / |ref|.

GOT skips pairs where either text is empty; here they count: an empty prediction of a non-empty
target scores 0 (edit distance 1), and two empty texts score 1 (edit distance 0).
METEOR needs nltk's WordNet data, which nltk downloads at run time and no package ships: where
the user has it (`nltk.download("wordnet")`), it is computed; otherwise it is reported as None.
"""

from __future__ import annotations

import functools
import re
import warnings
from typing import Any

import jieba
from nltk.translate.bleu_score import sentence_bleu
from rapidfuzz.distance import Levenshtein

CHINESE = re.compile(r"[\u4e00-\u9fa5]")  # GOT's test for "contains Chinese"
jieba.setLogLevel(60)  # silence jieba's "Building prefix dict" banner


def words(text: str, chinese: bool) -> list[str]:
    return jieba.lcut(text) if chinese else text.split()


def edit_distance(pred: str, ref: str) -> float:
    """Character Levenshtein distance over the longer length: 0 identical, 1 nothing shared."""
    longest = max(len(pred), len(ref))
    return Levenshtein.distance(pred, ref) / longest if longest else 0.0


@functools.lru_cache(maxsize=1)
def meteor_available() -> bool:
    """Whether nltk finds WordNet locally (nothing is downloaded)."""
    try:
        from nltk.corpus import wordnet
        wordnet.ensure_loaded()
        return True
    except LookupError:
        return False


def text_metrics(pred: str, ref: str) -> dict[str, Any]:
    """edit_distance, precision, recall, f1, bleu and meteor (None without WordNet) of one pair."""
    chinese = bool(CHINESE.search(pred) or CHINESE.search(ref))
    pred_words, ref_words = words(pred, chinese), words(ref, chinese)
    if not pred_words and not ref_words:
        return {"edit_distance": edit_distance(pred, ref), "precision": 1.0, "recall": 1.0, "f1": 1.0,
                "bleu": 1.0, "meteor": 1.0 if meteor_available() else None}
    pred_set, ref_set = set(pred_words), set(ref_words)
    common = len(pred_set & ref_set)
    precision = common / len(pred_set) if pred_set else 0.0
    recall = common / len(ref_set) if ref_set else 0.0
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nltk warns when a higher-order n-gram has no match
        bleu = float(sentence_bleu([ref_words], pred_words)) if pred_words else 0.0
    return {"edit_distance": edit_distance(pred, ref), "precision": precision, "recall": recall, "f1": f1,
            "bleu": bleu, "meteor": _meteor(pred_words, ref_words)}


def _meteor(pred_words: list[str], ref_words: list[str]) -> float | None:
    if not meteor_available():
        return None
    from nltk.translate.meteor_score import meteor_score
    return float(meteor_score([ref_words], pred_words))


def mean_metrics(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    """The mean of each metric over samples (None stays None: METEOR without WordNet)."""
    if not rows:
        return {}
    out: dict[str, float | None] = {}
    for key in rows[0]:
        values = [row[key] for row in rows if row[key] is not None]
        out[key] = sum(values) / len(values) if values else None
    return out
