"""One command style: every command's real parser, walked flag by flag.

Each command's `main` is run until it has built its parser (pipelines.cli.Parser.parse_args is
where it stops), so the parsers checked are the ones users get, engine flags included.
"""

from __future__ import annotations

import argparse
import importlib

import pytest

from engines import ENGINES
from pipelines.cli import Parser

COMMANDS = ("pipelines.build", "pipelines.export", "pipelines.gallery", "pipelines.mix", "pipelines.report",
            "pipelines.validate", "model.train", "model.infer", "model.evaluate")
# Flags one style names otherwise: --n for how many, --workers for processes, builds as positionals.
RENAMED = {"--limit": "--n", "--scan": "--n", "--count": "--n", "--num-workers": "--workers",
           "--processes": "--workers", "--shards": "positional BUILD folders", "--folders": "positional BUILD folders"}


class Built(Exception):
    """Raised where a command parses its arguments: the parser is built and complete."""


def parsers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, argparse.ArgumentParser]]:
    """(name, parser) for every command, every subcommand and pipelines.build with every engine."""
    found: list[tuple[str, argparse.ArgumentParser]] = []

    def capture(self: Parser, *args: object, **kwargs: object) -> None:
        found.append((self.prog, self))
        raise Built

    monkeypatch.setattr(Parser, "parse_args", capture)
    runs = [(name, []) for name in COMMANDS] + [("pipelines.build", ["--engine", e]) for e in sorted(ENGINES)]
    for name, argv in runs:
        with pytest.raises(Built):
            importlib.import_module(name).main(argv)
    walked = []
    for prog, parser in found:
        walked.append((prog, parser))
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                walked += [(f"{prog} {sub}", p) for sub, p in action.choices.items()]
    return walked


def test_every_flag_of_every_command_has_help_and_one_style(monkeypatch: pytest.MonkeyPatch) -> None:
    walked = parsers(monkeypatch)
    assert len(walked) >= len(COMMANDS) + len(ENGINES)
    for prog, parser in walked:
        assert isinstance(parser, Parser), f"{prog}: use pipelines.cli.Parser (one-line `PROG: error: ...`, exit 2)"
        for group in parser._action_groups:
            engine_options = group.title.endswith(" options") and group.title != "options"  # say what they mean
            for action in group._group_actions:
                if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                    continue
                name = "/".join(action.option_strings) or action.dest
                assert action.help and action.help.strip(), f"{prog}: {name} has no help text"
                for flag in action.option_strings:
                    assert engine_options or flag not in RENAMED, f"{prog}: {flag} should be {RENAMED[flag]}"


def test_parser_errors_are_one_line_with_exit_2(capsys: pytest.CaptureFixture) -> None:
    parser = Parser(prog="python -m pipelines.example")
    parser.add_argument("--n", type=int, help="how many")
    with pytest.raises(SystemExit) as e:
        parser.parse_args(["--n", "x"])
    assert e.value.code == 2
    assert capsys.readouterr().err == ("python -m pipelines.example: error: argument --n: invalid int value: 'x' "
                                       "(see --help)\n")
