"""What a letter says, built from the request's data (pure: the reads happen in
``selectors.letter_sources`` first; nothing here queries).

A template's text is rendered with ``disclosure.placeholders`` (the narrative's rules: unknown
placeholder = error; user text never reaches a template engine). A value the records lack
becomes a marked blank 【待填写：…】 in the draft and is listed in ``LetterContent.blanks``,
which issuing refuses while any remains. The legal basis, the decision and the remedies of
a reply come from ``basis`` (data), so a template must place them (``REQUIRED``) and cannot
drop them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure import placeholders
from disclosure.letters import basis as legal
from disclosure.letters.vocab import TO_CONSULTED_PARTY, LetterKind, ServiceMethod
from disclosure.vocab import Result

BLANK = "【待填写：%s】"
BLANK_START = "【待填写："

# Every placeholder a template may use, with what it stands for (shown in the admin).
PLACEHOLDERS: dict[str, object] = {
    "applicant": gettext_lazy("申请人姓名或名称"),
    "applicant_contact": gettext_lazy("申请人联系方式"),
    "addressee": gettext_lazy("收件人（征求意见书、第三方告知书为被征求意见方）"),
    "body": gettext_lazy("本机关名称"),
    "reference": gettext_lazy("申请编号"),
    "content": gettext_lazy("申请内容"),
    "channel": gettext_lazy("申请方式"),
    "received_on": gettext_lazy("收到申请日期"),
    "due_date": gettext_lazy("答复期限"),
    "basis": gettext_lazy("法律依据（“根据……的规定，”）"),
    "reasons": gettext_lazy("答复：事实和理由"),
    "ruling": gettext_lazy("答复：处理决定"),
    "remedies": gettext_lazy("答复：救济途径"),
    "result": gettext_lazy("办理结果"),
    "reply_summary": gettext_lazy("答复摘要"),
    "correction_items": gettext_lazy("补正事项"),
    "correction_deadline": gettext_lazy("补正期限"),
    "extension_days": gettext_lazy("延期工作日数"),
    "extension_reason": gettext_lazy("延期理由"),
    "consultation_matter": gettext_lazy("征求意见事项"),
    "consultation_reply_by": gettext_lazy("征求意见答复期限"),
    "fee_method": gettext_lazy("收费方式"),
    "fee_amount": gettext_lazy("收费金额"),
    "fee_due_on": gettext_lazy("缴费期限"),
    "fee_payment": gettext_lazy("缴费方式"),
    "published_location": gettext_lazy("已公开信息的获取途径"),
    "responsible_body": gettext_lazy("负责公开的行政机关"),
    "responsible_contact": gettext_lazy("负责机关联系方式"),
    "earlier_reply_number": gettext_lazy("此前答复的文号"),
    "petition_channel": gettext_lazy("信访举报投诉渠道"),
    "query_channel": gettext_lazy("专门查询途径"),
    "disclosure_matter": gettext_lazy("拟公开的内容"),
    "disclosure_reason": gettext_lazy("决定公开的理由"),
    "disclose_on": gettext_lazy("公开日期（发出后15个工作日）"),
    "explain_by": gettext_lazy("说明理由期限"),
    "withdrawn_on": gettext_lazy("撤回日期"),
    "review_authority": gettext_lazy("行政复议机关"),
    "court": gettext_lazy("管辖人民法院"),
    "contact": gettext_lazy("本机关联系方式"),
}

# What a kind's template must place, so that an edited template cannot drop it.
REQUIRED: dict[str, tuple[str, ...]] = {
    kind: (("basis",) if legal.KIND_BASIS[kind] else ()) for kind in legal.KIND_BASIS
} | {LetterKind.REPLY: ("reasons", "basis", "ruling", "remedies")}


def template_problems(kind: str, text: str) -> list[str]:
    """Every reason ``text`` cannot be a template of ``kind`` (empty when it can)."""
    problems = placeholders.placeholder_problems(text, PLACEHOLDERS.__contains__)
    used = set(placeholders.placeholder_names(text))
    for name in REQUIRED.get(kind, ()):
        if name not in used:
            problems.append(
                _("模板须包含占位符 {%(name)s}（%(label)s），不能删去。")
                % {"name": name, "label": PLACEHOLDERS[name]}
            )
    return problems


def result_rule_problems(result: str, *, basis: str, remedies: str) -> dict[str, list[str]]:
    """What is wrong with a body's basis or remedies wording for ``result``."""
    errors: dict[str, list[str]] = {}
    if basis and "第" not in basis:
        errors["basis"] = [
            _("法律依据须写明条款，如“《中华人民共和国政府信息公开条例》第三十九条第二款”。")
        ]
    if remedies:
        problems = placeholders.placeholder_problems(
            remedies, legal.REMEDY_PLACEHOLDERS.__contains__
        )
        used = set(placeholders.placeholder_names(remedies))
        if "review_authority" not in used:
            problems.append(_("救济途径须包含占位符 {review_authority}（行政复议机关）。"))
        if legal.is_review_first(result):
            if "court" in used or "六个月" in remedies:
                problems.append(
                    _(
                        "该办理结果属于不予公开，依《行政复议法》第二十三条第一款第（四）项应当先申请行政复议，"
                        "救济途径不能告知直接提起行政诉讼（不写 {court} 和“六个月”）。"
                    )
                )
        elif "court" not in used:
            problems.append(_("救济途径须包含占位符 {court}（管辖人民法院）。"))
        if problems:
            errors["remedies"] = problems
    return errors


