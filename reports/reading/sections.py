"""The parts of a report as printed: the cover letter, the title (body name and year), the
opening paragraph, the six sections, and each narrative rejoined into paragraphs."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from reports import format as fmt
from reports.reading.normalise import ends_sentence, label_key, similarity, squash
from reports.reading.source import BREAK, PARAGRAPH, WRAP, Line

_TITLE_PATTERNS = (
    re.compile(
        r"^(?P<name>.+?)(?P<year>\d{4})年度?政府信息公开(?:工作)?年度报告(?P<note>[(（][^)）]*[)）])?$"
    ),
    re.compile(
        r"^(?P<year>\d{4})年度?(?P<name>.+?)政府信息公开(?:工作)?年度报告(?P<note>[(（][^)）]*[)）])?$"
    ),
    re.compile(
        r"^(?P<name>.+?)政府信息公开(?:工作)?(?P<year>\d{4})年度报告(?P<note>[(（][^)）]*[)）])?$"
    ),
)
_NOT_TITLE = ("《", "关于报送", "报告的函")
# A name holds no date: a run of lines joined into one holds a date line before the title.
_DATE_IN_NAME = re.compile(r"\d{4}年|\d{1,2}月\d{1,2}日")
_TITLE_LINES = 3  # a title may wrap over this many lines
_SEARCH_LINES = 60  # where a title is looked for when no section heading is found

_DOC_NUMBER = re.compile(r"[〔\[［(（]\d{4}[〕\]］)）]\d+号")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日$")
_HEADING_NUMERAL = re.compile(r"^[（(][一二三四五六七八九十]+[）)]|^[一二三四五六七八九十]+[、.．]")
_ITEM_START = re.compile(
    r"^([-•·●▪]\s|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、)"
)
_SUBHEADING_MAX = 30

# A place name (…市, …县, …区, …镇) stands for its people's government.
_PLACE = re.compile(r"(省|市|县|区|旗|州|盟|镇|乡|自治区|自治州|自治县|自治旗)$")
_NOT_PLACE = re.compile(
    r"(局|委|办|厅|院|中心|公司|所|站|队|会|部|处|室|开发区|新区|园区|高新区|示范区|管理区)$"
)
_STREET = re.compile(r"街道$")
GOVERNMENT = "人民政府"

_SCOPE_WORDS = (
    ("level", ("本级",)),
    ("all", ("全市", "全县", "全区", "全旗", "全省", "全州", "全盟", "全域", "全镇", "全乡")),
    ("own", ("本机关", "本部门", "本单位")),
)


@dataclass(frozen=True)
class Title:
    index: int  # the title's last line
    start: int  # its first line
    name: str
    year: int
    note: str = ""

    @property
    def full_name(self) -> str:
        """The body's name: a bare place name (武威市) stands for its people's government."""
        return government_name(self.name)


@dataclass
class Layout:
    """Where the parts are: ``headings`` maps a section key to the index of its heading."""

    title: Title | None
    headings: dict[str, int] = field(default_factory=dict)

    def section_lines(self, lines: list[Line], key: str) -> list[Line]:
        """The lines of a section, from after its heading to the next section found."""
        if key not in self.headings:
            return []
        start = self.headings[key] + 1
        later = [index for index in self.headings.values() if index > self.headings[key]]
        return lines[start : min(later, default=len(lines))]

    def region(self, lines: list[Line], key: str) -> list[Line]:
        """A table section's lines; when its heading is missing, the lines between the
        neighbouring sections found (a table printed without its heading)."""
        if key in self.headings:
            return self.section_lines(lines, key)
        keys = [section.key for section in fmt.SECTIONS]
        position = keys.index(key)
        before = [self.headings[k] for k in keys[:position] if k in self.headings]
        after = [self.headings[k] for k in keys[position + 1 :] if k in self.headings]
        start = max(before) + 1 if before else (self.title.index + 1 if self.title else 0)
        return lines[start : min(after, default=len(lines))]


def government_name(name: str) -> str:
    if _NOT_PLACE.search(name):
        return name
    if _PLACE.search(name):
        return name + GOVERNMENT
    if _STREET.search(name):
        return name + "办事处"
    return name


def _title_match(text: str):
    value = squash(text)
    if any(word in value for word in _NOT_TITLE):
        return None
    for pattern in _TITLE_PATTERNS:
        match = pattern.match(value)
        if match:
            name = match.group("name").removesuffix("关于").strip()
            if name and not _DATE_IN_NAME.search(name):
                return name, int(match.group("year")), match.group("note") or ""
    return None


def find_title(lines: list[Line], before: int | None = None) -> Title | None:
    """The report's title: the first line that reads ``<body><year>年政府信息公开工作年度报告``
    (or a customary variant); else the first such run of two or three lines (a title
    wrapped by the layout)."""
    end = before if before is not None else min(len(lines), _SEARCH_LINES)
    for length in range(1, _TITLE_LINES + 1):
        for index in range(end - length + 1):
            parts = [lines[i].single_text for i in range(index, index + length)]
            if not all(parts):
                continue
            found = _title_match("".join(parts))
            if found:
                name, year, note = found
                return Title(index=index + length - 1, start=index, name=name, year=year, note=note)
    return None


def _is_heading(text: str, section) -> bool:
    value = squash(text)
    for separator in ("、", ".", "．", ",", "，", ""):
        prefix = section.number + separator
        if value.startswith(prefix):
            rest = value[len(prefix) :]
            break
    else:
        return False
    if label_key(rest) == label_key(section.title):
        return True
    return (
        len(rest) <= len(section.title) + 4
        and similarity(label_key(rest), label_key(section.title)) >= 0.8
    )


def find_layout(lines: list[Line]) -> Layout:
    """The title and the six section headings, found in order."""
    headings: dict[str, int] = {}
    position = 0
    for section in fmt.SECTIONS:
        for index in range(position, len(lines)):
            text = lines[index].single_text
            if text and _is_heading(text, section):
                headings[section.key] = index
                position = index + 1
                break
    first = min(headings.values(), default=None)
    title = find_title(lines, before=first) if first is not None else find_title(lines)
    return Layout(title=title, headings=headings)


# --- narrative ---------------------------------------------------------------------------


def _clean(text: str) -> str:
    return text.strip(" \t\u3000\xa0")


def _is_subheading(text: str) -> bool:
    return (
        len(text) <= _SUBHEADING_MAX
        and bool(_HEADING_NUMERAL.match(squash(text)))
        and not ends_sentence(text)
    )


def _goes_on(previous: str, text: str) -> bool:
    """Whether ``text`` continues the paragraph ``previous`` across a line or page break:
    the sentence is unfinished, ``previous`` is no sub-heading and ``text`` starts no item."""
    return not (ends_sentence(previous) or _is_subheading(previous) or _ITEM_START.match(text))


def line_text(line: Line) -> str:
    if line.grid:
        return " ".join(_clean(cell) for cell in line.cells if cell and _clean(cell))
    return _clean(line.text)


def narrative(lines: list[Line]) -> str:
    """A section's text: wrapped lines rejoined, a paragraph per paragraph (separated by a
    blank line), hard line breaks kept — except where a sentence runs on across a break or
    a page, which joins the parts again."""
    paragraphs: list[str] = []
    for line in lines:
        text = line_text(line)
        if not text:
            continue
        if not paragraphs:
            paragraphs.append(text)
            continue
        previous = paragraphs[-1]
        if line.gap == WRAP or _goes_on(previous, text):
            paragraphs[-1] = previous + text
        elif line.gap == BREAK:
            paragraphs[-1] = previous + "\n" + text
        else:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


# --- cover letter ------------------------------------------------------------------------


def _chinese_date(text: str) -> str | None:
    match = _DATE.search(squash(text))
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None


def _is_signature(text: str) -> bool:
    """A signing body's name on its own line: short, no punctuation."""
    value = squash(text)
    return 0 < len(value) <= _SUBHEADING_MAX and label_key(value) == value


