from django.apps import AppConfig


class MirrorsConfig(AppConfig):
    name = "masthead.mirrors"
    label = "mirrors"
    verbose_name = "Mirrors"

    def ready(self):
        from . import checks, notice  # noqa: F401 - checks registers the target checks

        notice.connect()
