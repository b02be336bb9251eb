from django.urls import path

from . import views

urlpatterns = [
    path("live/", views.live_stream, name="tv_live"),
    path("feeds/roku.json", views.roku_feed, name="tv_roku_feed"),
]