def chinese_date(day: datetime.date | None) -> str:
    if day is None:
        return ""
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def _amount(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.quantize(Decimal("0.01")), "f")


@dataclass(frozen=True)
class Sources:
    """Everything a letter is drafted from, read beforehand (``selectors.letter_sources``)."""

    request: object  # InformationRequest, with body and applicant loaded
    settings: object | None  # LetterSettings
    facts: object | None  # RequestLetterFacts
    rule: object | None  # ResultRule of the request's result
    consultation_party: str = ""
    consultation_reply_by: datetime.date | None = None
    third_party_consulted: bool = False
    disclose_on: datetime.date | None = None
    served_letter: object | None = None  # Letter, for a 送达回证


@dataclass(frozen=True)
class LetterContent:
    """A letter as printed: every format draws this (``documents``)."""

    kind: str
    letterhead: str
    title: str
    number: str
    addressee: str
    paragraphs: tuple[str, ...]
    signature: str
    date: str
    contact: str
    draft: bool
    rows: tuple[tuple[str, str], ...] = ()  # the 送达回证's table
    blanks: tuple[str, ...] = ()

    def as_json(self) -> dict:
        data = asdict(self)
        data["paragraphs"] = list(self.paragraphs)
        data["rows"] = [list(row) for row in self.rows]
        data["blanks"] = list(self.blanks)
        return data

    @classmethod
    def from_json(cls, data: dict) -> LetterContent:
        return cls(
            **{
                **data,
                "paragraphs": tuple(data["paragraphs"]),
                "rows": tuple(tuple(row) for row in data.get("rows", ())),
                "blanks": tuple(data.get("blanks", ())),
            }
        )

    def text(self) -> str:
        """All the words of the letter, in reading order (tests, search)."""
        parts = [self.letterhead, self.title, self.number, *self.paragraphs]
        parts += [f"{label} {value}" for label, value in self.rows]
        return "\n".join([*parts, self.contact, self.signature, self.date])


@dataclass
class _Values:
    """Placeholder values of one letter; an empty needed value becomes a marked blank."""

    values: dict[str, Callable[[], str]]
    blanks: list[str] = field(default_factory=list)

    # Built from the basis table: empty where nothing is to be said (a withdrawal cites no
    # basis); a missing basis is a blank of its own, named by the table.
    COMPUTED = frozenset({"basis", "reasons", "ruling", "remedies"})

    def get(self, name: str) -> str:
        value = self.values[name]()
        if value or name in self.COMPUTED:
            return value
        return self.blank(str(PLACEHOLDERS[name]))

    def blank(self, label: str) -> str:
        if label not in self.blanks:
            self.blanks.append(label)
        return BLANK % label


def _fill(text: str, values: _Values) -> str:
    """``text`` (a body's wording) with its placeholders from ``values``."""
    return placeholders.render_placeholders(
        text, known=values.values.__contains__, resolve=values.get
    )


def letterhead(body, settings) -> str:
    return (getattr(settings, "letterhead", "") or "").strip() or body.name


def contact_line(body, settings) -> str:
    contact = (getattr(settings, "contact", "") or "").strip()
    if contact:
        return contact
    parts = []
    if body.address:
        parts.append(_("地址：%(address)s") % {"address": body.address})
    if body.postcode:
        parts.append(_("邮编：%(code)s") % {"code": body.postcode})
    if body.phone:
        parts.append(_("电话：%(phone)s") % {"phone": body.phone})
    return "，".join(parts)


def letter_number(prefix: str, year: int, sequence: int) -> str:
    """``凉政信告〔2026〕12号``."""
    return f"{prefix}〔{year}〕{sequence}号"


