"""Download names: Chinese (RFC 5987) with an ASCII fallback."""

from __future__ import annotations

import pytest

from disclosure.downloads import content_disposition, file_name


def test_a_chinese_name_is_encoded_after_its_ascii_fallback():
    header = content_disposition("台账导入模板.xlsx", fallback="import-template.xlsx")

    assert header == (
        'attachment; filename="import-template.xlsx"; '
        "filename*=UTF-8''%E5%8F%B0%E8%B4%A6%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )


def test_an_ascii_name_equal_to_its_fallback_is_named_once_inline():
    assert content_disposition("a-1.csv", fallback="a-1.csv", as_attachment=False) == (
        'inline; filename="a-1.csv"'
    )


def test_characters_a_file_system_refuses_are_replaced():
    assert file_name('局/处:"名"<>|?*\x00.pdf') == "局_处__名_______.pdf"
    header = content_disposition("a/b 名.pdf", fallback="ab.pdf")
    assert header.endswith("filename*=UTF-8''a_b%20%E5%90%8D.pdf")


@pytest.mark.parametrize("fallback", ["名.pdf", 'a".pdf', "a b.pdf", ""])
def test_a_fallback_that_is_not_plain_ascii_is_a_bug(fallback):
    with pytest.raises(ValueError, match="not an ASCII file name"):
        content_disposition("名.pdf", fallback=fallback)
