"""The one home of the value rules of the records and the reports.

Model fields name these validators (``validators=[...]``), so that ``full_clean`` in the
services applies them at every entry point — the admin's forms, the API's serializers (built
from the model fields, they carry the same validators), the workbook import, the report
import, the demo and the commands — with one Chinese message each. Query parameters (the API's
year filters, the public deadline calculator) read their ranges from the constants here.

- Dates of requests and their events (补正, 征求意见, fees, extension, withdrawal,
  conclusion) and of appeal cases: ``RECORD_DATE``, from 2008-05-01 (the first 条例 took
  effect) to today. "Today" is ``timezone.localdate()`` read when validating.
- Deadlines that lie in the future by nature (补正期限, 缴费期限) and a receipt date put to
  the deadline calculator: ``DEADLINE_DATE``, from 2008-05-01 to 2099-12-31. The clock counts
  working days forward from every date it is given, so the end keeps every computation finite.
- The register of 规章 and 规范性文件: ``ISSUE_DATE`` (发布日期) from 1949-10-01 to today;
  ``REGISTER_DATE`` (施行, 废止, 有效期至 — normally in the future) to 2099-12-31. Bodies
  (设立, 撤销, 隶属调整) use ``REGISTER_DATE`` too.
- Years: ``REPORT_YEAR`` 2021 (the current format) to 2099; ``FIGURE_YEAR`` 2008 (the first
  year of the 条例) to 2099 — a body may keep the figures of years before the current format.
- Body codes: ``validate_body_code``.
- Identity numbers (``IdType``): ``id_type_of_number`` reads a type from a number's form
  alone (the import's blank 证件类型); ``validate_id_number`` checks a number against its type —
  a 居民身份证 number its GB 11643-1999 check digit and its birth date, a 统一社会信用代码 its
  GB 32100-2015 check character. ``Applicant.clean`` applies both, so the admin, the API and
  the import name the 证件号码 field with the same message.
- Attachments of a request: ``validate_attachment`` (type and size of a new upload).
- Text: no NUL character (PostgreSQL cannot store one). Every model of ``disclosure`` and
  ``reports`` derives from ``NulFreeModel``, whose ``clean_fields`` checks every CharField and
  TextField, so that a new field needs nothing; ``tests/disclosure/test_validators.py`` fails
  for a model that does not derive from it. (Django's form fields and DRF's CharField refuse
  a NUL before the model is asked, with Django's own message.)
- A text that is not a date: ``date_text_error`` is the one message, "not a date" for an
  impossible date such as 2026-02-30 and "wrong format" otherwise. Every date field of both
  apps is ``disclosure.models.fields.DateField``, whose form field says so; the API's
  ``serializers.fields.DateField`` and the workbook import say the same.

The static bounds are also ``CheckConstraint``s (``date_ranges_check``, ``YearRange.check``):
the first date and the last, 2099-12-31 for a range ending today — "today" cannot be a
database constraint.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from disclosure.vocab import IdType

FIRST_RECORD_DATE = datetime.date(2008, 5, 1)  # 《政府信息公开条例》(2007) took effect
FIRST_REGISTER_DATE = datetime.date(1949, 10, 1)  # a 规章 in force may be old
LAST_DATE = datetime.date(2099, 12, 31)
FIRST_REPORT_YEAR = 2021  # the 2021 edition of the annual report format
FIRST_FIGURE_YEAR = FIRST_RECORD_DATE.year
LAST_YEAR = LAST_DATE.year


# The day ``one_day`` fixed for the block that runs now (None: read the clock).
_fixed_today: ContextVar[datetime.date | None] = ContextVar("fixed_today", default=None)


def today() -> datetime.date:
    """Today in the site's time zone: the day every "not after today" rule compares with."""
    return _fixed_today.get() or timezone.localdate()


@contextmanager
def one_day() -> Iterator[datetime.date]:
    """Within this block ``today()`` is the day it began on, read once: for checks of many
    records at once (a batch of an import checks 20,000 dates or more, and reading the clock
    in the site's time zone was about a third of its model checks)."""
    token = _fixed_today.set(timezone.localdate())
    try:
        yield _fixed_today.get()
    finally:
        _fixed_today.reset(token)


@deconstructible
class DateRange:
    """Dates from ``first`` to ``last``, both inclusive; ``last`` None means today, read when
    validating (so that the rule holds on the day it is applied, not the day it was loaded)."""

    def __init__(self, first: datetime.date, last: datetime.date | None = None) -> None:
        self.first = first
        self.last = last

    def __call__(self, value: datetime.date) -> None:
        if self.last is None:
            if value > today():
                raise ValidationError(
                    _("日期不能晚于今天（%(today)s）。"),
                    code="after_today",
                    params={"today": today().isoformat()},
                )
            if value < self.first:
                raise ValidationError(
                    _("日期须在 %(first)s 至今天之间。"),
                    code="out_of_range",
                    params={"first": self.first.isoformat()},
                )
        elif not self.first <= value <= self.last:
            raise ValidationError(
                _("日期须在 %(first)s 至 %(last)s 之间。"),
                code="out_of_range",
                params={"first": self.first.isoformat(), "last": self.last.isoformat()},
            )

    def condition(self, field: str) -> Q:
        """The static part of the range as SQL: from the first date to the last, or to
        ``LAST_DATE`` for a range ending today. A NULL passes, as it passes any CHECK."""
        return Q(**{f"{field}__gte": self.first, f"{field}__lte": self.last or LAST_DATE})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRange) and (self.first, self.last) == (other.first, other.last)

    def __hash__(self) -> int:
        return hash((self.first, self.last))


