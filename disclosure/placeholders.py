"""Placeholders in text that users write (a report's narrative, a body's letter templates).

The product resolves them itself; user text never reaches the Django template engine.
A placeholder is a name in braces; ``{{`` and ``}}`` stand for literal ``{`` and ``}``.
An unknown placeholder or a lone brace is an error that names every one of them
(``PlaceholderError``). What a name means is the caller's: it passes ``known`` (is the
name one it resolves?) and ``resolve`` (its text).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class PlaceholderError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("；".join(problems))


def placeholder_names(text: str) -> list[str]:
    """The placeholder names ``text`` uses, in order (repeats included)."""
    return [m.group(1) for m in _TOKEN.finditer(text or "") if m.group(1) is not None]


def placeholder_problems(text: str, known: Callable[[str], bool]) -> list[str]:
    """Every problem with the placeholders of ``text`` (empty when it renders)."""
    problems: list[str] = []
    for match in _TOKEN.finditer(text or ""):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if match.group(1) is None:
            problems.append(
                _("第 %(pos)d 个字符处有单独的“%(brace)s”（字面花括号请写成“{{”或“}}”）。")
                % {"pos": match.start() + 1, "brace": token}
            )
            continue
        if not known(match.group(1)):
            problems.append(_("未知的占位符：{%(name)s}") % {"name": match.group(1)})
    return problems


def render_placeholders(
    text: str,
    *,
    known: Callable[[str], bool],
    resolve: Callable[[str], str],
    error: type[PlaceholderError] = PlaceholderError,
) -> str:
    """``text`` with each placeholder replaced by ``resolve(name)``; raises ``error`` naming
    every problem first, so that nothing is half rendered."""
    problems = placeholder_problems(text, known)
    if problems:
        raise error(problems)

    def replace(match: re.Match) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        return resolve(match.group(1))

    return _TOKEN.sub(replace, text or "")
