"""Password validators where Django's own fall short in Chinese."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with a Chinese refusal: Django 5.2 reworded the message ("at least %d
    characters") and its zh_Hans catalogue still has only the old wording, so the refusal
    came out in English."""

    def get_error_message(self) -> str:
        return _("密码太短，至少需要 %(min_length)s 个字符。") % {"min_length": self.min_length}