def _basis_clause(citation: str) -> str:
    return _("根据%(citation)s的规定，") % {"citation": citation}


def _reply_pieces(result: str, values: _Values, sources: Sources) -> tuple[str, str]:
    """The reasons and the ruling of a reply of ``result`` (the basis goes between them)."""
    facts = sources.facts
    fact = lambda name: (getattr(facts, name, "") or "").strip()  # noqa: E731
    request = sources.request
    if result == Result.GRANTED:
        if fact("published_location"):
            return (
                _("经审查，你（单位）申请获取的政府信息本机关已经主动公开，可以通过%(where)s获取。")
                % {"where": values.get("published_location")},
                _("本机关告知你（单位）获取该政府信息的方式和途径。"),
            )
        return (
            _("经审查，你（单位）申请获取的政府信息属于可以公开的政府信息。"),
            _("本机关予以公开，%(how)s。") % {"how": _provision(values, fact)},
        )
    if result == Result.PARTIALLY_GRANTED:
        withheld = fact("withheld_result")
        reason = (
            str(legal.DENIED_REASONS[withheld])
            if withheld in legal.DENIED_REASONS
            else values.blank(_("不予公开部分的理由"))
        )
        return (
            _("经审查，你（单位）申请获取的政府信息中，部分内容%(reason)s，其余内容可以公开。")
            % {"reason": reason},
            _("本机关对可以公开的部分予以公开，%(how)s；对其余部分不予公开。")
            % {"how": _provision(values, fact)},
        )
    if result in legal.DENIED_REASONS:
        return (
            _("经审查，你（单位）申请获取的政府信息%(reason)s。")
            % {"reason": legal.DENIED_REASONS[result]},
            _("本机关决定不予公开。"),
        )
    if result == Result.DENIED_QUERY_MATTER:
        return (
            _(
                "经审查，你（单位）申请获取的信息属于有关法律、行政法规对信息的获取有专门规定的事项，"
                "可以依照%(channel)s办理。"
            )
            % {"channel": values.get("query_channel")},
            _("本机关告知你（单位）依照有关法律、行政法规的规定办理。"),
        )
    if result == Result.UNABLE_NOT_HELD:
        if fact("responsible_body"):
            contact = fact("responsible_contact")
            where = values.get("responsible_body") + (
                _("（联系方式：%(contact)s）") % {"contact": contact} if contact else ""
            )
            return (
                _(
                    "经审查，你（单位）申请获取的政府信息不属于本机关负责公开，该政府信息由%(body)s负责公开。"
                )
                % {"body": where},
                _("本机关告知你（单位）负责公开该政府信息的行政机关的名称和联系方式。"),
            )
        return (
            _("经检索查找，本机关未制作或者获取你（单位）申请获取的政府信息。"),
            _("本机关告知你（单位）该政府信息不存在。"),
        )
    if result == Result.UNABLE_NEEDS_CREATION:
        return (
            _("经审查，你（单位）申请获取的信息需要本机关对现有政府信息进行加工、分析方能形成。"),
            _("本机关不予提供。"),
        )
    if result == Result.UNABLE_UNCLEAR:
        return (
            _("本机关已于%(on)s告知你（单位）补正申请，补正后申请内容仍不明确。")
            % {"on": _date_or_blank(values, request.correction_notice_on, _("补正告知日期"))},
            _("本机关无法提供。"),
        )
    if result == Result.REJECTED_PETITION:
        return (
            _("经审查，你（单位）以政府信息公开申请的形式进行信访、投诉、举报等活动。"),
            _("本机关不作为政府信息公开申请处理，你（单位）可以通过%(channel)s反映。")
            % {"channel": values.get("petition_channel")},
        )
    if result == Result.REJECTED_PUBLICATION:
        return (
            _("经审查，你（单位）申请获取的信息属于公开出版物。"),
            _("本机关不予处理，你（单位）可以通过%(where)s获取。")
            % {"where": values.get("published_location")},
        )
    if result == Result.REJECTED_DUPLICATE:
        return (
            _("经审查，你（单位）重复申请公开相同的政府信息，本机关已作出答复（%(number)s）。")
            % {"number": values.get("earlier_reply_number")},
            _("本机关不予重复处理。"),
        )
    if result == Result.REJECTED_EXCESSIVE:
        return (
            _(
                "你（单位）申请公开政府信息的数量、频次明显超过合理范围，经本机关要求说明理由，申请理由不合理。"
            ),
            _("本机关不予处理。"),
        )
    if result == Result.REJECTED_CONFIRMATION:
        return (
            _("经审查，你（单位）要求本机关确认或者重新出具已经获取的信息。"),
            _("本机关不予处理。"),
        )
    if result == Result.OTHER_NO_CORRECTION:
        return (
            _("本机关已于%(on)s告知你（单位）于%(by)s前补正申请，你（单位）无正当理由逾期未补正。")
            % {
                "on": _date_or_blank(values, request.correction_notice_on, _("补正告知日期")),
                "by": _date_or_blank(values, request.correction_deadline, _("补正期限")),
            },
            _("视为放弃申请，本机关不再处理该政府信息公开申请。"),
        )
    if result == Result.OTHER_FEE_UNPAID:
        return (
            _("本机关已于%(on)s向你（单位）发出收费通知，你（单位）逾期未按收费通知要求缴纳费用。")
            % {"on": _date_or_blank(values, request.fee_notice_on, _("收费通知日期"))},
            _("视为放弃申请，本机关不再处理该政府信息公开申请。"),
        )
    if result == Result.OTHER_OTHER and request.withdrawn_on:
        return (
            _("你（单位）已于%(on)s撤回该政府信息公开申请。")
            % {"on": chinese_date(request.withdrawn_on)},
            _("本机关终止处理该政府信息公开申请。"),
        )
    if result == Result.OTHER_OTHER:
        return (values.get("reply_summary"), "")
    return (values.blank(_("办理结果")), "")


