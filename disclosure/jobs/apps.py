from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "disclosure.jobs"
    label = "jobs"
    verbose_name = _("后台任务")

    def ready(self) -> None:
        from disclosure.jobs import tasks  # noqa: F401  (registers the tasks by name)
