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
from django.utils.translation import gettext as _

from disclosure.downloads import content_disposition
from reports.exports import layout


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str  # as a download link names it: the program it opens in, else the format
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
        ExportFormat("pdf", "PDF", "pdf", "application/pdf", "reports.exports.pdf:render_pdf"),
        ExportFormat(
            "docx",
            "Word",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "reports.exports.docx:render_docx",
        ),
        ExportFormat(
            "xlsx",
            "Excel",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "reports.exports.xlsx:render_xlsx",
        ),
        ExportFormat(
            "csv", "CSV", "csv", "text/csv; charset=utf-8", "reports.exports.csv:render_csv"
        ),
        ExportFormat(
            "json", "JSON", "json", "application/json", "reports.exports.jsonexport:render_json"
        ),
    )
}


def render(document: dict, format_key: str, **options) -> bytes:
    """The bytes of ``document`` in a format; ``options`` go to its renderer (for the PDF,
    ``archival=True`` gives PDF/A)."""
    return FORMATS[format_key].render(document, **options)


def filename(document: dict, format_key: str) -> str:
    """The ASCII name: ``wuwei-2023-draft.pdf``; a published version ``wuwei-2023-v2.pdf``
    (the stored PDF's name, and the fallback of ``download_name``)."""
    version = f"v{document['version']}" if document.get("version") else "draft"
    return f"{document['body']}-{document['year']}-{version}.{FORMATS[format_key].extension}"


def download_name(document: dict, format_key: str) -> str:
    """The name a download is saved as: the report's title
    (``武威市人民政府2023年政府信息公开工作年度报告.pdf``), marked ``（草稿）`` for a draft and
    ``（第2版）`` for a correction."""
    with translation.override(settings.LANGUAGE_CODE):  # as the document it names
        title = layout.document_title(document)
        version = document.get("version")
        if not version:
            title += _("（草稿）")
        elif version > 1:
            title += _("（第%(number)s版）") % {"number": version}
    return f"{title}.{FORMATS[format_key].extension}"


def disposition(document: dict, format_key: str, *, as_attachment: bool) -> str:
    """The Content-Disposition of ``document`` in a format: its Chinese title as the file
    name, ``filename`` for clients without RFC 5987."""
    return content_disposition(
        download_name(document, format_key),
        fallback=filename(document, format_key),
        as_attachment=as_attachment,
    )
