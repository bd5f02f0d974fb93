from __future__ import annotations

import datetime

import chinese_calendar
import pytest

from disclosure.calendar import (
    HOLIDAY_NAMES,
    CountedDay,
    HolidayPeriod,
    MakeUpDay,
    OfficialSchedule,
    SkippedDay,
    WorkingCalendar,
    add_working_days,
    compute_due,
    is_working_day,
    official_day,
    official_schedule,
    working_days_between,
)
from disclosure.models import CalendarDay
from disclosure.vocab import CalendarDayKind

D = datetime.date


def compute(**events):
    """``compute_due`` over the packaged schedule alone: no database (the overrides' tests
    below are marked for it)."""
    return compute_due(calendar=WorkingCalendar(), **events)


# The worked examples of regulations.md (2025 calendar).


def test_example_a_national_day_with_make_up_saturday():
    due = compute(received_on=D(2025, 9, 30))
    assert due.due_date == D(2025, 11, 4)
    assert due.base_due_date == D(2025, 11, 4)
    assert due.extended_due_date is None
    assert CountedDay(D(2025, 10, 11), 3, "调休上班") in due.counted


def test_example_b_labour_day():
    assert compute(received_on=D(2025, 4, 30)).due_date == D(2025, 6, 3)


def test_example_c_correction_restarts_the_clock():
    due = compute(
        received_on=D(2025, 3, 3),
        correction_notice_on=D(2025, 3, 5),
        correction_received_on=D(2025, 3, 17),
    )
    assert due.start == D(2025, 3, 17)
    assert due.due_date == D(2025, 4, 15)
    assert due.correction_notice_late is False


def test_example_d_consultation_pauses_eight_working_days():
    due = compute(received_on=D(2025, 6, 2), consultations=[(D(2025, 6, 10), D(2025, 6, 20))])
    assert due.due_date == D(2025, 7, 10)
    assert due.paused_days == 8
    assert due.counted[0] == CountedDay(D(2025, 6, 3), 1)
    assert [day.date for day in due.skipped if day.reason == "征求意见"] == [
        D(2025, 6, 11),
        D(2025, 6, 12),
        D(2025, 6, 13),
        D(2025, 6, 16),
        D(2025, 6, 17),
        D(2025, 6, 18),
        D(2025, 6, 19),
        D(2025, 6, 20),
    ]


def test_example_e_extension_counts_on_from_the_due_date():
    due = compute(
        received_on=D(2025, 9, 30), extension_days=20, extension_decided_on=D(2025, 11, 3)
    )
    assert due.base_due_date == D(2025, 11, 4)
    assert due.extended_due_date == D(2025, 12, 2)
    assert due.due_date == D(2025, 12, 2)
    assert due.extension_late is False


# The explanation.


def test_example_a_explains_every_skipped_day_with_its_reason():
    due = compute(received_on=D(2025, 9, 30))
    assert due.skipped == (
        SkippedDay(D(2025, 10, 1), "国庆节"),
        SkippedDay(D(2025, 10, 2), "国庆节"),
        SkippedDay(D(2025, 10, 3), "国庆节"),
        SkippedDay(D(2025, 10, 4), "国庆节"),
        SkippedDay(D(2025, 10, 5), "国庆节"),
        SkippedDay(D(2025, 10, 6), "中秋节"),
        SkippedDay(D(2025, 10, 7), "国庆节"),
        SkippedDay(D(2025, 10, 8), "国庆节"),
        SkippedDay(D(2025, 10, 12), "周末"),
        SkippedDay(D(2025, 10, 18), "周末"),
        SkippedDay(D(2025, 10, 19), "周末"),
        SkippedDay(D(2025, 10, 25), "周末"),
        SkippedDay(D(2025, 10, 26), "周末"),
        SkippedDay(D(2025, 11, 1), "周末"),
        SkippedDay(D(2025, 11, 2), "周末"),
    )
    assert due.notes == (CountedDay(D(2025, 10, 11), 3, "调休上班"),)
    assert [day.number for day in due.counted] == list(range(1, 21))


def test_explanation_lines_name_start_days_and_due_date():
    lines = compute(received_on=D(2025, 9, 30)).explanation()
    assert lines[0] == "2025-09-30 起算日（不计入）"
    assert lines[1] == "2025-10-01 不计：国庆节"
    assert "2025-10-11 第3个工作日（调休上班）" in lines
    assert lines[-1] == "答复期限：2025-11-04"