def cover_letter(lines: list[Line]) -> dict:
    """The cover letter (函) printed before the title: its number, addressee, text and date;
    empty when the lines hold no document number and no addressee."""
    texts = [line_text(line) for line in lines]
    number_at = next((i for i, text in enumerate(texts) if _DOC_NUMBER.search(squash(text))), None)
    start = number_at + 1 if number_at is not None else 0
    addressee_at = next(
        (
            i
            for i in range(start, len(texts))
            if texts[i].endswith((":", "：")) and len(squash(texts[i])) <= 40
        ),
        None,
    )
    if number_at is None and addressee_at is None:
        return {}
    letter: dict = {}
    if number_at is not None:
        letter["number"] = _clean(texts[number_at])
    if addressee_at is None:
        return letter
    letter["addressee"] = _clean(texts[addressee_at].rstrip(":："))
    body_lines = lines[addressee_at + 1 :]
    date_at = next(
        (i for i in range(len(body_lines) - 1, -1, -1) if _chinese_date(line_text(body_lines[i]))),
        None,
    )
    if date_at is not None:
        letter_date = _chinese_date(line_text(body_lines[date_at]))
        body_lines = body_lines[:date_at]
        while body_lines and _is_signature(line_text(body_lines[-1])):
            body_lines = body_lines[:-1]
    text = narrative(body_lines)
    if text:
        letter["body_text"] = text
    if date_at is not None:
        letter["date"] = letter_date
    return letter


# --- scope -------------------------------------------------------------------------------


def stated_scope(title: Title | None) -> str | None:
    """The scope a title states (…本级… → level, 全市… → all), else None."""
    if title is None:
        return None
    text = title.name + title.note
    for scope, words in _SCOPE_WORDS:
        if any(word in text for word in words):
            return scope
    return None


def scope_by_name(name: str) -> str:
    """Without a known body: a people's government reports on its whole area, any other
    body on itself."""
    return "all" if name.endswith(GOVERNMENT) else "own"


__all__ = [
    "BREAK",
    "PARAGRAPH",
    "WRAP",
    "Layout",
    "Title",
    "cover_letter",
    "find_layout",
    "find_title",
    "government_name",
    "narrative",
    "scope_by_name",
    "stated_scope",
]
