from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "masthead.news"
    label = "news"

    def ready(self):
        from . import topics

        topics.connect()
