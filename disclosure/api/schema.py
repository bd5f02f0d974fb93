"""How the API documentation describes its authentication: in Chinese, as the rest of it
(drf-spectacular's own description of the token scheme is English)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import TokenScheme
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from disclosure.validators import (
    LAST_DATE,
    DateRange,
    YearRange,
)


class ChineseTokenScheme(TokenScheme):
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            **super().get_security_definition(auto_schema),
            "description": _(
                "令牌认证：请求头 Authorization: Token <令牌>（令牌在管理后台签发）。"
            ),
        }


# --- the limits the server enforces, stated in the schema ----------------------------------
#
# The ranges live on the model fields (``disclosure.validators``); DRF copies them onto the
# serializer fields, and ``BoundedAutoSchema`` writes them into the schema: a year range as
# minimum/maximum, a date range as a pattern of the dates it admits (OpenAPI 3.0 has no
# bounds for a ``format: date`` string) with the bounds in words. What a JSON schema cannot
# say — "not after today", "not before that other date" — is said in the description, and
# named as the documented exclusions of ``tests/api/test_schemathesis.py``.

_DAY = "(0[1-9]|[12][0-9]|3[01])"
_MONTH = "(0[1-9]|1[0-2])"


def _digits_from(low: str, high: str) -> str:
    """A regular expression of the numbers from ``low`` to ``high``, both of the same
    number of digits."""
    if low == high:
        return low
    if len(low) == 1:
        return f"[{low}-{high}]" if low != high else low
    head_low, head_high = low[0], high[0]
    rest_low, rest_high = low[1:], high[1:]
    nines, zeros = "9" * len(rest_low), "0" * len(rest_low)
    if head_low == head_high:
        return f"{head_low}{_group(_digits_from(rest_low, rest_high))}"
    parts = [f"{head_low}{_group(_digits_from(rest_low, nines))}"]
    if int(head_high) - int(head_low) > 1:
        middle = f"[{int(head_low) + 1}-{int(head_high) - 1}]"
        parts.append(middle + "[0-9]" * len(rest_low))
    parts.append(f"{head_high}{_group(_digits_from(zeros, rest_high))}")
    return "|".join(parts)


def _group(regex: str) -> str:
    return f"({regex})" if "|" in regex else regex


def date_pattern(first: datetime.date, last: datetime.date) -> str:
    """A pattern of the ``YYYY-MM-DD`` texts from the month of ``first`` to the year of
    ``last`` (``first`` the first of a month and ``last`` a 31 December, as every range of
    ``disclosure.validators`` is); the format ``date`` rules out days such as 02-30."""
    if first.day != 1 or (last.month, last.day) != (12, 31):
        raise ValueError(f"unsupported date range {first}–{last}")
    first_year = f"{first.year}-{_group(_digits_from(f'{first.month:02d}', '12'))}"
    parts = [first_year]
    if last.year > first.year:
        parts.append(f"({_digits_from(str(first.year + 1), str(last.year))})-{_MONTH}")
    return f"^({'|'.join(parts)})-{_DAY}$"


def date_range_schema(date_range: DateRange) -> tuple[dict, str]:
    last = date_range.last or LAST_DATE
    schema = {"pattern": date_pattern(date_range.first, last)}
    if date_range.last is None:
        words = _("日期须在 %(first)s 至今天之间（不能晚于今天）。") % {
            "first": date_range.first.isoformat()
        }
    else:
        words = _("日期须在 %(first)s 至 %(last)s 之间。") % {
            "first": date_range.first.isoformat(),
            "last": date_range.last.isoformat(),
        }
    schema["x-date-range"] = {
        "minimum": date_range.first.isoformat(),
        "maximum": date_range.last.isoformat() if date_range.last else "today",
    }
    return schema, words


# A text without a NUL character (PostgreSQL cannot store one; the server refuses it by name).
NUL_FREE = r"^[^\u0000]*$"


class BoundedAutoSchema(AutoSchema):
    """drf-spectacular's schema with the ranges of ``disclosure.validators`` written in."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        for validator in getattr(field, "validators", ()):
            if isinstance(validator, DateRange) and direction == "request":
                bounds, words = date_range_schema(validator)
                schema.update(bounds)
                schema["description"] = " ".join(
                    part for part in (str(schema.get("description", "")), str(words)) if part
                )
            elif isinstance(validator, YearRange):
                schema["minimum"] = max(schema.get("minimum", validator.first), validator.first)
                schema["maximum"] = min(schema.get("maximum", validator.last), validator.last)
        if direction != "request":
            return schema
        if (
            isinstance(field, serializers.CharField)
            and "pattern" not in schema
            and not any(isinstance(v, RegexValidator) for v in field.validators)
        ):
            # No NUL character (refused by name); a required text holds more than spaces
            # (the server trims them, then refuses ""; Python's strip() also removes
            # \x1c–\x1f and \x85, which ECMA's \s does not).
            if field.allow_blank or not field.trim_whitespace:
                schema["pattern"] = NUL_FREE
            else:
                schema["pattern"] = r"^[^\u0000]*[^\s\u001c-\u001f\u0085\u0000][^\u0000]*$"
        if isinstance(field, serializers.DecimalField) and field.decimal_places is not None:
            # As many places as the field keeps (fees to the fen, figures to four places).
            schema["multipleOf"] = float(Decimal(1).scaleb(-field.decimal_places))
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        # drf-spectacular (0.30) offers "" beside the pattern of a text that may be blank,
        # as a second branch of a oneOf. The NUL-free pattern above admits "" already, so ""
        # would match both branches, which oneOf forbids: keep the one branch.
        branches = schema.get("oneOf")
        if (
            branches
            and len(branches) == 2
            and branches[1] == {"type": "string", "maxLength": 0}
            and branches[0].get("pattern") == NUL_FREE
            and not {"format", "minLength"} & set(branches[0])
        ):
            schema.update(schema.pop("oneOf")[0])


def text_parameters_without_nul(result, generator, request, public):
    """drf-spectacular postprocessing hook: a text query parameter (search, a body code…)
    states that a NUL character is refused (DRF's search answers it 400)."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", ()) if isinstance(operation, dict) else ():
                schema = parameter.get("schema", {})
                if (
                    parameter.get("in") == "query"
                    and schema.get("type") == "string"
                    and not ({"pattern", "enum", "format"} & set(schema))
                ):
                    schema["pattern"] = NUL_FREE
    return result


def bodies_too_large(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation that takes a body documents the
    413 of a body over Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (``parsers.BodyTooLarge``)."""
    from django.utils.translation import gettext

    from disclosure.parsers import body_limit_mb

    description = gettext("请求内容超过 %(limit)s MB 的上限，未被读取。") % {
        "limit": body_limit_mb()
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault(
                    "413", {"description": description}
                )
    return result
