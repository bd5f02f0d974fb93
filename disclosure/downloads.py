"""How a download is named: in Chinese, as the rest of the interface reads
(``武威市人民政府2023年政府信息公开工作年度报告.pdf``), with an ASCII name for clients that
cannot read RFC 5987 (``wuwei-2023-v1.pdf``)."""

from __future__ import annotations

import re
from urllib.parse import quote

# Characters no file system or browser keeps in a saved file's name, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_ASCII_NAME = re.compile(r"^[A-Za-z0-9._-]+$")


def file_name(text: str) -> str:
    """``text`` as a file name: characters a file system refuses become ``_``."""
    return _UNSAFE.sub("_", text).strip() or "_"


def content_disposition(filename: str, *, fallback: str, as_attachment: bool = True) -> str:
    """A Content-Disposition header (RFC 6266) naming the file ``filename`` (RFC 5987
    ``filename*``, UTF-8) with ``fallback`` as the plain ``filename`` before it.

    ``fallback`` is the project's own ASCII name (letters, digits, ``._-``); anything else
    is a bug and raises ``ValueError``."""
    if not _ASCII_NAME.match(fallback):
        raise ValueError(f"not an ASCII file name: {fallback!r}")
    disposition = "attachment" if as_attachment else "inline"
    name = file_name(filename)
    if name == fallback:
        return f'{disposition}; filename="{fallback}"'
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