RECORD_DATE = DateRange(FIRST_RECORD_DATE)
DEADLINE_DATE = DateRange(FIRST_RECORD_DATE, LAST_DATE)
ISSUE_DATE = DateRange(FIRST_REGISTER_DATE)
REGISTER_DATE = DateRange(FIRST_REGISTER_DATE, LAST_DATE)


def date_ranges_check(name: str, ranges: dict[str, DateRange]) -> models.CheckConstraint:
    """One constraint holding the static bounds of a model's dates (``field -> range``)."""
    condition = Q()
    for field, date_range in ranges.items():
        condition &= date_range.condition(field)
    return models.CheckConstraint(condition=condition, name=name)


@deconstructible
class YearRange:
    """Years from ``first`` to ``last``, both inclusive."""

    def __init__(self, first: int, last: int) -> None:
        self.first = first
        self.last = last

    def __call__(self, value: int) -> None:
        if not self.first <= value <= self.last:
            raise ValidationError(
                _("年度须在 %(first)s 至 %(last)s 之间。"),
                code="out_of_range",
                params={"first": self.first, "last": self.last},
            )

    def check(self, field: str, name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=Q(**{f"{field}__gte": self.first, f"{field}__lte": self.last}), name=name
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, YearRange) and (self.first, self.last) == (other.first, other.last)

    def __hash__(self) -> int:
        return hash((self.first, self.last))


REPORT_YEAR = YearRange(FIRST_REPORT_YEAR, LAST_YEAR)
FIGURE_YEAR = YearRange(FIRST_FIGURE_YEAR, LAST_YEAR)

BODY_CODE_MAX_LENGTH = 64
# Letters, digits, "-" and "_": the validator's pattern, and the API schema's (as JSON Schema
# writes it, with "$").
BODY_CODE_CHARACTERS = "A-Za-z0-9_-"
validate_body_code = RegexValidator(
    rf"^[{BODY_CODE_CHARACTERS}]+\Z",
    _("机构代码只能包含字母、数字、“-”和“_”。"),
    code="invalid_code",
)
# The same rule as the API schema states it (JSON Schema writes the end as "$").
BODY_CODE_SCHEMA = {
    "type": "string",
    "pattern": f"^[{BODY_CODE_CHARACTERS}]+$",
    "maxLength": BODY_CODE_MAX_LENGTH,
}


# 文书文号前缀: the body's short name and the kind of document, e.g. 凉政信告. The year and
# number are added as 〔2026〕12号, so the prefix holds neither brackets, digits nor spaces.
LETTER_PREFIX_MAX_LENGTH = 20
_LETTER_PREFIX = re.compile(r"^[^\s〔〕\[\]()（）0-9０-９号]+$")


def validate_letter_prefix(value: str) -> None:
    if value and not _LETTER_PREFIX.match(value):
        raise ValidationError(
            _(
                "文书文号前缀只写机关简称和文书类别（如“凉政信告”），不含空格、数字、括号和“号”："
                "年份和序号由系统按“〔2026〕12号”的格式生成。"
            ),
            code="letter_prefix",
        )


# A request's attachments (scanned 申请书, 答复书, 送达回证…): the documents and images an
# office files, each at most ATTACHMENT_MAX_MB. They are only ever served as downloads.
ATTACHMENT_MAX_MB = 50
ATTACHMENT_EXTENSIONS = (
    "pdf",
    "ofd",
    "jpg",
    "jpeg",
    "png",
    "tif",
    "tiff",
    "doc",
    "docx",
    "wps",
    "rtf",
    "odt",
    "xls",
    "xlsx",
    "et",
    "ods",
    "txt",
    "zip",
    "eml",
)


def file_too_large(name: str, size: int | str, limit: int) -> str:
    """The refusal of an upload over its cap (``limit`` bytes), said the same by the server
    and — with ``{name}`` and ``{size}`` given as ``name`` and ``size`` and filled in there —
    by the page before the file is sent (``forms.BoundedFileInput``)."""
    megabyte = 1024 * 1024
    return _("文件“%(name)s”约 %(size)s MB，超过 %(limit)s MB 的上限。") % {
        "name": name,
        "size": size if isinstance(size, str) else f"{size / megabyte:,.1f}",
        "limit": f"{limit / megabyte:g}",
    }


def validate_attachment(file) -> None:
    """A new upload's type (by its extension) and size. A file stored before these rules
    is left as it is: editing its request must not be refused for it."""
    if getattr(file, "_committed", True):
        return
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    if extension not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _("附件须为 %(allowed)s 文件，不能是“%(name)s”。")
            % {"allowed": "、".join(ATTACHMENT_EXTENSIONS), "name": file.name},
            code="attachment_type",
        )
    if file.size > ATTACHMENT_MAX_MB * 1024 * 1024:
        raise ValidationError(
            file_too_large(file.name, file.size, ATTACHMENT_MAX_MB * 1024 * 1024),
            code="attachment_size",
        )


