"""Charts of published reports, drawn on the server as inline SVG with pygal.

No script and no outside resource: pygal's tooltip script is switched off (``js=[]``) and
its style sheets are inlined into the SVG. Each chart is a picture of figures that the
page also prints as a table, so the SVG is labelled as an image for assistive technology.
"""

from __future__ import annotations

import pygal
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.etree import etree
from pygal.style import Style

from disclosure.vocab import ApplicantKind
from reports import format as fmt
from reports.public import YearFigures

# Dark enough on white for WCAG AA non-text contrast (3:1) and distinguishable in grey.
PALETTE = ("#a61b1b", "#1f5f99", "#2e7d32", "#8a5a00", "#6a3d9a", "#4a4f55", "#b3366b")
FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1f2328",
    foreground_strong="#1f2328",
    foreground_subtle="#57606a",
    colors=PALETTE,
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    title_font_family=FONT,
    legend_font_family=FONT,
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    legend_font_size=13,
    title_font_size=15,
    opacity="1",
    opacity_hover=".85",
)

# pygal sizes the label gutter for Latin glyphs; Chinese labels are about twice as wide.
CJK_LABEL_MARGIN = 44
# Room after the longest bar for its printed value.
VALUE_MARGIN = 48

# The result groups drawn as bars: the format's groups, without the combined one.
CHART_RESULT_GROUPS = (
    "granted",
    "partially_granted",
    "denied",
    "unable",
    "rejected",
    "other_handling",
)


def _config(**options) -> dict:
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "print_values": True,
        "print_zeroes": True,
        "print_values_position": "top",
        "truncate_label": -1,
        "max_scale": 6,
        "show_legend": False,
        "width": 520,
        "height": 300,
        "margin": 8,
        **options,
    }


def _svg(chart: pygal.graph.graph.Graph, label: str) -> SafeString:
    """The chart's SVG without pygal's inline config script, named by ``label`` for screen
    readers."""
    root = chart.render_tree()
    for parent in root.iter():
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    if isinstance(chart, pygal.HorizontalBar):
        # Values sit after the bar's end (print_values_position "top"), left-aligned, so no
        # digit is drawn over the dark bar.
        for node in root.iter():
            if isinstance(node.tag, str) and "value" in node.get("class", "").split():
                node.set("text-anchor", "start")
    root.set("role", "img")
    root.set("aria-label", label)
    return mark_safe(etree.tostring(root, encoding="unicode"))


def _total(values: list[int | None]) -> int | None:
    return None if any(value is None for value in values) else sum(values)


def results_by_group(document: dict) -> SafeString:
    """Requests concluded in the year by result group (column 总计 of table 三)."""
    rows = document["requests"]["rows"]
    # pygal draws horizontal bars bottom-up: reversed, the format's order reads top-down.
    groups = [fmt.RESULT_GROUPS[key] for key in reversed(CHART_RESULT_GROUPS)]
    chart = pygal.HorizontalBar(
        **_config(height=280, margin_left=CJK_LABEL_MARGIN, margin_right=VALUE_MARGIN)
    )
    chart.x_labels = [group.label for group in groups]
    chart.add(
        _("件数"),
        [_total([rows[row][fmt.TOTAL_COLUMN_KEY] for row in group.rows]) for group in groups],
    )
    return _svg(chart, _("办理结果分组（件）"))


def applicants_by_type(document: dict) -> SafeString:
    """New requests of the year by applicant type (row 一 of table 三)."""
    row = document["requests"]["rows"]["new_received"]
    keys = list(reversed(fmt.APPLICANT_COLUMN_KEYS))
    chart = pygal.HorizontalBar(
        **_config(height=260, margin_left=CJK_LABEL_MARGIN, margin_right=VALUE_MARGIN)
    )
    chart.x_labels = [str(ApplicantKind(key).label) for key in keys]
    chart.add(_("件数"), [row[key] for key in keys])
    return _svg(chart, _("本年新收申请按申请人类型（件）"))


def year_over_year(figures: list[YearFigures]) -> SafeString:
    """Requests received and concluded, and appeals, over the years of a body's reports."""
    chart = pygal.Bar(**_config(show_legend=True, legend_at_bottom=True, height=320, margin_top=24))
    chart.x_labels = [str(item.year) for item in figures]
    chart.add(_("新收申请"), [item.received for item in figures])
    chart.add(_("办结"), [item.concluded for item in figures])
    chart.add(_("结转下年"), [item.carried_forward for item in figures])
    chart.add(
        _("行政复议和行政诉讼"),
        [_total([item.reconsiderations, item.lawsuits]) for item in figures],
    )
    return _svg(chart, _("历年申请办理和复议诉讼情况（件）"))
