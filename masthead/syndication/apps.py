from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "masthead.syndication"
    label = "syndication"
    verbose_name = "Feeds and sitemaps"

    def ready(self):
        from . import signals

        signals.connect()
