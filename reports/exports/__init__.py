"""Exports of a report document (report.schema.json): PDF, Word, spreadsheet, CSV, JSON.

Every renderer takes the document as it stands and draws it; none computes a figure. Rows,
columns and labels come from ``reports.format`` through ``reports.exports.layout``.

``render(document, "pdf")`` gives the bytes of any format; ``FORMATS`` holds each format's
file extension and content type for views and commands."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.utils import translation


@dataclass(frozen=True)
class ExportFormat:
    key: str
    extension: str
    content_type: str
    renderer: str  # "module:function", imported on first use (WeasyPrint loads Pango)

    def render(self, document: dict, **options) -> bytes:
        module, function = self.renderer.split(":")
        # The official document is Chinese whatever language the page around it is shown in.
        with translation.override(settings.LANGUAGE_CODE):
            result = getattr(import_module(module), function)(document, **options)
        return result.encode("utf-8") if isinstance(result, str) else result


FORMATS: dict[str, ExportFormat] = {
    item.key: item
    for item in (
        ExportFormat("pdf", "pdf", "application/pdf", "reports.exports.pdf:render_pdf"),
        ExportFormat(
            "docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "reports.exports.docx:render_docx",
        ),
        ExportFormat(
            "xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "reports.exports.xlsx:render_xlsx",
        ),
        ExportFormat("csv", "csv", "text/csv; charset=utf-8", "reports.exports.csv:render_csv"),
        ExportFormat("json", "json", "application/json", "reports.exports.jsonexport:render_json"),
    )
}


def render(document: dict, format_key: str, **options) -> bytes:
    """The bytes of ``document`` in a format; ``options`` go to its renderer (for the PDF,
    ``archival=True`` gives PDF/A)."""
    return FORMATS[format_key].render(document, **options)


def filename(document: dict, format_key: str) -> str:
    """``wuwei-2023.pdf``; a published version adds ``-v2``."""
    version = f"-v{document['version']}" if document.get("version") else ""
    return f"{document['body']}-{document['year']}{version}.{FORMATS[format_key].extension}"
