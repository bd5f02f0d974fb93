"""Narrative text of a report: live figures through placeholders, the default opening
paragraph, and reading the figures a narrative states so that the checks can compare them.

Placeholders
------------
The rules of braces are ``disclosure.placeholders`` (shared with the letter templates).

``{body}``, ``{year}``
    The body's name (``body_name``, else its code) and the report year.
``{requests.ROW}`` / ``{requests.ROW.COLUMN}``
    A cell of table 三; the column defaults to ``total``
    (``{requests.new_received.total}``, ``{requests.granted.natural_person}``).
``{requests.GROUP}``
    The 总计 of a result group: ``granted_or_partial`` (予以公开及部分公开), ``denied``
    (不予公开), ``unable`` (无法提供), ``rejected`` (不予处理), ``other_handling`` (其他处理).
``{requests.received_with_carried_over}``
    新收 + 上年结转 (总计).
``{proactive.ROW.COLUMN}``
    A cell of table 二 (``{proactive.normative_documents.in_force}``,
    ``{proactive.fees.amount_10k_yuan}``; the column may be left out where a row has one).
``{appeals.GROUP.COLUMN}``
    A cell of table 四 (``{appeals.reconsideration.corrected}``); ``{appeals.litigation.COLUMN}``
    adds the two 行政诉讼 groups.
``{share:TERM+TERM…}`` / ``{share:TERM+TERM…:DIGITS}``
    The share of (七)总计 taken by the sum of the terms (result row keys or the group keys
    above), as a percentage rounded half up to DIGITS decimals (default 1), without the
    ``%`` sign: ``占{share:granted+partially_granted}%`` gives ``占63.8%``. A share of an
    empty (七)总计 is 0.

An unknown placeholder or a lone brace is an error that names every one of them
(``NarrativeError``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from disclosure import placeholders
from disclosure.placeholders import PlaceholderError
from reports import format as fmt
from reports.figures import share, sum_or_none


class NarrativeError(PlaceholderError):
    """A narrative that cannot be rendered: every problem named."""


def _number_text(value) -> str:
    if isinstance(value, float):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, Decimal):
        # Shares keep their stated precision (63.0, not 63).
        return format(value, "f")
    return str(value)


def _group_rows(term: str) -> tuple[str, ...] | None:
    if term in fmt.RESULT_GROUPS:
        return fmt.RESULT_GROUPS[term].rows
    if term in fmt.RESULT_ROW_KEYS:
        return (term,)
    return None


def _total(doc: dict, row: str):
    return doc["requests"]["rows"][row][fmt.TOTAL_COLUMN_KEY]


def _resolve(name: str, doc: dict):
    """The value of one placeholder name, or raise KeyError."""
    name = name.strip()
    if name == "body":
        return doc.get("body_name") or doc["body"]
    if name == "year":
        return doc["year"]
    if name.startswith("share:"):
        spec = name.removeprefix("share:")
        terms_text, _sep, digits_text = spec.partition(":")
        # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
        ascii_digits = digits_text.isascii() and digits_text.isdigit()
        if digits_text and not (ascii_digits and int(digits_text) <= 4):
            raise KeyError(name)
        rows = []
        for term in terms_text.split("+"):
            found = _group_rows(term.strip())
            if found is None:
                raise KeyError(name)
            rows.extend(found)
        part = sum_or_none(_total(doc, row) for row in rows)
        whole = _total(doc, fmt.RESULTS_TOTAL_KEY)
        if part is None or whole is None:
            return ""
        return share(part, whole, int(digits_text) if digits_text else 1)
    parts = name.split(".")
    table, rest = parts[0], parts[1:]
    if table == "requests" and 1 <= len(rest) <= 2:
        row = rest[0]
        column = rest[1] if len(rest) == 2 else fmt.TOTAL_COLUMN_KEY
        if column not in fmt.REQUEST_COLUMN_KEYS:
            raise KeyError(name)
        rows = doc["requests"]["rows"]
        if row in fmt.REQUEST_ROW_KEYS:
            return rows[row][column]
        if row in fmt.RESULT_GROUPS:
            return sum_or_none(rows[key][column] for key in fmt.RESULT_GROUPS[row].rows)
        if row == "received_with_carried_over":
            return sum_or_none(rows[key][column] for key in ("new_received", "carried_over"))
        raise KeyError(name)
    if table == "proactive" and 1 <= len(rest) <= 2:
        row = rest[0]
        columns = fmt.PROACTIVE_COLUMNS_BY_ROW.get(row)
        if columns is None:
            raise KeyError(name)
        if len(rest) == 1:
            if len(columns) != 1:
                raise KeyError(name)
            return doc["proactive"][row][columns[0]]
        if rest[1] not in columns:
            raise KeyError(name)
        return doc["proactive"][row][rest[1]]
    if table == "appeals" and len(rest) == 2:
        group, column = rest
        if column not in fmt.APPEAL_COLUMN_KEYS:
            raise KeyError(name)
        if group == "litigation":
            return sum_or_none(
                doc["appeals"][key][column]
                for key in ("litigation_direct", "litigation_after_reconsideration")
            )
        if group in fmt.APPEAL_GROUP_KEYS:
            return doc["appeals"][group][column]
    raise KeyError(name)


def _known(name: str) -> bool:
    try:
        _resolve(name, fmt.empty_tables() | {"body": "", "year": 0})
    except KeyError:
        return False
    return True


def placeholder_problems(text: str) -> list[str]:
    """Every problem with the placeholders of ``text`` (empty when it renders)."""
    return placeholders.placeholder_problems(text, _known)


def render_narrative(text: str, doc: dict) -> str:
    """``text`` with its placeholders replaced by the figures of ``doc`` (a schema document
    or tables with ``body``/``year``). Raises ``NarrativeError`` naming every unknown one."""

    def resolve(name: str) -> str:
        value = _resolve(name, doc)
        return "" if value is None else _number_text(value)

    return placeholders.render_placeholders(
        text, known=_known, resolve=resolve, error=NarrativeError
    )


def default_opening(body, year: int) -> str:
    """The opening paragraph from the body's contact details and the statistics period,
    modelled on the customary wording (legal basis, period, where to read it, contact)."""
    text = _(
        "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开"
        "工作年度报告格式》规定编制本报告。本报告所列数据的统计期限为%(year)d年1月1日至%(year)d年"
        "12月31日。"
    ) % {"year": year}
    if body.website:
        text += _("本报告的电子版可在%(name)s网站（%(website)s）查阅。") % {
            "name": body.name,
            "website": body.website,
        }
    contacts = [
        label % value
        for label, value in (
            (_("地址：%s"), body.address),
            (_("邮编：%s"), body.postcode),
            (_("电话：%s"), body.phone),
        )
        if value
    ]
    if contacts:
        text += _("如对本报告有任何疑问，请与%(name)s联系（%(contacts)s）。") % {
            "name": body.name,
            "contacts": "，".join(contacts),
        }
    return text


# --- reading stated figures --------------------------------------------------------------


@dataclass(frozen=True)
class StatedFigure:
    """A figure a narrative states. ``what`` names the table figure it must equal;
    ``share_of`` is set for a percentage (the result group whose share it states)."""

    what: str
    value: Decimal
    quote: str
    share_of: str | None = None

    @property
    def digits(self) -> int:
        exponent = self.value.as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _normalise(text: str) -> tuple[str, list[int]]:
    """NFKC per character, with each normalised character's index in the original.

    Only the distinct characters NFKC changes (full-width punctuation and digits, mostly)
    are looked at one by one; the runs between them are copied whole (a character-by-
    character loop took 2 ms for one section, most of the oversight of a province)."""
    changed = {
        char: folded
        for char in set(text)
        if (folded := unicodedata.normalize("NFKC", char)) != char
    }
    if not changed:
        return text, list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    last = 0
    pattern = re.compile("|".join(map(re.escape, changed)))
    for match in pattern.finditer(text):
        index = match.start()
        out.append(text[last:index])
        origin.extend(range(last, index))
        folded = changed[match.group()]
        out.append(folded)
        origin.extend([index] * len(folded))
        last = index + 1
    out.append(text[last:])
    origin.extend(range(last, len(text)))
    return "".join(out), origin


_SENTENCE_END = re.compile(r"[。;!?\n]")
_GAP = r"[^\d,;。()\n]{0,8}?"
_UNIT = r"\s*(?:件|起|次|宗|个)"

_RESULT_LABELS = (
    ("granted_or_partial", r"(?<!主动)予以公开(?:及|和|与|、|以及)部分公开"),
    ("granted", r"(?<![不动])予以公开"),
    ("partially_granted", r"部分公开"),
    ("denied", r"不予公开"),
    ("unable", r"无法提供"),
    ("rejected", r"不予处理"),
    ("other_handling", r"其他处理"),
)
_RESULT_PATTERN = re.compile(
    "(?P<label>"
    + "|".join(f"(?P<{key}>{pattern})" for key, pattern in _RESULT_LABELS)
    + ")"
    + _GAP
    + r"\s*(?P<count>\d+)\s*件"
    + r"(?:\s*,?\s*占[^\d,;。]{0,8}?\s*(?P<share>\d+(?:\.\d+)?)\s*%)?"
)
_RECEIVED = re.compile(
    r"(?:收到|新收|受理|收办)(?P<between>[^\d,;。\n]{0,20}?)申请[^\d,;。\n]{0,4}?\s*(?P<n>\d+)\s*件"
)
_ANSWERED = re.compile(
    r"(?:答复|办结|办理完结)(?P<between>[^\d,;。\n]{0,20}?)申请[^\d,;。\n]{0,4}?\s*(?P<n>\d+)\s*件"
)
_CARRIED_FORWARD = re.compile(
    r"结转(?:至|到)?下(?:一)?年(?:度)?[^\d,;。\n]{0,6}?\s*(?P<n>\d+)\s*件"
)
_APPEALS = re.compile(
    r"(?P<kind>行政复议|行政诉讼|诉讼|纠错|结果纠正|纠正)[^\d,;。\n]{0,6}?\s*(?P<n>\d+)" + _UNIT
)
_IN_FORCE_CONTEXT = re.compile(r"现行有效|制发|印发|出台|新制定|发布|废止|失效|清理")
_DOCUMENTS = re.compile(
    r"(?P<kind>(?:行政)?规范性文件|规章)[^\d,;。\n]{0,4}?\s*(?P<n>\d+)\s*(?:部|件|个|份)"
)
_FEES = re.compile(r"行政事业性收费[^\d;。\n]{0,12}?\s*(?P<n>\d+(?:\.\d+)?)\s*万元")
# Requests of another kind, or a part of the requests (one kind of applicant), are not the
# total the table holds.
_EXCLUDED_REQUESTS = (
    "复议",
    "诉讼",
    "投诉",
    "举报",
    "信访",
    "自然人",
    "法人",
    "企业",
    "机构",
    "组织",
)


def _sentences(text: str):
    """(start, end) of each sentence of the normalised text."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _collector(found: list, offset: int, quote: str):
    def add(position: int, what: str, value: str, share_of: str | None = None) -> None:
        found.append((offset + position, StatedFigure(what, Decimal(value), quote, share_of)))

    return add


