"""One language rule (`renderers.scripts.text_lang`), with the share of CJK its caller's kind of text needs."""

from __future__ import annotations

from renderers.scripts import LINES_SHARE, PAGE_SHARE, text_lang


def test_a_page_is_chinese_from_a_tenth_and_a_few_lines_from_a_third() -> None:
    # a Chinese paper's line: a formula, English terms and figures in Latin, 8 of its 46 non-space characters CJK
    paper = "由式 (3) 得 loss = 0.5 * sum(x_i - y_i)^2，其中 batch size 取 128。"
    assert text_lang(paper, PAGE_SHARE) == "zh" and text_lang(paper, LINES_SHARE) == "en"
    assert text_lang(paper) == text_lang(paper, LINES_SHARE)  # a photo's lines: the default
    # an English page citing a Chinese title: 4 of 65, under a tenth
    cited = "[12] Zhang, W. 深度学习 (Deep Learning). Beijing: Science Press, 2019, pp. 1-20."
    assert text_lang(cited, PAGE_SHARE) == "en"
    # the boundary is inclusive, whitespace does not count: 1 of 10 characters
    assert text_lang("中 abc defghi", PAGE_SHARE) == "zh" and text_lang("中 abc defghij", PAGE_SHARE) == "en"
