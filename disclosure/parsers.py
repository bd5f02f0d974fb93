"""JSON from outside — an API request's body, a report file given to ``import_report`` —
read by one function, ``read_json``: UTF-8, no NaN or Infinity (not JSON, though Python's
parser takes them), and nesting deeper than Python's parser can follow refused with a
reason rather than a traceback (a body of 200,000 ``[`` answered the API with a 500)."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import APIException, ParseError


class UnreadableJSON(ValueError):
    """``str(error)`` says why, in Chinese."""


def _refuse_constant(name: str):
    raise UnreadableJSON(_("“%(name)s”不是 JSON 中的数值。") % {"name": name})


def read_json(data: bytes) -> object:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableJSON(_("内容不是 UTF-8 编码的文本。")) from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise UnreadableJSON(_("嵌套的层数过多。")) from None
    except json.JSONDecodeError as error:
        raise UnreadableJSON(
            _("JSON 格式错误（第 %(line)s 行第 %(column)s 列）。")
            % {"line": error.lineno, "column": error.colno}
        ) from None


class UnparsableBody(ParseError):
    """A body ``read_json`` refused, its reason in Chinese."""


def body_limit_mb() -> str:
    """Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` in megabytes, as the API says it."""
    return f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:g}"


class BodyTooLarge(APIException):
    """A JSON body over Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``: Django refuses it as DRF
    reads it (``RequestDataTooBig``), which the API answers with this (413, in JSON) rather
    than the site's HTML 400 page."""

    status_code = 413
    default_code = "body_too_large"

    def __init__(self) -> None:
        super().__init__(_("请求内容超过 %(limit)s MB 的上限。") % {"limit": body_limit_mb()})


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser reading through ``read_json``."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return read_json(stream.read() if stream is not None else b"")
        except UnreadableJSON as error:
            raise UnparsableBody(_("请求内容无法解析：%(reason)s") % {"reason": error}) from None
