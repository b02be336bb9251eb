"""`masthead check` warns when production static files were never collected."""

import json

from masthead.publication.checks import check_static_manifest

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def production_storage(settings, root):
    settings.STATIC_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": MANIFEST_STORAGE},
    }


def test_a_missing_manifest_is_a_warning_that_says_what_to_run(settings, tmp_path):
    production_storage(settings, tmp_path)
    [warning] = check_static_manifest()
    assert warning.id == "publication.W001"
    assert str(tmp_path) in warning.msg
    assert "masthead collectstatic --noinput" in warning.hint


def test_a_collected_manifest_passes(settings, tmp_path):
    production_storage(settings, tmp_path)
    manifest = {"paths": {"masthead/site.css": "masthead/site.abc123.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    assert check_static_manifest() == []


def test_storage_without_hashed_names_needs_no_manifest(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    assert check_static_manifest() == []  # the test settings' plain StaticFilesStorage
