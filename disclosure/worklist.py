"""The clerk's worklist (工作台): the requests that need someone today, by category.

One module says what each category is, as one SQL condition over requests for a day
(``condition``); the admin's 工作台 and its list filter (``?worklist=…``), the API's
``/api/v1/worklist/`` and the daily reminders (``send_reminders``) all read it here:

- ``overdue``: open and past the due date (the clock's own rule, ``overdue_on``);
- ``due_soon``: open and due from today to the ``due_within``-th working day after it;
- ``correction_lapsed``: a 补正 was sent, its 补正期限 has passed and no corrected request came
  (conclude as 其他处理：申请人无正当理由逾期不补正, 第三十条);
- ``consultation_unanswered``: a consultation of an open request unanswered after its 15
  working days (第三十二条);
- ``no_reply_on_file``: concluded (not by withdrawal) in the last ``CONCLUDED_WINDOW_DAYS``
  days without a reply letter on file (``no_reply_on_file``: none uploaded, none issued
  from the letters);
- ``extension_late``: an extension decided after the due date it extended, open or concluded
  in the last ``CONCLUDED_WINDOW_DAYS`` days.

The window keeps the worklist to what a clerk can still put right (file the letter, tell the
applicant) and its counts cheap: the open requests are a few percent of a register (one
aggregate over them, through ``request_open_recent_idx``), the concluded ones of the window a
few more; the whole register is never scanned.

The due dates themselves are the stored clock (``disclosure.clock``); working days come from
``disclosure.calendar``. Nothing here decides who sees what: callers pass the requests a user
may see (``visible_to``) or a reminder's recipient is responsible for.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from disclosure.calendar import CONSULTATION_WORKING_DAYS, WorkingCalendar
from disclosure.clock import status_conditions
from disclosure.letters.selectors import reply_issued
from disclosure.models import Attachment, Consultation, InformationRequest
from disclosure.vocab import AttachmentKind, RequestStatus

DUE_SOON_WORKING_DAYS = 5  # the worklist plans a week ahead
CONCLUDED_WINDOW_DAYS = 90  # concluded requests stay on the worklist this long
LIST_LIMIT = 50  # requests listed per category (the API's and the page's first ones)

OVERDUE = "overdue"
DUE_SOON = "due_soon"
CORRECTION_LAPSED = "correction_lapsed"
CONSULTATION_UNANSWERED = "consultation_unanswered"
NO_REPLY_ON_FILE = "no_reply_on_file"
EXTENSION_LATE = "extension_late"


@dataclass(frozen=True)
class Category:
    key: str
    label: str | Promise
    description: str | Promise
    # The order of a category's list: the most pressing first.
    ordering: tuple[str, ...]


CATEGORIES: dict[str, Category] = {
    category.key: category
    for category in (
        Category(
            OVERDUE,
            _("逾期未办结"),
            _("已超过答复期限仍未办结的申请。"),
            ("due_date", "pk"),
        ),
        Category(
            DUE_SOON,
            _("即将到期"),
            _("答复期限在今天至此后 %(days)s 个工作日内的在办申请。"),
            ("due_date", "pk"),
        ),
        Category(
            CORRECTION_LAPSED,
            _("补正期限已过未补正"),
            _(
                "已告知补正、补正期限已过仍未收到补正的申请：可按“其他处理：申请人无正当理由"
                "逾期不补正”办结（《条例》第三十条）。"
            ),
            ("correction_deadline", "pk"),
        ),
        Category(
            CONSULTATION_UNANSWERED,
            _("征求意见逾期未答复"),
            _("征求意见发出已超过15个工作日仍未登记答复的在办申请（《条例》第三十二条）。"),
            ("received_on", "pk"),
        ),
        Category(
            NO_REPLY_ON_FILE,
            _("已办结未存答复书"),
            _("近 %(window)s 天内办结（撤回的除外）、附件中没有答复书的申请。"),
            ("-concluded_on", "-pk"),
        ),
        Category(
            EXTENSION_LATE,
            _("延期决定晚于答复期限"),
            _("延期批准日期晚于原答复期限的申请（在办的和近 %(window)s 天内办结的）。"),
            ("-received_on", "-pk"),
        ),
    )
}


@dataclass(frozen=True)
class WorkDay:
    """The dates a worklist of one day compares with, worked out once."""

    today: datetime.date
    # Due on or before this day (and not before today): due soon.
    due_soon_until: datetime.date
    # A consultation sent on or before this day and unanswered is past its 15 working days.
    consultation_sent_by: datetime.date
    # Concluded requests count from this day on (no_reply_on_file, extension_late).
    concluded_since: datetime.date
    due_within: int = DUE_SOON_WORKING_DAYS


def work_day(
    today: datetime.date,
    *,
    due_within: int = DUE_SOON_WORKING_DAYS,
    calendar: WorkingCalendar | None = None,
) -> WorkDay:
    calendar = calendar or WorkingCalendar.for_years(today.year - 1, today.year + 1)
    return WorkDay(
        today=today,
        due_soon_until=calendar.add_working_days(today, due_within),
        consultation_sent_by=calendar.last_start_lapsed_by(today, CONSULTATION_WORKING_DAYS),
        concluded_since=today - datetime.timedelta(days=CONCLUDED_WINDOW_DAYS),
        due_within=due_within,
    )


def no_reply_on_file() -> Q:
    """No reply letter is on file for the request: no attachment of the kind 答复书 (a letter
    written elsewhere and uploaded) and no 答复告知书 drafted here and issued. Two NOT EXISTS
    joined by AND, which PostgreSQL runs as two anti-joins (the negation of an OR of the two
    probes each row: 0.26 s instead of 0.07 s over a province's 90 days)."""
    uploaded = Exists(Attachment.objects.filter(request=OuterRef("pk"), kind=AttachmentKind.REPLY))
    return ~Q(uploaded) & ~reply_issued()


def correction_lapsed(today: datetime.date) -> Q:
    """The 补正 rule of ``services.correction_lapsed_on`` as SQL: notified by ``today``, the
    补正期限 before it, no corrected request by then."""
    return Q(correction_notice_on__lte=today, correction_deadline__lt=today) & (
        Q(correction_received_on__isnull=True) | Q(correction_received_on__gt=today)
    )


def open_on(today: datetime.date) -> Q:
    """Not voided and not concluded by ``today`` (a later conclusion was still to come)."""
    return Q(voided_at__isnull=True) & (Q(concluded_on__isnull=True) | Q(concluded_on__gt=today))


def _candidates(day: WorkDay) -> Q:
    """Every category's rows are open, or concluded since ``concluded_since``: the counts
    read only those (the open ones through ``request_open_recent_idx``)."""
    return Q(voided_at__isnull=True) & (
        Q(concluded_on__isnull=True) | Q(concluded_on__gte=day.concluded_since)
    )


def condition(key: str, day: WorkDay) -> Q:
    """The requests of category ``key`` on ``day``."""
    today = day.today
    if key == OVERDUE:
        # The clock's own status rule, in SQL.
        return status_conditions(today)[RequestStatus.OVERDUE]
    if key == DUE_SOON:
        return open_on(today) & Q(due_date__gte=today, due_date__lte=day.due_soon_until)
    if key == CORRECTION_LAPSED:
        return open_on(today) & correction_lapsed(today)
    if key == CONSULTATION_UNANSWERED:
        unanswered = Consultation.objects.filter(
            request=OuterRef("pk"), sent_on__lte=day.consultation_sent_by
        ).filter(Q(answered_on__isnull=True) | Q(answered_on__gt=today))
        return open_on(today) & Q(Exists(unanswered))
    if key == NO_REPLY_ON_FILE:
        return (
            Q(
                voided_at__isnull=True,
                concluded_on__gte=day.concluded_since,
                concluded_on__lte=today,
                withdrawn_on__isnull=True,
            )
            & no_reply_on_file()
        )
    if key == EXTENSION_LATE:
        return _candidates(day) & Q(extension_late=True, received_on__lte=today)
    raise KeyError(key)


@dataclass(frozen=True)
class Entry:
    """One category of a user's worklist: how many requests, and the first of them."""

    category: Category
    count: int
    requests: tuple[InformationRequest, ...]
    description: str

    @property
    def key(self) -> str:
        return self.category.key

    @property
    def label(self) -> str:
        return str(self.category.label)


# Categories of open requests only: counted together, in one aggregate over them.
OPEN_CATEGORIES = (OVERDUE, DUE_SOON, CORRECTION_LAPSED, CONSULTATION_UNANSWERED)


def worklist(
    requests: QuerySet[InformationRequest],
    day: WorkDay,
    *,
    keys: Iterable[str] | None = None,
    limit: int = LIST_LIMIT,
) -> list[Entry]:
    """The categories ``keys`` (all by default) over ``requests`` (already limited to what
    the reader may see) on ``day``: the counts of the open requests' categories in one
    aggregate query and each other category's in one query of its own (a filtered count
    with a NOT EXISTS would probe the attachments row by row), then the first ``limit``
    requests of each category, with their body (one query per category with requests)."""
    keys = list(keys or CATEGORIES)
    conditions = {key: condition(key, day) for key in keys}
    open_keys = [key for key in keys if key in OPEN_CATEGORIES]
    counts: dict[str, int] = {}
    if open_keys:
        counts.update(
            requests.filter(open_on(day.today)).aggregate(
                **{key: Count("pk", filter=conditions[key]) for key in open_keys}
            )
        )
    for key in keys:
        if key not in counts:
            counts[key] = requests.filter(conditions[key]).count()
    entries = []
    for key in keys:
        category = CATEGORIES[key]
        rows: tuple[InformationRequest, ...] = ()
        if counts[key] and limit:
            rows = tuple(
                requests.filter(conditions[key])
                .select_related("body")
                .order_by(*category.ordering)[:limit]
            )
        description = str(category.description)
        if key == DUE_SOON:
            description = description % {"days": day.due_within}
        elif key in (NO_REPLY_ON_FILE, EXTENSION_LATE):
            description = description % {"window": CONCLUDED_WINDOW_DAYS}
        entries.append(
            Entry(category=category, count=counts[key], requests=rows, description=description)
        )
    return entries
