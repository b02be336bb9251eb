"""`mirror verify` checks the pages the manifest's summary counts, refuses files that a copy
redirects to another host, and says plainly what it could not check."""

import json

import pytest
from django.core.management import CommandError, call_command

from masthead.mirrors import manifest
from masthead.mirrors.pipeline import run
from masthead.mirrors.verify import verify

from .conftest import QuietHandler, serving


@pytest.fixture
def signed_copy(site, dest, signing_keys):
    run(dest=dest)
    return dest / "current", signing_keys[1]


def rewrite_manifest(current, change):
    """Edit the manifest as a forger would (the signature then fails; pages are checked
    whatever the signature says)."""
    path = current / manifest.MANIFEST_PATH
    document = json.loads(path.read_bytes())
    change(document)
    path.write_text(json.dumps(document))


def test_a_summary_that_counts_more_pages_than_listed_is_a_mismatch(signed_copy):
    current, public = signed_copy
    rewrite_manifest(current, lambda doc: doc["summary"].update(pages=doc["summary"]["pages"] + 5))
    report = verify(str(current), public_key=public)
    assert not report.ok
    assert any("the summary counts" in problem for problem in report.pages), report.pages


def test_a_copy_of_feeds_only_is_not_ok(signed_copy):
    """The original defect: every page failed and the copy held only feeds and sitemaps."""
    current, public = signed_copy

    def only_feeds(document):
        document["files"] = [e for e in document["files"] if not e["path"].endswith(".html")]
        document["pages"] = []
        document["summary"] = {"pages": 0, "files": len(document["files"])}

    rewrite_manifest(current, only_feeds)
    report = verify(str(current), public_key=public, max_age_hours=24)
    assert "there is no front page (index.html)" in report.pages
    assert not report.ok


def test_a_page_missing_from_the_files_is_named(signed_copy):
    current, public = signed_copy

    def drop(document):
        document["files"] = [e for e in document["files"] if e["path"] != "business/index.html"]
        document["summary"]["files"] -= 1

    rewrite_manifest(current, drop)
    report = verify(str(current), public_key=public)
    assert "business/index.html is a page but not among the files" in report.pages


def test_an_off_host_redirect_over_http_is_reported(signed_copy):
    current, public = signed_copy
    with serving(current) as elsewhere:
        other_host = elsewhere.replace("127.0.0.1", "localhost")

        class Hijacked(QuietHandler):
            def do_GET(self):
                if self.path == "/business/index.html":
                    self.send_response(302)
                    self.send_header("Location", other_host + self.path.lstrip("/"))
                    self.end_headers()
                    return
                super().do_GET()

        with serving(current, Hijacked) as copy:
            report = verify(copy, public_key=public)
    assert report.redirected == ["business/index.html"]
    assert report.missing == [] and report.changed == []
    assert not report.ok
    assert "redirected: 1" in report.lines()


def test_a_same_host_redirect_is_followed(signed_copy):
    current, public = signed_copy

    class Moved(QuietHandler):
        def do_GET(self):
            if self.path == "/business/index.html":
                self.send_response(301)
                self.send_header("Location", "/business/index.html?moved")
                self.end_headers()
                return
            super().do_GET()

    with serving(current, Moved) as copy:
        report = verify(copy, public_key=public)
    assert report.ok, report.lines()


def test_a_signed_copy_checked_without_a_key_says_so(signed_copy, settings, capsys):
    current, _public = signed_copy
    settings.MASTHEAD_MIRROR_SIGNING_KEY = ""
    settings.MASTHEAD_MIRROR_PUBLIC_KEY = ""
    settings.MASTHEAD_MIRROR_SIGNING_KEY_FILE = ""
    call_command("mirror", "verify", str(current))
    out = capsys.readouterr().out
    assert "signature: NOT CHECKED: the copy is signed but no public key was given" in out
    assert "OK (files only: the signature was not checked)" in out


def test_the_wrong_key_and_a_missing_signature_say_what_to_check(signed_copy, capsys):
    current, _public = signed_copy
    _private, other = manifest.generate_keypair()
    with pytest.raises(CommandError):
        call_command("mirror", "verify", str(current), "--public-key", other)
    assert f"signature: INVALID with public key {other[:12]}" in capsys.readouterr().out
    (current / manifest.SIGNATURE_PATH).unlink()
    with pytest.raises(CommandError):
        call_command("mirror", "verify", str(current), "--public-key", other)
    out = capsys.readouterr().out
    assert "signature: MISSING (masthead-manifest.json.sig not found)" in out


def test_over_http_extra_files_are_reported_unchecked_not_zero(signed_copy):
    current, public = signed_copy
    with serving(current) as copy:
        report = verify(copy, public_key=public)
    lines = report.lines()
    assert "extra: not checkable over HTTP" in lines
    assert "extra: 0" not in lines
