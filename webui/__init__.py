"""The Flask app: search UI, JSON API and SPARQL endpoint (``create_app`` in :mod:`hgap.webui.app`)."""
from __future__ import annotations

from typing import Any


def create_app(config: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    """The app factory (see :func:`hgap.webui.app.create_app`)."""
    from .app import create_app as factory

    return factory(config)
