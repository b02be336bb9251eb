"""`mirror verify` and `mirror keygen`: tampering, bad signatures, malformed manifests."""

import base64
import json
import re

import pytest
from django.core.management import CommandError, call_command

from masthead.mirrors import manifest
from masthead.mirrors.pipeline import run
from masthead.mirrors.verify import verify


@pytest.fixture
def signed_copy(site, dest, signing_keys):
    run(dest=dest)
    return dest, signing_keys[1]


def test_fresh_signed_copy_verifies(signed_copy, capsys):
    dest, public = signed_copy
    report = verify(str(dest), public_key=public)
    assert report.ok, report.lines()
    assert report.signature == "valid"
    assert report.checked > 50
    call_command("mirror", "verify", str(dest), "--public-key", public)
    assert "OK" in capsys.readouterr().out


def test_tampered_missing_and_extra_files_are_reported(signed_copy):
    dest, public = signed_copy
    current = dest / "current"
    story = current / "news/iraq/iraq-story-3/index.html"
    story.write_text(story.read_text().replace("Iraq story 3", "Fake headline"))
    (current / "feeds/rss.xml").unlink()
    (current / "news/extra.html").write_text("<p>planted</p>")
    report = verify(str(dest), public_key=public)
    assert not report.ok
    assert report.changed == ["news/iraq/iraq-story-3/index.html"]
    assert report.missing == ["feeds/rss.xml"]
    assert report.extra == ["news/extra.html"]
    with pytest.raises(CommandError):
        call_command("mirror", "verify", str(dest), "--public-key", public)


def test_rewritten_manifest_fails_the_signature(signed_copy):
    """An attacker who edits a page and updates the manifest still cannot sign it."""
    dest, public = signed_copy
    current = dest / "current"
    page = current / "index.html"
    page.write_bytes(b"<p>defaced</p>")
    document = json.loads((current / manifest.MANIFEST_PATH).read_bytes())
    for entry in document["files"]:
        if entry["path"] == "index.html":
            entry["size"] = 14
            entry["sha256"] = __import__("hashlib").sha256(b"<p>defaced</p>").hexdigest()
    (current / manifest.MANIFEST_PATH).write_text(json.dumps(document))
    report = verify(str(dest), public_key=public)
    assert report.changed == []
    assert report.signature == "invalid"
    assert not report.ok


def test_wrong_public_key_and_missing_signature(signed_copy):
    dest, _public = signed_copy
    _other_private, other_public = manifest.generate_keypair()
    assert verify(str(dest), public_key=other_public).signature == "invalid"
    (dest / "current" / manifest.SIGNATURE_PATH).unlink()
    report = verify(str(dest), public_key=other_public)
    assert report.signature == "missing"
    assert not report.ok


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        json.dumps({"format": "masthead-manifest/1", "generated_at": "yesterday", "files": []}),
        json.dumps(
            {
                "format": "masthead-manifest/1",
                "generated_at": "2026-01-01T00:00:00+00:00",
                "files": [{"path": "../../etc/passwd", "size": 1, "sha256": "0" * 64}],
            }
        ),
        json.dumps(
            {
                "format": "masthead-manifest/1",
                "generated_at": "2026-01-01T00:00:00+00:00",
                "files": [{"path": "index.html", "size": -1, "sha256": "xyz"}],
            }
        ),
    ],
)
def test_malformed_manifest_is_reported_never_trusted(tmp_path, body):
    (tmp_path / ".well-known").mkdir()
    data = body if isinstance(body, bytes) else body.encode()
    (tmp_path / manifest.MANIFEST_PATH).write_bytes(data)
    report = verify(str(tmp_path))
    assert report.manifest_error
    assert not report.ok
    assert report.checked == 0
    with pytest.raises(CommandError):
        call_command("mirror", "verify", str(tmp_path))


def test_missing_manifest_is_an_error(tmp_path):
    report = verify(str(tmp_path))
    assert "cannot read the manifest" in report.manifest_error
    assert not report.ok


def test_stale_copy_is_reported(signed_copy):
    dest, public = signed_copy
    assert verify(str(dest), public_key=public, max_age_hours=24).ok
    report = verify(str(dest), public_key=public, max_age_hours=0)
    assert report.stale and not report.ok
    assert any("STALE" in line for line in report.lines())


def test_unsigned_export_has_no_signature_file(site, dest):
    run(dest=dest)
    assert not (dest / "current" / manifest.SIGNATURE_PATH).exists()
    assert verify(str(dest)).ok  # nothing to check the signature with: reported as not checked
    _private, public = manifest.generate_keypair()
    assert not verify(str(dest), public_key=public).ok


def test_keygen_prints_a_working_key_pair(capsys):
    call_command("mirror", "keygen")
    out = capsys.readouterr().out
    private = re.search(r"MASTHEAD_MIRROR_SIGNING_KEY=(\S+)", out)[1]
    public = re.search(r"MASTHEAD_MIRROR_PUBLIC_KEY=(\S+)", out)[1]
    assert len(base64.b64decode(public)) == 32
    signature = manifest.sign(b"data", private)
    assert manifest.signature_valid(b"data", signature, public)
    assert not manifest.signature_valid(b"other", signature, public)


def test_bad_public_key_argument_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="base64"):
        call_command("mirror", "verify", str(tmp_path), "--public-key", "not-a-key!")
