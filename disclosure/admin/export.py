"""CSV exports of admin lists: UTF-8 with a BOM (Excel on Chinese Windows reads it), streamed,
and safe to open in a spreadsheet (a text cell starting with = + - @ is not a formula)."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import StreamingHttpResponse

from disclosure.downloads import content_disposition
from disclosure.spreadsheets import safe_text

BOM = "\ufeff"


def safe_cell(value) -> str | int | Decimal:
    """Text starting like a formula gets a leading apostrophe; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_text(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence], *, fallback: str
) -> StreamingHttpResponse:
    """The CSV saved as ``filename`` (Chinese), ``fallback`` for clients without RFC 5987."""
    response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename, fallback=fallback)
    return response
