"""The engine platform: lazy registry, typed flags, contained failures, isolated tools, glyph checks."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest

import flaky_engine
from conftest import REPO
from engines import ENGINES, EngineUnavailable, get_engine
from pipelines import shard_task
from pipelines.cli import Parser, add_config_flags
from pipelines.shard_task import ShardFailed, ShardSpec, build_shard
from renderers.errors import RenderError
from renderers.fonts import check_drawable, missing_glyphs
from renderers.isolated import Isolated
from shards.format import shard_name
from shards.reader import iter_shard
from tokenizer.protocol import box_coords, box_prompt, color_prompt


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True, text=True)


def test_import_engines_loads_no_heavy_tool() -> None:
    proc = run_python("""
        import sys, engines, pipelines.build
        heavy = [m for m in ('matplotlib', 'playwright', 'rdkit', 'onnxruntime', 'ray') if m in sys.modules]
        print(heavy)
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


BLOCK_PLAYWRIGHT = """
    import sys
    class Block:
        def find_spec(self, name, path=None, target=None):
            if name == 'playwright' or name.startswith('playwright.'):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    sys.meta_path.insert(0, Block())
"""


@pytest.mark.slow
def test_a_missing_tool_disables_only_its_engine(tmp_path: Path) -> None:
    proc = run_python(BLOCK_PLAYWRIGHT + f"""
    from pipelines.build import main
    try:
        main(['--engine', 'charts', '--n', '4', '--out', {str(tmp_path / 'c')!r}])
    except SystemExit as e:
        print('exit', e.code)
    from engines import get_engine, make_rng
    engine = get_engine('smoke')()
    print('smoke', engine.sample(make_rng(0, 'smoke', 0), 0).task)
    try:
        main(['--help'])
    except SystemExit as e:
        print('help', e.code)
    """)
    assert "exit 2" in proc.stdout and "smoke plain" in proc.stdout and "help 0" in proc.stdout, proc.stdout
    assert "engine 'charts' needs the Python module 'playwright'" in proc.stderr
    assert "make setup" in proc.stderr and not (tmp_path / "c").exists()


def test_registry_names_are_import_paths_and_unknown_names_list_the_known() -> None:
    assert all(":" in path for path in ENGINES.values())
    with pytest.raises(ValueError, match=r"unknown engine 'nope'; known engines: charts, .*smoke"):
        get_engine("nope")
    assert issubclass(EngineUnavailable, ValueError)


def test_a_missing_source_is_refused_with_the_engines_hint(tmp_path: Path) -> None:
    hinted = [get_engine(name).Config for name in ENGINES if get_engine(name).Config.source_hint]
    assert len(hinted) >= 6  # tables, molecules, formulas, sheet_music, docs (and doc_slices), scene
    for config in hinted:
        with pytest.raises(ValueError, match=rf"--source {tmp_path}/nope: no such file or folder; give "
                                             rf"{re.escape(config.source_hint)}$"):
            config(source=str(tmp_path / "nope")).check()
        config(source=str(tmp_path)).check()  # an existing path passes (what it holds is the reader's concern)


@dataclass
class TypedConfig:
    limit: int | None = field(default=None, metadata={"help": "a limit"})
    ratio: float = 0.5
    strict: bool = False
    fonts: list[str] = field(default_factory=lambda: ["dejavu-sans"])
    mode: Literal["fast", "exact"] = "fast"
    renderer: Literal["a", "b"] | None = None


def test_config_fields_become_typed_flags(capsys: pytest.CaptureFixture) -> None:
    parser = Parser(prog="t")
    add_config_flags(parser, TypedConfig, "typed")
    assert vars(parser.parse_args([])) == dataclasses.asdict(TypedConfig())
    args = parser.parse_args("--limit 3 --ratio 2 --strict --fonts a b --mode exact --renderer b".split())
    assert vars(args) == {"limit": 3, "ratio": 2.0, "strict": True, "fonts": ["a", "b"], "mode": "exact",
                          "renderer": "b"}
    for bad, message in ((["--limit", "x"], "--limit: 'x' is not a whole number"),
                         (["--mode", "slow"], "invalid choice: 'slow'"),
                         (["--renderer", "c"], "invalid choice: 'c'"), (["--ratio", "?"], "is not a number")):
        with pytest.raises(SystemExit):
            parser.parse_args(bad)
        assert message in capsys.readouterr().err


def flaky_spec(tmp_path: Path, start: int, stop: int) -> ShardSpec:
    return ShardSpec("flaky", {"source": None}, "h", 0, str(tmp_path), shard_name("flaky", 0), start, stop)


