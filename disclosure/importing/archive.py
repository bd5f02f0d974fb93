"""Opening an uploaded workbook (.xlsx) without trusting it.

An .xlsx file is a zip archive of XML parts. Before anything is decompressed, the zip
directory is checked against the caps of ``limits`` (a "zip bomb" is refused by the size and
compression ratio its directory declares; the decompressor never yields more than that). Then
openpyxl reads the workbook in read-only mode through ``_GuardedArchive``: a part openpyxl
reads whole must be small, and every part's bytes are checked (``_Scanner``) on their way to
the XML parser, so that no text, row or table can grow the parser's memory past the caps.
The shared strings, which openpyxl would read at about 45 µs each (and keep a parsed element
per string), are read here, counted and capped.

Everything refused raises ``Unreadable`` with the reason in Chinese.
"""

from __future__ import annotations

import functools
import io
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import iterparse

from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import VALUE_TAG, WorkSheetParser, _cast_number
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

from disclosure.importing import limits

# openpyxl warns about what it passes over (data validation extensions, a date serial out of
# range, which it reads as "#VALUE!"); the import names every cell it cannot use instead.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")

# What a damaged or hostile workbook makes the zip module, the XML parsers and openpyxl raise
# while reading: each becomes a refusal naming the file or the sheet and row.
UNREADABLE_ERRORS = (
    SyntaxError,  # xml.etree's ParseError and lxml's XMLSyntaxError: malformed XML
    ValueError,  # openpyxl's conversions of attributes and values, UnicodeDecodeError
    TypeError,  # openpyxl's typed descriptors given the wrong kind of value
    KeyError,  # a part the workbook refers to is missing
    IndexError,  # a shared string index past the table
    AttributeError,  # an element where openpyxl expects another
    OverflowError,  # a number or date beyond Python's range
    OSError,  # "File contains no valid workbook part", and zip I/O
    EOFError,  # a truncated part
    zipfile.BadZipFile,  # a corrupt archive or a part failing its CRC
    zlib.error,  # corrupt deflate data
    struct.error,  # a corrupt zip header
    NotImplementedError,  # a zip feature the zip module does not support
    InvalidFileException,
)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Unreadable(Exception):
    """The workbook is refused as a whole; ``str(error)`` is the reason shown to the user."""


def _mb(size: int) -> str:
    return f"{size / limits.MB:,.0f}" if size >= limits.MB else f"{size / limits.MB:.1f}"


def not_a_workbook() -> Unreadable:
    return Unreadable(_("无法读取该文件：它不是有效的 .xlsx 工作簿。"))


