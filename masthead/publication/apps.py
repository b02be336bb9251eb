from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "masthead.publication"
    label = "publication"

    def ready(self):
        from . import checks, signals  # noqa: F401 - checks registers itself

        signals.connect()
