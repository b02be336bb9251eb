"""Publishing and unpublishing update the copy: only the touched pages, atomically."""

import html
import io
import logging

import pytest
from django.core.cache import cache
from django.core.management import call_command

from masthead.demo.corpus import write_corpus
from masthead.mirrors import manifest
from masthead.mirrors.rewrite import url_path_to_file
from masthead.mirrors.tasks import refresh_mirrors
from masthead.mirrors.verify import verify
from masthead.news.models import ArticlePage
from tests.conftest import publish

from .conftest import broken_links, queued


@pytest.fixture
def mirrored(site, dest, settings, signing_keys):
    settings.MASTHEAD_MIRROR_TARGETS = {
        "local": {"BACKEND": "masthead.mirrors.targets.LocalDirectory", "PATH": str(dest)}
    }
    refresh_mirrors.call([site["stories"][0].pk])  # no copy yet: makes the first full one
    assert (dest / "current/index.html").exists()
    return dest


def manifest_files(dest):
    return manifest.parse((dest / "current" / manifest.MANIFEST_PATH).read_bytes()).files


def test_publishing_a_story_updates_the_copy_through_the_signal(
    mirrored, site, make_story, django_capture_on_commit_callbacks
):
    before = manifest_files(mirrored)
    old_version = (mirrored / "current").resolve()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        story = make_story(site["iraq"], title="Breaking news from Basra", topics=["Basra"])
    # Enqueued after the commit, not during the publish.
    assert ("enqueue_refresh", (story.pk,)) in queued(callbacks)
    current = mirrored / "current"
    assert current.resolve() != old_version
    assert (current / "news/iraq/breaking-news-from-basra/index.html").is_file()
    assert b"Breaking news from Basra" in (current / "index.html").read_bytes()
    assert b"Breaking news from Basra" in (current / "topics/basra/index.html").read_bytes()
    assert b"breaking-news-from-basra" in (current / "feeds/rss.xml").read_bytes()
    # 24 Iraq stories: the newest numbered page (2) lists it, page 1 is untouched.
    assert b"breaking-news-from-basra" in (current / "news/iraq/page/2/index.html").read_bytes()
    after = manifest_files(mirrored)
    assert after["news/iraq/page/1/index.html"] == before["news/iraq/page/1/index.html"]
    # Unchanged files are shared with the previous version, not copied.
    untouched = "news/iraq/iraq-story-5/index.html"
    assert (current / untouched).stat().st_ino == (old_version / untouched).stat().st_ino
    assert story.pk
    report = verify(str(mirrored))
    assert report.ok and report.signature == "valid", report.lines()
    assert broken_links(current) == []


def test_only_affected_files_change(mirrored, site, make_story):
    before = manifest_files(mirrored)
    story = make_story(site["business"], title="Quiet business story")
    refresh_mirrors.call([story.pk])
    after = manifest_files(mirrored)
    changed = {path for path in after if before.get(path) != after[path]}
    assert "business/quiet-business-story/index.html" in changed
    assert "index.html" in changed
    assert not any(path.startswith("news/iraq/iraq-story-") for path in changed)
    assert "news/iraq/page/1/index.html" not in changed


def test_the_newest_stories_sharing_a_topic_list_the_new_story_as_related(
    mirrored, site, make_story
):
    old_version = (mirrored / "current").resolve()
    story = make_story(site["iraq"], title="Basra flood defences hold", topics=["Basra"])
    refresh_mirrors.call([story.pk])
    current = mirrored / "current"
    # Even-numbered Iraq stories are about Basra: the newest (22) now lists the new one.
    newest = (current / "news/iraq/iraq-story-22/index.html").read_text()
    related = newest.split('id="related-title"', 1)[1]
    assert "Basra flood defences hold" in related
    # Beyond the newest RELATED_REFRESH, a story waits for the next full export.
    oldest = "news/iraq/iraq-story-2/index.html"
    assert (current / oldest).stat().st_ino == (old_version / oldest).stat().st_ino
    # Stories on other topics are not touched.
    other = "news/iraq/iraq-story-21/index.html"
    assert (current / other).stat().st_ino == (old_version / other).stat().st_ino


def test_renaming_a_section_redoes_the_copy(mirrored, site, django_capture_on_commit_callbacks):
    business = site["business"]
    business.title = "Markets and business"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish(business)
    assert ("enqueue_refresh", (None,)) in queued(callbacks)
    # The navigation on every page names the section, an unrelated story's included.
    unrelated = (mirrored / "current/news/iraq/iraq-story-5/index.html").read_text()
    assert "Markets and business" in unrelated
    assert verify(str(mirrored)).ok


def test_moving_a_story_moves_it_in_the_copy(mirrored, site, django_capture_on_commit_callbacks):
    story = site["stories"][4]  # Iraq story 5
    with django_capture_on_commit_callbacks(execute=True):
        story.move(site["business"], pos="last-child")
    current = mirrored / "current"
    assert not (current / "news/iraq/iraq-story-5/index.html").exists()
    assert (current / "business/iraq-story-5/index.html").is_file()
    assert broken_links(current) == []
    assert verify(str(mirrored)).ok


