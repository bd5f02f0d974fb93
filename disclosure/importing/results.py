"""The outcome of an import: the problems that refuse a file, or what it changed."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    """One reason to refuse the file. ``line`` is the row number as Excel shows it (the
    header is line 1); ``None`` for a problem of the file or of a sheet's header."""

    sheet: str
    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = [_("“%(sheet)s”表") % {"sheet": self.sheet} if self.sheet else _("文件")]
        if self.line is not None:
            where.append(_("第%(line)s行") % {"line": self.line})
        if self.column:
            where.append(_("“%(column)s”列") % {"column": self.column})
        return _("%(where)s：%(message)s") % {"where": " ".join(where), "message": self.message}


class WorkbookRejected(Exception):
    """The file was refused as a whole; nothing was saved."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class SheetSummary:
    sheet: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # The primary keys of the records the sheet created and changed, in row order.
    created_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)
    # Those already listed: a sheet of 100,000 rows must not search the lists for each row.
    _listed: set[tuple[str, int]] = field(
        default_factory=set, init=False, repr=False, compare=False
    )

    def count(self, outcome: str, pk: int) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome in ("created", "updated") and (outcome, pk) not in self._listed:
            self._listed.add((outcome, pk))
            getattr(self, f"{outcome}_ids").append(pk)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged

    def as_json(self) -> dict:
        """The summary as JSON data (a background job's result); ``SheetSummary(**data)``
        reads it back."""
        return {
            "sheet": self.sheet,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "created_ids": self.created_ids,
            "updated_ids": self.updated_ids,
        }


@dataclass
class ImportSummary:
    sheets: list[SheetSummary] = field(default_factory=list)
    dry_run: bool = False

    @property
    def created(self) -> int:
        return sum(sheet.created for sheet in self.sheets)

    @property
    def updated(self) -> int:
        return sum(sheet.updated for sheet in self.sheets)

    @property
    def unchanged(self) -> int:
        return sum(sheet.unchanged for sheet in self.sheets)

    def lines(self) -> list[str]:
        return [
            _("“%(sheet)s”：新增 %(created)s 条，更新 %(updated)s 条，未变 %(unchanged)s 条")
            % {
                "sheet": sheet.sheet,
                "created": sheet.created,
                "updated": sheet.updated,
                "unchanged": sheet.unchanged,
            }
            for sheet in self.sheets
        ]
