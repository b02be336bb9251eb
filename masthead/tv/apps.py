from django.apps import AppConfig


class TvConfig(AppConfig):
    name = "masthead.tv"
    label = "tv"
    verbose_name = "TV channel"

    def ready(self):
        from . import on_air, signals

        on_air.connect()
        signals.connect()
