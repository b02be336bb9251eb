"""`mirror check` and the admin panel: reachability, age, how far behind each mirror is."""

import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from masthead.mirrors.health import check_all
from masthead.mirrors.models import Mirror
from masthead.mirrors.pipeline import run

from .conftest import free_port, serving


@pytest.fixture
def local_export(site, dest, settings):
    settings.MASTHEAD_MIRROR_TARGETS = {
        "local": {"BACKEND": "masthead.mirrors.targets.LocalDirectory", "PATH": str(dest)}
    }
    run()
    return dest


@pytest.fixture
def served_copy(local_export, tmp_path):
    """A static mirror: a frozen copy of the current export, served over HTTP."""
    import shutil

    copy = tmp_path / "static-mirror"
    shutil.copytree(local_export / "current", copy)
    with serving(copy) as url:
        yield url


def test_check_reports_reachable_and_unreachable_mirrors(served_copy, capsys):
    good = Mirror.objects.create(address=served_copy, kind="static")
    dead = Mirror.objects.create(address=f"http://127.0.0.1:{free_port()}/", kind="static")
    with pytest.raises(CommandError, match="unreachable"):
        call_command("mirror", "check")
    out = capsys.readouterr().out
    assert f"{served_copy}: reachable" in out and "0 files behind" in out
    assert f"{dead.address}: UNREACHABLE" in out
    good.refresh_from_db()
    dead.refresh_from_db()
    assert good.last_verified_at is not None and good.check_reachable is True
    assert good.check_files_behind == 0 and good.check_generated_at is not None
    assert dead.last_verified_at is None and dead.check_reachable is False
    assert dead.last_checked_at is not None and dead.check_message


def test_check_counts_files_behind_after_a_publish(served_copy, site, make_story):
    mirror = Mirror.objects.create(address=served_copy, kind="static")
    story = make_story(site["iraq"], title="A newer story")
    run(pages=[story])
    [status] = check_all()
    assert status.reachable
    assert status.behind >= 3  # the story, the home page, the Iraq listings, feeds...
    mirror.refresh_from_db()
    assert mirror.check_files_behind == status.behind


def test_live_mirror_serves_the_current_manifest(local_export, client):
    response = client.get("/.well-known/masthead-manifest.json")
    assert response.status_code == 200
    assert (
        response.content
        == (local_export / "current/.well-known/masthead-manifest.json").read_bytes()
    )


def test_no_manifest_before_any_export(db, client):
    assert client.get("/.well-known/masthead-manifest.json").status_code == 404


def test_admin_panel_shows_stored_results_without_network(served_copy, client, monkeypatch):
    Mirror.objects.create(address=served_copy, kind="static")
    Mirror.objects.create(address=f"http://127.0.0.1:{free_port()}/", kind="static")
    check_all()

    def no_network(*args, **kwargs):
        raise AssertionError("the admin must not fetch mirrors")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    page = client.get("/admin/").content.decode()
    assert 'id="mirror-status-heading"' in page
    assert served_copy in page
    assert "<td>Static</td>" in page  # the kind's name, not a cut-off description
    assert "Connection refused" in page or "<strong>no</strong>" in page
