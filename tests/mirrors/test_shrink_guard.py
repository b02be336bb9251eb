"""A full export that would drop too many pages is refused: a broken query must not empty
a mirror. Every run's outcome reaches the admin's Mirrors panel."""

import json

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from masthead.mirrors import manifest, pipeline, render
from masthead.mirrors.models import ExportOutcome
from masthead.mirrors.tasks import refresh_mirrors


def current_manifest(dest):
    return manifest.parse((dest / "current" / manifest.MANIFEST_PATH).read_bytes())


def hide_without_signals(section):
    """What a broken query looks like to the exporter: the pages vanish, nobody asked."""
    Page.objects.descendant_of(section, inclusive=True).update(live=False)


def test_the_manifest_lists_the_pages_and_counts_them(site, dest):
    result = pipeline.run(dest=dest)
    parsed = current_manifest(dest)
    assert parsed.summary["pages"] == len(parsed.pages)
    assert parsed.summary["files"] == len(parsed.files)
    assert "index.html" in parsed.pages
    assert "news/iraq/iraq-story-3/index.html" in parsed.pages
    assert not [page for page in parsed.pages if page.startswith(("static/", "media/"))]
    assert len(parsed.pages) == result.pages


def test_a_full_export_that_drops_most_pages_is_refused(site, dest):
    pipeline.run(dest=dest)
    current = (dest / "current").resolve()
    had = len(current_manifest(dest).pages)
    hide_without_signals(site["news"])
    with pytest.raises(CommandError) as refused:
        call_command("mirror", "export", str(dest), "--no-progress")
    message = str(refused.value)
    assert f"version's {had}" in message
    assert "MASTHEAD_MIRROR_MAX_SHRINK (10%)" in message
    assert "--allow-shrink" in message
    assert (dest / "current").resolve() == current
    assert "news/iraq/iraq-story-3/index.html" in current_manifest(dest).pages


def test_allow_shrink_switches_to_the_smaller_copy(site, dest):
    pipeline.run(dest=dest)
    hide_without_signals(site["news"])
    call_command("mirror", "export", str(dest), "--no-progress", "--allow-shrink")
    pages = current_manifest(dest).pages
    assert "news/iraq/iraq-story-3/index.html" not in pages
    assert not (dest / "current/news/iraq/iraq-story-3/index.html").exists()


def test_the_share_is_a_setting(site, dest, settings):
    pipeline.run(dest=dest)
    settings.MASTHEAD_MIRROR_MAX_SHRINK = 1.0
    hide_without_signals(site["news"])
    pipeline.run(dest=dest)
    assert "news/iraq/iraq-story-3/index.html" not in current_manifest(dest).pages


def test_a_small_drop_is_not_refused(site, dest):
    pipeline.run(dest=dest)
    site["stories"][0].unpublish()
    pipeline.run(dest=dest)  # one story of two dozen, well under 10 %
    assert site["stories"][0].url.strip("/") + "/index.html" not in current_manifest(dest).pages


@pytest.fixture
def local_target(site, dest, settings):
    settings.MASTHEAD_MIRROR_TARGETS = {
        "local": {"BACKEND": "masthead.mirrors.targets.LocalDirectory", "PATH": str(dest)}
    }
    refresh_mirrors.call(None)
    return dest


def lose_the_news_pages(monkeypatch):
    """A template or query bug: the pages answer 404 while the database still has them."""
    real = render.Renderer.render

    def fetch(self, path):
        if path.startswith("/news/"):
            return render.Rendered(status=404, content_type="text/html")
        return real(self, path)

    monkeypatch.setattr(render.Renderer, "render", fetch)


def test_a_refused_background_export_is_logged_and_shown_in_the_admin(
    local_target, site, admin_client, caplog, monkeypatch
):
    current = (local_target / "current").resolve()
    lose_the_news_pages(monkeypatch)
    outcome = refresh_mirrors.call(None)
    assert outcome.startswith("failed: the new version has")
    assert (local_target / "current").resolve() == current
    assert "mirror refresh for all pages failed" in caplog.text
    last = ExportOutcome.objects.first()
    assert (last.ok, last.trigger, last.full) == (False, "refresh", True)
    page = admin_client.get("/admin/").content.decode()
    assert "The last export failed" in page
    assert "MASTHEAD_MIRROR_MAX_SHRINK" in page


def test_a_background_export_takes_down_what_editors_took_down(local_target, site):
    """The refresh follows editors: the drop the public page count explains is allowed."""
    hide_without_signals(site["news"])
    refresh_mirrors.call(None)
    last = ExportOutcome.objects.first()
    assert (last.ok, last.trigger) == (True, "refresh"), last.message
    assert "news/iraq/iraq-story-3/index.html" not in current_manifest(local_target).pages


def test_the_manifest_counts_the_public_pages(site, dest):
    pipeline.run(dest=dest)
    assert current_manifest(dest).summary["public_pages"] == Page.objects.live().public().count()


def test_deleting_a_section_shrinks_the_copy_on_purpose(
    local_target, site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        site["news"].delete()
    last = ExportOutcome.objects.first()
    assert (last.ok, last.trigger, last.full) == (True, "refresh", True), last.message
    assert "news/iraq/iraq-story-3/index.html" not in current_manifest(local_target).pages


def test_the_panel_shows_the_last_good_export(local_target, admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert 'id="mirror-last-export"' in page
    assert "Last export" in page
    assert ExportOutcome.objects.first().message in page


def test_an_unsigned_export_says_so(site, dest, capsys):
    call_command("mirror", "export", str(dest), "--no-progress")
    assert "warning: the copy is not signed" in capsys.readouterr().err
    assert not (dest / "current" / manifest.SIGNATURE_PATH).exists()


def test_a_signed_export_gives_no_warning(site, dest, signing_keys, capsys):
    call_command("mirror", "export", str(dest), "--no-progress")
    assert "not signed" not in capsys.readouterr().err


def test_an_old_manifest_without_pages_gets_a_full_export(site, dest):
    pipeline.run(dest=dest)
    path = dest / "current" / manifest.MANIFEST_PATH
    document = json.loads(path.read_bytes())
    del document["pages"], document["summary"]
    path.write_bytes(json.dumps(document).encode())
    result = pipeline.run(dest=dest, pages=[site["stories"][0]])
    assert result.pages > 20  # every page rendered again: the list was unknown
    assert current_manifest(dest).pages
