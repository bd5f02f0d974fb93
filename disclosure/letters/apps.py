from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "disclosure.letters"
    label = "letters"
    verbose_name = _("文书")

    def ready(self) -> None:
        from disclosure import hooks
        from disclosure.letters import admin

        # The request page shows the request's letters and links to draft one; the records'
        # admin asks the hook rather than importing this app.
        hooks.request_admin_panels.register(admin.request_panel)
        hooks.request_admin_links.register(admin.request_links)
