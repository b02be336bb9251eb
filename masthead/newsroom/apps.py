from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NewsroomConfig(AppConfig):
    name = "masthead.newsroom"
    label = "newsroom"

    def ready(self):
        from .signals import grant_administrators_everything

        post_migrate.connect(grant_administrators_everything)
