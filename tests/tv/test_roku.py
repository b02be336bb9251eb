"""/feeds/roku.json: Roku's Direct Publisher JSON, checked against our schema of the spec."""

import copy
import json
import re
from datetime import datetime
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from wagtail.models import Site

from masthead.publication.models import PublicationSettings
from masthead.tv import roku
from masthead.tv.models import LiveStreamSettings

from .helpers import load_schema

FEED_URL = "/feeds/roku.json"


@pytest.fixture(scope="module")
def validator():
    schema = load_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def get_feed(client, **headers):
    response = client.get(FEED_URL, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response, json.loads(response.content)


def video_ids(feed):
    return [item["id"] for item in feed["shortFormVideos"]]


@pytest.fixture
def live_on_air(home, make_image):
    live = LiveStreamSettings.for_site(Site.objects.get(is_default_site=True))
    live.title = "Masthead TV live"
    live.description = "Rolling news. " * 60
    live.hls_url = "https://live.example.org/tv/master.m3u8"
    live.thumbnail = make_image(title="Live still", width=1920, height=1080)
    live.is_on_air = True
    live.save()
    return live


@pytest.fixture
def catalogue(make_section, make_video, live_on_air):
    news = make_section("News")
    iraq = make_section("Iraq", parent=news)
    sport = make_section("Sport and everything around it")
    videos = [
        make_video(section=iraq, captions=True, topics=["Baghdad", "Ministry of Water Resources"]),
        make_video(section=news, standfirst="Short."),
        make_video(
            section=sport,
            video_file="",
            video_url="https://cdn.example.org/hls/match/master.m3u8",
            duration=600,
            standfirst="A long account of the match. " * 30,
        ),
    ]
    return videos


def test_feed_is_valid_against_the_schema(client, catalogue, validator):
    _response, feed = get_feed(client)
    errors = sorted(validator.iter_errors(feed), key=str)
    assert not errors, [error.message for error in errors]
    site = Site.objects.get(is_default_site=True)
    assert feed["providerName"] == PublicationSettings.for_site(site).name
    assert feed["language"] == "en"
    assert len(feed["shortFormVideos"]) == 3
    assert feed["liveFeeds"][0]["id"] == "live"


def test_feed_is_under_roku_size_limit(client, catalogue):
    response, _feed = get_feed(client)
    assert 0 < len(response.content) <= roku.ROKU_FEED_MAX_BYTES == 500 * 1024


def test_last_updated_has_an_offset(client, catalogue):
    _response, feed = get_feed(client)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", feed["lastUpdated"])
    assert datetime.fromisoformat(feed["lastUpdated"]).utcoffset() is not None
    for item in feed["shortFormVideos"]:
        assert datetime.fromisoformat(item["content"]["dateAdded"]).utcoffset() is not None


def test_newest_first_with_stable_ids(client, catalogue, make_video):
    _response, first = get_feed(client)
    assert video_ids(first) == [f"video-{video.pk}" for video in reversed(catalogue)]
    roku.invalidate()
    _response, again = get_feed(client)
    assert video_ids(again) == video_ids(first)
    newer = make_video()
    _response, later = get_feed(client)
    assert video_ids(later) == [f"video-{newer.pk}", *video_ids(first)]


def test_every_item_plays_and_has_a_16_by_9_thumbnail(client, catalogue):
    _response, feed = get_feed(client)
    for item in feed["shortFormVideos"]:
        video = item["content"]["videos"][0]
        assert video["url"].startswith(("http://", "https://"))
        assert video["quality"] == "HD"
        path = urlsplit(item["thumbnail"]).path
        assert item["thumbnail"].startswith("http://testserver/")
        with default_storage.open(path.removeprefix(django_settings.MEDIA_URL)) as file:
            width, height = PILImage.open(file).size
        assert width * 9 == height * 16
        assert (width, height) >= (800, 450)


def test_item_details(client, catalogue):
    _response, feed = get_feed(client)
    by_id = {item["id"]: item for item in feed["shortFormVideos"]}
    with_captions, short, hls = (by_id[f"video-{video.pk}"] for video in catalogue)

    assert with_captions["content"]["videos"][0]["videoType"] == "MP4"
    assert with_captions["content"]["videos"][0]["url"] == (
        "http://testserver" + catalogue[0].video_file.url
    )
    # Non-adaptive files carry a bitrate (kbps), worked out from size and length.
    assert with_captions["content"]["videos"][0]["bitrate"] >= 1
    assert with_captions["content"]["duration"] == 2
    assert with_captions["content"]["captions"] == [
        {
            "url": "http://testserver" + catalogue[0].captions.url,
            "language": "en",
            "captionType": "CLOSED_CAPTION",
        }
    ]
    assert with_captions["tags"] == ["Baghdad", "Ministry of Water"]
    assert with_captions["genres"] == ["news"]
    assert with_captions["releaseDate"] == catalogue[0].first_published_at.date().isoformat()

    assert short["shortDescription"] == "Short."
    assert "longDescription" not in short  # it would repeat the short one
    assert "captions" not in short["content"]

    assert hls["content"]["videos"][0] == {
        "url": "https://cdn.example.org/hls/match/master.m3u8",
        "quality": "HD",
        "videoType": "HLS",
    }
    assert hls["content"]["duration"] == 600
    assert len(hls["shortDescription"]) <= 200 and hls["shortDescription"].endswith("…")
    assert len(hls["longDescription"]) <= 500
    assert hls["longDescription"] != hls["shortDescription"]


def test_categories_follow_top_level_sections(client, catalogue):
    _response, feed = get_feed(client)
    iraq_video, news_video, sport_video = catalogue
    assert feed["categories"] == [
        {"name": "News", "playlistName": "News", "order": "most_recent"},
        {
            "name": "Sport and everything around it",
            "playlistName": "Sport and everything",
            "order": "most_recent",
        },
    ]
    assert feed["playlists"] == [
        {"name": "News", "itemIds": [f"video-{news_video.pk}", f"video-{iraq_video.pk}"]},
        {"name": "Sport and everything", "itemIds": [f"video-{sport_video.pk}"]},
    ]


def test_live_feed_only_when_on_air(client, catalogue, live_on_air, validator):
    _response, feed = get_feed(client)
    live = feed["liveFeeds"][0]
    assert live["content"]["videos"][0]["url"] == live_on_air.hls_url
    assert live["content"]["videos"][0]["videoType"] == "HLS"
    assert live["thumbnail"].startswith("http://testserver/")
    assert len(live["shortDescription"]) <= 200 and len(live["longDescription"]) <= 500
    # Saving the setting drops the cached feed at once.
    live_on_air.is_on_air = False
    live_on_air.save()
    _response, feed = get_feed(client)
    assert "liveFeeds" not in feed
    validator.validate(feed)


def test_publish_appears_and_unpublish_disappears(client, catalogue, make_video):
    get_feed(client)  # cached now
    draft = make_video(live=False, title="Embargoed pictures")
    _response, feed = get_feed(client)
    assert f"video-{draft.pk}" not in video_ids(feed)

    draft.save_revision().publish()
    _response, feed = get_feed(client)
    assert video_ids(feed)[0] == f"video-{draft.pk}"

    draft.refresh_from_db()
    draft.unpublish()
    _response, feed = get_feed(client)
    assert f"video-{draft.pk}" not in video_ids(feed)
    assert all(f"video-{draft.pk}" not in p["itemIds"] for p in feed.get("playlists", []))


def test_deleting_a_video_drops_it(client, catalogue):
    get_feed(client)
    gone = catalogue[1]
    gone.delete()
    _response, feed = get_feed(client)
    assert f"video-{gone.pk}" not in video_ids(feed)


def test_videos_roku_cannot_show_are_left_out(client, home, make_video, make_image, validator):
    ok = make_video()
    no_thumbnail = make_video(lead_image=None)
    small_thumbnail = make_video(lead_image=make_image(title="Tiny", width=640, height=360))
    no_duration = make_video(duration=None)
    _response, feed = get_feed(client)
    assert video_ids(feed) == [f"video-{ok.pk}"]
    for skipped in (no_thumbnail, small_thumbnail, no_duration):
        assert f"video-{skipped.pk}" not in video_ids(feed)
    validator.validate(feed)


def test_no_videos_is_a_plain_404_not_an_invalid_feed(client, home, validator):
    response = client.get(FEED_URL)
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == roku.NO_VIDEOS_TEXT
    assert "at least one video" in roku.NO_VIDEOS_TEXT
    # What the feed would have said is exactly what the schema now refuses.
    empty = roku.build_feed(response.wsgi_request)
    assert empty["shortFormVideos"] == []
    assert not validator.is_valid(empty)


def test_a_live_stream_alone_is_no_feed(client, live_on_air, validator):
    assert client.get(FEED_URL).status_code == 404


def test_the_first_video_brings_the_feed_back(client, home, make_video, validator):
    assert client.get(FEED_URL).status_code == 404
    video = make_video()
    _response, feed = get_feed(client)
    assert video_ids(feed) == [f"video-{video.pk}"]
    validator.validate(feed)


def test_videos_roku_cannot_play_alone_are_no_feed(client, home, make_video):
    make_video(lead_image=None)
    assert client.get(FEED_URL).status_code == 404


def test_urls_use_the_host_the_feed_was_asked_on(client, catalogue, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "mirror.example.net"]
    _response, primary = get_feed(client)
    _response, mirror = get_feed(client, HTTP_HOST="mirror.example.net")
    assert video_ids(mirror) == video_ids(primary)
    for item in mirror["shortFormVideos"]:
        assert item["thumbnail"].startswith("http://mirror.example.net/")
    first = mirror["shortFormVideos"][-1]
    assert first["content"]["videos"][0]["url"].startswith("http://mirror.example.net/media/")


class TestConditionalGet:
    def test_etag_gives_304(self, client, catalogue):
        response, _feed = get_feed(client)
        etag = response["ETag"]
        again = client.get(FEED_URL, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == etag

    def test_last_modified_gives_304(self, client, catalogue):
        response, feed = get_feed(client)
        assert response["Last-Modified"].endswith("GMT")
        again = client.get(FEED_URL, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert again.status_code == 304

    def test_a_publish_changes_the_etag(self, client, catalogue, make_video):
        response, _feed = get_feed(client)
        make_video()
        again = client.get(FEED_URL, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 200
        assert again["ETag"] != response["ETag"]

    def test_an_unpublish_changes_the_etag(self, client, catalogue):
        response, _feed = get_feed(client)
        catalogue[0].unpublish()
        again = client.get(FEED_URL, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 200
        assert again["ETag"] != response["ETag"]
        assert json.loads(again.content)["lastUpdated"] >= _feed["lastUpdated"]

    def test_the_feed_is_served_from_cache(self, client, catalogue, django_assert_max_num_queries):
        get_feed(client)
        with django_assert_max_num_queries(2):
            get_feed(client)


def test_building_the_feed_does_not_query_per_video(
    client, catalogue, make_video, django_assert_max_num_queries
):
    for _ in range(6):
        make_video(captions=True, topics=["Basra"])
    get_feed(client)  # makes the thumbnail renditions once
    roku.invalidate()
    with django_assert_max_num_queries(14):
        get_feed(client)


def test_head_and_post(client, make_video):
    make_video()
    get = client.get(FEED_URL)
    head = client.head(FEED_URL)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]
    assert get["Content-Type"].startswith("application/json")
    assert client.post(FEED_URL).status_code == 405


def test_provider_name_follows_the_publication_setting(client, make_video):
    make_video()
    get_feed(client)
    publication = PublicationSettings.for_site(Site.objects.get(is_default_site=True))
    publication.name = "Radio Tigris"
    publication.save()
    _response, feed = get_feed(client)
    assert feed["providerName"] == "Radio Tigris"


# Size limit ------------------------------------------------------------------------------


def worst_case_item(n):
    arabic = "ا" * 1000  # two bytes a character in UTF-8
    return {
        "id": f"video-{10**9 + n}",
        "title": arabic[:255],
        "shortDescription": arabic[:200],
        "longDescription": arabic[:500],
        "thumbnail": "https://www.example-broadcaster.org/media/images/" + "x" * 120 + ".jpg",
        "releaseDate": "2026-11-25",
        "genres": ["news"],
        "tags": [arabic[:20]] * 10,
        "content": {
            "dateAdded": "2026-11-25T12:00:00+00:00",
            "videos": [
                {
                    "url": "https://www.example-broadcaster.org/media/videos/" + "y" * 120 + ".mp4",
                    "quality": "HD",
                    "videoType": "MP4",
                    "bitrate": 2500,
                }
            ],
            "duration": 600,
            "captions": [
                {
                    "url": "https://www.example-broadcaster.org/media/captions/" + "z" * 100,
                    "language": "ar",
                    "captionType": "CLOSED_CAPTION",
                }
            ],
        },
    }


def worst_case_feed(count):
    items = [worst_case_item(n) for n in range(count)]
    return {
        "providerName": "Masthead News",
        "lastUpdated": "2026-11-25T12:00:00+00:00",
        "language": "ar",
        "shortFormVideos": items,
        "categories": [{"name": "News", "playlistName": "News", "order": "most_recent"}],
        "playlists": [{"name": "News", "itemIds": [item["id"] for item in items]}],
    }


def test_the_item_cap_keeps_worst_case_feeds_under_the_limit(validator):
    feed = worst_case_feed(roku.MAX_SHORT_FORM_VIDEOS)
    validator.validate(feed)
    assert len(roku.serialise(feed)) <= roku.ROKU_FEED_MAX_BYTES


def test_oversized_feeds_are_trimmed_oldest_first(validator):
    feed = worst_case_feed(40)
    newest = feed["shortFormVideos"][0]["id"]
    body = roku.fit_to_size(copy.deepcopy(feed), max_bytes=30_000)
    trimmed = json.loads(body)
    assert len(body) <= 30_000
    assert 0 < len(trimmed["shortFormVideos"]) < 40
    assert trimmed["shortFormVideos"][0]["id"] == newest
    kept = set(video_ids(trimmed))
    assert set(trimmed["playlists"][0]["itemIds"]) == kept
    validator.validate(trimmed)


# The schema bites ------------------------------------------------------------------------


@pytest.fixture
def good_feed():
    feed = worst_case_feed(2)
    feed["liveFeeds"] = [
        {
            "id": "live",
            "title": "Live",
            "content": {
                "dateAdded": "2026-11-25T12:00:00+00:00",
                "videos": [
                    {"url": "https://l.example/m.m3u8", "quality": "HD", "videoType": "HLS"}
                ],
            },
            "thumbnail": "https://l.example/t.jpg",
            "shortDescription": "Live news.",
            "longDescription": "Live news, all day.",
            "genres": ["news"],
        }
    ]
    return feed


def test_the_reference_feed_is_valid(validator, good_feed):
    validator.validate(good_feed)


def break_feed(feed, path, value=None, delete=False):
    *parents, last = path
    target = feed
    for key in parents:
        target = target[key]
    if delete:
        del target[last]
    else:
        target[last] = value
    return feed


VIDEO = ("shortFormVideos", 0)


@pytest.mark.parametrize(
    "path, value, delete",
    [
        (("providerName",), None, True),
        (("lastUpdated",), None, True),
        (("language",), None, True),
        (("lastUpdated",), "2026-11-25T12:00:00", False),  # no offset
        (("lastUpdated",), "25/11/2026", False),
        ((*VIDEO, "content", "videos", 0, "videoType"), "WEBM", False),
        ((*VIDEO, "content", "videos", 0, "quality"), "4K", False),
        ((*VIDEO, "content", "videos", 0, "url"), "/media/videos/clip.mp4", False),  # relative
        ((*VIDEO, "content", "videos"), [], False),
        ((*VIDEO, "content", "duration"), "600", False),
        ((*VIDEO, "content", "duration"), None, True),
        ((*VIDEO, "content", "captions", 0, "captionType"), "OPEN", False),
        ((*VIDEO, "content", "captions", 0, "Language"), "fr", False),  # the spec's own typo
        ((*VIDEO, "content"), None, True),
        ((*VIDEO, "thumbnail"), None, True),
        ((*VIDEO, "id"), None, True),
        ((*VIDEO, "releaseDate"), "2026-11-25T12:00:00+00:00", False),
        ((*VIDEO, "shortDescription"), "x" * 201, False),
        ((*VIDEO, "longDescription"), "x" * 501, False),
        ((*VIDEO, "tags"), ["twenty-one characters"], False),
        ((*VIDEO, "genres"), ["politics"], False),
        (("categories", 0, "order"), "alphabetical", False),
        (("categories", 0, "query"), "news AND iraq", False),  # both playlistName and query
        (("categories", 0, "playlistName"), None, True),  # neither
        (("playlists", 0, "name"), "A playlist name too long", False),
        (("liveFeeds", 0, "id"), "x" * 51, False),
        (("liveFeeds", 0, "longDescription"), None, True),
    ],
)
def test_the_schema_rejects_broken_feeds(validator, good_feed, path, value, delete):
    broken = break_feed(copy.deepcopy(good_feed), path, value, delete)
    assert not validator.is_valid(broken)


def test_the_schema_needs_some_content(validator, good_feed):
    videos = good_feed.pop("shortFormVideos")
    assert not validator.is_valid(good_feed)  # liveFeeds alone is not content
    good_feed["tvSpecials"] = []
    assert not validator.is_valid(good_feed)  # nor is an empty list
    good_feed["shortFormVideos"] = []
    assert not validator.is_valid(good_feed)
    good_feed["shortFormVideos"] = videos
    assert validator.is_valid(good_feed)  # an empty list beside a full one is harmless


def test_the_schema_rejects_mixed_and_or_queries(validator, good_feed):
    category = good_feed["categories"][0]
    del category["playlistName"]
    category["query"] = "news AND iraq"
    assert validator.is_valid(good_feed)
    category["query"] = "news AND iraq OR syria"
    assert not validator.is_valid(good_feed)


def test_cdn_headers(client, make_video):
    make_video()
    response, _feed = get_feed(client)
    assert response["Cache-Control"].startswith("public")
    assert "s-maxage=" in response["Cache-Control"]
    assert "tv-roku-feed" in response["Surrogate-Key"]


def test_publishing_makes_the_tv_thumbnail(make_video):
    video = make_video()
    specs = set(video.lead_image.renditions.values_list("filter_spec", flat=True))
    assert roku.THUMBNAIL_SPEC in specs
