"""What every command shares: one-line errors with exit code 2, and engine configs as flags.

A user who mistypes a flag should read one line that names the input and the fix, not a
usage dump or a traceback; so bad input raises `UsageError` and `main()` prints it.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import types
import typing
from typing import Any, Callable, NoReturn

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


def _scalar(kind: Any, flag: str) -> Callable[[str], Any]:
    """A parser of one command-line word as `kind` (str, int, float or bool), with a one-line error."""
    if kind is bool:
        def parse_bool(text: str) -> bool:
            low = text.lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off"):
                return False
            raise argparse.ArgumentTypeError(f"{flag}: {text!r} is not true or false")
        return parse_bool
    if kind in (int, float):
        def parse_number(text: str) -> Any:
            try:
                return kind(text.replace("_", ""))
            except ValueError:
                what = "a whole number" if kind is int else "a number"
                raise argparse.ArgumentTypeError(f"{flag}: {text!r} is not {what}") from None
        return parse_number
    return str


def _flag_kwargs(kind: Any, flag: str) -> dict[str, Any]:
    """argparse keywords for a field annotated `kind`: Optional, Literal choices, bool, numbers, lists."""
    args = typing.get_args(kind)
    if typing.get_origin(kind) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1:
            raise TypeError(f"{flag}: only `T | None` unions become flags, not {kind}")
        kwargs = _flag_kwargs(rest[0], flag)
        if rest[0] is bool:  # an optional bool takes a value: --flag true|false
            kwargs = {"type": _scalar(bool, flag)}
        return kwargs
    if typing.get_origin(kind) is typing.Literal:
        return {"type": _scalar(type(args[0]), flag), "choices": list(args)}
    if kind is bool:
        return {"action": argparse.BooleanOptionalAction}
    if typing.get_origin(kind) in (list, tuple):
        item = args[0] if args else str
        return {"type": _scalar(item, flag), "nargs": "+", "metavar": item.__name__.upper()}
    if kind in (int, float, str):
        return {"type": _scalar(kind, flag)}
    raise TypeError(f"{flag}: a field of type {kind} cannot be a command-line flag")


def add_config_flags(parser: argparse.ArgumentParser, config_cls: type, title: str,
                     exclude: tuple[str, ...] = ()) -> None:
    """One flag per field of a config dataclass, typed from its annotation, help from its metadata.

    Handles `str`, `int`, `float`, `bool` (`--x` / `--no-x`), `T | None`, `Literal[...]` (its values
    are the flag's choices) and `list[T]` (several values after the flag).
    Fields named in `exclude` are set by the program, not by a flag. Engines' configs and the
    trainer's both come through here, so every command shows its defaults the same way.
    """
    group = parser.add_argument_group(title)
    hints = typing.get_type_hints(config_cls)
    for f in dataclasses.fields(config_cls):
        if f.name in exclude:
            continue
        flag = _flag(f.name)
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
        kwargs = _flag_kwargs(hints[f.name], flag)
        kwargs.update(dest=f.name, default=default, help=f.metadata.get("help", ""))
        if kwargs["help"] and default not in (None, ""):  # None and "": the help says what happens
            shown = " ".join(map(str, default)) if isinstance(default, list) else default
            kwargs["help"] += f" (default: {shown})"
        group.add_argument(flag, **kwargs)


def config_from_args(config_cls: type, args: argparse.Namespace) -> Any:
    """Build and check a config; a ValueError from its `check()` becomes a UsageError."""
    config = config_cls(**{f.name: getattr(args, f.name) for f in dataclasses.fields(config_cls)})
    try:
        config.check()
    except ValueError as e:
        raise UsageError(str(e)) from None
    return config
