"""Limits on what pdfminer may build while it reads a PDF (the caps: ``reading.limits``).

pdfminer.six inflates each stream it needs (a page's content, a font, an object stream, a
cross-reference stream) whole, with no limit: a PDF of 300 KB whose page content inflates to
300 MB took 750 MB of memory to read, and the cap on uploads (20 MB) allows gigabytes. It
offers no setting, so ``bounded`` puts limits on the decoders its ``PDFStream.decode`` calls
— Flate (``zlib.decompress``, and its fallback for a damaged stream), LZW and RunLength;
the other filters do not make data larger, or are left encoded (images). A stream that
would inflate beyond ``MAX_STREAM_BYTES``, or a file whose streams together would pass
``MAX_PDF_STREAM_BYTES``, stops the reading with ``StreamsTooLarge`` as soon as the limit is
passed, before more is held. The decoders keep pdfminer's results for every stream within
the limits (``tests/reports/test_reading_pdf_limits.py``).

A small stream can still draw a great deal: a form drawn ten thousand times, a million
characters in a few megabytes. pdfplumber's layout device creates one object per character,
line or image drawn; ``bounded`` counts them per page and stops a page past
``MAX_PAGE_OBJECTS`` (``PageTooBusy``)."""

from __future__ import annotations

import contextlib
import contextvars
import io
import zlib
from collections.abc import Iterator

from pdfminer import pdftypes
from pdfminer.lzw import LZWDecoder

from reports.reading import limits


class StreamsTooLarge(Exception):
    """A stream, or the streams of the file together, inflate beyond the limits."""

    def __init__(self, limit: int, *, whole_file: bool):
        super().__init__(limit)
        self.limit = limit
        self.whole_file = whole_file


class _Budget:
    def __init__(self) -> None:
        self.left = limits.MAX_PDF_STREAM_BYTES

    def limit(self) -> int:
        return min(limits.MAX_STREAM_BYTES, self.left)

    def check(self, size: int) -> None:
        """Raise once ``size`` bytes of one stream pass a limit; ``spend`` counts them."""
        if size > limits.MAX_STREAM_BYTES:
            raise StreamsTooLarge(limits.MAX_STREAM_BYTES, whole_file=False)
        if size > self.left:
            raise StreamsTooLarge(limits.MAX_PDF_STREAM_BYTES, whole_file=True)

    def spend(self, size: int) -> None:
        self.check(size)
        self.left -= size


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "pdf_stream_budget", default=None
)


def _current() -> _Budget:
    # Outside ``bounded`` (nothing of ours reads a PDF there) each stream still has its cap.
    return _budget.get() or _Budget()


def _inflate(data: bytes) -> bytes:
    """``zlib.decompress`` within the budget: the same bytes, or the same ``zlib.error``
    (a stream cut short raises it, and pdfminer then tries ``_inflate_damaged``)."""
    budget = _current()
    inflater = zlib.decompressobj()
    inflated = inflater.decompress(data, budget.limit() + 1)
    budget.check(len(inflated))
    if not inflater.eof:
        raise zlib.error("incomplete or truncated stream")
    budget.spend(len(inflated))
    return inflated


def _inflate_damaged(data: bytes) -> bytes:
    """pdfminer's ``decompress_corrupted`` (a stream whose checksum at the end is damaged:
    an error in its last three bytes is ignored, one before them raised), in linear time
    and within the budget. pdfminer's own feeds the bytes one at a time into a growing
    string, quadratic in the output."""
    budget = _current()
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    body, tail = data[:-3], data[-3:]
    step = 1024 * 1024
    for chunk in (body[start : start + step] for start in range(0, len(body), step)):
        size = _take(inflater, chunk, parts, size, budget)
    with contextlib.suppress(zlib.error):
        for index in range(len(tail)):
            size = _take(inflater, tail[index : index + 1], parts, size, budget)
    budget.spend(size)
    return b"".join(parts)


def _take(inflater, chunk: bytes, parts: list[bytes], size: int, budget: _Budget) -> int:
    while chunk:
        out = inflater.decompress(chunk, budget.limit() + 1 - size)
        size += len(out)
        budget.check(size)
        parts.append(out)
        chunk = inflater.unconsumed_tail
    return size


def _lzw(data: bytes) -> bytes:
    budget = _current()
    parts: list[bytes] = []
    size = 0
    for part in LZWDecoder(io.BytesIO(data)).run():
        size += len(part)
        budget.check(size)
        parts.append(part)
    budget.spend(size)
    return b"".join(parts)


def _run_length(data: bytes) -> bytes:
    """RunLength (PDF 1.7, 7.4.5): a length byte n, then n + 1 bytes copied (n < 128) or
    one byte repeated 257 - n times (n > 128); 128 ends the data."""
    budget = _current()
    out = bytearray()
    index = 0
    while index < len(data):
        length = data[index]
        index += 1
        if length == 128:
            break
        if length < 128:
            out += data[index : index + length + 1]
            index += length + 1
        else:
            out += data[index : index + 1] * (257 - length)
            index += 1
        budget.check(len(out))
    budget.spend(len(out))
    return bytes(out)


# pdfminer's own decoders, which ``bounded`` replaces (the tests compare the two).
PDFMINER_DECODERS = {
    "decompress_corrupted": pdftypes.decompress_corrupted,
    "lzwdecode": pdftypes.lzwdecode,
    "rldecode": pdftypes.rldecode,
}


class _Zlib:
    """What ``pdfminer.pdftypes`` sees as ``zlib``."""

    error = zlib.error
    decompress = staticmethod(_inflate)
    decompressobj = staticmethod(zlib.decompressobj)


class PageTooBusy(Exception):
    """A page draws more than ``MAX_PAGE_OBJECTS`` characters, lines and images."""


def _counted(tag_cur_item):
    def tag_and_count(device) -> None:
        tag_cur_item(device)
        device.drawn = getattr(device, "drawn", 0) + 1
        if device.drawn > limits.MAX_PAGE_OBJECTS:
            raise PageTooBusy(limits.MAX_PAGE_OBJECTS)

    tag_and_count.counted = True
    return tag_and_count


def _install() -> None:
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent as Device

    pdftypes.zlib = _Zlib
    pdftypes.decompress_corrupted = _inflate_damaged
    pdftypes.lzwdecode = _lzw
    pdftypes.rldecode = _run_length
    # pdfplumber's device calls this once for every object it creates (a character, a line,
    # a curve, an image), and a new device draws each page.
    if not getattr(Device.tag_cur_item, "counted", False):
        Device.tag_cur_item = _counted(Device.tag_cur_item)


@contextlib.contextmanager
def bounded() -> Iterator[None]:
    """Within: the streams pdfminer inflates count against one file's budget."""
    _install()
    token = _budget.set(_Budget())
    try:
        yield
    finally:
        _budget.reset(token)
