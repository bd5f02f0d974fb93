"""System checks for PDF export: WeasyPrint, a CJK font, HarfBuzz's subsetter.

Reported by ``manage.py check`` (and so by ``make test``) instead of failing on the first
export or, worse, producing a PDF of empty boxes."""

from __future__ import annotations

from django.core.checks import Error, Tags, Warning, register

# The checks themselves are disclosure.pdf's: every official PDF (reports, letters) needs them.
from disclosure.pdf import (
    CJK_FONT_PACKAGE,
    SUBSET_PACKAGE,
    PdfUnavailable,
    cjk_font_problem,
    ensure_pdf_possible,
    harfbuzz_subset_problem,
    weasyprint_problem,
)

__all__ = [
    "CJK_FONT_PACKAGE",
    "SUBSET_PACKAGE",
    "PdfUnavailable",
    "check_pdf_setup",
    "cjk_font_problem",
    "ensure_pdf_possible",
    "harfbuzz_subset_problem",
    "weasyprint_problem",
]


@register(Tags.compatibility)
def check_pdf_setup(app_configs=None, **kwargs):
    messages = []
    if problem := weasyprint_problem():
        messages.append(Error(problem, id="reports.E001"))
    if problem := cjk_font_problem():
        messages.append(Error(problem, id="reports.E002"))
    if problem := harfbuzz_subset_problem():
        messages.append(Warning(problem, id="reports.W003"))
    return messages
