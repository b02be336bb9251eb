from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "masthead.publication"
    label = "publication"
