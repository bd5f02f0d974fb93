"""The records' scheduled tasks (``CELERY_BEAT_SCHEDULE``): the daily reminders."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from disclosure.reminders import reminders_send


@shared_task(name="disclosure.send_reminders")
def send_reminders() -> int:
    """Today's reminder digests (nothing on a day that is not a working day); the number of
    mails sent."""
    return len(reminders_send(today=timezone.localdate()).sent)
