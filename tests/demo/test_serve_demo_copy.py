"""serve_demo signs and writes the static copy before it serves anything, or stops loudly."""

import io
import json
import stat
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from masthead.demo.management.commands import serve_demo
from masthead.mirrors import manifest, pipeline
from masthead.mirrors.export import ExportError


@pytest.fixture
def demo_settings(settings, tmp_path):
    """What `make demo` configures: a local copy under var/mirror, the key file in var/."""
    settings.MASTHEAD_MIRROR_SIGNING_KEY = None
    settings.MASTHEAD_MIRROR_PUBLIC_KEY = None
    settings.MASTHEAD_MIRROR_SIGNING_KEY_FILE = str(tmp_path / "var" / "mirror-signing-key.pem")
    settings.MASTHEAD_MIRROR_TARGETS = {
        "local": {
            "BACKEND": "masthead.mirrors.targets.LocalDirectory",
            "PATH": str(tmp_path / "var" / "mirror"),
        }
    }
    return tmp_path / "var"


@pytest.fixture
def served(monkeypatch):
    """Replaces the child processes: records what the copy looked like when serving began."""
    calls = []

    def serve(command, options):
        calls.append(options["address"])

    monkeypatch.setattr(serve_demo.Command, "serve", serve)
    return calls


def start(**options):
    out, err = io.StringIO(), io.StringIO()
    call_command("serve_demo", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_start_writes_a_signed_copy_before_serving(demo_settings, served, make_story):
    story = make_story(title="Bridge reopens")
    out, _ = start()
    current = demo_settings / "mirror" / "current"
    assert (current / "index.html").is_file()
    assert (current / story.url.strip("/") / "index.html").is_file()
    assert served == ["testserver:80"]  # the primary URL's host and port
    assert "python3 -m http.server -d" in out and "mirror/current 8001" in out

    key = demo_settings / "mirror-signing-key.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    public = manifest.public_key_of(manifest.private_key_from_pem(key.read_bytes()))
    assert public in out
    data = (current / manifest.MANIFEST_PATH).read_bytes()
    signature = (current / manifest.SIGNATURE_PATH).read_text()
    assert manifest.signature_valid(data, signature, public)


def test_a_second_start_keeps_the_key(demo_settings, served, home):
    start()
    key = demo_settings / "mirror-signing-key.pem"
    first = key.read_bytes()
    out, _ = start()
    assert key.read_bytes() == first
    assert "Using the mirror signing key" in out
    assert len(served) == 2


def test_the_port_follows_the_primary_url(demo_settings, served, home, settings):
    settings.PRIMARY_URL = "http://127.0.0.1:8300"
    start()
    assert served == ["127.0.0.1:8300"]


def test_a_failed_export_stops_before_serving(demo_settings, served, home, monkeypatch):
    def refuse(**kwargs):
        raise ExportError("export to var/mirror stopped: the disk is full")

    monkeypatch.setattr(pipeline, "run", refuse)
    with pytest.raises(CommandError, match="not serving the demo"):
        start()
    assert served == []


def test_failed_pages_stop_before_serving_and_are_listed(demo_settings, served, home, monkeypatch):
    real_run = pipeline.run

    def with_failures(**kwargs):
        result = real_run(**kwargs)
        result.errors = [("/news/broken/", "Missing staticfiles manifest entry")]
        return result

    monkeypatch.setattr(pipeline, "run", with_failures)
    err = io.StringIO()
    with pytest.raises(CommandError, match="not serving the demo"):
        call_command("serve_demo", stdout=io.StringIO(), stderr=err)
    assert "/news/broken/: Missing staticfiles manifest entry" in err.getvalue()
    assert "ERROR" in err.getvalue()
    assert served == []


def makefile_demo_mirror():
    makefile = (Path(__file__).parents[2] / "Makefile").read_text()
    (line,) = [line for line in makefile.splitlines() if line.startswith("DEMO_MIRROR := ")]
    return json.loads(line.removeprefix("DEMO_MIRROR := "))


def test_the_demo_copy_names_the_address_the_readme_serves_it_at(
    demo_settings, served, home, settings
):
    public_url = makefile_demo_mirror()["local"]["PUBLIC_URL"]
    port = urlsplit(public_url).port
    settings.MASTHEAD_MIRROR_TARGETS["local"]["PUBLIC_URL"] = public_url
    out, _ = start()
    assert f"mirror/current {port}" in out
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert f"`python3 -m http.server -d var/mirror/current {port}`" in readme
    robots = (demo_settings / "mirror" / "current" / "robots.txt").read_text()
    assert f"Sitemap: {public_url}sitemap.xml" in robots
