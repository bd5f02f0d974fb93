"""Reading one cell of the import workbook: normalisation and typed parsers.

Every parser takes the raw cell (whatever openpyxl or the csv module gave) and returns the
Python value, ``None`` for a blank cell, or raises ``CellError`` with the reason in Chinese.
A parser reads a value's type; its range is the model field's (``disclosure.validators``),
which the services' ``full_clean`` applies; the import names the cell's column on a refusal.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

from disclosure.spreadsheets import text_as_written
from disclosure.validators import date_text_error, validate_body_code, validate_no_nul
from disclosure.vocab import RESULT_FORMAT_LABELS, Result


class CellError(ValueError):
    """A cell that cannot be read; ``str(error)`` is the reason shown to the user."""


def normalise(text: str) -> str:
    """NFKC (full-width digits, letters and brackets become ASCII), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def shown(text: object, limit: int = 40) -> str:
    """A cell's text as quoted in a message: a long one is cut short."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def parse_text(raw: object) -> str | None:
    """Text as written (only trimmed: titles keep their full-width punctuation)."""
    if is_blank(raw):
        return None
    if isinstance(raw, str):
        # Before full_clean would: rows are looked up by their key cells first.
        _refuse(validate_no_nul, raw)
        return text_as_written(raw.strip())
    if isinstance(raw, bool):
        raise CellError(_("应为文本。"))
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        _refuse_non_finite(raw)
    if isinstance(raw, float) and raw.is_integer():
        # Excel stores a number typed into a text column as a float: 2023001 -> 2023001.0.
        return str(int(raw))
    if isinstance(raw, float | Decimal):
        return str(raw)
    raise CellError(_("应为文本，不能是日期或其他类型。"))


def _refuse_non_finite(number: float | Decimal) -> None:
    """Excel's XML may hold any number text: "1e309" reads as infinity (a clerk never sees
    "inf", so the message does not show it)."""
    finite = number.is_finite() if isinstance(number, Decimal) else math.isfinite(number)
    if not finite:
        raise CellError(_("数值超出范围（如 1e309），不是有效的数字。"))


def _refuse(validator: Callable[[str], None], value: str) -> None:
    """A rule of ``disclosure.validators`` applied to a cell, its message as the cell's."""
    try:
        validator(value)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None


def parse_code(raw: object) -> str | None:
    """A body code (one of the model's: ``validators.validate_body_code``); a row naming a
    body by a malformed code is told so rather than "no such body"."""
    text = parse_text(raw)
    if text is None:
        return None
    code = normalise(text)
    _refuse(validate_body_code, code)
    return code


DATE_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(raw: object) -> datetime.date | None:
    if is_blank(raw):
        return None
    if isinstance(raw, datetime.datetime):
        if raw.time() != datetime.time(0, 0):
            raise CellError(_("应为日期，不能带时间。"))
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, str):
        text = normalise(raw)
        match = DATE_PATTERN.match(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                raise CellError(" ".join(date_text_error(text).messages)) from None
        raise CellError(
            _("“%(text)s”不是日期：请填写日期单元格或“YYYY-MM-DD”格式的文本。")
            % {"text": shown(text)}
        )
    raise CellError(_("应为日期：请填写日期单元格或“YYYY-MM-DD”格式的文本。"))


NUMBER_PATTERN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


# No figure the workbook holds has more digits; a longer one is a mistyped cell (and Python
# will not even print an integer of more than 4,300 digits).
MAX_DIGITS = 30


def parse_decimal(raw: object) -> Decimal | None:
    value = _read_decimal(raw)
    if value is not None and (
        value.adjusted() >= MAX_DIGITS or len(value.as_tuple().digits) > MAX_DIGITS
    ):
        raise CellError(_("数字位数过多（最多 %(digits)s 位）。") % {"digits": MAX_DIGITS})
    return value


def _read_decimal(raw: object) -> Decimal | None:
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise CellError(_("应为数字。"))
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        _refuse_non_finite(raw)
        # repr gives the shortest text that reads back as the same float: 0.1, not 0.1000…
        return Decimal(repr(raw))
    if isinstance(raw, Decimal):
        _refuse_non_finite(raw)
        return raw
    if isinstance(raw, str):
        text = normalise(raw)
        if NUMBER_PATTERN.match(text):
            try:
                return Decimal(text)
            except InvalidOperation:
                raise CellError(_("“%(text)s”不是数字。") % {"text": shown(text)}) from None
        raise CellError(_("“%(text)s”不是数字。") % {"text": shown(text)})
    raise CellError(_("应为数字。"))


def decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def parse_integer(raw: object) -> int | None:
    value = parse_decimal(raw)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise CellError(_("应为整数，不能是“%(value)s”。") % {"value": value})
    return int(value)


def choice_parser(labels: Mapping[str, str]) -> Callable[[object], str | None]:
    """A parser accepting the labels (as offered in the template's drop-down) of a
    vocabulary, compared after normalisation; ``labels`` maps label -> stored value."""
    table = {_comparable(label): value for label, value in labels.items()}
    allowed = "、".join(labels)

    def parse(raw: object) -> str | None:
        text = parse_text(raw)
        if text is None:
            return None
        try:
            return table[_comparable(text)]
        except KeyError:
            raise CellError(
                _("“%(text)s”不是允许的值，应为：%(allowed)s。")
                % {"text": shown(text), "allowed": allowed}
            ) from None

    return parse


# --- 办理结果 ----------------------------------------------------------------------------

_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")
_ROW_NUMBER = re.compile(r"^(\([一二三四五六七八九十]+\)|\d+\.)")
_TRAILING_REMARK = re.compile(r"\([^()]*\)$")


def _comparable(text: str) -> str:
    """What two spellings of one label have in common: NFKC, no spaces, no quotes."""
    return re.sub(r"\s+", "", normalise(text)).translate(_QUOTES)


def _result_spellings() -> dict[str, str]:
    spellings: dict[str, str] = {}

    def add(spelling: str, key: str) -> None:
        comparable = _comparable(spelling)
        known = spellings.setdefault(comparable, key)
        if known != key:
            # Every spelling must name one row only; a new format edition could break that.
            raise ImproperlyConfigured(f"result spelling {spelling!r} names {known} and {key}")

    for key, printed in RESULT_FORMAT_LABELS.items():
        add(key, key)
        label = _comparable(printed)
        add(label, key)
        unnumbered = _ROW_NUMBER.sub("", label)
        add(unnumbered, key)
        # "(二)部分公开(区分处理的,…)": the remark in brackets is not part of the name.
        add(_TRAILING_REMARK.sub("", unnumbered), key)
    for choice in Result:
        # The admin's labels ("不予公开：属于国家秘密"): the template's drop-down offers them.
        add(str(choice.label), choice.value)
    return spellings


RESULT_SPELLINGS = _result_spellings()


def parse_result(raw: object) -> str | None:
    text = parse_text(raw)
    if text is None:
        return None
    try:
        return RESULT_SPELLINGS[_comparable(text)]
    except KeyError:
        raise CellError(
            _(
                "“%(text)s”不是办理结果：请填写年度报告表三的结果行（如“予以公开”“1.属于国家秘密”"
                "“属于国家秘密”）或其键名（如“granted”）。"
            )
            % {"text": shown(text)}
        ) from None
