"""Reading and writing the project's TSV files (and SSSOM TSV), with errors that name the file and line.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "x.tsv"
>>> _ = path.write_text("a\\tb\\n1\\t2\\n3\\n")
>>> try:
...     list(read_rows(path, ["a", "b"]))
... except DataError as error:
...     print(str(error).split("/")[-1])
x.tsv, line 3: expected 2 fields (a, b), found 1
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Sequence


class DataError(ValueError):
    """A malformed data file: the message names the file, the line and what is wrong."""


def read_rows(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line number, row)`` for each record of a TSV file; ``#`` lines before the header are metadata.

    Raises :class:`DataError` on a missing column or a row with the wrong number of fields.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise DataError(f"{path}: cannot read ({error.strerror})") from None
    lineno = 0
    while lineno < len(lines) and lines[lineno].startswith("#"):
        lineno += 1
    if lineno == len(lines):
        raise DataError(f"{path}: no header line")
    header = lines[lineno].split("\t")
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError(f"{path}, line {lineno + 1}: header lacks column(s) {', '.join(missing)}")
    for index in range(lineno + 1, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(header):
            raise DataError(
                f"{path}, line {index + 1}: expected {len(header)} fields ({', '.join(header)}), found {len(fields)}"
            )
        yield index + 1, dict(zip(header, (f.strip() for f in fields)))


def write_rows(
    path: Path | None,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    metadata: Sequence[str] = (),
    stream: io.TextIOBase | None = None,
) -> None:
    """Write a TSV (to ``stream``, or atomically to ``path``: a crash leaves the old file whole)."""
    def emit(out: io.TextIOBase) -> None:
        for line in metadata:
            out.write(f"#{line}\n")
        writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else str(v).replace("\t", " ").replace("\n", " ") for v in row])

    if path is None:
        emit(stream)  # type: ignore[arg-type]
        return
    atomic_write_text(Path(path), emit)


def atomic_write_text(path: Path, write) -> None:  # type: ignore[no-untyped-def]
    """Call ``write(stream)`` on a temporary file beside ``path``, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
