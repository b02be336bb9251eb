"""An export run the way production runs it: DEBUG off, whitenoise's manifest storage."""

import pytest

from masthead.mirrors.pipeline import run

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def production(settings, tmp_path):
    """settings/base.py's storages with DEBUG off, and `collectstatic` never run."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static-never-collected"
    settings.STORAGES = PRODUCTION_STORAGES
    return settings


def test_export_without_collectstatic_renders_every_page(site, dest, production):
    result = run(dest=dest)
    assert result.errors == []
    current = dest / "current"
    for story in site["stories"]:
        rel = story.url.strip("/") + "/index.html"
        assert (current / rel).is_file(), rel
    assert (current / "index.html").is_file()
    assert (current / "static/masthead/site.css").is_file()
    assert b"static/masthead/site.css" in (current / "index.html").read_bytes()
    assert result.pages >= len(site["stories"]) + 4


def test_worker_started_before_collectstatic_exports_the_hashed_names(site, dest, production):
    """A task worker's storage read the (missing) manifest when it started; a deploy ran
    `collectstatic` since. The export reads the manifest as it is now."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.files.storage import storages
    from django.core.management import call_command

    started_earlier = storages.create_storage(PRODUCTION_STORAGES["staticfiles"])
    call_command("collectstatic", "--noinput", verbosity=0)
    staticfiles_storage._wrapped = started_earlier
    result = run(dest=dest)
    assert result.errors == []
    home = (dest / "current" / "index.html").read_text()
    hashed = [rel for rel in result.files if rel.startswith("static/masthead/site.")]
    assert any(rel != "static/masthead/site.css" for rel in hashed), hashed
    assert any(rel.split("/")[-1] in home for rel in hashed)
