"""The runnable examples in the docstrings are tests too."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest



def _modules() -> list[str]:
    names = ["hgap.commands"]
    for package in ("hgap.ontology", "hgap.graph", "hgap.webui"):
        module = importlib.import_module(package)
        names += [f"{package}.{m.name}" for m in pkgutil.iter_modules(module.__path__)]
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HGAP_EMBEDDINGS", raising=False)  # examples set it; the tests' own setting comes back after
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
