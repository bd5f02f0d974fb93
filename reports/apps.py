from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("年度报告")

    def ready(self) -> None:
        from disclosure import hooks
        from disclosure.jobs.registry import register

        from . import system_checks  # noqa: F401  (registers the PDF set-up checks)
        from .batch import KIND as EVALUATION
        from .bulk_export import KIND
        from .selectors import audit_scopes
        from .staleness import published_reports_counting

        # The records warn about edits that a published report counted: they ask this.
        hooks.published_reports_counting.register(published_reports_counting)
        # Publishers read the audit rows of their reports beside their records'.
        hooks.audit_scopes.register(audit_scopes)
        # The bulk export of published reports runs as a background job.
        register(KIND)
        # So does the evaluation of a zip of published reports (年报督查 › 批量评查).
        register(EVALUATION)
