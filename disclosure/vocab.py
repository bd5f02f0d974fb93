"""The vocabularies of the records. Keys are the stable keys of the national format
(``annual_report_format.json``) wherever the annual report counts the value: this module is
the one home of the keys both apps use, and ``reports.format`` (labels and layout on top)
refuses a format file that disagrees with it.

- table 二: the document rows are ``DocumentKind``, the decision rows ``DECISION_ITEMS``,
  the fee row ``FigureItem.FEES``;
- table 三: the applicant columns are ``ApplicantKind``, the result rows ``Result`` (in the
  format's order, printed as ``RESULT_FORMAT_LABELS``);
- table 四: the case groups are ``AppealKind``, the result columns ``AppealResult``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BodyKind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    DEPARTMENT = "department", _("政府部门")
    TOWNSHIP = "township", _("乡镇(街道)")
    OTHER = "other", _("其他")


class Role(models.TextChoices):
    VIEW = "view", _("查看")
    EDIT = "edit", _("录入")
    PUBLISH = "publish", _("审核发布")


ROLE_RANK = {Role.VIEW: 1, Role.EDIT: 2, Role.PUBLISH: 3}


class ApplicantKind(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("自然人")
    COMMERCIAL_ENTERPRISE = "commercial_enterprise", _("商业企业")
    RESEARCH_INSTITUTION = "research_institution", _("科研机构")
    SOCIAL_WELFARE_ORG = "social_welfare_org", _("社会公益组织")
    LEGAL_SERVICE_ORG = "legal_service_org", _("法律服务机构")
    OTHER_ORG = "other_org", _("其他")


class IdType(models.TextChoices):
    """证件类型 of an applicant (``import-workbook.md``, column 证件类型)."""

    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO_PERMIT = "hk_macao_permit", _("港澳居民来往内地通行证")
    TAIWAN_PERMIT = "taiwan_permit", _("台湾居民来往大陆通行证")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("当面")
    POST = "post", _("邮寄")
    ORDINARY_LETTER = "ordinary_letter", _("平常信函")
    INTERNET = "internet", _("互联网")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")
    OTHER = "other", _("其他")


CHANNEL_RECEIPT_RULE = _(
    "收到申请日期按《条例》第三十一条确定：当面提交的，以提交之日为准；邮寄（签收）的，以签收之日为准；"
    "平常信函的，以与申请人确认之日为准；互联网或传真的，以双方确认之日为准；电子邮件以邮件系统收到之日为准。"
)


class Result(models.TextChoices):
    """The 21 result rows of table 三, in the format's order."""

    GRANTED = "granted", _("予以公开")
    PARTIALLY_GRANTED = "partially_granted", _("部分公开")
    DENIED_STATE_SECRET = "denied_state_secret", _("不予公开：属于国家秘密")
    DENIED_LAW_PROHIBITED = "denied_law_prohibited", _("不予公开：其他法律行政法规禁止公开")
    DENIED_THREE_SAFETIES = "denied_three_safeties", _("不予公开：危及“三安全一稳定”")
    DENIED_THIRD_PARTY = "denied_third_party", _("不予公开：保护第三方合法权益")
    DENIED_INTERNAL_AFFAIRS = "denied_internal_affairs", _("不予公开：属于三类内部事务信息")
    DENIED_PROCESS_INFO = "denied_process_info", _("不予公开：属于四类过程性信息")
    DENIED_ENFORCEMENT_FILE = "denied_enforcement_file", _("不予公开：属于行政执法案卷")
    DENIED_QUERY_MATTER = "denied_query_matter", _("不予公开：属于行政查询事项")
    UNABLE_NOT_HELD = "unable_not_held", _("无法提供：本机关不掌握相关政府信息")
    UNABLE_NEEDS_CREATION = "unable_needs_creation", _("无法提供：没有现成信息需要另行制作")
    UNABLE_UNCLEAR = "unable_unclear", _("无法提供：补正后申请内容仍不明确")
    REJECTED_PETITION = "rejected_petition", _("不予处理：信访举报投诉类申请")
    REJECTED_DUPLICATE = "rejected_duplicate", _("不予处理：重复申请")
    REJECTED_PUBLICATION = "rejected_publication", _("不予处理：要求提供公开出版物")
    REJECTED_EXCESSIVE = "rejected_excessive", _("不予处理：无正当理由大量反复申请")
    REJECTED_CONFIRMATION = (
        "rejected_confirmation",
        _("不予处理：要求行政机关确认或重新出具已获取信息"),
    )
    OTHER_NO_CORRECTION = "other_no_correction", _("其他处理：申请人无正当理由逾期不补正")
    OTHER_FEE_UNPAID = "other_fee_unpaid", _("其他处理：申请人逾期未按收费通知要求缴纳费用")
    OTHER_OTHER = "other_other", _("其他处理：其他")


