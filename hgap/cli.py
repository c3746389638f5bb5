"""The ``hgap`` command. Each subcommand lives in ``hgap/commands/<name>.py`` with ``add_parser`` and ``run``;
they are thin and only call the library."""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from hgap import commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hgap", description=__import__("hgap").__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"hgap.commands.{info.name}")
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except (ValueError, OSError, LookupError) as error:  # our errors name the file/field; no traceback for users
        print(f"hgap {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
