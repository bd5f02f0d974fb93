"""The official PDF of a report (WeasyPrint): A4, GB/T 9704 habits, the format's tables.

Fonts: Noto Serif CJK SC (Song style; regular for text and tables, bold for titles) and
Noto Sans CJK SC bold (Hei style, section headings) from fonts-noto-cjk, found through
fontconfig and embedded as subsets (HarfBuzz's subsetter keeps this well under a second).

Every page says what the document is (``layout.marking``): a draft carries 草稿 as a
watermark (drawn, not text) and a running header and 未发布 at its foot; a published version
its number and the first characters of its SHA-256."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from disclosure import pdf
from reports import format as fmt
from reports.exports import layout

if TYPE_CHECKING:
    from weasyprint import CSS

TEMPLATE = "reports/pdf/report.html"
STYLESHEET = "reports/pdf.css"
ARCHIVAL_VARIANT = "pdf/a-3b"
TABLE_TEMPLATES = {key: f"reports/_table_{key}.html" for key in fmt.TABLE_KEYS}


def stylesheet() -> CSS:
    """The report's stylesheet (it imports the page rules of every official document)."""
    return pdf.stylesheet(STYLESHEET)


def watermark_url() -> str:
    return pdf.watermark_url()


def _sections(doc: dict) -> list[dict]:
    has_narrative = "narrative" in doc
    sections = []
    for section in fmt.SECTIONS:
        if section.kind == "table":
            sections.append(
                {
                    "key": section.key,
                    "kind": section.kind,
                    "heading": section.heading,
                    "template": TABLE_TEMPLATES[section.key],
                }
            )
        elif has_narrative:
            sections.append(
                {
                    "key": section.key,
                    "kind": section.kind,
                    "heading": section.heading,
                    "paragraphs": layout.narrative(doc, section.key),
                }
            )
    return sections


def page_marks(marking: layout.Marking) -> str:
    """The CSS putting ``marking``'s texts in the page margins (styled in the stylesheet)."""
    return pdf.page_marks(header=marking.header, footer=marking.footer)


def render_html(document: dict) -> str:
    """The HTML the PDF is drawn from (the table partials of the public pages included)."""
    cover = document.get("cover_letter") or None
    marking = layout.marking(document)
    return render_to_string(
        TEMPLATE,
        {
            "doc": document,
            "marking": marking,
            "title": layout.document_title(document),
            "title_lines": layout.title_lines(document),
            "author": layout.body_name(document),
            "description": _("统计期限：%(year)s年1月1日至%(year)s年12月31日")
            % {"year": document["year"]},
            "opening": layout.narrative(document, "opening"),
            "sections": _sections(document),
            "cover": cover,
            "cover_title_lines": layout.cover_letter_title_lines(document),
            "cover_paragraphs": layout.paragraphs((cover or {}).get("body_text")),
            "cover_date": layout.chinese_date(cover["date"]) if cover and cover.get("date") else "",
            "watermark": watermark_url() if marking.draft else "",
        },
    )


def render_pdf(document: dict, *, archival: bool = False) -> bytes:
    """The PDF of ``document``; ``archival`` gives PDF/A-3b for records offices.

    Raises ``disclosure.pdf.PdfUnavailable`` (naming the package to install) when
    WeasyPrint or a CJK font is missing, instead of drawing empty boxes."""
    pdf.ensure_pdf_possible()
    from weasyprint import CSS, HTML

    options = {"pdf_variant": ARCHIVAL_VARIANT} if archival else {}
    with translation.override(settings.LANGUAGE_CODE):  # the official document is Chinese
        html = render_html(document)
        marks = CSS(string=page_marks(layout.marking(document)))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet(), marks], **options)
