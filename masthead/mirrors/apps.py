from django.apps import AppConfig


class MirrorsConfig(AppConfig):
    name = "masthead.mirrors"
    label = "mirrors"
    verbose_name = "Mirrors"

    def ready(self):
        from . import notice

        notice.connect()
