"""The kinds of job. An app registers its kinds in ``AppConfig.ready()``::

    register(JobKind("records_import", _("导入台账"), run="disclosure.background:run_import"))

``run(job, progress)`` does the work in one transaction and returns an ``Outcome`` (the job
is then done, in that same transaction), raises ``JobRefused`` (the job fails with its
Chinese message, nothing it wrote is kept), or returns ``FanOut(parts)``: each part then runs
as its own task, on any worker, through ``part(job, params, progress)``, and when the last
part is done ``finish(job, progress)`` returns the ``Outcome``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class JobKind:
    key: str
    label: str
    run: str  # "module:function"; imported when a job runs, not at start-up
    part: str = ""
    finish: str = ""

    def function(self, step: str) -> Callable:
        path = getattr(self, step)
        if not path:
            raise ImproperlyConfigured(f"job kind {self.key!r} has no {step!r} step")
        module, name = path.split(":")
        return getattr(import_module(module), name)


@dataclass
class Outcome:
    """What a finished job leaves: ``result`` (JSON; ``lines`` are shown to the user) and
    optionally a file on local disk, moved into storage as the job's result (``filename``
    is its download name)."""

    result: dict = field(default_factory=dict)
    file: Path | None = None
    filename: str = ""


@dataclass
class FanOut:
    """The job continues as ``parts`` (JSON params, one task each), then its finish step."""

    parts: list[dict]


class JobRefused(Exception):
    """The job cannot be done as asked; ``message`` (Chinese) becomes its failure reason and
    ``result`` (JSON) details it, e.g. every refused cell of a workbook."""

    def __init__(self, message: str, *, result: dict | None = None):
        super().__init__(message)
        self.message = message
        self.result = result or {}


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    if kind.key in _KINDS and _KINDS[kind.key] != kind:
        raise ImproperlyConfigured(f"job kind {kind.key!r} is registered twice")
    _KINDS[kind.key] = kind


def get_kind(key: str) -> JobKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise ImproperlyConfigured(f"no job kind {key!r} is registered") from None


def kind_label(key: str) -> str:
    kind = _KINDS.get(key)
    return str(kind.label) if kind is not None else key


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, str(kind.label)) for kind in _KINDS.values()]
