"""Template helpers of the public report pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

BULLET = "- "


@register.filter
def narrative(text: str | None) -> SafeString:
    """Narrative text as HTML: blank lines separate paragraphs, lines starting with "- "
    form a list. The text is escaped; nothing in it is interpreted as markup."""
    if not text:
        return mark_safe("")
    blocks: list[SafeString] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith(BULLET) for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[len(BULLET) :],) for line in lines))
            blocks.append(format_html("<ul>{}</ul>", items))
        else:
            blocks.append(
                format_html(
                    "<p>{}</p>",
                    format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)),
                )
            )
    return mark_safe("\n".join(blocks))


@register.filter
def figure(value) -> str:
    """A figure of a key-figures table: a blank kept from an imported original shows as —."""
    return "—" if value is None else str(value)