def stated_figures(text: str) -> list[StatedFigure]:
    """The figures the spec lists, as the narrative states them, in order of appearance:
    requests received, answered, carried forward, each result group with its share,
    reconsiderations and lawsuits with how many were corrected, 规章 and 行政规范性文件 in
    force, and the 行政事业性收费 amount. Other numbers (dates, items published, 信息处理费,
    growth rates) are not read."""
    original = text or ""
    normal, origin = _normalise(original)
    found: list[tuple[int, StatedFigure]] = []

    for start, end in _sentences(normal):
        sentence = normal[start:end]
        if not sentence.strip():
            continue
        quote = original[origin[start] : origin[end - 1] + 1].strip() if end > start else ""

        add = _collector(found, start, quote)

        for match in _RECEIVED.finditer(sentence):
            if not any(word in match.group("between") for word in _EXCLUDED_REQUESTS):
                add(match.start("n"), "received", match.group("n"))
        for match in _ANSWERED.finditer(sentence):
            if not any(word in match.group("between") for word in _EXCLUDED_REQUESTS):
                add(match.start("n"), "answered", match.group("n"))
        for match in _CARRIED_FORWARD.finditer(sentence):
            add(match.start("n"), "carried_forward", match.group("n"))
        # Result groups are read only where the paragraph is about requests (申请), so that
        # 主动公开 figures ("公开文件12件") are not taken for them.
        paragraph_start = normal.rfind("\n", 0, start) + 1
        paragraph_end = normal.find("\n", start)
        paragraph = normal[paragraph_start : paragraph_end if paragraph_end >= 0 else None]
        results = _RESULT_PATTERN.finditer(sentence) if "申请" in paragraph else ()
        for match in results:
            key = next(k for k, _p in _RESULT_LABELS if match.group(k))
            add(match.start("count"), key, match.group("count"))
            if match.group("share"):
                add(match.start("share"), "share", match.group("share"), share_of=key)
        appeal = None
        for match in _APPEALS.finditer(sentence):
            kind = match.group("kind")
            if kind == "行政复议":
                appeal = "reconsideration"
                add(match.start("n"), "reconsideration", match.group("n"))
            elif kind in ("行政诉讼", "诉讼"):
                appeal = "litigation"
                add(match.start("n"), "litigation", match.group("n"))
            elif appeal is not None:
                add(match.start("n"), f"{appeal}_corrected", match.group("n"))
        for match in _DOCUMENTS.finditer(sentence):
            context = list(_IN_FORCE_CONTEXT.finditer(sentence, 0, match.start()))
            if context and context[-1].group(0) == "现行有效":
                kind = "rules" if match.group("kind") == "规章" else "normative_documents"
                add(match.start("n"), f"{kind}_in_force", match.group("n"))
        for match in _FEES.finditer(sentence):
            add(match.start("n"), "fees", match.group("n"))

    found.sort(key=lambda item: item[0])
    return [figure for _position, figure in found]


