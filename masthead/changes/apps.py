from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "masthead.changes"
    label = "changes"
    verbose_name = "Changes readers see"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the receivers
