from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("政府信息公开台账")

    def ready(self) -> None:
        from disclosure.background import KINDS
        from disclosure.jobs.registry import register

        for kind in KINDS:
            register(kind)
