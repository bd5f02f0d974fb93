"""Small pure helpers on printed text: Unicode folding, labels, figures, page furniture.

Everything a reader or the table matcher compares goes through ``squash`` (NFKC, no
whitespace) or ``label_key`` (only letters, digits and CJK characters), so that full-width
and half-width forms, wrapped labels and OCR spacing compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from difflib import SequenceMatcher

_SPACE = re.compile(r"\s+")
_NON_LABEL = re.compile(r"[^0-9A-Za-z\u3400-\u9fff]")
# Printed in a figure cell for "no figure": dashes, slashes, the product's own blank mark.
BLANK_MARKS = frozenset({"", "-", "--", "—", "——", "–", "－", "/", "／", "\\", "※", "*", "＊"})
_BLANK_WORDS = re.compile(r"^[※*]?[(（]?(空白|空|无)[)）]?$")
_INTEGER = re.compile(r"^\d+$")
_DECIMAL = re.compile(r"^\d+\.\d+$")
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_PAGE_NUMBER = (
    re.compile(r"^[-—–－_·•]+\d{1,4}[-—–－_·•]+$"),
    re.compile(r"^第\d{1,4}页([,，/]?共\d{1,4}页)?$"),
    re.compile(r"^\d{1,4}/\d{1,4}$"),
)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")
_ROW_NUMBER = re.compile(r"^(\d+)[.．、]")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")

# Sentence ends: a paragraph that does not end in one of these goes on after a break.
_TERMINAL = set("。！？!?；;：:…")
_CLOSERS = set("”’\"'」』）)]】》")


class NotAFigure(ValueError):
    """A figure cell holds text that is not a figure."""


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """NFKC without any whitespace: how labels and headings are compared."""
    return _SPACE.sub("", nfkc(text))


def label_key(text: str) -> str:
    """Only the letters, digits and CJK characters of a label, after NFKC."""
    return _NON_LABEL.sub("", nfkc(text))


def similarity(a: str, b: str) -> float:
    """How alike two label keys are, 0 to 1 (difflib's ratio)."""
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def row_number(label: str) -> int | None:
    """The item number a row label starts with (``1.属于国家秘密`` → 1)."""
    match = _ROW_NUMBER.match(squash(label))
    return int(match.group(1)) if match else None


def is_blank_mark(text: str) -> bool:
    value = squash(text)
    return value in BLANK_MARKS or bool(_BLANK_WORDS.match(value))


def parse_figure(text: str) -> int | Decimal | None:
    """A printed figure: ``None`` for a blank cell, an ``int`` or a ``Decimal``; thousands
    separators and full-width digits are read; anything else raises ``NotAFigure``."""
    if is_blank_mark(text):
        return None
    value = squash(text)
    if _THOUSANDS.match(value):
        value = value.replace(",", "")
    if _INTEGER.match(value):
        return int(value)
    if _DECIMAL.match(value):
        return Decimal(value)
    raise NotAFigure(text)


def is_figure(text: str) -> bool:
    try:
        parse_figure(text)
    except NotAFigure:
        return False
    return True


def has_number(text: str) -> bool:
    try:
        return parse_figure(text) is not None
    except NotAFigure:
        return False


def is_page_number(text: str, *, bare: bool = False) -> bool:
    """Page furniture: ``— 5 —``, ``-5-``, ``第5页``, ``第 5 页 共 9 页``, ``5/9``; with
    ``bare`` (a line in a page's margin) also a number alone."""
    value = squash(text)
    if bare and _BARE_NUMBER.match(value):
        return True
    return any(pattern.match(value) for pattern in _PAGE_NUMBER)


def display_width(text: str) -> int:
    """Columns a text takes in a monospaced layout (wide CJK characters count two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def split_text_cells(line: str) -> tuple[tuple[str, ...], bool, tuple[float, ...] | None]:
    """The parts of a line of plain text, whether they are tab positions, and (for parts
    separated by spaces) the column each part is centred on.

    Tab-separated cells are kept in place, empty ones too; else parts are separated by wide
    spaces (a layout such as ``pdftotext -layout`` prints), each with its position so that a
    blank cell shows as a gap. A part holding figures among words is split at whitespace, so
    that ``5 政处罚 351867`` gives its figure its own cell (the parts are then no longer tab
    positions)."""
    tabbed = "\t" in line
    if tabbed:
        spans = [(part, None) for part in line.split("\t")]
    else:
        spans = [
            (match.group(), display_width(line[: match.start()]))
            for match in re.finditer(r"\S+(?: \S+)*", line.replace("\u3000", "  "))
        ]
    cells: list[str] = []
    xs: list[float] = []
    for part, start in spans:
        tokens = list(re.finditer(r"\S+", part))
        if len(tokens) > 1 and any(has_number(token.group()) for token in tokens):
            for token in tokens:
                cells.append(token.group())
                if start is not None:
                    offset = start + display_width(part[: token.start()])
                    xs.append(offset + display_width(token.group()) / 2)
            tabbed = False
        else:
            cells.append(part.strip())
            if start is not None:
                xs.append(start + display_width(part) / 2)
    positions = tuple(xs) if not tabbed and len(xs) == len(cells) else None
    return tuple(cells), tabbed, positions


def ends_sentence(text: str) -> bool:
    """Whether a paragraph ends a sentence (so that what follows starts a new one)."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in _CLOSERS:
        if stripped[-1] in "）)" and len(stripped) > 1 and stripped[-2] not in _TERMINAL:
            return False
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in _TERMINAL


def is_cjk(char: str) -> bool:
    return bool(_CJK.match(char))
