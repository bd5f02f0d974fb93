"""What other apps tell the records, without the records importing them.

The records (``disclosure``) know nothing of the annual reports, yet staff editing a record
that a published report counted must be told so. ``reports`` registers a provider in its
``AppConfig.ready()``; the admin and the API ask the hook. With no provider registered (the
records alone) nothing counts a record, and the answer is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet

T = TypeVar("T")


class Hook(Generic[T]):
    """Providers registered by other apps; ``ask`` joins their answers, in the order they
    registered. No provider: an empty answer."""

    def __init__(self, name: str):
        self.name = name
        self.providers: list[Callable[..., Sequence[T]]] = []

    def register(self, provider: Callable[..., Sequence[T]]) -> None:
        """Add ``provider`` (once: registering it again changes nothing)."""
        if provider not in self.providers:
            self.providers.append(provider)

    def ask(self, *args, **kwargs) -> list[T]:
        return [answer for provider in self.providers for answer in provider(*args, **kwargs)]


@dataclass(frozen=True)
class PublishedReport:
    """A published report version that counts a record."""

    body_code: str
    year: int
    version: int
    title: str

    def __str__(self) -> str:
        return self.title


published_reports_counting: Hook[PublishedReport] = Hook("published_reports_counting")
"""``ask(body: Body, years: Sequence[int])``: the latest published version of every report
of those years whose scope covers ``body``, by year."""


request_admin_panels: Hook[str] = Hook("request_admin_panels")
"""``ask(http_request, request)``: panels (safe HTML, read-only: no form fields) other apps
show on a request's admin page below its form (the letters app: the request's letters with
their state and downloads)."""


@dataclass(frozen=True)
class AdminLink:
    """A link on a record's admin page (its object tools)."""

    url: str
    label: str


request_admin_links: Hook[AdminLink] = Hook("request_admin_links")
"""``ask(http_request, request)``: links other apps add to a request's admin page for this
user (the letters app: 起草文书)."""


audit_scopes: Hook[tuple[type[Model], QuerySet]] = Hook("audit_scopes")
"""``ask(user)``: (model, the rows of that model ``user`` sees) for the records of other
apps whose audit rows ``access.audit_visible_to`` shows beside the records' own — the
annual reports and their readings, registered by ``reports``."""
