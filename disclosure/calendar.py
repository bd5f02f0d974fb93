"""The working-day calendar and the statutory reply clock (第三十三条).

Working days follow the national schedule shipped with ``chinese_calendar`` (public holidays
and 调休 make-up working days), overridden by the administrators' ``CalendarDay`` table. A
year that neither knows is counted Monday–Friday and every result that touched it carries a
warning naming the year. ``compute_due`` implements "How the product computes the due date"
of ``regulations.md`` step by step; the explanation it returns lists every skipped day with
its one reason and notes counted 调休 working days.

All functions take explicit dates; nothing here reads today's date.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import chinese_calendar
from django.utils.translation import gettext as _

from disclosure.vocab import CalendarDayKind

ONE_DAY = datetime.timedelta(days=1)
REPLY_WORKING_DAYS = 20  # 第三十三条第二款
CONSULTATION_WORKING_DAYS = 15  # 第三十二条: the third party's time to answer
CORRECTION_NOTICE_WORKING_DAYS = 7  # 第三十条: notify a 补正 within 7 working days
FEE_PAYMENT_WORKING_DAYS = 20  # 国办函〔2020〕109号: the usual payment period

# The package's English holiday names → the names the explanation shows.
HOLIDAY_NAMES = {
    chinese_calendar.Holiday.new_years_day.value: "元旦",
    chinese_calendar.Holiday.spring_festival.value: "春节",
    chinese_calendar.Holiday.tomb_sweeping_day.value: "清明节",
    chinese_calendar.Holiday.labour_day.value: "劳动节",
    chinese_calendar.Holiday.dragon_boat_festival.value: "端午节",
    chinese_calendar.Holiday.mid_autumn_festival.value: "中秋节",
    chinese_calendar.Holiday.national_day.value: "国庆节",
    chinese_calendar.Holiday.anti_fascist_70th_day.value: "抗战胜利纪念日",
}

PACKAGE_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


def reason_weekend() -> str:
    return _("周末")


def reason_consultation() -> str:
    return _("征求意见")


def reason_fee() -> str:
    return _("待缴费")


def note_make_up_workday() -> str:
    return _("调休上班")


def unknown_year_warning(year: int) -> str:
    return _("%(year)s年节假日安排尚未录入，按周一至周五计算") % {"year": year}


def _holiday_name(english: str) -> str:
    if english in HOLIDAY_NAMES:
        return HOLIDAY_NAMES[english]
    # A holiday added by a newer package version: use the package's own Chinese name.
    return chinese_calendar.Holiday(english).chinese


@dataclass(frozen=True)
class DayInfo:
    """One date as the calendar sees it. ``reason`` explains a day off (周末 or the holiday's
    name); ``note`` marks a counted weekend day (调休上班); ``known`` is False for a date that
    neither the package nor the table covers."""

    date: datetime.date
    working: bool
    reason: str = ""
    note: str = ""
    known: bool = True


class WorkingCalendar:
    """Working days with the table's overrides for whole years, loaded lazily per year span.

    Build one with ``WorkingCalendar.for_years(first, last)`` to read the overrides of those
    years in one query, or ``WorkingCalendar(overrides={...})`` for a calendar without the
    database. A calendar reused for many computations reads each year at most once, and
    computes each distinct reply clock once (``compute_due``).
    """

    def __init__(
        self,
        overrides: dict[datetime.date, tuple[str, str]] | None = None,
        *,
        use_database: bool = False,
    ) -> None:
        self._overrides: dict[datetime.date, tuple[str, str]] = dict(overrides or {})
        self._use_database = use_database
        self._loaded_years: set[int] = set()
        self._years_with_entries: set[int] = {day.year for day in self._overrides}
        self._cache: dict[datetime.date, DayInfo] = {}
        self._unknown_years: set[int] = set()
        # compute_due's results with this calendar, by their inputs: an import's requests
        # share a few hundred distinct clocks among thousands of rows.
        self._due_dates: dict[tuple, DueDate] = {}

    @classmethod
    def for_years(cls, first: int, last: int) -> WorkingCalendar:
        calendar = cls(use_database=True)
        calendar._load(first, last)
        return calendar

    @classmethod
    def for_dates(cls, *dates: datetime.date, horizon_days: int = 200) -> WorkingCalendar:
        """The overrides of every year from the earliest date to ``horizon_days`` after the
        latest one: enough for a reply clock, so a computation costs one query."""
        # A week back as well: naming a weekend looks at the days on either side of it.
        first = min(dates) - datetime.timedelta(days=7)
        last = max(dates) + datetime.timedelta(days=horizon_days)
        return cls.for_years(first.year, last.year)

    def _load(self, first: int, last: int) -> None:
        from disclosure.models import CalendarDay

        rows = CalendarDay.objects.filter(
            date__gte=datetime.date(first, 1, 1), date__lte=datetime.date(last, 12, 31)
        ).values_list("date", "kind", "name")
        for day, kind, name in rows:
            self._overrides[day] = (kind, name)
            self._years_with_entries.add(day.year)
        self._loaded_years.update(range(first, last + 1))

    def _ensure_year(self, year: int) -> None:
        if self._use_database and year not in self._loaded_years:
            self._load(year, year)

    @property
    def warnings(self) -> tuple[str, ...]:
        """One warning per year whose schedule is unknown, for the days looked at so far."""
        return tuple(unknown_year_warning(year) for year in sorted(self._unknown_years))

    def reset_warnings(self) -> None:
        self._unknown_years.clear()

    def day(self, day: datetime.date) -> DayInfo:
        info = self._cache.get(day)
        if info is None:
            info = self._with_holiday_weekends(day)
            self._cache[day] = info
        if not info.known:
            self._unknown_years.add(day.year)
        return info

    def is_working_day(self, day: datetime.date) -> bool:
        return self.day(day).working

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The ``n``-th working day after ``start`` (``start`` itself is not counted)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        while n:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def last_start_lapsed_by(self, day: datetime.date, n: int) -> datetime.date:
        """The latest start whose ``n``-th working day is before ``day``: a period of ``n``
        working days that began on or before it has run out by ``day`` (a consultation sent
        then and unanswered is past its 15 working days, 第三十二条)."""
        start = day - ONE_DAY
        while self.add_working_days(start, n) >= day:
            start -= ONE_DAY
        return start

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in (``start``, ``end``]: the start is not counted, the end is.
        Negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    def _base(self, day: datetime.date) -> DayInfo:
        """The day from the table, else the package, else Monday–Friday (unknown)."""
        self._ensure_year(day.year)
        weekend = day.weekday() >= 5
        override = self._overrides.get(day)
        if override is not None:
            kind, name = override
            if kind == CalendarDayKind.HOLIDAY:
                return DayInfo(day, False, reason=name or self._package_name(day) or _("节假日"))
            return DayInfo(day, True, note=note_make_up_workday() if weekend else "")
        if day.year in PACKAGE_YEARS:
            if day in chinese_calendar.holidays:
                return DayInfo(day, False, reason=_holiday_name(chinese_calendar.holidays[day]))
            if day in chinese_calendar.workdays:
                return DayInfo(day, True, note=note_make_up_workday() if weekend else "")
            return DayInfo(day, not weekend, reason=reason_weekend() if weekend else "")
        known = day.year in self._years_with_entries
        return DayInfo(day, not weekend, reason=reason_weekend() if weekend else "", known=known)

    @staticmethod
    def _package_name(day: datetime.date) -> str:
        english = chinese_calendar.holidays.get(day)
        return _holiday_name(english) if english else ""

    def _with_holiday_weekends(self, day: datetime.date) -> DayInfo:
        """A plain weekend day inside a holiday period takes the holiday's name: the nearest
        days off on either side that are not plain weekend days are that same holiday."""
        info = self._base(day)
        if info.working or info.reason != reason_weekend():
            return info
        before = self._nearest_non_weekend(day, -ONE_DAY)
        after = self._nearest_non_weekend(day, ONE_DAY)
        if not before.working and not after.working and before.reason == after.reason:
            return DayInfo(day, False, reason=before.reason, known=info.known)
        return info

    def _nearest_non_weekend(self, day: datetime.date, step: datetime.timedelta) -> DayInfo:
        for _offset in range(3):
            day += step
            info = self._base(day)
            if info.working or info.reason != reason_weekend():
                return info
        return info


@dataclass(frozen=True)
class SkippedDay:
    date: datetime.date
    reason: str


@dataclass(frozen=True)
class CountedDay:
    """A counted working day: its number in the count (1…20, then on through the extension)
    and a note for a 调休 make-up working day."""

    date: datetime.date
    number: int
    note: str = ""


@dataclass(frozen=True)
class DueDate:
    received_on: datetime.date
    start: datetime.date
    due_date: datetime.date
    base_due_date: datetime.date
    extended_due_date: datetime.date | None
    skipped: tuple[SkippedDay, ...]
    counted: tuple[CountedDay, ...]
    warnings: tuple[str, ...] = ()
    extension_late: bool = False
    correction_notice_late: bool = False
    paused_days: int = 0

    @property
    def notes(self) -> tuple[CountedDay, ...]:
        """The counted days that need a word of explanation (调休上班)."""
        return tuple(day for day in self.counted if day.note)

    def explanation(self) -> list[str]:
        """The explanation shown on screen, one line per day from the start to the due date."""
        lines = [_("%(date)s 起算日（不计入）") % {"date": self.start.isoformat()}]
        events: list[tuple[datetime.date, str]] = [
            (day.date, _("%(date)s 不计：%(reason)s") % {"date": day.date, "reason": day.reason})
            for day in self.skipped
        ]
        for day in self.counted:
            text = _("%(date)s 第%(number)s个工作日") % {"date": day.date, "number": day.number}
            if day.note:
                text += _("（%(note)s）") % {"note": day.note}
            events.append((day.date, text))
        lines.extend(text for _day, text in sorted(events, key=lambda event: event[0]))
        lines.append(_("答复期限：%(date)s") % {"date": self.base_due_date})
        if self.extended_due_date:
            lines.append(_("延期后答复期限：%(date)s") % {"date": self.extended_due_date})
        lines.extend(self.alerts())
        return lines

    def alerts(self) -> tuple[str, ...]:
        """What needs attention, as sentences: the late flags, then the calendar's warnings."""
        alerts = []
        if self.extension_late:
            alerts.append(_("延期决定晚于原答复期限。"))
        if self.correction_notice_late:
            alerts.append(_("补正告知晚于收到申请后7个工作日。"))
        return (*alerts, *self.warnings)


