from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "masthead.news"
    label = "news"

    def ready(self):
        from . import navigation, topics

        navigation.connect()
        topics.connect()