def table_figures(doc: dict) -> dict[str, object]:
    """The table value each kind of stated figure is compared with (None where blank).
    ``received`` has two acceptable values: 新收, and 新收 + 上年结转."""
    rows = doc["requests"]["rows"]
    appeals = doc["appeals"]

    def total(row: str):
        return rows[row][fmt.TOTAL_COLUMN_KEY]

    figures: dict[str, object] = {
        "received": (
            total("new_received"),
            sum_or_none([total("new_received"), total("carried_over")]),
        ),
        "answered": total(fmt.RESULTS_TOTAL_KEY),
        "carried_forward": total("carried_forward"),
        "reconsideration": appeals["reconsideration"]["total"],
        "reconsideration_corrected": appeals["reconsideration"]["corrected"],
        "litigation": sum_or_none(
            appeals[key]["total"]
            for key in ("litigation_direct", "litigation_after_reconsideration")
        ),
        "litigation_corrected": sum_or_none(
            appeals[key]["corrected"]
            for key in ("litigation_direct", "litigation_after_reconsideration")
        ),
        "rules_in_force": doc["proactive"]["rules"]["in_force"],
        "normative_documents_in_force": doc["proactive"]["normative_documents"]["in_force"],
        "fees": doc["proactive"][fmt.FEE_ROW_KEY][fmt.FEE_COLUMN_KEY],
    }
    for key, group in fmt.RESULT_GROUPS.items():
        figures[key] = sum_or_none(total(row) for row in group.rows)
    return figures


FIGURE_NAMES = {
    "received": _lazy("收到申请数"),
    "answered": _lazy("办结（答复）申请数"),
    "carried_forward": _lazy("结转下年度继续办理数"),
    "reconsideration": _lazy("行政复议数"),
    "reconsideration_corrected": _lazy("行政复议结果纠正数"),
    "litigation": _lazy("行政诉讼数"),
    "litigation_corrected": _lazy("行政诉讼结果纠正数"),
    "rules_in_force": _lazy("现行有效规章数"),
    "normative_documents_in_force": _lazy("现行有效行政规范性文件数"),
    "fees": _lazy("行政事业性收费金额（万元）"),
    **{
        key: format_lazy("{label}{suffix}", label=group.label, suffix=_lazy("数"))
        for key, group in fmt.RESULT_GROUPS.items()
    },
}
