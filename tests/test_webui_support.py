"""Fixtures for the web app tests (imported by tests/test_webui*.py, test_sparql_endpoint.py, test_openapi.py
and test_browser.py): an ``app`` over the fixture build with its flags in a temporary file, its test
``client``, and a ``live_server`` (waitress on a free loopback port, in a thread)."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterator

import pytest


def make_app(home: Path, flags: Path, **config):  # type: ignore[no-untyped-def]
    from hgap.webui import create_app

    return create_app({"TESTING": True, "HGAP_HOME": str(home), "FLAGS_PATH": str(flags),
                       "SPARQL_TIMEOUT_S": 10, "SPARQL_WORKERS": 2, **config})


@pytest.fixture
def app(fixture_home: Path, tmp_path: Path) -> Iterator:
    app = make_app(fixture_home, tmp_path / "flags.jsonl")
    yield app
    app.extensions["hgap_pool"].close()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


class LiveServer:
    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        from waitress.server import create_server

        self.app = app
        self.server = create_server(app, host="127.0.0.1", port=0, threads=8, ident="hgap-test")
        self.url = f"http://127.0.0.1:{self.server.effective_port}"  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.close()
        self.app.extensions["hgap_pool"].close()


@pytest.fixture(scope="module")
def live_server(fixture_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    flags = tmp_path_factory.mktemp("flags") / "flags.jsonl"
    server = LiveServer(make_app(fixture_home, flags, SPARQL_TIMEOUT_S=3))
    yield server
    server.stop()