@dataclass
class _Pauses:
    """Windows (after, until] of working days that do not count, each with its reason."""

    windows: list[tuple[datetime.date, datetime.date, str]] = field(default_factory=list)

    def reason_for(self, day: datetime.date) -> str:
        for after, until, reason in self.windows:
            if after < day <= until:
                return reason
        return ""


def compute_due(
    *,
    received_on: datetime.date,
    correction_received_on: datetime.date | None = None,
    consultations: Iterable[tuple[datetime.date, datetime.date | None]] = (),
    fee_pauses: Iterable[tuple[datetime.date, datetime.date | None]] = (),
    extension_days: int | None = None,
    extension_decided_on: datetime.date | None = None,
    correction_notice_on: datetime.date | None = None,
    calendar: WorkingCalendar | None = None,
) -> DueDate:
    """The reply deadline of a request, as ``regulations.md`` defines it.

    ``consultations``: (sent_on, answered_on or None); ``fee_pauses``: (notice_on, the day
    the fee was paid or the payment period ends, or None). Without ``calendar`` the overrides
    are read from the database in one query.
    """
    consultations = list(consultations)
    fee_pauses = list(fee_pauses)
    if extension_days is not None and not 1 <= extension_days <= REPLY_WORKING_DAYS:
        raise ValueError("extension_days must be between 1 and 20")
    inputs = (
        received_on,
        correction_received_on,
        tuple(consultations),
        tuple(fee_pauses),
        extension_days,
        extension_decided_on,
        correction_notice_on,
    )
    if calendar is not None and inputs in calendar._due_dates:
        return calendar._due_dates[inputs]
    start = correction_received_on or received_on
    if calendar is None:
        known = [received_on, start, *(d for pair in consultations + fee_pauses for d in pair if d)]
        if extension_decided_on:
            known.append(extension_decided_on)
        if correction_notice_on:
            known.append(correction_notice_on)
        calendar = WorkingCalendar.for_dates(*known)
    calendar.reset_warnings()
    extra_warnings: list[str] = []

    pauses = _Pauses()
    for sent_on, answered_on in consultations:
        until = answered_on or calendar.add_working_days(sent_on, CONSULTATION_WORKING_DAYS)
        pauses.windows.append((sent_on, until, reason_consultation()))
    for notice_on, end_on in fee_pauses:
        if end_on is None:
            end_on = calendar.add_working_days(notice_on, FEE_PAYMENT_WORKING_DAYS)
            extra_warnings.append(
                _("收费通知未填写缴费日期或缴费期限，按通知后%(days)s个工作日计算。")
                % {"days": FEE_PAYMENT_WORKING_DAYS}
            )
        pauses.windows.append((notice_on, end_on, reason_fee()))

    total = REPLY_WORKING_DAYS + (extension_days or 0)
    skipped, counted, base_due = _count(start, total, calendar, pauses.reason_for)
    base_due_date = base_due[REPLY_WORKING_DAYS]
    due_date = base_due[total]

    correction_notice_late = bool(
        correction_notice_on
        and correction_notice_on
        > calendar.add_working_days(received_on, CORRECTION_NOTICE_WORKING_DAYS)
    )
    extension_late = bool(
        extension_days and extension_decided_on and extension_decided_on > base_due_date
    )
    # Translated once, not once per skipped day: imports compute thousands of clocks.
    pause_reasons = (reason_consultation(), reason_fee())
    paused = sum(1 for day in skipped if day.reason in pause_reasons)
    calendar._due_dates[inputs] = due = DueDate(
        received_on=received_on,
        start=start,
        due_date=due_date,
        base_due_date=base_due_date,
        extended_due_date=due_date if extension_days else None,
        skipped=tuple(skipped),
        counted=tuple(counted),
        warnings=calendar.warnings + tuple(extra_warnings),
        extension_late=extension_late,
        correction_notice_late=correction_notice_late,
        paused_days=paused,
    )
    return due