def _provision(values: _Values, fact) -> str:
    return fact("provision_method") or values.blank(_("提供方式"))


def _date_or_blank(values: _Values, day: datetime.date | None, label: str) -> str:
    return chinese_date(day) if day else values.blank(label)


def _reply_basis(sources: Sources) -> legal.Basis:
    request, facts = sources.request, sources.facts
    return legal.reply_basis(
        request.result,
        legal.Facts(
            published=bool((getattr(facts, "published_location", "") or "").strip()),
            other_body_responsible=bool((getattr(facts, "responsible_body", "") or "").strip()),
            third_party_consulted=sources.third_party_consulted,
            withheld_result=getattr(facts, "withheld_result", "") or "",
            withdrawn=request.withdrawn_on is not None,
        ),
    )


def _basis_text(kind: str, sources: Sources, values: _Values) -> str:
    """The "根据……的规定，" clause of the letter; a blank naming the basis when there is none."""
    if kind == LetterKind.REPLY:
        rule_basis = (getattr(sources.rule, "basis", "") or "").strip()
        if rule_basis:
            return _basis_clause(rule_basis)
        basis = _reply_basis(sources)
    else:
        basis = legal.kind_basis(kind)
    if not basis.needed:
        return ""
    if basis.missing and not basis.articles:
        return _basis_clause(values.blank(basis.missing))
    citation = basis.citation()
    if basis.missing:
        # partially_granted without the withheld part's reason: its article is missing.
        citation += "、" + values.blank(basis.missing)
    return _basis_clause(citation)


def _remedies_text(sources: Sources, values: _Values) -> str:
    request = sources.request
    wording = (getattr(sources.rule, "remedies", "") or "").strip() or legal.remedies_default(
        request.result
    )
    return _fill(wording, values)


def _addressee(kind: str, sources: Sources) -> str:
    if kind in TO_CONSULTED_PARTY:
        return sources.consultation_party
    if kind == LetterKind.SERVICE_RECEIPT and sources.served_letter is not None:
        return sources.served_letter.addressee
    applicant = sources.request.applicant
    return applicant.name if applicant is not None else ""


