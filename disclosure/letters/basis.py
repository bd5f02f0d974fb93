"""The legal basis of each letter and of each reply by result, and the remedies a reply
ends with — the tables of ``../shared/spec/letters.md`` as data, so that a body's edited
template cannot silently drop them (pure functions: no database).

Citations are written as official letters write them: ``第三十六条第（四）项``,
``第十六条第二款``, all of the 《中华人民共和国政府信息公开条例》 (2019, 国令第711号) unless
another instrument is named.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.letters.vocab import LetterKind
from disclosure.vocab import Result

REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

# 第三十六条第（三）项: "a refusal to disclose: say so and give the reason".
ART_36_3 = "第三十六条第（三）项"

# The withheld part's reason, for each row that withholds (table 三's 不予公开 rows).
DENIED_BASIS: dict[str, tuple[str, ...]] = {
    Result.DENIED_STATE_SECRET: ("第十四条",),
    Result.DENIED_LAW_PROHIBITED: ("第十四条",),
    Result.DENIED_THREE_SAFETIES: ("第十四条",),
    Result.DENIED_THIRD_PARTY: ("第十五条",),
    Result.DENIED_INTERNAL_AFFAIRS: ("第十六条第一款",),
    Result.DENIED_PROCESS_INFO: ("第十六条第二款",),
    Result.DENIED_ENFORCEMENT_FILE: ("第十六条第二款",),
}
WITHHOLDING_RESULTS = tuple(DENIED_BASIS)

# Why a part is withheld, as the reply states it.
DENIED_REASONS: dict[str, object] = {
    Result.DENIED_STATE_SECRET: gettext_lazy("属于国家秘密"),
    Result.DENIED_LAW_PROHIBITED: gettext_lazy("属于法律、行政法规禁止公开的政府信息"),
    Result.DENIED_THREE_SAFETIES: gettext_lazy(
        "公开后可能危及国家安全、公共安全、经济安全、社会稳定"
    ),
    Result.DENIED_THIRD_PARTY: gettext_lazy(
        "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害"
    ),
    Result.DENIED_INTERNAL_AFFAIRS: gettext_lazy(
        "属于人事管理、后勤管理、内部工作流程等方面的内部事务信息"
    ),
    Result.DENIED_PROCESS_INFO: gettext_lazy(
        "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息"
    ),
    Result.DENIED_ENFORCEMENT_FILE: gettext_lazy("属于行政执法案卷信息"),
}

# Results whose reply must send the applicant to 行政复议 before any lawsuit (行政复议法
# 2023, 第二十三条第一款第（四）项: a refusal to disclose).
REVIEW_FIRST_RESULTS = frozenset(
    {*DENIED_BASIS, Result.DENIED_QUERY_MATTER, Result.PARTIALLY_GRANTED}
)

# Results the spec gives no default basis: the body's publisher sets one (ResultRule).
NO_DEFAULT_BASIS = frozenset({Result.REJECTED_CONFIRMATION, Result.OTHER_OTHER})

# The basis of each kind of letter other than the reply (which depends on the result).
KIND_BASIS: dict[str, tuple[str, ...]] = {
    LetterKind.RECEIPT: ("第三十一条",),
    LetterKind.CORRECTION: ("第三十条",),
    LetterKind.EXTENSION: ("第三十三条第二款",),
    LetterKind.CONSULTATION_THIRD_PARTY: ("第三十二条",),
    LetterKind.CONSULTATION_BODY: ("第三十四条",),
    LetterKind.FEE_NOTICE: ("第四十二条",),
    LetterKind.SERVICE_RECEIPT: (),
    LetterKind.THIRD_PARTY_DECISION: ("第三十二条",),
    LetterKind.EXPLAIN_REASONS: ("第三十五条",),
}
KINDS_WITH_FEE_MEASURES = frozenset({LetterKind.FEE_NOTICE})

REMEDIES_REVIEW_FIRST = gettext_lazy(
    "如对本答复不服，可以自收到本告知书之日起六十日内向{review_authority}申请行政复议；"
    "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。"
)
REMEDIES_EITHER = gettext_lazy(
    "如对本答复不服，可以自收到本告知书之日起六十日内向{review_authority}申请行政复议，"
    "或者自收到本告知书之日起六个月内向{court}提起行政诉讼。"
)
REMEDY_PLACEHOLDERS = ("review_authority", "court")


@dataclass(frozen=True)
class Facts:
    """What the basis of a reply depends on besides its result."""

    published: bool = False  # 已主动公开 (say where)
    other_body_responsible: bool = False  # 第三十六条第（五）项
    third_party_consulted: bool = False  # 第三十二条 beside 第十五条
    withheld_result: str = ""  # partially_granted: the reason of the withheld part
    withdrawn: bool = False  # other_other: the applicant withdrew


@dataclass(frozen=True)
class Basis:
    """The articles a letter cites; ``missing`` names what must be set before there is one."""

    articles: tuple[str, ...] = ()
    fee_measures: bool = False
    missing: str = ""
    needed: bool = True

    def citation(self) -> str:
        """``《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项`` (and the fee
        measures where they apply); empty when nothing is cited."""
        parts = []
        if self.articles:
            parts.append(REGULATION + "、".join(self.articles))
        if self.fee_measures:
            parts.append(FEE_MEASURES)
        return "和".join(parts)


def reply_basis(result: str, facts: Facts = Facts()) -> Basis:
    """The basis a reply of ``result`` cites (the spec's table "Reply: legal basis by
    result")."""
    if result == Result.GRANTED:
        return Basis(("第三十六条第（一）项",) if facts.published else ("第三十六条第（二）项",))
    if result == Result.PARTIALLY_GRANTED:
        withheld = DENIED_BASIS.get(facts.withheld_result)
        if withheld is None:
            return Basis(("第三十七条", ART_36_3), missing=_("不予公开部分的理由"))
        if facts.withheld_result == Result.DENIED_THIRD_PARTY and facts.third_party_consulted:
            withheld = (*withheld, "第三十二条")
        return Basis(("第三十七条", *withheld, ART_36_3))
    if result in DENIED_BASIS:
        articles = DENIED_BASIS[result]
        if result == Result.DENIED_THIRD_PARTY and facts.third_party_consulted:
            articles = (*articles, "第三十二条")
        return Basis((*articles, ART_36_3))
    if result == Result.DENIED_QUERY_MATTER:
        return Basis(("第三十六条第（七）项",))
    if result == Result.UNABLE_NOT_HELD:
        return Basis(
            ("第三十六条第（五）项",) if facts.other_body_responsible else ("第三十六条第（四）项",)
        )
    if result == Result.UNABLE_NEEDS_CREATION:
        return Basis(("第三十八条",))
    if result in (Result.UNABLE_UNCLEAR, Result.OTHER_NO_CORRECTION):
        return Basis(("第三十条",))
    if result == Result.REJECTED_PETITION:
        return Basis(("第三十九条第一款",))
    if result == Result.REJECTED_PUBLICATION:
        return Basis(("第三十九条第二款",))
    if result == Result.REJECTED_DUPLICATE:
        return Basis(("第三十六条第（六）项",))
    if result == Result.REJECTED_EXCESSIVE:
        return Basis(("第三十五条",))
    if result == Result.OTHER_FEE_UNPAID:
        return Basis(("第四十二条",), fee_measures=True)
    if result == Result.OTHER_OTHER and facts.withdrawn:
        return Basis(needed=False)  # a withdrawal needs no basis: the reply says when
    if result in NO_DEFAULT_BASIS:
        return Basis(missing=_("法律依据（本办理结果无默认依据，须由审核发布人员设置）"))
    return Basis(missing=_("办理结果"))


def kind_basis(kind: str) -> Basis:
    """The basis of a letter other than the reply."""
    articles = KIND_BASIS[kind]
    return Basis(
        articles,
        fee_measures=kind in KINDS_WITH_FEE_MEASURES,
        needed=bool(articles),
    )


def remedies_default(result: str) -> str:
    """The national remedies text of ``result``: 复议前置 for refusals, else either."""
    return str(REMEDIES_REVIEW_FIRST if result in REVIEW_FIRST_RESULTS else REMEDIES_EITHER)


def is_review_first(result: str) -> bool:
    return result in REVIEW_FIRST_RESULTS