def _count(
    start: datetime.date,
    total: int,
    calendar: WorkingCalendar,
    paused: Callable[[datetime.date], str],
) -> tuple[list[SkippedDay], list[CountedDay], dict[int, datetime.date]]:
    skipped: list[SkippedDay] = []
    counted: list[CountedDay] = []
    by_number: dict[int, datetime.date] = {}
    day = start
    while len(counted) < total:
        day += ONE_DAY
        info = calendar.day(day)
        if not info.working:
            skipped.append(SkippedDay(day, info.reason))
            continue
        reason = paused(day)
        if reason:
            skipped.append(SkippedDay(day, reason))
            continue
        counted.append(CountedDay(day, len(counted) + 1, info.note))
        by_number[len(counted)] = day
    return skipped, counted, by_number


@dataclass(frozen=True)
class HolidayPeriod:
    """Consecutive days off of one holiday in the national schedule, both ends inclusive."""

    name: str
    first: datetime.date
    last: datetime.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class MakeUpDay:
    """A 调休 working day: a weekend day worked, for the holiday named."""

    date: datetime.date
    holiday: str


@dataclass(frozen=True)
class OfficialSchedule:
    """The national schedule of a year as shipped with ``chinese_calendar``: its holiday
    periods and its 调休 working days (weekend days worked, with the holiday they belong
    to). ``known`` is False for a year the package has no schedule of yet."""

    year: int
    known: bool
    holidays: tuple[HolidayPeriod, ...] = ()
    workdays: tuple[MakeUpDay, ...] = ()

    @property
    def holiday_days(self) -> int:
        return sum(period.days for period in self.holidays)


