"""Readers: a file's bytes to a ``Source`` (``reports.reading.source``), by what the file
is (its first bytes, then its name): PDF, Word (.docx), a web page, or plain text."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.reading.errors import ReadingError
from reports.reading.readers.html import read_html
from reports.reading.readers.pdf import read_pdf
from reports.reading.readers.text import read_text
from reports.reading.readers.word import read_docx
from reports.reading.source import Source

PDF, DOCX, HTML, TEXT = "pdf", "docx", "html", "text"
KIND_LABELS = {PDF: "PDF", DOCX: "Word", HTML: gettext_lazy("网页"), TEXT: gettext_lazy("文本")}
HTML_SUFFIXES = (".htm", ".html", ".shtml", ".xhtml", ".mht")
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")


def kind_of(data: bytes, filename: str) -> str:
    """What the file is; ``ReadingError`` for a kind that cannot be read."""
    suffix = PurePath(filename).suffix.lower()
    if not data.strip():
        raise ReadingError(_("文件是空的。"))
    if data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as error:
            raise ReadingError(_("压缩文件已损坏。")) from error
        if "word/document.xml" in names:
            return DOCX
        raise ReadingError(
            _("不支持这种文件（%(name)s）：请提供 PDF、Word（.docx）、网页或文本文件。")
            % {"name": filename}
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadingError(
            _("旧版 Word（.doc）或 Excel（.xls）文件无法直接读取，请另存为 .docx 或 PDF 后再上传。")
        )
    if data.startswith(IMAGE_MAGIC):
        raise ReadingError(
            _("这是一张图片，没有文字层，无法读取；请提供带文字层的 PDF、网页、Word 或文本文件。")
        )
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (
        suffix in HTML_SUFFIXES
        or head.startswith((b"<!doctype html", b"<html", b"<?xml"))
        or (b"<html" in head or b"<body" in head)
    ):
        return HTML
    return TEXT


READERS = {PDF: read_pdf, DOCX: read_docx, HTML: read_html, TEXT: read_text}


def read_source(data: bytes, filename: str) -> Source:
    """The file's lines; ``ReadingError`` (the message says why) when it cannot be read."""
    return READERS[kind_of(data, filename)](data)
