"""One module per hgap subcommand: ``add_parser(subparsers)`` registers it, ``args.run(args)`` runs it."""
from __future__ import annotations

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