def validate_no_nul(value: str) -> None:
    if "\x00" in value:
        raise ValidationError(_("不能包含空字符（NUL）。"), code="null_characters_not_allowed")


@functools.cache
def _text_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    )


class NulFreeModel(models.Model):
    """The base of every model of both apps: ``full_clean`` refuses a NUL character in any
    CharField or TextField, with the field named."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None) -> None:
        exclude = set(exclude or ())
        errors: dict[str, list] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in _text_fields(type(self)):
            if field.name in exclude or field.name in errors:
                continue
            value = getattr(self, field.attname)
            if isinstance(value, str):
                try:
                    validate_no_nul(value)
                except ValidationError as error:
                    errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)


_DATE_SHAPE = re.compile(r"(\d{4})\s*[-/年]\s*(\d{1,2})\s*[-/月]\s*(\d{1,2})\s*日?")


def date_text_error(text: str) -> ValidationError:
    """Why ``text`` did not read as a date: an impossible date written as a date
    (2026-02-30, 2026/2/30, 2026年2月30日) "is not a date"; anything else is in the wrong
    format."""
    text = str(text).strip()
    if not text:
        return ValidationError(_("请按 YYYY-MM-DD 填写日期，例如 2025-09-30。"), code="invalid")
    match = _DATE_SHAPE.fullmatch(text)
    if match:
        try:
            datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            return ValidationError(
                _("“%(text)s”不是有效日期。"), code="not_a_date", params={"text": text}
            )
    return ValidationError(
        _("“%(text)s”不是日期，请按 YYYY-MM-DD 填写，例如 2025-09-30。"),
        code="invalid",
        params={"text": text},
    )


# --- identity numbers -------------------------------------------------------------------

# GB 11643-1999: 17 digits, then a check digit (0-9 or X); digits 7-14 are the birth date.
RESIDENT_ID_SHAPE = re.compile(r"\d{17}[\dX]")
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"  # by the weighted sum modulo 11
FIRST_BIRTH_YEAR = 1900

# GB 32100-2015: 18 characters of 31 (no I, O, Z, S, V); the 18th is the check character.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_SHAPE = re.compile(f"[{CREDIT_CODE_ALPHABET}]{{18}}")
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def resident_id_check_digit(first17: str) -> str:
    total = sum(
        int(digit) * weight for digit, weight in zip(first17, RESIDENT_ID_WEIGHTS, strict=True)
    )
    return RESIDENT_ID_CHECK[total % 11]


def credit_code_check_character(first17: str) -> str:
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def id_type_of_number(number: str) -> str:
    """The 证件类型 a number's form alone says (``import-workbook.md``): 17 digits and a
    digit or X → 居民身份证; 18 characters of the credit-code alphabet → 统一社会信用代码;
    anything else → 其他; no number → "" (no type)."""
    number = (number or "").strip().upper()
    if not number:
        return ""
    if RESIDENT_ID_SHAPE.fullmatch(number):
        return IdType.RESIDENT_ID
    if CREDIT_CODE_SHAPE.fullmatch(number):
        return IdType.CREDIT_CODE
    return IdType.OTHER


def validate_resident_id(number: str) -> None:
    if not RESIDENT_ID_SHAPE.fullmatch(number):
        raise ValidationError(
            _("居民身份证号码应为18位：前17位为数字，最后一位为数字或X。"), code="resident_id_shape"
        )
    expected = resident_id_check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("居民身份证号码“%(number)s”的校验码不正确（按 GB 11643 第18位应为 %(expected)s）。"),
            code="resident_id_check",
            params={"number": number, "expected": expected},
        )
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        birth = None
    if birth is None or not FIRST_BIRTH_YEAR <= birth.year or birth > today():
        raise ValidationError(
            _("居民身份证号码“%(number)s”中的出生日期“%(birth)s”不是真实日期。"),
            code="resident_id_birth",
            params={"number": number, "birth": number[6:14]},
        )


def validate_credit_code(number: str) -> None:
    if not CREDIT_CODE_SHAPE.fullmatch(number):
        raise ValidationError(
            _("统一社会信用代码应为18位数字或大写字母（不含 I、O、Z、S、V）。"),
            code="credit_code_shape",
        )
    expected = credit_code_check_character(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _(
                "统一社会信用代码“%(number)s”的校验码不正确（按 GB 32100 第18位应为 %(expected)s）。"
            ),
            code="credit_code_check",
            params={"number": number, "expected": expected},
        )


def validate_id_number(id_type: str, number: str) -> None:
    """``number`` checked against ``id_type``: 居民身份证 and 统一社会信用代码 by their check
    characters; the other types are free text (their formats vary by issue)."""
    if id_type == IdType.RESIDENT_ID:
        validate_resident_id(number)
    elif id_type == IdType.CREDIT_CODE:
        validate_credit_code(number)
