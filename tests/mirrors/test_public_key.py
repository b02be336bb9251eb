"""Copies are signed by the key file, and the public key is published where readers look."""

import json
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from masthead.mirrors import conf, manifest
from masthead.mirrors.models import Mirror
from masthead.mirrors.pipeline import run
from masthead.mirrors.wagtail_hooks import MirrorStatusPanel


@pytest.fixture
def key_file(settings, tmp_path):
    settings.MASTHEAD_MIRROR_SIGNING_KEY = None
    settings.MASTHEAD_MIRROR_PUBLIC_KEY = None
    settings.MASTHEAD_MIRROR_SIGNING_KEY_FILE = str(tmp_path / "var" / "mirror-signing-key.pem")
    return tmp_path / "var" / "mirror-signing-key.pem"


def test_key_file_is_created_once_owner_only_and_signs(key_file):
    assert conf.signing_key() is None  # no file yet: unsigned, as before
    path, created = conf.create_signing_key_file()
    assert (path, created) == (key_file, True)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    first = key_file.read_bytes()
    assert conf.create_signing_key_file() == (key_file, False)
    assert key_file.read_bytes() == first
    private = conf.signing_key()
    assert conf.published_public_key() == manifest.public_key_of(private)
    data = b"some manifest"
    assert manifest.signature_valid(data, manifest.sign(data, private), conf.published_public_key())


def test_the_environment_key_wins_over_the_file(key_file, settings):
    conf.create_signing_key_file()
    private, public = manifest.generate_keypair()
    settings.MASTHEAD_MIRROR_SIGNING_KEY = private
    assert conf.signing_key() == private
    assert conf.published_public_key() == public


def test_a_damaged_key_file_is_named(key_file):
    key_file.parent.mkdir(parents=True)
    key_file.write_text("not a key")
    with pytest.raises(ImproperlyConfigured, match="MASTHEAD_MIRROR_SIGNING_KEY_FILE"):
        conf.signing_key()


def test_an_export_is_signed_with_the_key_the_mirror_list_publishes(key_file, site, dest, client):
    conf.create_signing_key_file()
    run(dest=dest)
    current = dest / "current"
    data = (current / manifest.MANIFEST_PATH).read_bytes()
    signature = (current / manifest.SIGNATURE_PATH).read_text()

    published = client.get("/.well-known/masthead-mirrors.json").json()["public_key"]
    assert published == conf.published_public_key()
    assert manifest.signature_valid(data, signature, published)
    # The copy carries the same list, key included, for readers who only reach the copy.
    in_copy = json.loads((current / ".well-known" / "masthead-mirrors.json").read_bytes())
    assert in_copy["public_key"] == published
    other_private, other_public = manifest.generate_keypair()
    assert not manifest.signature_valid(data, signature, other_public)


def test_unsigned_installs_publish_no_key(key_file, home, client):
    assert client.get("/.well-known/masthead-mirrors.json").json()["public_key"] is None


def test_the_admin_mirrors_panel_shows_the_public_key(key_file, home, admin_client):
    Mirror.objects.create(address="https://static-copy.example/", kind="static")
    assert "Copies are not signed" in admin_client.get("/admin/").content.decode()
    conf.create_signing_key_file()
    public = conf.published_public_key()
    assert MirrorStatusPanel().get_context_data()["public_key"] == public
    page = admin_client.get("/admin/").content.decode()
    assert f'<code id="mirror-public-key">{public}</code>' in page
