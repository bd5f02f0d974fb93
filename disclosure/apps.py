from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("政府信息公开台账")

    def ready(self) -> None:
        from disclosure.background import KINDS
        from disclosure.jobs.registry import register

        for kind in KINDS:
            register(kind)
        from disclosure.postgres import use_quick_arrays

        connection_created.connect(use_quick_arrays, dispatch_uid="disclosure.quick_arrays")
