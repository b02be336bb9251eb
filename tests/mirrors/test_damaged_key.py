"""A damaged signing key stops the export with a clear message before anything is
rendered, and never breaks a reader's page or `mirror verify` with a traceback."""

import pytest
from django.core.management import CommandError, call_command

from masthead.mirrors import manifest
from masthead.mirrors.models import ExportOutcome
from masthead.mirrors.pipeline import run


@pytest.fixture
def damaged_key(settings, tmp_path):
    path = tmp_path / "var" / "mirror-signing-key.pem"
    path.parent.mkdir()
    path.write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n")
    settings.MASTHEAD_MIRROR_SIGNING_KEY = None
    settings.MASTHEAD_MIRROR_PUBLIC_KEY = None
    settings.MASTHEAD_MIRROR_SIGNING_KEY_FILE = str(path)
    return path


def test_the_export_refuses_and_the_copy_stays(site, dest, settings, damaged_key):
    good = damaged_key.read_text()
    damaged_key.unlink()
    run(dest=dest)
    current = (dest / "current").resolve()
    damaged_key.write_text(good)
    with pytest.raises(CommandError) as refused:
        call_command("mirror", "export", str(dest), "--no-progress")
    message = str(refused.value)
    assert f"MASTHEAD_MIRROR_SIGNING_KEY_FILE {damaged_key}: not an unencrypted PEM" in message
    assert "fix the file or remove it" in message
    assert (dest / "current").resolve() == current
    assert not ExportOutcome.objects.first().ok


def test_a_bad_key_in_the_environment_is_named(site, dest, settings):
    settings.MASTHEAD_MIRROR_SIGNING_KEY = "not-base64!"
    with pytest.raises(CommandError, match="MASTHEAD_MIRROR_SIGNING_KEY: signing key is not"):
        call_command("mirror", "export", str(dest), "--no-progress")
    assert not (dest / "current").exists()


def test_readers_still_get_the_mirror_list(home, client, damaged_key):
    response = client.get("/.well-known/masthead-mirrors.json")
    assert response.status_code == 200
    assert response.json()["public_key"] is None


def test_verify_says_what_is_wrong(site, dest, damaged_key, settings):
    damaged_key.unlink()
    run(dest=dest)
    damaged_key.write_text("garbage")
    with pytest.raises(CommandError, match="not an unencrypted PEM private key.*--public-key"):
        call_command("mirror", "verify", str(dest))
    _private, public = manifest.generate_keypair()
    with pytest.raises(CommandError, match="does not match its manifest"):
        call_command("mirror", "verify", str(dest), "--public-key", public)  # unsigned copy
