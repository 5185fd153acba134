"""What every command shares: one-line errors with exit code 2, and engine configs as flags.

A user who mistypes a flag should read one line that names the input and the fix, not a
usage dump or a traceback; so bad input raises `UsageError` and `main()` prints it.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import typing
from typing import Any, NoReturn

USAGE_EXIT = 2


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2, nothing written."""


class Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line (usage is one `--help` away)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see --help)\n")
        sys.exit(USAGE_EXIT)


def fail(prog: str, message: str) -> NoReturn:
    sys.stderr.write(f"{prog}: error: {message}\n")
    sys.exit(USAGE_EXIT)


def parse_count(text: str, what: str = "--n") -> int:
    """A positive whole number written as `1000`, `1_000` or `2e6`."""
    try:
        value = int(text)
    except ValueError:
        try:
            f = float(text)
        except ValueError:
            raise UsageError(f"{what} {text!r} is not a number; write e.g. 1000, 1_000 or 2e6") from None
        if f != f or f in (float("inf"), float("-inf")) or f != int(f):
            raise UsageError(f"{what} {text!r} is not a whole number; write e.g. 1000 or 2e6") from None
        value = int(f)
    if value <= 0:
        raise UsageError(f"{what} must be at least 1, got {text!r}")
    return value


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def add_config_flags(parser: argparse.ArgumentParser, config_cls: type, title: str) -> None:
    """One flag per field of a config dataclass, typed from its annotation, help from its metadata."""
    group = parser.add_argument_group(title)
    hints = typing.get_type_hints(config_cls)
    for f in dataclasses.fields(config_cls):
        kwargs: dict[str, Any] = {"dest": f.name, "default": f.default, "help": f.metadata.get("help", "")}
        if "choices" in f.metadata:
            kwargs["choices"] = f.metadata["choices"]
        kind = hints[f.name]
        if kind is bool:
            kwargs["action"] = argparse.BooleanOptionalAction
        elif kind in (int, float):
            kwargs["type"] = kind
        if kwargs["help"] and f.default is not None and kind is not bool:
            kwargs["help"] += f" (default: {f.default})"
        group.add_argument(_flag(f.name), **kwargs)


def config_from_args(config_cls: type, args: argparse.Namespace) -> Any:
    """Build and validate a config; a ValueError from `validate()` becomes a UsageError."""
    config = config_cls(**{f.name: getattr(args, f.name) for f in dataclasses.fields(config_cls)})
    try:
        config.validate()
    except ValueError as e:
        raise UsageError(str(e)) from None
    return config
