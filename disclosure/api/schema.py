"""How the API documentation describes its authentication: in Chinese, as the rest of it
(drf-spectacular's own description of the token scheme is English)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import TokenScheme


class ChineseTokenScheme(TokenScheme):
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            **super().get_security_definition(auto_schema),
            "description": _(
                "令牌认证：请求头 Authorization: Token <令牌>（令牌在管理后台签发）。"
            ),
        }
