"""A letter as PDF (WeasyPrint) and Word (python-docx), both drawn from one
``LetterContent``: the page rules and fonts of every official document
(``disclosure.pdf``, ``disclosure.word``), the body's name as letterhead, title, 文号,
addressee, text, the body's name, date and a place for the seal at the foot. A draft says 草稿
on every page (the PDF also as the report's watermark) and 未签发 at its foot; an issued
letter its 文号."""

from __future__ import annotations

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt

from disclosure import pdf, word
from disclosure.letters.content import LetterContent

TEMPLATE = "letters/pdf/letter.html"
STYLESHEET = "letters/pdf.css"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def marks(content: LetterContent) -> tuple[str, str]:
    """(header, footer) of every page: 草稿 / 未签发 on a draft; the 文号 once issued."""
    if content.draft:
        return _("草稿"), _("未签发")
    return "", content.number


def number_line(content: LetterContent) -> str:
    return content.number or _("（文号于签发时生成）")


def _split_closing(content: LetterContent) -> tuple[tuple[str, ...], str]:
    """The paragraphs before the last, and the last (kept with the signature); a letter
    with a table (送达回证) keeps all its paragraphs before the table."""
    if content.rows or not content.paragraphs:
        return content.paragraphs, ""
    return content.paragraphs[:-1], content.paragraphs[-1]


def render_html(content: LetterContent) -> str:
    body_paragraphs, closing = _split_closing(content)
    return render_to_string(
        TEMPLATE,
        {
            "letter": content,
            "body_paragraphs": body_paragraphs,
            "closing": closing,
            "number": number_line(content),
            "seal": _("（盖章）"),
            "contact_label": _("联系方式："),
            "watermark": pdf.watermark_url() if content.draft else "",
        },
    )


def render_pdf(content: LetterContent) -> bytes:
    """The PDF of a letter; raises ``disclosure.pdf.PdfUnavailable`` naming the package to
    install when WeasyPrint or a CJK font is missing."""
    pdf.ensure_pdf_possible()
    from weasyprint import CSS, HTML

    header, footer = marks(content)
    with translation.override(settings.LANGUAGE_CODE):  # the official document is Chinese
        html = render_html(content)
    page = CSS(string=pdf.page_marks(header=header, footer=footer))
    return HTML(string=html).write_pdf(stylesheets=[pdf.stylesheet(STYLESHEET), page])


def _line(
    document, text: str, *, align, size=None, bold=None, east_asian=word.FANGSONG, color=None
):
    added = word.paragraph(
        document, text, align=align, indent=False, east_asian=east_asian, size=size, bold=bold
    )
    if color is not None:
        for run in added.runs:
            run.font.color.rgb = color
    return added


def render_docx(content: LetterContent) -> bytes:
    document = Document()
    word.set_styles(document)
    header, footer = marks(content)
    word.page_setup(document, header=header, footer=footer)
    properties = document.core_properties
    properties.title = content.title
    properties.author = content.letterhead
    properties.language = "zh-CN"

    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    head = _line(
        document,
        content.letterhead,
        align=center,
        size=Pt(26),
        bold=True,
        east_asian=word.SONG,
        color=word.RED,
    )
    head.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    head.paragraph_format.line_spacing = Pt(40)
    title = document.add_paragraph(content.title, style="Title")
    title.paragraph_format.space_after = Pt(8)
    _line(document, number_line(content), align=center)
    _line(document, "", align=center)
    if content.addressee:
        _line(document, content.addressee + "：", align=WD_ALIGN_PARAGRAPH.LEFT)
    body_paragraphs, closing = _split_closing(content)
    for text in body_paragraphs:
        word.paragraph(document, text)
    if content.rows:
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for label, value in content.rows:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Mm(56), Mm(100)
            for cell, text, align in ((cells[0], label, center), (cells[1], value, None)):
                cell.paragraphs[0].paragraph_format.first_line_indent = Pt(0)
                if align is not None:
                    cell.paragraphs[0].alignment = align
                run = cell.paragraphs[0].add_run(text)
                word.fonts(run, word.FANGSONG, Pt(14))
    # The last paragraph goes with the signature: a page never holds the signature alone.
    together = [word.paragraph(document, closing)] if closing else []
    together += [_line(document, "", align=right)]
    together += [_line(document, _("（盖章）"), align=right, size=Pt(12))]
    together += [_line(document, content.signature, align=right)]
    for added in together:
        added.paragraph_format.keep_with_next = True
    _line(document, content.date, align=right)
    if content.contact:
        _line(document, "", align=WD_ALIGN_PARAGRAPH.LEFT)
        _line(
            document,
            _("联系方式：") + content.contact,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            size=Pt(12),
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render(content: LetterContent, fmt: str) -> bytes:
    return render_pdf(content) if fmt == "pdf" else render_docx(content)


def file_name(content: LetterContent, fmt: str) -> str:
    """``政府信息公开申请答复告知书（凉政信告〔2026〕12号）.pdf``; ``（草稿）`` for a draft."""
    tag = content.number or _("草稿")
    return f"{content.title}（{tag}）.{fmt}"
