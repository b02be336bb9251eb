from django.apps import AppConfig


class MirrorsConfig(AppConfig):
    name = "masthead.mirrors"
    label = "mirrors"
    verbose_name = "Mirrors"

    def ready(self):
        from . import checks  # noqa: F401 - registers the target checks
