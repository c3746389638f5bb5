"""Writing rows for a person (an aligned table) or a program (CSV, TSV, JSON): one table of formats."""
from __future__ import annotations

import csv
import json
import sys
from typing import Callable, Sequence, TextIO

from hgap.ontology.vocab import contract

Row = Sequence[object]


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return contract(text) if text.startswith(("http://", "https://")) else text


def _table(columns: Sequence[str], rows: Sequence[Row], out: TextIO) -> None:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [min(60, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in cells:
        print("  ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w) for v, w in zip(row, widths)).rstrip(), file=out)
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=out)


def _delimited(delimiter: str) -> Callable[[Sequence[str], Sequence[Row], TextIO], None]:
    def write(columns: Sequence[str], rows: Sequence[Row], out: TextIO) -> None:
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in row] for row in rows])
    return write


def _json(columns: Sequence[str], rows: Sequence[Row], out: TextIO) -> None:
    json.dump([{c: _cell(v) for c, v in zip(columns, row)} for row in rows], out, indent=2, ensure_ascii=False)
    out.write("\n")


FORMATS: dict[str, Callable[[Sequence[str], Sequence[Row], TextIO], None]] = {
    "table": _table,
    "csv": _delimited(","),
    "tsv": _delimited("\t"),
    "json": _json,
}


def write_rows(columns: Sequence[str], rows: Sequence[Row], fmt: str = "table", out: TextIO | None = None) -> None:
    FORMATS[fmt](columns, rows, out or sys.stdout)
