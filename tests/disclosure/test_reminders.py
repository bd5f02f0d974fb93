"""send_reminders: one digest per clerk and working day, naming only her bodies' requests."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from disclosure.models import ReminderSent
from disclosure.reminders import reminders_send
from disclosure.vocab import Role
from tests.disclosure.casework_helpers import NOW, TODAY, casework_world
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


@pytest.fixture
def world(settings):
    settings.SITE_URL = "https://gk.example.cn"
    return casework_world()


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_run_twice_on_a_working_day_each_clerk_gets_exactly_one_mail(world):
    run()
    run()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "clerk-county-a@example.cn",
        "clerk-county-b@example.cn",
    ]
    assert ReminderSent.objects.filter(date=TODAY).count() == 2


def test_the_mail_names_her_bodies_overdue_and_lapsed_requests_and_no_others(world):
    run()
    message = next(m for m in mail.outbox if m.to == ["clerk-county-a@example.cn"])
    text = message.body
    for reference in ("2026-101", "2026-102", "2026-103"):
        assert reference in text
    for reference in ("2026-201", "2026-202", "2026-203", "2026-104"):
        assert reference not in text
    assert "甲县教育局" in text  # the body, by name
    assert (
        f"https://gk.example.cn/admin/disclosure/informationrequest/{world.a.overdue.pk}/change/"
        in text
    )
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "2026-103" in html and "2026-201" not in html
    assert message.subject == (
        "【政府信息公开】2026-11-30 期限提醒：逾期 1 件，3个工作日内到期 1 件，补正逾期 1 件"
    )


def test_due_within_three_working_days_only(world):
    # Due Thu 3 Dec: the 3rd working day after Mon 30 Nov; Fri 4 Dec is the 4th.
    world.a.due_soon.due_date = datetime.date(2026, 12, 4)
    world.a.due_soon.save()
    run()
    text = next(m for m in mail.outbox if m.to == ["clerk-county-a@example.cn"]).body
    assert "2026-102" not in text
    assert ReminderSent.objects.get(user=world.a.clerk, date=TODAY).due_soon == 0


def test_nothing_for_a_user_with_nothing_due_viewers_or_users_without_email(world):
    idle = UserFactory(username="idle", email="idle@example.cn")
    MembershipFactory(user=idle, body=world.city, role=Role.EDIT)
    world.a.clerk.email = ""
    world.a.clerk.save()
    viewer = UserFactory(username="viewer", email="viewer@example.cn")
    MembershipFactory(user=viewer, body=world.a.body, role=Role.VIEW)
    # idle answers for 乙县教育局, where nothing is due once its request moves up a level.
    idle.memberships.update(body=world.b.department)
    world.b.overdue.body = world.b.body
    world.b.overdue.save()
    run()
    assert sorted(m.to[0] for m in mail.outbox) == ["clerk-county-b@example.cn"]


def test_a_day_that_is_not_a_working_day_sends_nothing(world):
    output = run("--date", "2026-11-29")  # a Sunday
    assert "不是工作日" in output
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_date_makes_that_day_today_for_everything(world):
    # On Thu 5 Nov the overdue request was due soon (6 Nov) and no 补正 had lapsed.
    run("--date", "2026-11-05")
    text = next(m for m in mail.outbox if m.to == ["clerk-county-a@example.cn"]).body
    assert "2026-101" in text and "2026-103" not in text
    assert "逾期 0 件" in mail.outbox[0].subject
    assert set(ReminderSent.objects.values_list("date", flat=True)) == {datetime.date(2026, 11, 5)}
    run()  # today is another day: sent again
    assert len(mail.outbox) == 4


def test_dry_run_prints_the_digests_and_sends_nothing(world):
    output = run("--dry-run")
    assert "收件人：clerk-county-a@example.cn" in output and "2026-103" in output
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_a_mail_that_cannot_be_sent_is_not_recorded_and_goes_out_next_time(world, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with pytest.raises(CommandError):
        run()
    assert not ReminderSent.objects.exists()
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    run()
    assert len(mail.outbox) == 2


def test_a_bad_date_is_named():
    with pytest.raises(CommandError, match="2026-02-30"):
        run("--date", "2026-02-30")


def test_the_beat_task_runs_the_same_service(world):
    from disclosure.tasks import send_reminders

    assert send_reminders() == 2
    assert send_reminders() == 0


def test_beat_schedules_the_reminders_daily_at_eight(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["disclosure-send-reminders"]
    assert entry["task"] == "disclosure.send_reminders"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({8}, {0})


def test_the_service_records_counts(world):
    reminders_send(today=TODAY)
    record = ReminderSent.objects.get(user=world.a.clerk)
    assert (record.overdue, record.due_soon, record.correction_lapsed) == (1, 1, 1)
