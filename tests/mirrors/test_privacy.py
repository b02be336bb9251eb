"""Privacy after publish: a story or section made private (login, password or groups),
deleted or moved leaves every static copy, feed, sitemap and CDN, as an unpublish does."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from masthead.mirrors.tasks import refresh_mirrors

from . import test_incremental, test_purge
from .conftest import broken_links, queued
from .test_incremental import manifest_files
from .test_purge import paths_on

# The same fixtures as there: a site with a LocalDirectory copy, and a recording CDN.
mirrored = test_incremental.mirrored
cdn = test_purge.cdn

STORY_FILE = "news/iraq/iraq-story-6/index.html"
STORY_LINK = b"iraq-story-6/"


def restrict(page, kind):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="letmein" if kind == "password" else ""
    )
    if kind == "groups":
        restriction.groups.add(Group.objects.get_or_create(name="Subscribers")[0])
    return restriction


def copy_files(root):
    return {path.relative_to(root).as_posix(): path for path in root.rglob("*") if path.is_file()}


def assert_nothing_private(root):
    """No file a reader could only reach through a login or a password form."""
    for rel, path in copy_files(root).items():
        assert not rel.startswith("_util/"), rel  # Wagtail's login and password views
        data = path.read_bytes()
        assert b"csrfmiddlewaretoken" not in data, rel
        assert b'type="password"' not in data, rel


@pytest.mark.parametrize("kind", ["login", "password", "groups"])
def test_a_story_made_private_leaves_the_copy_its_feeds_and_sitemaps(
    kind, mirrored, site, client, django_capture_on_commit_callbacks
):
    story = site["stories"][5]  # Iraq story 6, tagged Basra
    current = mirrored / "current"
    assert (current / STORY_FILE).is_file()
    assert STORY_LINK in (current / "feeds/rss.xml").read_bytes()
    assert STORY_LINK in client.get("/feeds/rss.xml").content  # now cached by the site

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        restrict(story, kind)

    assert ("enqueue_refresh", (story.pk,)) in queued(callbacks)
    # The site's own feeds and sitemaps drop it at once, not when their cache expires.
    assert STORY_LINK not in client.get("/feeds/rss.xml").content
    assert STORY_LINK not in client.get("/sitemaps/news.xml").content
    # The copy: no page, no stub, no entry in any listing, feed or sitemap.
    assert not (current / STORY_FILE).exists()
    assert STORY_FILE not in manifest_files(mirrored)
    for rel, path in copy_files(current).items():
        if not rel.startswith(("static/", "media/", ".well-known/masthead-manifest")):
            assert STORY_LINK not in path.read_bytes(), rel
    assert_nothing_private(current)
    assert broken_links(current) == []


def test_a_story_made_public_again_comes_back(mirrored, site, django_capture_on_commit_callbacks):
    story = site["stories"][5]
    with django_capture_on_commit_callbacks(execute=True):
        restriction = restrict(story, "login")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        restriction.delete()
    assert ("enqueue_refresh", (story.pk,)) in queued(callbacks)
    assert (mirrored / "current" / STORY_FILE).is_file()
    assert STORY_LINK in (mirrored / "current/feeds/rss.xml").read_bytes()


def test_a_section_made_login_only_leaves_the_navigation_and_the_copy(
    mirrored, site, client, django_capture_on_commit_callbacks
):
    business = site["business"]
    assert b'href="/business/"' in client.get("/news/").content  # the menu, now cached
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        restrict(business, "login")
    # Its title is in every page's navigation: the whole copy is redone.
    assert ("enqueue_refresh", (None,)) in queued(callbacks)
    assert b"/business/" not in client.get("/news/").content
    assert b">Business<" not in client.get("/").content
    assert b"Markets rally" not in client.get("/feeds/rss.xml").content

    current = mirrored / "current"
    files = copy_files(current)
    assert not [rel for rel in files if "business" in rel]
    for rel, path in files.items():
        if rel.endswith(".html"):
            assert b">Business<" not in path.read_bytes(), rel
    assert b"markets-rally" not in (current / "feeds/rss.xml").read_bytes()
    assert b"markets-rally" not in (current / "sitemaps/news.xml").read_bytes()
    assert_nothing_private(current)
    assert broken_links(current) == []


def test_a_private_subsection_is_not_listed_on_its_parent(site, client):
    assert b'href="/news/iraq/"' in client.get("/news/").content
    restrict(site["iraq"], "login")
    assert b"/news/iraq/" not in client.get("/news/").content


def test_a_full_export_skips_private_pages_and_everything_under_them(
    site, dest, make_story, django_capture_on_commit_callbacks
):
    from masthead.mirrors import pipeline

    restrict(site["business"], "login")
    restrict(site["stories"][5], "password")
    # A public story linking to a private one must not drag it (or a login page) in.
    make_story(
        site["iraq"],
        title="Links inward",
        body=[("paragraph", f'<p><a linktype="page" id="{site["stories"][5].pk}">x</a></p>')],
    )
    pipeline.run(dest=str(dest))
    current = dest / "current"
    files = copy_files(current)
    assert "news/iraq/links-inward/index.html" in files
    assert STORY_FILE not in files
    assert not [rel for rel in files if "business" in rel]
    assert_nothing_private(current)


def test_deleting_a_story_removes_it_from_the_copy(
    mirrored, site, client, django_capture_on_commit_callbacks
):
    story = site["stories"][5]
    assert STORY_LINK in client.get("/feeds/rss.xml").content
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        story.delete()
    assert ("enqueue_refresh", (None,)) in queued(callbacks)
    assert STORY_LINK not in client.get("/feeds/rss.xml").content
    current = mirrored / "current"
    assert not (current / STORY_FILE).exists()
    for listing in ("index.html", "news/iraq/index.html", "topics/basra/index.html"):
        assert STORY_LINK not in (current / listing).read_bytes(), listing
    assert STORY_LINK not in (current / "feeds/rss.xml").read_bytes()
    assert broken_links(current) == []


def test_a_story_made_private_is_purged_from_the_cdn(cdn, site, django_capture_on_commit_callbacks):
    server = cdn()
    story = site["stories"][5]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        restrict(story, "login")
    assert ("enqueue_purge", (story.pk,)) in queued(callbacks)
    purged = paths_on(server, "testserver")
    assert {
        "/news/iraq/iraq-story-6/",
        "/",
        "/news/iraq/",
        "/topics/basra/",
        "/feeds/rss.xml",
        "/feeds/section/news/iraq/atom.xml",
        "/sitemaps/news.xml",
    } <= purged


def test_a_section_made_private_purges_every_page_under_it(
    cdn, site, django_capture_on_commit_callbacks
):
    server = cdn()
    with django_capture_on_commit_callbacks(execute=True):
        restrict(site["business"], "password")
    purged = paths_on(server, "testserver")
    assert {"/business/", "/business/markets-rally/", "/business/video-report/", "/"} <= purged


def test_a_deleted_story_is_purged_by_its_own_url(cdn, site, django_capture_on_commit_callbacks):
    server = cdn()
    story = site["stories"][5]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        story.delete()
    assert any(name == "enqueue_purge_paths" for name, _ in queued(callbacks))
    purged = paths_on(server, "testserver")
    assert {"/news/iraq/iraq-story-6/", "/news/iraq/", "/topics/basra/", "/feeds/rss.xml"} <= purged


def test_a_moved_story_is_purged_at_its_old_url(cdn, site, django_capture_on_commit_callbacks):
    server = cdn()
    story = site["stories"][5]
    with django_capture_on_commit_callbacks(execute=True):
        story.move(site["business"], pos="last-child")
    purged = paths_on(server, "testserver")
    assert {"/news/iraq/iraq-story-6/", "/business/iraq-story-6/", "/business/"} <= purged


def test_an_expired_story_leaves_the_copy(mirrored, site, django_capture_on_commit_callbacks):
    """Wagtail's publish_scheduled unpublishes what has expired: the copy follows."""
    import datetime as dt
    import io

    from django.core.management import call_command
    from django.utils import timezone

    story = site["stories"][5]
    type(story).objects.filter(pk=story.pk).update(
        expire_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("publish_scheduled", stdout=io.StringIO())
    assert ("enqueue_refresh", (story.pk,)) in queued(callbacks)
    assert not (mirrored / "current" / STORY_FILE).exists()


def test_a_refresh_of_a_private_page_writes_no_stub(mirrored, site):
    """Even asked directly (an old queued task), the refresh drops the page, never writes
    the login redirect or password form in its place."""
    restrict(site["stories"][5], "password")
    refresh_mirrors.call([site["stories"][5].pk])
    current = mirrored / "current"
    assert not (current / STORY_FILE).exists()
    assert_nothing_private(current)