def open_workbook(content: bytes):
    """The workbook in openpyxl's read-only mode (``data_only``: a formula cell gives the value
    Excel last computed), its parts checked; raises ``Unreadable``."""
    if content.startswith(OLE_SIGNATURE):
        raise Unreadable(
            _(
                "无法读取该文件：它是旧版 .xls 工作簿或设置了打开密码的工作簿。"
                "请在 Excel 中另存为不加密的 .xlsx 工作簿后再导入。"
            )
        )
    try:
        reader = _Reader(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    except UNREADABLE_ERRORS:
        raise not_a_workbook() from None
    check_directory(reader.archive)
    reader.archive = _GuardedArchive(reader.archive)
    try:
        reader.read()
    except Unreadable:
        raise
    except UNREADABLE_ERRORS as error:
        # openpyxl reads a sheet without a <dimension> whole while opening the workbook.
        title = _sheet_in(reader, reader.archive.last_opened)
        if title is not None:
            part = reader.archive.last_opened
            raise UnreadableSheet(
                title, error, unreadable_cell(reader.wb, reader.shared_strings, part)
            ) from None
        raise Unreadable(
            _("无法读取该文件：工作簿已损坏，或不是 Excel 保存的 .xlsx 文件%(detail)s。")
            % {"detail": xml_position(error)}
        ) from None
    return reader.wb


def _sheet_in(reader: ExcelReader, part: str | None) -> str | None:
    """The title of the worksheet stored in ``part``, once the workbook's sheets are known."""
    if part is None or getattr(reader, "wb", None) is None:
        return None
    for sheet, relationship in reader.parser.find_sheets():
        if relationship.target == part:
            return sheet.name
    return None


def xml_position(error: BaseException) -> str:
    """Where in the XML a parse error happened, when the parser says so."""
    position = getattr(error, "position", None)
    if isinstance(position, tuple) and len(position) == 2:
        return _("（XML 第%(line)s行第%(column)s列格式错误）") % {
            "line": position[0],
            "column": position[1],
        }
    return ""


def check_directory(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb, and parts the zip module cannot read, from the directory alone."""
    parts = archive.infolist()
    if len(parts) > limits.MAX_PARTS:
        raise Unreadable(
            _("无法读取该文件：文件内含 %(count)s 个压缩条目，超过上限 %(limit)s 个。")
            % {"count": f"{len(parts):,}", "limit": f"{limits.MAX_PARTS:,}"}
        )
    for part in parts:
        if part.flag_bits & 0x1 or part.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise Unreadable(
                _("无法读取该文件：部件“%(part)s”已加密或使用了不支持的压缩方式。")
                % {"part": part.filename}
            )
        if part.file_size > limits.MAX_PART_BYTES:
            raise Unreadable(
                _(
                    "文件解压后超过 %(limit)s MB：部件“%(part)s”解压后为 %(size)s MB，"
                    "不予读取（可能是“压缩炸弹”）。"
                )
                % {
                    "limit": _mb(limits.MAX_PART_BYTES),
                    "part": part.filename,
                    "size": _mb(part.file_size),
                }
            )
        if part.file_size > limits.MAX_RATIO * part.compress_size:
            raise Unreadable(
                _(
                    "文件解压后膨胀异常：部件“%(part)s”压缩比为 %(ratio)s:1，超过 %(limit)s:1，"
                    "不予读取（可能是“压缩炸弹”）。"
                )
                % {
                    "part": part.filename,
                    "ratio": f"{part.file_size // max(part.compress_size, 1):,}",
                    "limit": limits.MAX_RATIO,
                }
            )


class _GuardedArchive:
    """The workbook's zip as openpyxl uses it. ``read`` (a part parsed whole) is limited to
    small parts; ``open`` (a sheet, streamed) hands out the part checked as it is read."""

    def __init__(self, archive: zipfile.ZipFile):
        self._archive = archive
        self.last_opened: str | None = None

    def __getattr__(self, name: str):
        return getattr(self._archive, name)

    def read(self, name: str) -> bytes:
        size = self._archive.getinfo(name).file_size
        if size > limits.MAX_WHOLE_PART_BYTES:
            raise Unreadable(
                _(
                    "无法读取该文件：部件“%(part)s”解压后为 %(size)s MB，此类部件上限为 %(limit)s MB。"
                )
                % {"part": name, "size": _mb(size), "limit": _mb(limits.MAX_WHOLE_PART_BYTES)}
            )
        data = self._archive.read(name)
        _Scanner(name, record=None).feed(data)
        return data

    def open(self, name: str, mode: str = "r", *, record: str = "row") -> _CheckedStream:
        self.last_opened = name
        return _CheckedStream(self._archive.open(name, mode), _Scanner(name, record=record))


class _CheckedStream:
    def __init__(self, stream, scanner: _Scanner):
        self._stream = stream
        self._scanner = scanner

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._scanner.feed(data)
        return data

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> _CheckedStream:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


# Markup Excel never writes: DTDs (entity expansion), comments and CDATA sections (which
# could hide markup from the counts below) and processing instructions after the declaration.
_DECLARATIONS = re.compile(rb"<[!?]")
_RECORDS = {
    # A row of a sheet, one shared string; with any namespace prefix ("x:row").
    "row": re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?row[\s/>]"),
    "si": re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?si[\s/>]"),
}
_LONG_TEXT = re.compile(rb"<[^<]{%d}" % (limits.MAX_TEXT_BYTES + 1))
_CARRY = 40


class _Scanner:
    """Checks an XML part's bytes as they pass, whatever the chunking: no markup declaration
    (every ``<`` then opens or closes a tag), no text longer than ``MAX_TEXT_BYTES``, and no
    more than ``MAX_TAGS_PER_RECORD`` tags between two record starts (``record``: rows of a
    sheet, shared strings; None: the whole part), so that the parser, which holds a record's
    elements until its end, holds a bounded number."""

    def __init__(self, part: str, *, record: str | None):
        self.part = part
        self.record = _RECORDS[record] if record else None
        self.offset = 0
        self.carry = b""
        self.text = 0
        self.tags = 0

    def feed(self, data: bytes) -> None:
        if not data:
            return
        if self.offset == 0 and (data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]):
            raise self._refused(_("不是 UTF-8 编码"))
        buffer = self.carry + data
        start = len(self.carry)
        base = self.offset - start
        for match in _DECLARATIONS.finditer(buffer):
            if match.end() <= start:
                continue
            at = base + match.start()
            if match.group() == b"<?" and at in (0, 3):
                continue  # the XML declaration, after a byte-order mark or not
            raise self._refused(_("含有注释、DTD 或处理指令"))
        self._count_text(data)
        self._count_tags(buffer, start)
        self.carry = buffer[-_CARRY:]
        self.offset += len(data)

    def _count_text(self, data: bytes) -> None:
        first = data.find(b"<")
        if first == -1:
            self.text += len(data)
            too_long = self.text > limits.MAX_TEXT_BYTES
        else:
            too_long = self.text + first > limits.MAX_TEXT_BYTES or bool(
                len(data) > limits.MAX_TEXT_BYTES and _LONG_TEXT.search(data, first)
            )
            self.text = len(data) - data.rfind(b"<") - 1
        if too_long:
            raise self._refused(
                _("有一段文字超过 %(limit)s MB（Excel 单元格最多 32,767 个字符）")
                % {"limit": _mb(limits.MAX_TEXT_BYTES)}
            )

    def _count_tags(self, buffer: bytes, start: int) -> None:
        counted_to = start
        if self.record is not None:
            for match in self.record.finditer(buffer):
                if match.end() <= start:
                    continue
                cut = max(match.start(), start)
                self._add_tags(buffer.count(b"<", counted_to, cut))
                self.tags = 0
                counted_to = cut
        self._add_tags(buffer.count(b"<", counted_to))

    def _add_tags(self, count: int) -> None:
        self.tags += count
        if self.tags > limits.MAX_TAGS_PER_RECORD:
            raise self._refused(
                _("一行（或一段文本、一个部件）含有超过 %(limit)s 个 XML 元素")
                % {"limit": f"{limits.MAX_TAGS_PER_RECORD:,}"}
            )

    def _refused(self, reason: str) -> Unreadable:
        return Unreadable(
            _("无法读取该文件：部件“%(part)s”%(reason)s，不是 Excel 正常保存的工作簿。")
            % {"part": self.part, "reason": reason}
        )


_SI = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_R = f"{{{SHEET_MAIN_NS}}}r"


class _Reader(ExcelReader):
    """openpyxl's reader with the shared strings read here: capped, and without keeping a
    parsed element per string."""

    def read_strings(self) -> None:
        manifest_entry = self.package.find(SHARED_STRINGS)
        if manifest_entry is not None:
            with self.archive.open(manifest_entry.PartName[1:], record="si") as source:
                self.shared_strings = shared_strings(source)


def shared_strings(source) -> list[str]:
    """The plain text of each shared string, as openpyxl reads it (the text of the string
    and of its formatted runs; phonetic guides left out)."""
    strings: list[str] = []
    characters = 0
    events = iterparse(source, events=("start", "end"))
    _event, root = next(events)
    for event, element in events:
        if event != "end" or element.tag != _SI:
            continue
        pieces = []
        for child in element:
            if child.tag == _T:
                pieces.append(child.text or "")
            elif child.tag == _R:
                text = child.find(_T)
                if text is not None:
                    pieces.append(text.text or "")
        text = "".join(pieces).replace("x005F_", "")
        characters += len(text)
        strings.append(text)
        # Drop the parsed string: the root would otherwise keep every one.
        root.clear()
        if len(strings) > limits.MAX_SHARED_STRINGS:
            raise Unreadable(
                _("工作簿的共享文本超过 %(limit)s 条，不能导入：请分成几个文件导入。")
                % {"limit": f"{limits.MAX_SHARED_STRINGS:,}"}
            )
        if characters > limits.MAX_SHARED_CHARACTERS:
            raise Unreadable(
                _("工作簿的共享文本共超过 %(limit)s 个字符，不能导入：请分成几个文件导入。")
                % {"limit": f"{limits.MAX_SHARED_CHARACTERS:,}"}
            )
    return strings


def sheet_values(workbook, worksheet) -> Iterator[tuple]:
    """The values of a sheet's rows as ``worksheet.iter_rows(values_only=True)`` gives them
    once its dimensions are reset: a tuple per row from column A to the row's last cell, an
    empty tuple for a row the file leaves out. openpyxl makes a dictionary and a cell object
    for every cell on the way (half of the import's reading); ``_ValuesParser`` makes the
    values of the cells Excel writes (numbers, dates, shared and plain strings, booleans)
    itself and leaves any other cell to openpyxl."""
    with worksheet._get_source() as source:
        parser = _ValuesParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        expected = 1
        for number, values in parser.parse():
            if number < expected:
                continue  # a row repeated or out of order: openpyxl passes over it too
            yield from ((),) * (number - expected)
            expected = number + 1
            yield values


_DIGITS = "0123456789"
_PLAIN_TYPES = frozenset({None, "n", "s", "str", "b"})


@functools.cache
def _column_index(letters: str) -> int | None:
    """The column number of a reference's letters ("AB" -> 28); None for what is not one."""
    if not (1 <= len(letters) <= 3 and letters.isascii() and letters.isupper()):
        return None
    try:
        return column_index_from_string(letters)
    except ValueError:
        return None


class _ValuesParser(WorkSheetParser):
    """openpyxl's sheet parser (``data_only``) giving each row as its values: ``(row
    number, values)``. A cell of the plain kinds with a reference is read here as
    ``parse_cell`` reads it; any other goes to ``parse_cell`` itself."""

    def parse_row(self, row) -> tuple[int, tuple]:
        number = row.get("r")
        if number is not None:
            try:
                self.row_counter = int(number)
            except ValueError:
                as_float = float(number)
                if not as_float.is_integer():
                    raise ValueError(f"{number} is not a valid row number") from None
                self.row_counter = int(as_float)
        else:
            self.row_counter += 1
        self.col_counter = 0
        cells: list[tuple[int, object]] = []
        strings, date_formats = self.shared_strings, self.date_formats
        for element in row:
            kind = element.get("t")
            reference = element.get("r")
            column = (
                _column_index(reference.rstrip(_DIGITS))
                if reference is not None and kind in _PLAIN_TYPES and reference[-1:].isdigit()
                else None
            )
            if column is None:
                cell = self.parse_cell(element)
                cells.append((cell["column"], cell["value"]))
                continue
            self.col_counter = column
            style = element.get("s")
            style = int(style) if style else 0
            value = element.findtext(VALUE_TAG, None) or None
            if value is not None:
                if kind is None or kind == "n":
                    value = _cast_number(value)
                    if style in date_formats:
                        value = self._date(value, style)
                elif kind == "s":
                    value = strings[int(value)]
                elif kind == "b":
                    value = bool(int(value))
            cells.append((column, value))
        if not cells:
            return self.row_counter, ()
        width = cells[-1][0]
        values = [None] * width
        for column, value in cells:
            if 1 <= column <= width:
                values[column - 1] = value
        return self.row_counter, tuple(values)

    def _date(self, serial: float, style: int):
        try:
            return from_excel(serial, self.epoch, timedelta=style in self.timedelta_formats)
        except (OverflowError, ValueError):
            return "#VALUE!"  # as openpyxl reads a date serial out of range


_CELL_REFERENCE = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


@dataclass(frozen=True)
class BadCell:
    """Where a sheet stopped reading: the row and column letter of the first cell the XML
    parser or openpyxl cannot read (None where not known), and the sheet's header row (column
    letter -> text) as far as it was read."""

    line: int | None
    letter: str | None
    header: dict[str, str]


def unreadable_cell(workbook, shared_strings: list, part: str) -> BadCell:
    """Find where the sheet in ``part`` fails, by reading it again cell by cell with
    openpyxl's own cell reader. Only called after a failure."""
    # The workbook's date formats decide which numbers are dates, as when it was read.
    cells = WorkSheetParser(
        None,
        shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    row = column = 0
    letter: str | None = None
    header: dict[str, str] = {}
    try:
        with workbook._archive.open(part) as source:
            for event, element in iterparse(source, events=("start", "end")):
                tag = element.tag.rsplit("}", 1)[-1]
                if event == "start" and tag == "row":
                    letter, column = None, 0
                    row = int(element.get("r") or row + 1)
                elif event == "start" and tag == "c":
                    column += 1
                    match = _CELL_REFERENCE.match(element.get("r") or "")
                    letter = match[1] if match else get_column_letter(column)
                elif event == "end" and tag == "c":
                    cells.row_counter, cells.col_counter = row, column - 1
                    value = cells.parse_cell(element)["value"]
                    if row == 1 and value is not None:
                        header[letter] = str(value)
                    letter = None
                elif event == "end" and tag == "row":
                    element.clear()
    except Unreadable:
        raise
    except UNREADABLE_ERRORS:
        return BadCell(row or None, letter, header)
    return BadCell(None, None, header)


class UnreadableSheet(Exception):
    """A sheet that openpyxl failed to read while opening the workbook."""

    def __init__(self, title: str, error: Exception, cell: BadCell):
        self.title = title
        self.error = error
        self.cell = cell
        super().__init__(title)
