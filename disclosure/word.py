"""What every Word document the product writes shares (python-docx): A4 with the GB/T 9704
margins of the PDF (``static/disclosure/paper.css``), the fonts Chinese offices use — 宋体
title, 仿宋 text, 黑体 headings — and the page marks: "— 1 —" at the foot, and what the
document is (草稿 at the head of a draft, its status at the foot). The annual report
(``reports.exports.docx``) and the letters (``disclosure.letters.documents``) build on it."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

SONG = "宋体"
FANGSONG = "仿宋"
HEI = "黑体"
LATIN = "Times New Roman"
TEXT_SIZE = Pt(16)
TITLE_SIZE = Pt(22)
LINE = Pt(28)
RED = RGBColor(0xCC, 0x00, 0x00)
GREY = RGBColor(0x59, 0x59, 0x59)


def fonts(target, east_asian: str, size=None, bold=None) -> None:
    """Set the East Asian and Latin font of a style or run (Word keeps them apart)."""
    font = target.font
    font.name = LATIN
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    r_pr = target.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    r_fonts.set(qn("w:eastAsia"), east_asian)
    # Theme fonts (the built-in headings' Calibri Light / 等线) win over named ones in Word.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(theme), None)


def set_styles(document) -> None:
    normal = document.styles["Normal"]
    fonts(normal, FANGSONG, TEXT_SIZE)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    text = normal.paragraph_format
    text.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    text.line_spacing = LINE
    text.space_before = Pt(0)
    text.space_after = Pt(0)
    text.first_line_indent = Pt(32)
    text.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    title = document.styles["Title"]
    fonts(title, SONG, TITLE_SIZE, bold=True)
    title.font.color.rgb = RGBColor(0, 0, 0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = LINE
    # The built-in Title style draws a rule under the paragraph; an official title has none.
    p_pr = title.element.get_or_add_pPr()
    for border in p_pr.findall(qn("w:pBdr")):
        p_pr.remove(border)

    for name, east_asian, bold in (("Heading 1", HEI, False), ("Heading 2", FANGSONG, True)):
        style = document.styles[name]
        fonts(style, east_asian, TEXT_SIZE, bold=bold)
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.first_line_indent = Pt(32)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        style.paragraph_format.line_spacing = LINE


def page_setup(document, *, header: str, footer: str) -> None:
    """A4 portrait with the official margins; page numbers, ``footer`` (the document's status)
    at the foot and ``header`` (草稿 on a draft; nothing when empty) at the head."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    numbers = section.footer.paragraphs[0]
    numbers.alignment = WD_ALIGN_PARAGRAPH.CENTER
    numbers.paragraph_format.first_line_indent = Pt(0)
    numbers.add_run("— ")
    page_field(numbers)
    numbers.add_run(" —")
    for run in numbers.runs:
        fonts(run, SONG, Pt(14))
    status = section.footer.add_paragraph()
    status.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    status.paragraph_format.first_line_indent = Pt(0)
    run = status.add_run(footer)
    fonts(run, SONG, Pt(9))
    run.font.color.rgb = GREY
    if header:
        top = section.header.paragraphs[0]
        top.alignment = WD_ALIGN_PARAGRAPH.CENTER
        top.paragraph_format.first_line_indent = Pt(0)
        run = top.add_run(header)
        fonts(run, HEI, Pt(18), bold=True)
        run.font.color.rgb = RED


def page_field(paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def paragraph(
    document, text: str, *, align=None, indent=True, east_asian=None, size=None, bold=None
):
    """A Normal paragraph; the font arguments override the style for this paragraph."""
    added = document.add_paragraph()
    if align is not None:
        added.alignment = align
    if not indent:
        added.paragraph_format.first_line_indent = Pt(0)
    run = added.add_run(text)
    if east_asian is not None:
        fonts(run, east_asian, size, bold)
    return added
