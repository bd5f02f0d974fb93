"""The daily reminder digests (``send_reminders``, and beat at 08:00 on working days).

Each active staff user with an e-mail address who holds 录入 or 审核发布 through a membership
gets one mail naming, by 申请编号 and body, the requests of the bodies those memberships
reach (their subtrees) that are overdue, due within ``REMINDER_DUE_WORKING_DAYS`` working
days, or whose 补正 lapsed — the worklist's categories (``disclosure.worklist``) for what
cannot wait. Nothing is sent to a user with nothing due, nor on a day that is not a working
day; what was sent is recorded (``ReminderSent``, one per user and day), so a second run of
the same day sends nothing more.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from disclosure import worklist
from disclosure.access import bodies_with_role
from disclosure.calendar import WorkingCalendar
from disclosure.models import InformationRequest, Membership, ReminderSent
from disclosure.vocab import ROLE_RANK, Role

logger = logging.getLogger(__name__)

REMINDER_DUE_WORKING_DAYS = 3  # the worklist's 5 is for planning; the mail for what cannot wait
REMINDER_CATEGORIES = (worklist.OVERDUE, worklist.DUE_SOON, worklist.CORRECTION_LAPSED)
REMINDER_LIMIT = 200  # requests named per category; the mail links to the full lists
REMINDER_ROLES = [role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK[Role.EDIT]]


@dataclass(frozen=True)
class Digest:
    user: object
    day: worklist.WorkDay
    entries: tuple[worklist.Entry, ...]

    @property
    def empty(self) -> bool:
        return not any(entry.count for entry in self.entries)

    def count(self, key: str) -> int:
        return next(entry.count for entry in self.entries if entry.key == key)

    @property
    def subject(self) -> str:
        return _(
            "【政府信息公开】%(date)s 期限提醒：逾期 %(overdue)s 件，"
            "%(days)s个工作日内到期 %(soon)s 件，补正逾期 %(lapsed)s 件"
        ) % {
            "date": self.day.today.isoformat(),
            "overdue": self.count(worklist.OVERDUE),
            "days": self.day.due_within,
            "soon": self.count(worklist.DUE_SOON),
            "lapsed": self.count(worklist.CORRECTION_LAPSED),
        }

    def context(self) -> dict:
        site = settings.SITE_URL
        changelist = reverse("admin:disclosure_informationrequest_changelist")
        return {
            "user": self.user,
            "day": self.day,
            "site": site,
            "worklist_url": site + reverse("admin:index"),
            "entries": [
                {
                    "entry": entry,
                    "url": f"{site}{changelist}?worklist={entry.key}",
                    "more": entry.count - len(entry.requests),
                    "requests": [
                        {
                            "request": request,
                            "url": site
                            + reverse(
                                "admin:disclosure_informationrequest_change", args=[request.pk]
                            ),
                        }
                        for request in entry.requests
                    ],
                }
                for entry in self.entries
                if entry.count
            ],
        }

    def message(self) -> EmailMultiAlternatives:
        context = self.context()
        mail = EmailMultiAlternatives(
            subject=self.subject,
            body=render_to_string("disclosure/email/reminder.txt", context),
            to=[self.user.email],
        )
        mail.attach_alternative(
            render_to_string("disclosure/email/reminder.html", context), "text/html"
        )
        return mail


def recipients():
    """Active staff users with an e-mail address and a membership of 录入 or 审核发布."""
    holders = Membership.objects.filter(role__in=REMINDER_ROLES).values("user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, pk__in=holders)
        .exclude(email="")
        .order_by("pk")
    )


def digest_for(user, day: worklist.WorkDay) -> Digest:
    """The user's digest: the reminder categories over the requests of the bodies her
    memberships of 录入 or 审核发布 reach — never another body's."""
    bodies = bodies_with_role(user, Role.EDIT, memberships_only=True)
    requests = InformationRequest.objects.filter(body__in=bodies)
    entries = worklist.worklist(requests, day, keys=REMINDER_CATEGORIES, limit=REMINDER_LIMIT)
    return Digest(user=user, day=day, entries=tuple(entries))


@dataclass
class ReminderRun:
    """What one run did: the day, whether it was a working day, and per user the outcome."""

    today: datetime.date
    working_day: bool = True
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    nothing_due: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    digests: list[Digest] = field(default_factory=list)


def reminders_send(
    *,
    today: datetime.date,
    dry_run: bool = False,
    report: Callable[[str], None] | None = None,
) -> ReminderRun:
    """Send the day's digests (``today`` is "today" for everything: the statuses, the
    working-day test and the record of what was sent). ``dry_run`` builds the digests and
    sends and records nothing (``ReminderRun.digests``)."""
    report = report or (lambda line: None)
    run = ReminderRun(today=today)
    calendar = WorkingCalendar.for_years(today.year - 1, today.year + 1)
    if not calendar.is_working_day(today):
        run.working_day = False
        report(_("%(date)s 不是工作日，不发送提醒。") % {"date": today.isoformat()})
        return run
    day = worklist.work_day(today, due_within=REMINDER_DUE_WORKING_DAYS, calendar=calendar)
    done = set(ReminderSent.objects.filter(date=today).values_list("user_id", flat=True))
    # The mails are Chinese whatever language the process runs in.
    with translation.override(settings.LANGUAGE_CODE):
        for user in recipients():
            if user.pk in done:
                run.already_sent.append(user.get_username())
                continue
            digest = digest_for(user, day)
            if digest.empty:
                run.nothing_due.append(user.get_username())
                continue
            if dry_run:
                run.digests.append(digest)
                continue
            try:
                _send_once(digest)
            except IntegrityError:
                # Another run of the same day recorded this user first.
                run.already_sent.append(user.get_username())
            except OSError as error:  # SMTP and socket errors: the next run tries again
                logger.warning("reminder to %s not sent: %s", user.email, error)
                run.failed.append(f"{user.get_username()}: {error}")
            else:
                run.sent.append(user.get_username())
    report(
        _(
            "%(date)s：发送 %(sent)s 封，已发送过 %(already)s 人，无到期事项 %(nothing)s 人，"
            "发送失败 %(failed)s 人。"
        )
        % {
            "date": today.isoformat(),
            "sent": len(run.sent),
            "already": len(run.already_sent),
            "nothing": len(run.nothing_due),
            "failed": len(run.failed),
        }
    )
    return run


@transaction.atomic
def _send_once(digest: Digest) -> ReminderSent:
    """Record the digest, then send it, in one transaction: a mail that cannot be sent
    leaves no record (the next run tries again); the unique (user, date) row keeps two
    runs of one day from both sending."""
    record = ReminderSent(
        user=digest.user,
        date=digest.day.today,
        email=digest.user.email,
        overdue=digest.count(worklist.OVERDUE),
        due_soon=digest.count(worklist.DUE_SOON),
        correction_lapsed=digest.count(worklist.CORRECTION_LAPSED),
    )
    # The unique (user, date) constraint is the database's to enforce: two runs racing.
    record.full_clean(validate_unique=False, validate_constraints=False)
    record.save()
    digest.message().send()
    return record