def test_every_kind_of_failure_is_a_counted_draw_not_a_failed_shard(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ENGINES, "flaky", "flaky_engine:FlakyEngine")
    # long enough for a crashed tool to restart on a busy machine (1 s was not, at load 25), short of the 30 s hang
    monkeypatch.setattr(shard_task, "DRAW_TIMEOUT_S", 5.0)
    stats = build_shard(flaky_spec(tmp_path, 0, 12))
    assert stats.samples == 12
    assert stats.failures == {"made_up_reason": 2, "error_RuntimeError": 2, "renderer_crashed": 2,
                              "draw_timeout": 2, "error_ValueError": 2}
    samples = list(iter_shard(str(tmp_path / "flaky-000000.tar")))
    assert [s.record["target"] for s in samples] == [f"sample {i}" for i in range(12)]
    assert [s.meta.get("attempt", 0) for s in samples] == [1, 1, 1, 1, 1, 0] * 2


def test_an_index_that_never_works_fails_its_shard_with_the_reason(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ENGINES, "flaky", "flaky_engine:FlakyEngine")
    with pytest.raises(ShardFailed, match=r"flaky sample 99 failed 10 times \(last: never_works"):
        build_shard(flaky_spec(tmp_path, 98, 100))
    assert not list(tmp_path.iterdir()), "a failed shard leaves nothing behind"


@pytest.mark.slow
def test_an_isolated_tool_survives_its_crashes_and_hangs() -> None:
    tool = Isolated(flaky_engine.tool, timeout_s=2, name="flaky-tool")
    try:
        assert tool("hello") == "hello"
        with pytest.raises(RenderError, match=r"renderer_crashed: flaky-tool child died"):
            tool("crash")
        assert tool("again") == "again"
        with pytest.raises(RenderError, match=r"render_timeout: flaky-tool took over 2 s"):
            tool("hang")
        assert tool("after") == "after" and tool.restarts == 2
    finally:
        tool.close()


def test_glyph_coverage_is_checked_with_the_font_actually_used() -> None:
    assert missing_glyphs("Revenue 收入", "dejavu-sans") == "收入"
    assert missing_glyphs("Revenue 收入", "noto-sans-cjk") == ""
    with pytest.raises(RenderError, match="script_needs_shaping"):
        check_drawable(["مبيعات"], "dejavu-sans")
    with pytest.raises(RenderError, match="script_needs_shaping"):
        check_drawable(["बिक्री"], "noto-sans-cjk")
    with pytest.raises(RenderError, match="glyphs_missing: Noto Sans CJK SC lacks '🚀'"):
        check_drawable(["rockets 🚀"], "noto-sans-cjk")


def test_source_tables_with_undrawable_scripts_are_counted_skips(tmp_path: Path) -> None:
    tables = {
        "arabic.csv": "Region,Sales\nمصر,12\nالأردن,15\nلبنان,9\n",
        "hindi.csv": "Region,Sales\nदिल्ली,12\nमुंबई,15\nपुणे,9\n",
        "newline.csv": 'Region,Sales\n"North\nEast",12\nSouth,15\nWest,9\n',
        "plain.csv": "Region,Sales\nNorth,12\nSouth,15\nWest,9\n",
    }
    for name, text in tables.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    engine = get_engine("charts")(get_engine("charts").Config(source=str(tmp_path), renderer="matplotlib"))
    assert engine.describe()["skipped"] == {"script_needs_shaping": 2}
    assert sorted(t.name for t, _ in engine.tables) == ["newline.csv", "plain.csv"]
    assert "North East" in engine.tables[0][0].categories
    spec = ShardSpec("charts", dataclasses.asdict(engine.config), "h", 0, str(tmp_path / "out"),
                     shard_name("charts", 0), 0, 6)
    (tmp_path / "out").mkdir()
    stats = build_shard(spec)
    assert stats.samples == 6
    targets = [json.loads(s.record["target"]) for s in iter_shard(str(tmp_path / "out" / "charts-000000.tar"))]
    assert any("North East" in json.dumps(t) for t in targets)


def test_got_prompts_come_from_one_place() -> None:
    assert box_coords((10, 20, 110, 70), 200, 100) == [50, 200, 550, 700]
    assert box_prompt((10, 20, 110, 70), 200, 100) == "[50, 200, 550, 700] OCR: "
    assert box_prompt((0, 0, 200, 100), 200, 100, formatted=True) == "[0, 0, 1000, 1000] OCR with format: "
    assert color_prompt("red") == "[red] OCR: "
    with pytest.raises(ValueError, match="colour 'pink' is not one of red, green, blue"):
        color_prompt("pink")
    offenders = []
    for path in REPO.glob("*/**/*.py"):
        if path.parts[len(REPO.parts)] in ("tokenizer", "tests", ".venv", "node_modules"):
            continue
        text = path.read_text(encoding="utf-8")
        if '"OCR with format' in text or '"OCR: "' in text or "151859" in text:
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == [], f"GOT's query strings or token ids written outside tokenizer/protocol.py: {offenders}"
