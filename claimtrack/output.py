"""Print rows as JSON, newline-delimited JSON, CSV, TSV or a readable table."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, TextIO

OutputFormat = Literal["json", "nl", "csv", "tsv", "table"]
_TABLE_CELL_WIDTH = 60


def emit_rows(
    rows: Iterable[Mapping[str, Any]],
    output_format: OutputFormat,
    file: TextIO,
    *,
    table_columns: Sequence[str] | None = None,
) -> None:
    """Write rows to file in the chosen format; JSON is an array, streamed by row.

    Args:
        rows: the rows, all with the same keys.
        output_format: json, nl, csv, tsv or table.
        file: where to write.
        table_columns: the columns a readable table shows (all when None); the
            machine formats always carry every column.
    """
    if output_format == "json":
        empty = True
        file.write("[")
        for row in rows:
            file.write("\n " if empty else ",\n ")
            file.write(json.dumps(row, ensure_ascii=False, default=str))
            empty = False
        file.write("]\n" if empty else "\n]\n")
    elif output_format == "nl":
        for row in rows:
            file.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif output_format in ("csv", "tsv"):
        _emit_delimited(rows, file, delimiter="," if output_format == "csv" else "\t")
    else:
        _emit_table(list(rows), file, table_columns)


def _emit_delimited(
    rows: Iterable[Mapping[str, Any]], file: TextIO, *, delimiter: str
) -> None:
    writer: csv.DictWriter[str] | None = None
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(
                file, fieldnames=list(row), delimiter=delimiter, lineterminator="\n"
            )
            writer.writeheader()
        writer.writerow({key: _cell(value) for key, value in row.items()})


def _cell(value: Any) -> Any:
    return (
        json.dumps(value, ensure_ascii=False)
        if isinstance(value, (list, dict))
        else value
    )


def _emit_table(
    rows: list[Mapping[str, Any]], file: TextIO, columns: Sequence[str] | None
) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    if columns is None:
        columns = list(rows[0]) if rows else []
    for column in columns:
        table.add_column(column, max_width=_TABLE_CELL_WIDTH, overflow="fold")
    for row in rows:
        table.add_row(*("" if row[c] is None else str(_cell(row[c])) for c in columns))
    Console(file=file, width=200).print(table)