# Table 三's result rows as the national format prints them (numbered, full-width
# punctuation): offices copy them into their 台账, so the workbook import reads them.
RESULT_FORMAT_LABELS: dict[str, str] = {
    Result.GRANTED: "（一）予以公开",
    Result.PARTIALLY_GRANTED: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    Result.DENIED_STATE_SECRET: "1.属于国家秘密",
    Result.DENIED_LAW_PROHIBITED: "2.其他法律行政法规禁止公开",
    Result.DENIED_THREE_SAFETIES: "3.危及“三安全一稳定”",
    Result.DENIED_THIRD_PARTY: "4.保护第三方合法权益",
    Result.DENIED_INTERNAL_AFFAIRS: "5.属于三类内部事务信息",
    Result.DENIED_PROCESS_INFO: "6.属于四类过程性信息",
    Result.DENIED_ENFORCEMENT_FILE: "7.属于行政执法案卷",
    Result.DENIED_QUERY_MATTER: "8.属于行政查询事项",
    Result.UNABLE_NOT_HELD: "1.本机关不掌握相关政府信息",
    Result.UNABLE_NEEDS_CREATION: "2.没有现成信息需要另行制作",
    Result.UNABLE_UNCLEAR: "3.补正后申请内容仍不明确",
    Result.REJECTED_PETITION: "1.信访举报投诉类申请",
    Result.REJECTED_DUPLICATE: "2.重复申请",
    Result.REJECTED_PUBLICATION: "3.要求提供公开出版物",
    Result.REJECTED_EXCESSIVE: "4.无正当理由大量反复申请",
    Result.REJECTED_CONFIRMATION: "5.要求行政机关确认或重新出具已获取信息",
    Result.OTHER_NO_CORRECTION: "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    Result.OTHER_FEE_UNPAID: "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    Result.OTHER_OTHER: "3.其他",
}


class FeeMethod(models.TextChoices):
    PER_REQUEST = "per_request", _("按件")
    PER_PAGE = "per_page", _("按量")


class AppealKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION_DIRECT = "litigation_direct", _("未经复议直接起诉")
    LITIGATION_AFTER_RECONSIDERATION = "litigation_after_reconsideration", _("复议后起诉")


class AppealResult(models.TextChoices):
    UPHELD = "upheld", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")


class DocumentKind(models.TextChoices):
    RULE = "rules", _("规章")
    NORMATIVE = "normative_documents", _("行政规范性文件")


class FigureItem(models.TextChoices):
    """Yearly figures a body reports: table 二 decisions and fees, and published items."""

    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    ENFORCEMENT = "enforcement", _("行政强制")
    FEES = "fees", _("行政事业性收费")
    WEBSITE = "website", _("政府网站")
    NEW_MEDIA = "new_media", _("政务新媒体")
    GAZETTE = "gazette", _("政府公报")
    BULLETIN_BOARD = "bulletin_board", _("公示栏")
    OTHER_CHANNEL = "other_channel", _("其他渠道")
    POLICY_INTERPRETATION = "policy_interpretation", _("政策解读")
    RESPONSE = "response", _("回应关切")


DECISION_ITEMS = (FigureItem.LICENSING, FigureItem.PENALTY, FigureItem.ENFORCEMENT)
PUBLISHED_ITEM_CHANNELS = (
    FigureItem.WEBSITE,
    FigureItem.NEW_MEDIA,
    FigureItem.GAZETTE,
    FigureItem.BULLETIN_BOARD,
    FigureItem.OTHER_CHANNEL,
)


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日（休息）")
    WORKDAY = "workday", _("调休上班")


