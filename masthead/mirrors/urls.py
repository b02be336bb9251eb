from django.urls import path

from . import views

urlpatterns = [
    path(".well-known/masthead-mirrors.json", views.mirrors_json, name="mirrors_json"),
    path(".well-known/masthead-manifest.json", views.manifest_json, name="mirrors_manifest"),
    path(
        ".well-known/masthead-manifest.json.sig",
        views.manifest_signature,
        name="mirrors_manifest_signature",
    ),
]
