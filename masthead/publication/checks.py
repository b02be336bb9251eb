"""`masthead check`: what would make every public page fail, said before it does."""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Tags, Warning, register
from django.core.files.storage import storages


def static_manifest_missing(storage=None):
    """True when the static files storage names files by their hash (Django's manifest
    storage, whitenoise's) and has no manifest to read them from: `collectstatic` never
    ran, and every {% static %} would raise."""
    if storage is None:
        storage = storages.create_storage(settings.STORAGES["staticfiles"])
    return isinstance(storage, ManifestFilesMixin) and storage.read_manifest() is None


@register(Tags.staticfiles)
def check_static_manifest(app_configs=None, **kwargs):
    if not static_manifest_missing():
        return []
    return [
        Warning(
            f"No static files manifest in {settings.STATIC_ROOT}: with DEBUG off every page "
            'fails with "Missing staticfiles manifest entry".',
            hint="Run `masthead collectstatic --noinput` after each deploy "
            "(`mirror export` copes without it; `make demo` runs with DEBUG on).",
            id="publication.W001",
        )
    ]