class AttachmentKind(models.TextChoices):
    CORRECTION_NOTICE = "correction_notice", _("补正告知书")
    EXTENSION_NOTICE = "extension_notice", _("延期告知书")
    CONSULTATION_LETTER = "consultation_letter", _("征求意见函")
    FEE_NOTICE = "fee_notice", _("收费通知书")
    REPLY = "reply", _("答复书")
    SERVICE_RECEIPT = "service_receipt", _("送达回证")
    APPLICATION = "application", _("申请表")
    OTHER = "other", _("其他")


class RequestStatus(models.TextChoices):
    """Derived, never stored: see ``disclosure.clock.status_on``."""

    OPEN = "open", _("在办")
    AWAITING_CORRECTION = "awaiting_correction", _("待补正")
    CONSULTING = "consulting", _("征求意见中")
    AWAITING_PAYMENT = "awaiting_payment", _("待缴费")
    EXTENDED = "extended", _("已延期")
    CONCLUDED = "concluded", _("已办结")
    OVERDUE = "overdue", _("逾期")
    VOIDED = "voided", _("已作废")


class AccessPage(models.TextChoices):
    """Where an applicant's full record was opened (``ApplicantAccess.page``)."""

    ADMIN_REQUEST = "admin_request", _("管理后台：申请页面")
    ADMIN_APPLICANT = "admin_applicant", _("管理后台：申请人页面")
    API_REQUEST = "api_request", _("接口：申请详情")
    EXPORT = "export", _("导出申请列表")


class AuditAction(models.TextChoices):
    """What an audit row records (``AuditEntry.action``), written by the services."""

    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    VOID = "void", _("作废")
    RECOMPUTE = "recompute", _("重新计算期限")
    MOVE = "move", _("隶属调整")
    ABOLISH = "abolish", _("撤销机构")
    WITHDRAW = "withdraw", _("撤回")
    CONCLUDE = "conclude", _("办结")
    REPORT_DRAFT = "report_draft", _("起草年度报告")
    REPORT_SAVE = "report_save", _("修改年度报告")
    REPORT_PUBLISH = "report_publish", _("发布年度报告")
    REPORT_IMPORT = "import", _("导入年度报告")
    REPORT_REIMPORT = "reimport", _("重新导入年度报告")
    READING_READ = "read", _("读取已发布的报告")
    READING_CORRECT = "correct", _("更正读取的报告")
    READING_CONFIRM = "confirm", _("确认读取的报告")
    READING_DISCARD = "discard", _("放弃读取的报告")
    JOB_ENQUEUE = "job_enqueue", _("提交后台任务")
    JOB_START = "job_start", _("开始后台任务")
    JOB_FINISH = "job_finish", _("完成后台任务")
    JOB_FAIL = "job_fail", _("后台任务失败")
    JOB_EXPIRE = "job_expire", _("后台任务文件过期删除")
    LOGIN_LOCKOUT = "login_lockout", _("登录锁定")
    LOGIN_LOCKOUT_LIFT = "login_lockout_lift", _("解除登录锁定")
    TWO_FACTOR_ENABLE = "two_factor_enable", _("启用两步验证")
    TWO_FACTOR_DISABLE = "two_factor_disable", _("停用两步验证")
    TWO_FACTOR_REMOVE = "two_factor_remove", _("移除两步验证设备")
    LETTER_DRAFT = "letter_draft", pgettext_lazy("audit action", "起草文书")
    LETTER_ISSUE = "letter_issue", pgettext_lazy("audit action", "签发文书")
    LETTER_SERVE = "letter_serve", _("送达文书")
    USER_CREATE = "user_create", _("新增用户")
    USER_CHANGE = "user_change", _("修改用户")
    USER_DEACTIVATE = "user_deactivate", _("停用用户")
    USER_ACTIVATE = "user_activate", _("重新启用用户")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    GROUP_CREATE = "group_create", _("新增权限组")
    GROUP_CHANGE = "group_change", _("修改权限组")
    GROUP_DELETE = "group_delete", _("删除权限组")
    TOKEN_CREATE = "token_create", _("签发接口令牌")
    TOKEN_DELETE = "token_delete", _("吊销接口令牌")
    PERSONAL_DATA_EXPORT = "personal_data_export", _("导出申请人个人信息")