def test_unpublished_story_disappears_from_the_copy(mirrored, site):
    story = site["stories"][2]  # Iraq story 3, on the oldest listing page
    rel = "news/iraq/iraq-story-3/index.html"
    assert (mirrored / "current" / rel).is_file()
    story.unpublish()
    refresh_mirrors.call([story.pk])
    current = mirrored / "current"
    assert not (current / rel).exists()
    assert rel not in manifest_files(mirrored)
    for listing in ("index.html", "news/iraq/index.html", "news/iraq/page/1/index.html"):
        assert b"iraq-story-3/" not in (current / listing).read_bytes(), listing
    assert b"iraq-story-3/" not in (current / "feeds/rss.xml").read_bytes()
    assert broken_links(current) == []
    assert verify(str(mirrored)).ok


def test_editing_an_old_story_updates_the_listing_page_that_shows_it(mirrored, site):
    story = site["stories"][1]  # Iraq story 2, listed on page 1
    story.title = "Iraq story 2, corrected"
    publish(story)
    refresh_mirrors.call([story.pk])
    page_one = (mirrored / "current/news/iraq/page/1/index.html").read_text()
    assert "Iraq story 2, corrected" in page_one


def test_unpublish_through_the_signal(mirrored, site, django_capture_on_commit_callbacks):
    story = site["stories"][10]
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()
    assert not (mirrored / "current/news/iraq/iraq-story-11/index.html").exists()


def test_failures_are_logged_not_raised(mirrored, site, settings, tmp_path, caplog, make_story):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    settings.MASTHEAD_MIRROR_TARGETS = {
        "local": {"BACKEND": "masthead.mirrors.targets.LocalDirectory", "PATH": str(blocker / "m")}
    }
    with caplog.at_level(logging.ERROR, logger="masthead.mirrors"):
        result = refresh_mirrors.call([site["stories"][0].pk])
    assert result.startswith("failed")
    assert "mirror refresh" in caplog.text


def test_no_targets_means_no_automatic_export(site, dest, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish(site["stories"][0])
    assert not any(name == "enqueue_refresh" for name, _ in queued(callbacks))
    assert not dest.exists()


def test_updates_recycle_the_oldest_version_instead_of_copying_the_tree(
    mirrored, site, make_story, settings
):
    """Once `keep` versions exist, an update renames the oldest one into the new build and
    brings it level file by file: the store never grows past `keep`, and every version
    it leaves behind still matches its own manifest."""
    settings.MASTHEAD_MIRROR_KEEP_VERSIONS = 2
    versions = mirrored / "versions"
    first = make_story(site["business"], title="First update")
    refresh_mirrors.call([first.pk])
    assert len(list(versions.iterdir())) == 2
    oldest = min(versions.iterdir())
    oldest_inode = oldest.stat().st_ino
    assert b"First update" not in (oldest / "index.html").read_bytes()

    site["stories"][2].unpublish()  # Iraq story 3 leaves the copy
    second = make_story(site["iraq"], title="Second update")
    refresh_mirrors.call([second.pk, site["stories"][2].pk])

    names = sorted(path.name for path in versions.iterdir())
    assert len(names) == 2 and oldest.name not in names
    current = (mirrored / "current").resolve()
    # The oldest directory, renamed, is the new version; its stale home page was replaced.
    assert current.stat().st_ino == oldest_inode
    home = (current / "index.html").read_bytes()
    assert b"First update" in home and b"Second update" in home
    assert (current / "business/first-update/index.html").is_file()
    assert (current / "news/iraq/second-update/index.html").is_file()
    assert not (current / "news/iraq/iraq-story-3/index.html").exists()
    report = verify(str(mirrored))
    assert report.ok and not report.extra, report.lines()
    assert broken_links(current) == []


def test_an_import_queues_one_full_export(mirrored, tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_corpus(out, 3)
    before = (mirrored / "current").resolve()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("import_jsonl", str(path), no_progress=True, stdout=io.StringIO())
    # One full export (None), not one refresh per story.
    assert [call for call in queued(callbacks) if call[0] == "enqueue_refresh"] == [
        ("enqueue_refresh", (None,))
    ]
    current = mirrored / "current"
    assert current.resolve() != before
    imported = ArticlePage.objects.filter(external_id__isnull=False)
    assert imported.count() == 3
    for story in imported:
        page = (current / url_path_to_file(story.url)).read_text()
        assert html.escape(story.title) in page
    assert verify(str(mirrored)).ok


def test_a_stale_process_cache_does_not_reach_the_copy(mirrored, site, client, make_story):
    """The task worker is another process: with a local-memory cache it never sees the
    publishing process bump the feeds' generation, so it must not trust what it cached."""
    from masthead.syndication import cache as outputs

    assert client.get("/feeds/rss.xml").status_code == 200  # cached under this generation
    generation = outputs.generation()
    story = make_story(site["business"], title="Told in another process")
    cache.set(outputs.GENERATION_KEY, generation, None)  # as the worker's cache still is
    assert b"Told in another process" not in client.get("/feeds/rss.xml").content
    refresh_mirrors.call([story.pk])
    assert b"Told in another process" in (mirrored / "current/feeds/rss.xml").read_bytes()
