"""The national default templates (``../shared/spec/letters.md``, "what it must say").

One paragraph a line; placeholders as listed in ``content.PLACEHOLDERS``. A body's publisher
may save its own version of any of them in the admin; these stay the national defaults,
stored as the ``body``-less templates (``selectors.template_for``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from disclosure.letters.vocab import LetterKind

DEFAULT_TEMPLATES: dict[str, tuple[object, object]] = {
    LetterKind.RECEIPT: (
        _("政府信息公开申请受理回执"),
        _(
            "{applicant}：\n"
            "你（单位）通过{channel}方式提出的政府信息公开申请（申请编号：{reference}）已收悉，"
            "申请内容：“{content}”。\n"
            "{basis}本机关收到你（单位）申请的日期为{received_on}。本机关将于{due_date}前作出答复；"
            "依法补正、延长答复期限或者征求第三方、其他机关意见的，另行书面告知。\n"
            "特此告知。"
        ),
    ),
    LetterKind.CORRECTION: (
        _("政府信息公开申请补正告知书"),
        _(
            "{applicant}：\n"
            "本机关于{received_on}收到你（单位）提出的政府信息公开申请（申请编号：{reference}）。"
            "经审查，你（单位）的申请内容不明确。{basis}现一次性告知你（单位）对申请作出补正，"
            "需要补正的事项如下：\n"
            "{correction_items}\n"
            "请于{correction_deadline}前将补正后的申请提交本机关。答复期限自本机关收到补正后的申请之日起计算。"
            "你（单位）无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。\n"
            "特此告知。"
        ),
    ),
    LetterKind.EXTENSION: (
        _("政府信息公开申请延期答复告知书"),
        _(
            "{applicant}：\n"
            "本机关于{received_on}收到你（单位）提出的政府信息公开申请（申请编号：{reference}）。"
            "因{extension_reason}，本机关不能在法定期限内作出答复。"
            "经本机关政府信息公开工作机构负责人同意，{basis}答复期限延长{extension_days}个工作日，"
            "延长后的答复期限为{due_date}。\n"
            "特此告知。"
        ),
    ),
    LetterKind.CONSULTATION_THIRD_PARTY: (
        _("政府信息公开征求第三方意见书"),
        _(
            "{addressee}：\n"
            "本机关收到一份政府信息公开申请（申请编号：{reference}），申请公开的政府信息可能损害你（单位）的合法权益。"
            "{basis}现就是否公开下列信息征求你（单位）的意见：\n"
            "{consultation_matter}\n"
            "请自收到本征求意见书之日起15个工作日内（即{consultation_reply_by}前）向本机关提出书面意见并说明理由。"
            "逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。\n"
            "特此函询。"
        ),
    ),
    LetterKind.CONSULTATION_BODY: (
        _("政府信息公开征求意见函"),
        _(
            "{addressee}：\n"
            "本机关收到一份政府信息公开申请（申请编号：{reference}），申请公开的政府信息由本机关与你单位共同制作。"
            "{basis}现就是否公开下列信息征求你单位的意见：\n"
            "{consultation_matter}\n"
            "请自收到本函之日起15个工作日内（即{consultation_reply_by}前）提出意见；逾期未提出意见的，视为同意公开。\n"
            "特此函告。"
        ),
    ),
    LetterKind.FEE_NOTICE: (
        _("政府信息公开信息处理费收费通知书"),
        _(
            "{applicant}：\n"
            "本机关于{received_on}收到你（单位）提出的政府信息公开申请（申请编号：{reference}）。"
            "你（单位）申请公开政府信息的数量、频次明显超过合理范围，{basis}本机关决定收取信息处理费。"
            "收费方式为{fee_method}收费，应缴金额为人民币{fee_amount}元。\n"
            "请于{fee_due_on}前通过{fee_payment}缴纳。缴费期间不计算在答复期限内。"
            "你（单位）逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。\n"
            "特此通知。"
        ),
    ),
    LetterKind.REPLY: (
        _("政府信息公开申请答复告知书"),
        _(
            "{applicant}：\n"
            "本机关于{received_on}收到你（单位）提出的政府信息公开申请（申请编号：{reference}），"
            "申请获取：“{content}”。\n"
            "{reasons}{basis}{ruling}\n"
            "{remedies}\n"
            "特此告知。"
        ),
    ),
    LetterKind.SERVICE_RECEIPT: (
        _("送达回证"),
        _("受送达人签收时请注明签收日期；受送达人拒绝签收的，由送达人注明情况。"),
    ),
    LetterKind.THIRD_PARTY_DECISION: (
        _("政府信息公开决定告知书（第三方）"),
        _(
            "{addressee}：\n"
            "本机关就政府信息公开申请（申请编号：{reference}）征求你（单位）意见，你（单位）不同意公开。"
            "经审查，本机关认为{disclosure_reason}。{basis}本机关决定予以公开，公开的内容为：\n"
            "{disclosure_matter}\n"
            "本机关将自本告知书发出之日起15个工作日后（即{disclose_on}后）公开上述信息。\n"
            "特此告知。"
        ),
    ),
    LetterKind.EXPLAIN_REASONS: (
        _("政府信息公开申请说明理由通知书"),
        _(
            "{applicant}：\n"
            "本机关于{received_on}收到你（单位）提出的政府信息公开申请（申请编号：{reference}）。"
            "你（单位）申请公开政府信息的数量、频次明显超过合理范围，{basis}请你（单位）于{explain_by}前"
            "向本机关说明理由。本机关认为申请理由不合理的，告知你（单位）不予处理；认为申请理由合理，"
            "但是无法在规定期限内答复的，可以确定延迟答复的合理期限并告知你（单位）。\n"
            "特此通知。"
        ),
    ),
}
