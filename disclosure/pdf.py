"""What every official PDF the product prints shares (WeasyPrint): the check that it can be
made, the page rules and fonts (``static/disclosure/paper.css``, which each document's own
stylesheet imports), the draft watermark and the marks in the page margins.

WeasyPrint is imported inside the functions that draw, so that a machine without Pango gets
``ensure_pdf_possible``'s message naming the package to install — never a PDF of empty
boxes. ``reports.system_checks`` reports the same problems through ``manage.py check``."""

from __future__ import annotations

import ctypes.util
import functools
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.staticfiles import finders

if TYPE_CHECKING:
    from weasyprint import CSS

CJK_FONT_PACKAGE = "fonts-noto-cjk"
SUBSET_PACKAGE = "libharfbuzz-subset0"
WATERMARK = "disclosure/draft-watermark.svg"


class PdfUnavailable(RuntimeError):
    """PDF export cannot run on this machine; the message says what to install."""


def weasyprint_problem() -> str | None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: Pango or its libraries missing
        return f"WeasyPrint 无法加载（{exc}）。请安装 Pango：apt-get install libpango-1.0-0 libpangoft2-1.0-0"
    return None


def cjk_font_problem() -> str | None:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return f"未找到 fontconfig（fc-list），无法确认中文字体。请安装：apt-get install fontconfig {CJK_FONT_PACKAGE}"
    found = subprocess.run(
        [fc_list, ":lang=zh-cn", "family"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if not found:
        return f"未安装中文（CJK）字体，PDF 中的汉字将无法显示。请安装：apt-get install {CJK_FONT_PACKAGE}"
    return None


def harfbuzz_subset_problem() -> str | None:
    if ctypes.util.find_library("harfbuzz-subset") is None:
        return (
            "未找到 HarfBuzz 字体子集库，WeasyPrint 将退回 fontTools 子集化，"
            f"中文 PDF 生成慢十余倍。请安装：apt-get install {SUBSET_PACKAGE}"
        )
    return None


def ensure_pdf_possible() -> None:
    """Raise PdfUnavailable with an installable remedy; called before every PDF render."""
    for problem in (weasyprint_problem(), cjk_font_problem()):
        if problem:
            raise PdfUnavailable(problem)


@functools.cache
def stylesheet(name: str) -> CSS:
    """A document's stylesheet from the static files (``reports/pdf.css``), parsed once per
    process; its ``@import`` of ``disclosure/paper.css`` is read relative to it."""
    from weasyprint import CSS

    path = finders.find(name)
    if path is None:
        raise FileNotFoundError(name)
    return CSS(filename=Path(path))


@functools.cache
def watermark_url() -> str:
    """The draft watermark's file URL (outlines of 草稿, not text: see its stylesheet rule)."""
    path = finders.find(WATERMARK)
    if path is None:
        raise FileNotFoundError(WATERMARK)
    return Path(path).as_uri()


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


def page_marks(*, header: str, footer: str) -> str:
    """The CSS putting what the document is in the page margins (styled in paper.css):
    ``header`` at the top (草稿 on a draft; nothing when empty), ``footer`` at the foot."""
    rules = []
    if footer:
        rules.append(f"@bottom-right {{ content: {_css_string(footer)}; }}")
    if header:
        rules.append(f"@top-center {{ content: {_css_string(header)}; }}")
    return "@page { " + " ".join(rules) + " }"
