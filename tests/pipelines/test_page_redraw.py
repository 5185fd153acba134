"""The endings a generated page is redrawn with (`pipelines.readers.page_redraw`), without LaTeX."""

from __future__ import annotations

from pipelines.readers.page_redraw import CUT, _cut, blocks_of

NOTE = "The powerful design of Debian GNU/Linux comes from the Unix operating system."


def test_a_paragraph_ending_in_a_footnote_mark_or_a_formula_is_cut_after_it() -> None:
    """A reused page of the multicrop build ends in "... a new foreign language.\\({ }^{1}\\)" whose paragraph goes on
    on the next page: its last line is justified. It had no cut ending (only prose endings were cut), so its redraw
    was 2,175 px off the right page; cut after the mark, it matches pixel for pixel."""
    for end, note in (("a new foreign language.\\({ }^{1}\\)", f"\n\n\\({{ }}^{{1}}\\) {NOTE}"),
                      ("a weight \\(\\varphi\\)", "")):
        blocks = blocks_of(f"I think learning a computer system is like learning {end}{note}", "en", False, [])
        cut = _cut(blocks)
        assert cut is not None, end
        paragraph = next(b for b in cut if b.kind == "paragraph")
        assert paragraph.segments[:-1] == next(b for b in blocks if b.kind == "paragraph").segments
        assert paragraph.segments[-1].text == "" and paragraph.segments[-1].tex.endswith(CUT)
        assert [b.kind for b in cut] == [b.kind for b in blocks]
    prose = blocks_of("A paragraph the page cuts", "en", False, [])
    assert _cut(prose)[-1].segments[-1].latex().startswith("A paragraph the page cuts\\parfillskip=0pt")
    assert _cut(blocks_of("# A heading", "en", False, [])) is None
