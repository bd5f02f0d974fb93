"""The one placeholder rule of user-written text (narratives, letter templates)."""

from __future__ import annotations

import pytest

from disclosure.placeholders import (
    PlaceholderError,
    placeholder_names,
    placeholder_problems,
    render_placeholders,
)

KNOWN = {"body": "凉州区教育局", "year": "2026"}.__contains__


def test_placeholders_are_replaced_and_doubled_braces_are_literal():
    text = "{body}{year}年报告{{附件}}"
    rendered = render_placeholders(
        text, known=KNOWN, resolve={"body": "凉州区教育局", "year": "2026"}.__getitem__
    )
    assert rendered == "凉州区教育局2026年报告{附件}"
    assert placeholder_names(text) == ["body", "year"]


def test_every_unknown_placeholder_and_lone_brace_is_named_and_nothing_renders():
    text = "{body}{signature}与{seal} }"
    assert placeholder_problems(text, KNOWN) == [
        "未知的占位符：{signature}",
        "未知的占位符：{seal}",
        "第 26 个字符处有单独的“}”（字面花括号请写成“{{”或“}}”）。",
    ]
    with pytest.raises(PlaceholderError) as refused:
        render_placeholders(text, known=KNOWN, resolve=lambda name: "x")
    assert len(refused.value.problems) == 3
