"""System checks for PDF export: WeasyPrint, a CJK font, HarfBuzz's subsetter.

Reported by ``manage.py check`` (and so by ``make test``) instead of failing on the first
export or, worse, producing a PDF of empty boxes."""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess

from django.core.checks import Error, Tags, Warning, register

CJK_FONT_PACKAGE = "fonts-noto-cjk"
SUBSET_PACKAGE = "libharfbuzz-subset0"


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
