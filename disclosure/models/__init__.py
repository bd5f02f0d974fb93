from .audit import AuditEntry
from .bodies import Body, BodyMove, BodyScopedQuerySet, Membership, child_path
from .calendar import CalendarDay
from .cases import AppealCase
from .casework import ApplicantAccess, ReminderSent
from .proactive import Document, YearlyFigure
from .requests import Applicant, Attachment, Consultation, InformationRequest, ReferenceCounter

__all__ = [
    "Applicant",
    "ApplicantAccess",
    "AppealCase",
    "Attachment",
    "AuditEntry",
    "Body",
    "BodyMove",
    "BodyScopedQuerySet",
    "CalendarDay",
    "Consultation",
    "Document",
    "InformationRequest",
    "Membership",
    "ReferenceCounter",
    "ReminderSent",
    "YearlyFigure",
    "child_path",
]
