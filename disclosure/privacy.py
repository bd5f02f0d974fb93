"""Masking of applicants' personal data for everyone without the identity permission."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***; an organisation keeps its first two characters."""
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) <= 4:
        return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"
    return name[:2] + "*" * (len(name) - 2)


def mask_id_number(number: str) -> str:
    """6201xxxxxxxxxx1234 → 6201**********1234; short numbers keep only their last two."""
    number = (number or "").strip()
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * (len(number) - 2) + number[-2:]
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def can_see_identity(user) -> bool:
    return bool(user and user.is_active and user.has_perm("disclosure.view_applicant_identity"))