def _values(kind: str, sources: Sources) -> _Values:
    request, settings, facts = sources.request, sources.settings, sources.facts

    def fact(name: str) -> Callable[[], str]:
        return lambda: (str(getattr(facts, name, "") or "")).strip()

    def setting(name: str) -> Callable[[], str]:
        return lambda: (getattr(settings, name, "") or "").strip()

    def const(value: object) -> Callable[[], str]:
        return lambda: "" if value is None else str(value).strip()

    applicant = request.applicant
    values = _Values({})
    values.values.update(
        {
            "applicant": const(applicant.name if applicant else ""),
            "applicant_contact": const(applicant.contact if applicant else ""),
            "addressee": const(_addressee(kind, sources)),
            "body": const(letterhead(request.body, settings)),
            "reference": const(request.reference),
            "content": const(request.content),
            "channel": const(request.get_channel_display()),
            "received_on": const(chinese_date(request.received_on)),
            "due_date": const(chinese_date(request.due_date)),
            "result": const(request.get_result_display() if request.result else ""),
            "reply_summary": const(request.reply_summary),
            "correction_items": fact("correction_items"),
            "correction_deadline": const(chinese_date(request.correction_deadline)),
            "extension_days": const(request.extension_days),
            "extension_reason": const(request.extension_reason),
            "consultation_matter": fact("consultation_matter"),
            "consultation_reply_by": const(chinese_date(sources.consultation_reply_by)),
            "fee_method": const(request.get_fee_method_display() if request.fee_method else ""),
            "fee_amount": const(_amount(request.fee_amount)),
            "fee_due_on": const(chinese_date(request.fee_due_on)),
            "fee_payment": fact("fee_payment"),
            "published_location": fact("published_location"),
            "responsible_body": fact("responsible_body"),
            "responsible_contact": fact("responsible_contact"),
            "earlier_reply_number": fact("earlier_reply_number"),
            "petition_channel": fact("petition_channel"),
            "query_channel": fact("query_channel"),
            "disclosure_matter": fact("disclosure_matter"),
            "disclosure_reason": fact("disclosure_reason"),
            "disclose_on": const(chinese_date(sources.disclose_on)),
            "explain_by": const(chinese_date(getattr(facts, "explain_by", None))),
            "withdrawn_on": const(chinese_date(request.withdrawn_on)),
            "review_authority": setting("review_authority"),
            "court": setting("court"),
            "contact": const(contact_line(request.body, settings)),
        }
    )
    # Computed last: they fill blanks of their own while they are built.
    pieces: dict[str, str] = {}

    def reply_piece(index: int) -> Callable[[], str]:
        def get() -> str:
            if "pieces" not in pieces:
                reasons, ruling = _reply_pieces(request.result, values, sources)
                pieces["pieces"] = (reasons, ruling)
            return pieces["pieces"][index]

        return get

    values.values["reasons"] = reply_piece(0)
    values.values["ruling"] = reply_piece(1)
    values.values["basis"] = lambda: _basis_text(kind, sources, values)
    values.values["remedies"] = lambda: _remedies_text(sources, values)
    return values


def _service_rows(sources: Sources, values: _Values) -> tuple[tuple[str, str], ...]:
    served = sources.served_letter
    if served is None:
        return ((_("送达文书"), values.blank(_("送达的文书"))),)
    method = ServiceMethod(served.service_method).label if served.service_method else ""
    if served.service_method == ServiceMethod.POST and served.tracking_number:
        method = _("%(method)s（邮件单号：%(number)s）") % {
            "method": method,
            "number": served.tracking_number,
        }
    applicant = sources.request.applicant
    # The applicant's address for letters to the applicant; a consulted party's is not kept.
    address = (
        applicant.contact if applicant is not None and served.kind not in TO_CONSULTED_PARTY else ""
    )
    return (
        (
            _("送达文书"),
            f"{served.content.get('title', '')}（{served.number or _('未编号')}）",
        ),
        (_("受送达人"), served.addressee or values.blank(_("受送达人"))),
        (_("送达地址"), address or values.blank(_("送达地址"))),
        (_("送达方式"), str(method) or values.blank(_("送达方式"))),
        (_("送达日期"), chinese_date(served.served_on) or values.blank(_("送达日期"))),
        (_("签收人"), served.receiver or values.blank(_("签收人"))),
        (_("受送达人签名（盖章）"), ""),
        (_("送达人签名"), ""),
        (_("备注"), ""),
    )


def build_content(
    *,
    kind: str,
    title: str,
    text: str,
    sources: Sources,
    date: datetime.date,
    number: str = "",
) -> LetterContent:
    """The letter of ``kind`` from a template's ``title`` and ``text`` and the request's
    ``sources``, dated ``date``; a draft when it has no ``number``."""
    values = _values(kind, sources)
    lines = [line.strip() for line in _fill(text, values).splitlines()]
    paragraphs = tuple(line for line in lines if line)
    addressee = ""
    if paragraphs and paragraphs[0].endswith("："):
        # The salutation line ("张三：") is printed flush left, as letters do.
        addressee, paragraphs = paragraphs[0][:-1], paragraphs[1:]
    rows = _service_rows(sources, values) if kind == LetterKind.SERVICE_RECEIPT else ()
    body = sources.request.body
    return LetterContent(
        kind=kind,
        letterhead=letterhead(body, sources.settings),
        title=title,
        number=number,
        addressee=addressee,
        paragraphs=paragraphs,
        signature=letterhead(body, sources.settings),
        date=chinese_date(date),
        contact=contact_line(body, sources.settings),
        draft=not number,
        rows=rows,
        blanks=tuple(values.blanks),
    )
