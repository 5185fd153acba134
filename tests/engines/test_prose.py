"""The document engines' prose sources: installed, real text in both languages, and selectable per build."""

from __future__ import annotations

import re
import typing

import pytest

from engines import Draw, Sample, get_engine, make_rng, prose


@pytest.mark.parametrize("name", sorted(prose.SOURCES))
def test_each_prose_source_is_installed_and_real_in_both_languages(name: str) -> None:
    for lang, least in (("en", 1000), ("zh", 500)):
        paragraphs, titles = prose.paragraphs(lang, name), prose.headings(lang, name)
        assert len(paragraphs) >= least and len(titles) >= 200, (name, lang)
        if lang == "zh":
            assert all(prose.HAN.search(t) for t in titles) and all(prose.HAN.search(p) for p in paragraphs)
        else:
            assert not any(prose.HAN.search(p) for p in paragraphs)
    with pytest.raises(ValueError, match="prose source must be one of"):
        prose.paragraphs("en", "lorem")


def test_the_prose_choices_are_the_sources() -> None:
    """`--prose` takes the `prose.Source` names: exactly the keys of SOURCES, in their order."""
    assert typing.get_args(prose.Source) == tuple(prose.SOURCES)


def title(head: str) -> str:
    """A heading without its section number: the manual's ("9.2. Title") or LaTeX's ("1 Title")."""
    return re.sub(r"^[\d.]+\s+", "", head)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pages_with_kicad_prose_draw_its_titles(lang: str) -> None:
    """`--prose kicad`: a generated page's headings are the KiCad manual's, none the Debian Reference's."""
    cls = get_engine("pages")
    engine = cls(cls.Config(prose="kicad", lang=lang))
    samples = engine.sample_batch([Draw(i, 0, make_rng(1, "pages", i)) for i in range(3)])  # one may hold none
    assert all(isinstance(sample, Sample) for sample in samples), samples
    heads = [title(line.lstrip("#").strip()) for sample in samples for line in sample.target.splitlines()
             if line.startswith("#")]
    kicad = {title(h) for h in prose.headings(lang, "kicad")}
    assert heads and all(h in kicad for h in heads), heads
    assert not any(h in {title(h) for h in prose.headings(lang, "debian-reference")} for h in heads)


def _share(text: str, source: str) -> float:
    """The share of the text's word triples found in the source's English passages (list items too) and titles."""
    corpus = "\n".join([p.text for p in prose.passages("en", source)] + prose.headings("en", source))
    words = text.split()
    triples = [" ".join(words[i:i + 3]) for i in range(len(words) - 2)]
    return sum(t in corpus for t in triples) / len(triples)


@pytest.mark.slow
def test_docs_pages_read_the_chosen_prose() -> None:
    """A generated docs page with `--prose kicad` is the KiCad manual's text (measured: 88-93% of its word
    triples are, 4-6% of the Debian Reference's), and the configs refuse an unknown source."""
    cls = get_engine("docs")
    (sample,) = cls(cls.Config(prose="kicad", lang="en")).sample_batch([Draw(0, 0, make_rng(1, "docs", 0))])
    assert isinstance(sample, Sample), sample
    assert _share(sample.target, "kicad") > 0.7 and _share(sample.target, "debian-reference") < 0.2
    for name in ("docs", "doc_slices", "pages"):
        config = get_engine(name).Config
        with pytest.raises(ValueError, match="--prose 'lorem' is not one of debian-reference, kicad"):
            config(prose="lorem").check()


@pytest.mark.parametrize("name", sorted(prose.SOURCES))
def test_each_paragraph_knows_its_chapter_and_section(name: str) -> None:
    """`places` gives each paragraph the headings it stands under, from the manual's own outline: a section of a
    numbered chapter carries the chapter's number ("2.1.3. ..." under "Chapter 2. ..."), and consecutive
    paragraphs share their section as the manual runs (so a page can put over its text the headings it has)."""
    for lang in ("en", "zh"):
        paragraphs, places, titles = prose.paragraphs(lang, name), prose.places(lang, name), prose.headings(lang, name)
        assert len(places) == len(paragraphs)
        assert all(p.section in titles and p.chapter in titles for p in places if p.section)
        assert sum(p.section is None for p in places) < 0.05 * len(places)
        runs = sum(a.section != b.section for a, b in zip(places, places[1:]))
        assert len(places) / 12 < runs < len(places) / 2, runs  # sections of a few paragraphs each
        if name == "debian-reference":
            numbered = re.compile(r"(?:Chapter|Appendix|第|附录) ?(\w+)")
            chapters = [(p, numbered.match(p.chapter or "")) for p in places]
            assert sum(bool(number) for _, number in chapters) > 0.95 * len(places)  # all but the title page and preface
            for p, number in chapters:
                assert not number or p.section == p.chapter or p.section.startswith(f"{number[1]}."), p


@pytest.mark.parametrize("name", sorted(prose.SOURCES))
def test_passages_keep_the_sources_lists_in_order(name: str) -> None:
    """`passages` runs through the manual as written: its prose paragraphs where they stand, and its lists whole,
    each item where the source has it (a list's items numbered 1, 2, 3... with none missing, nested lists inside
    their items), so a page can draw a list as the source does instead of gathering short paragraphs from
    elsewhere."""
    for lang in ("en", "zh"):
        passages = prose.passages(lang, name)
        left_out = set(prose.paragraphs(lang, name)) - {p.text for p in passages}
        assert len(left_out) < 0.01 * len(prose.paragraphs(lang, name)), left_out  # a list mostly untranslated
        listed = [p for p in passages if p.path]
        assert 0.1 * len(passages) < len(listed) < 0.6 * len(passages), len(listed)
        items: dict[int, list[int]] = {}
        for p in listed:
            if p.opens:
                items.setdefault(p.path[-1].list, []).append(p.path[-1].item)
        assert all(numbers == list(range(1, len(numbers) + 1)) for numbers in items.values())
        assert sum(len(p.path) > 1 for p in listed) > 10  # nested lists are kept, inside their items
        assert any(p.path[-1].ordered for p in listed) and not all(p.path[-1].ordered for p in listed)


def test_a_passage_knows_its_list_and_what_its_writer_stressed() -> None:
    """"interpreter program packages: ..." is the second item of a list nested in the first item of another (it
    was flowed as a loose paragraph), and "Install" is the bold word of its item, "apt install …" a code run."""
    passages = prose.passages("en")
    (nested,) = [p for p in passages if p.text.startswith("interpreter program packages:")]
    assert [(level.ordered, level.item) for level in nested.path] == [(False, 1), (False, 2)]
    (parent,) = [p for p in passages if p.path == nested.path[:1] and p.opens]
    assert parent.text.startswith("Non-binary packages")
    install = next(p for p in passages if p.text.startswith("Install (") and p.path)
    runs = [(install.text[start:end], kind) for start, end, kind in install.runs]
    assert runs[:2] == [("Install", "strong"), ("apt install …", "code")], runs