# More real calendars.


def test_spring_festival_2025_counts_both_make_up_weekend_days():
    due = compute(received_on=D(2025, 1, 24))
    assert due.due_date == D(2025, 2, 27)
    assert due.notes == (
        CountedDay(D(2025, 1, 26), 1, "调休上班"),
        CountedDay(D(2025, 2, 8), 6, "调休上班"),
    )
    assert [day for day in due.skipped if day.reason == "春节"] == [
        SkippedDay(D(2025, 1, 28) + datetime.timedelta(days=offset), "春节") for offset in range(8)
    ]


def test_national_day_2024_with_make_up_sunday_and_saturday():
    due = compute(received_on=D(2024, 9, 27))
    assert due.due_date == D(2024, 10, 30)
    assert [day.date for day in due.notes] == [D(2024, 9, 29), D(2024, 10, 12)]
    assert SkippedDay(D(2024, 9, 28), "周末") in due.skipped


def test_weekend_inside_a_holiday_period_takes_the_holiday_name():
    calendar = WorkingCalendar()
    assert calendar.day(D(2025, 10, 4)).reason == "国庆节"
    assert calendar.day(D(2025, 5, 3)).reason == "劳动节"


def test_the_official_schedule_of_a_year_groups_its_holidays_into_periods():
    schedule = official_schedule(2025)
    assert schedule.known is True
    assert schedule.holidays[:2] == (
        HolidayPeriod("元旦", D(2025, 1, 1), D(2025, 1, 1)),
        HolidayPeriod("春节", D(2025, 1, 28), D(2025, 2, 4)),
    )
    assert schedule.holiday_days == 28
    assert schedule.workdays[0] == MakeUpDay(D(2025, 1, 26), "春节")
    assert len(schedule.workdays) == 5


def test_a_year_the_package_does_not_know_has_no_official_schedule():
    assert official_schedule(2027) == OfficialSchedule(2027, known=False)
    assert official_day(D(2027, 1, 1)) == ""


def test_official_day_names_what_the_schedule_says():
    assert official_day(D(2025, 10, 6)) == "中秋节"
    assert official_day(D(2025, 10, 11)) == "调休上班"
    assert official_day(D(2025, 10, 12)) == "周末"
    assert official_day(D(2025, 10, 13)) == "工作日"


def test_every_packaged_holiday_has_a_chinese_name():
    assert set(HOLIDAY_NAMES) == {holiday.value for holiday in chinese_calendar.Holiday}


# Pauses, extension and flags.


def test_fee_notice_pauses_until_payment_day():
    due = compute(received_on=D(2025, 3, 3), fee_pauses=[(D(2025, 3, 5), D(2025, 3, 12))])
    assert due.due_date == D(2025, 4, 8)
    assert due.paused_days == 5
    assert [day.date for day in due.skipped if day.reason == "待缴费"] == [
        D(2025, 3, 6),
        D(2025, 3, 7),
        D(2025, 3, 10),
        D(2025, 3, 11),
        D(2025, 3, 12),
    ]


def test_fee_notice_without_end_pauses_twenty_working_days_and_says_so():
    due = compute(received_on=D(2025, 3, 3), fee_pauses=[(D(2025, 3, 5), None)])
    assert due.paused_days == 20
    assert due.warnings == ("收费通知未填写缴费日期或缴费期限，按通知后20个工作日计算。",)


def test_unanswered_consultation_pauses_fifteen_working_days():
    due = compute(received_on=D(2025, 6, 2), consultations=[(D(2025, 6, 10), None)])
    assert due.paused_days == 15
    assert due.due_date == D(2025, 7, 21)


def test_extension_decided_after_the_base_due_date_is_flagged():
    due = compute(
        received_on=D(2025, 9, 30), extension_days=20, extension_decided_on=D(2025, 11, 5)
    )
    assert due.extension_late is True
    assert due.due_date == D(2025, 12, 2)


def test_correction_notice_on_the_seventh_working_day_is_in_time():
    due = compute(received_on=D(2025, 3, 3), correction_notice_on=D(2025, 3, 12))
    assert due.correction_notice_late is False


def test_correction_notice_on_the_eighth_working_day_is_flagged():
    due = compute(received_on=D(2025, 3, 3), correction_notice_on=D(2025, 3, 13))
    assert due.correction_notice_late is True