def official_schedule(year: int) -> OfficialSchedule:
    """The packaged schedule of ``year`` (no overrides, no database)."""
    if year not in PACKAGE_YEARS:
        return OfficialSchedule(year, known=False)
    periods: list[HolidayPeriod] = []
    for day in sorted(day for day in chinese_calendar.holidays if day.year == year):
        name = _holiday_name(chinese_calendar.holidays[day])
        last = periods[-1] if periods else None
        if last is not None and last.name == name and last.last + ONE_DAY == day:
            periods[-1] = HolidayPeriod(name, last.first, day)
        else:
            periods.append(HolidayPeriod(name, day, day))
    workdays = tuple(
        MakeUpDay(day, _holiday_name(chinese_calendar.workdays[day]))
        for day in sorted(day for day in chinese_calendar.workdays if day.year == year)
    )
    return OfficialSchedule(year, known=True, holidays=tuple(periods), workdays=workdays)


def official_day(day: datetime.date) -> str:
    """What the national schedule says of a day: its holiday, 调休上班, 周末 or 工作日;
    "" for a year it does not know."""
    if day.year not in PACKAGE_YEARS:
        return ""
    if day in chinese_calendar.holidays:
        return _holiday_name(chinese_calendar.holidays[day])
    if day in chinese_calendar.workdays:
        return note_make_up_workday()
    return reason_weekend() if day.weekday() >= 5 else _("工作日")


def add_working_days(
    start: datetime.date, n: int, *, calendar: WorkingCalendar | None = None
) -> datetime.date:
    """The ``n``-th working day after ``start``; reads the overrides when no calendar is given."""
    calendar = calendar or WorkingCalendar.for_dates(start)
    return calendar.add_working_days(start, n)


def is_working_day(day: datetime.date, *, calendar: WorkingCalendar | None = None) -> bool:
    calendar = calendar or WorkingCalendar.for_years(day.year, day.year)
    return calendar.is_working_day(day)


def working_days_between(
    start: datetime.date, end: datetime.date, *, calendar: WorkingCalendar | None = None
) -> int:
    """Working days in (``start``, ``end``]; negative when ``end`` precedes ``start``."""
    calendar = calendar or WorkingCalendar.for_years(min(start, end).year, max(start, end).year)
    return calendar.working_days_between(start, end)
