"""Writing rows for a person (a fixed-width table) or a program (CSV, TSV, JSON): the one writer every
command uses, formats chosen from one table."""
from __future__ import annotations

import csv
import json
import sys
from typing import Any, Sequence, TextIO

from hgap.ontology.vocab import contract

FORMATS = ("table", "csv", "tsv", "json")
Column = tuple[str, str, int]  # key, header, width in the table


def cell(value: Any) -> str:
    """A value as a table cell: IRIs as CURIEs, floats to two places, lists joined with '; '."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    text = str(value)
    return contract(text) if text.startswith(("http://", "https://")) else text


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[Column], fmt: str = "table",
         out: TextIO | None = None, empty: str = "nothing found") -> None:
    """Write ``rows`` as a fixed-width table (``columns``: key, header, width; numbers right-aligned, long
    text cut with '…'), as CSV or TSV (the column keys as header), or as JSON (the rows as they are)."""
    out = out or sys.stdout
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "json":
        json.dump(list(rows), out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    if fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n",
                            quoting=csv.QUOTE_MINIMAL if fmt == "csv" else csv.QUOTE_NONE, escapechar="\\")
        writer.writerow([key for key, _, _ in columns])
        for row in rows:
            writer.writerow([cell(row.get(key)).replace("\t", " ").replace("\n", " ") for key, _, _ in columns])
        return
    if not rows:
        out.write(empty + "\n")
        return
    numeric = {key for key, _, _ in columns if all(isinstance(r.get(key), (int, float)) for r in rows)}
    widths = [min(width, max([len(header)] + [len(cell(r.get(key))) for r in rows])) for key, header, width in columns]

    def fit(text: str, width: int, right: bool) -> str:
        if len(text) > width:
            text = text[: width - 1] + "…"
        return text.rjust(width) if right else text.ljust(width)

    out.write("  ".join(fit(h, w, k in numeric) for (k, h, _), w in zip(columns, widths)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write("  ".join(fit(cell(row.get(k)), w, k in numeric) for (k, _, _), w in zip(columns, widths)).rstrip() + "\n")


def write_rows(columns: Sequence[str], rows: Sequence[Sequence[object]], fmt: str = "table",
               out: TextIO | None = None) -> None:
    """:func:`emit` for a query answer: columns by name, rows as tuples, IRIs shown as CURIEs."""
    records = [{c: (cell(v) if fmt == "json" else v) for c, v in zip(columns, row)} for row in rows]
    emit(records, [(c, c, 60) for c in columns], fmt, out, empty="(no rows)")
