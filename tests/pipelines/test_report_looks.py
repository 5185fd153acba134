"""The report's looks: what each engine records about how its samples look, tallied per engine (quick, no build)."""

from __future__ import annotations

from engines import ENGINES
from pipelines.report import LOOKS, layout_section, looks_of, looks_shares


def test_every_engine_names_what_it_records_about_its_looks() -> None:
    """A new engine must say which meta paths tell how its samples look (smoke is a test engine)."""
    assert set(ENGINES) - {"smoke"} <= set(LOOKS)


def test_looks_count_values_list_items_and_the_blocks_a_page_shows() -> None:
    meta = {"lang": "zh", "unit": "page", "layout": {"kind": "notice", "face": "kaiti", "columns": 1,
                                                     "blocks": {"tables": 2, "figures": 0, "emphasis": 1}}}
    assert looks_of("docs", meta) == {"lang": ["zh"], "unit": ["page"], "layout.kind": ["notice"],
                                      "layout.face": ["kaiti"], "layout.columns": ["1"],
                                      "layout.blocks": ["tables", "emphasis"]}  # heading_face absent: left out
    assert looks_of("multipage", {"lang": "en", "sources": ["built-in", "built-in"]})["sources"] == ["built-in"] * 2
    assert looks_of("no-such-engine", meta) == {}
    rows = [{"engine": "docs", "looks": looks_of("docs", meta)},
            {"engine": "docs", "looks": looks_of("docs", {**meta, "lang": "en", "layout": {"kind": "letter"}})}]
    shares = looks_shares(rows)["docs"]
    assert shares["lang"] == {"zh": 0.5, "en": 0.5} and shares["layout.blocks"] == {"tables": 0.5, "emphasis": 0.5}
    section = layout_section(rows)[0]
    assert "<code>docs</code>" in section and "layout.kind: notice 50%, letter 50%" in section
