from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "masthead.publication"
    label = "publication"

    def ready(self):
        from . import signals

        signals.connect()