def test_extension_days_out_of_range_are_refused():
    with pytest.raises(ValueError):
        compute(received_on=D(2025, 3, 3), extension_days=21)


# Years the package does not know, and the administrators' table.


def test_year_without_calendar_data_counts_weekdays_and_warns():
    due = compute(received_on=D(2026, 12, 10))
    assert due.due_date == D(2027, 1, 7)
    assert due.warnings == ("2027年节假日安排尚未录入，按周一至周五计算",)


def test_known_year_alone_gives_no_warning():
    assert compute(received_on=D(2026, 11, 2)).warnings == ()


@pytest.mark.django_db
def test_entries_for_a_new_year_make_it_known():
    CalendarDay.objects.create(date=D(2027, 1, 1), kind=CalendarDayKind.HOLIDAY, name="元旦")
    due = compute_due(received_on=D(2026, 12, 10))
    assert due.due_date == D(2027, 1, 8)
    assert due.warnings == ()
    assert SkippedDay(D(2027, 1, 1), "元旦") in due.skipped


@pytest.mark.django_db
def test_override_holiday_moves_the_due_date():
    CalendarDay.objects.create(date=D(2025, 10, 31), kind=CalendarDayKind.HOLIDAY, name="临时调整")
    due = compute_due(received_on=D(2025, 9, 30))
    assert due.due_date == D(2025, 11, 5)
    assert SkippedDay(D(2025, 10, 31), "临时调整") in due.skipped


@pytest.mark.django_db
def test_override_workday_on_a_weekend_counts_as_make_up_day():
    CalendarDay.objects.create(date=D(2025, 10, 18), kind=CalendarDayKind.WORKDAY)
    due = compute_due(received_on=D(2025, 9, 30))
    assert due.due_date == D(2025, 11, 3)
    assert CountedDay(D(2025, 10, 18), 9, "调休上班") in due.notes


@pytest.mark.django_db
def test_override_holiday_without_name_uses_the_packaged_name():
    CalendarDay.objects.create(date=D(2025, 10, 1), kind=CalendarDayKind.HOLIDAY)
    assert WorkingCalendar.for_years(2025, 2025).day(D(2025, 10, 1)).reason == "国庆节"


@pytest.mark.django_db
def test_weekend_between_entered_holidays_takes_their_name():
    for day in (D(2027, 2, 5), D(2027, 2, 8)):
        CalendarDay.objects.create(date=day, kind=CalendarDayKind.HOLIDAY, name="春节")
    calendar = WorkingCalendar.for_years(2027, 2027)
    assert calendar.day(D(2027, 2, 6)).reason == "春节"
    assert calendar.day(D(2027, 2, 7)).reason == "春节"
    assert calendar.day(D(2027, 2, 13)).reason == "周末"


@pytest.mark.django_db
def test_due_date_computation_reads_the_overrides_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        compute_due(
            received_on=D(2025, 12, 1),
            consultations=[(D(2025, 12, 3), None)],
            fee_pauses=[(D(2025, 12, 20), D(2026, 1, 10))],
            extension_days=20,
            extension_decided_on=D(2026, 1, 5),
        )


@pytest.mark.django_db
def test_a_shared_calendar_reads_each_year_once(django_assert_num_queries):
    calendar = WorkingCalendar.for_years(2025, 2026)
    with django_assert_num_queries(0):
        for day in (D(2025, 1, 2), D(2025, 6, 2), D(2025, 11, 3)):
            compute_due(received_on=day, calendar=calendar)


# The small helpers.


@pytest.mark.django_db
def test_add_working_days_skips_the_start_day():
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert add_working_days(D(2025, 9, 30), 0) == D(2025, 9, 30)


@pytest.mark.django_db
def test_is_working_day_follows_holidays_and_make_up_days():
    assert is_working_day(D(2025, 10, 11)) is True
    assert is_working_day(D(2025, 10, 8)) is False
    assert is_working_day(D(2025, 10, 12)) is False
    assert is_working_day(D(2025, 10, 13)) is True


@pytest.mark.django_db
def test_working_days_between_excludes_start_and_includes_end():
    assert working_days_between(D(2025, 9, 30), D(2025, 11, 4)) == 20
    assert working_days_between(D(2025, 11, 4), D(2025, 9, 30)) == -20
    assert working_days_between(D(2025, 10, 1), D(2025, 10, 1)) == 0
