"""Publishing purges what a story touches from the CDN, on the primary host and every live
mirror, through Wagtail's HTTP purge backend talking to a real server on 127.0.0.1."""

import http.server
import logging
import threading

import pytest

from masthead.mirrors.tasks import purge_frontend_cache

from .conftest import queued


class PurgeRecorder(http.server.ThreadingHTTPServer):
    """A stand-in caching proxy: records every PURGE as (Host header, path)."""

    def __init__(self, status=200):
        self.status = status
        self.purged = []
        super().__init__(("127.0.0.1", 0), PurgeHandler)


class PurgeHandler(http.server.BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.server.purged.append((self.headers["Host"], self.path))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn(settings):
    def start(status=200):
        server = PurgeRecorder(status)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        settings.WAGTAILFRONTENDCACHE = {
            "proxy": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
            }
        }
        return server

    servers = []
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def paths_on(server, host):
    return {path for seen_host, path in server.purged if seen_host == host}


def test_publishing_purges_the_story_its_listings_and_feeds_on_every_live_host(
    cdn, site, live_mirror, make_story, django_capture_on_commit_callbacks
):
    server = cdn()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        story = make_story(
            site["iraq"], title="Dam opens", topics=["Basra"], authors=[site["author"]]
        )
    assert ("enqueue_purge", (story.pk,)) in queued(callbacks)
    for host in ("testserver", "mirror.example"):
        purged = paths_on(server, host)
        assert {
            "/news/iraq/dam-opens/",
            "/",
            "/news/",
            "/news/iraq/",
            "/topics/basra/",
            "/authors/rana-reporter/",
            "/feeds/rss.xml",
            "/feeds/section/news/iraq/atom.xml",
            "/feeds/topic/basra/feed.json",
            "/sitemap.xml",
            "/sitemaps/news.xml",
        } <= purged, host
        # The 24th Iraq story lands on numbered page 2; page 1 (the oldest 20) is unchanged.
        assert "/news/iraq/page/2/" in purged
        assert "/news/iraq/page/1/" not in purged
        # The newest Basra story now lists it as related; a Baghdad story is untouched.
        assert "/news/iraq/iraq-story-22/" in purged
        assert "/news/iraq/iraq-story-5/" not in purged


def test_unpublishing_an_old_story_purges_every_listing_page_from_its_own(
    cdn, site, live_mirror, django_capture_on_commit_callbacks
):
    server = cdn()
    with django_capture_on_commit_callbacks(execute=True):
        site["stories"][0].unpublish()
    purged = paths_on(server, "mirror.example")
    assert {"/news/iraq/iraq-story-1/", "/news/iraq/page/1/", "/news/iraq/page/2/"} <= purged


def test_no_frontend_cache_queues_no_purge(
    site, settings, make_story, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_story(site["iraq"], title="Quiet day")
    assert not any(name == "enqueue_purge" for name, _ in queued(callbacks))
    assert purge_frontend_cache.call(site["iraq"].pk) == "no frontend cache configured"


def test_a_deleted_page_purges_home_and_the_site_feeds(cdn, site):
    server = cdn()
    assert purge_frontend_cache.call(10**9).startswith("purged ")
    assert {"/", "/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json"} == paths_on(
        server, "testserver"
    )


@pytest.mark.parametrize("refusing", [True, False], ids=["refuses", "unreachable"])
def test_a_failing_cdn_never_fails_the_publish(
    refusing, cdn, site, make_story, caplog, django_capture_on_commit_callbacks
):
    server = cdn(status=500)
    if not refusing:
        server.shutdown()
        server.server_close()  # the port now refuses connections
    with caplog.at_level(logging.ERROR, logger="wagtail.frontendcache"):
        with django_capture_on_commit_callbacks(execute=True):
            story = make_story(site["iraq"], title="Storm warning")
    assert story.live
    assert "Couldn't purge" in caplog.text
