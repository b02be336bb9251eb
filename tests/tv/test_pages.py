"""The video player on video pages and the /live/ page."""

import html5lib
import pytest
from wagtail.models import Site

from masthead.tv.models import LiveStreamSettings


def parse(response):
    return html5lib.parse(response.content, namespaceHTMLElements=False)


@pytest.fixture
def live_settings(home, make_image):
    settings = LiveStreamSettings.for_site(Site.objects.get(is_default_site=True))
    settings.title = "Live: our channel"
    settings.description = "News around the clock."
    settings.hls_url = "https://live.example.org/channel/master.m3u8"
    settings.thumbnail = make_image(title="Live still", width=1920, height=1080)
    settings.save()
    return settings


def test_video_page_has_a_plain_html5_player_with_captions(client, make_video):
    video = make_video(captions=True, captions_language="ar")
    response = client.get(video.url)
    assert response.status_code == 200
    doc = parse(response)
    player = doc.find(".//video")
    assert player is not None
    assert "controls" in player.attrib
    assert player.get("preload") == "metadata"
    assert player.get("poster", "").endswith(".jpg")
    source = player.find("source")
    assert source.get("type") == "video/mp4"
    assert source.get("src") == video.video_file.url
    track = player.find("track")
    assert track.get("kind") == "captions"
    assert track.get("srclang") == "ar"
    assert track.get("src") == video.captions.url
    # Browsers without <video> get a way to the file instead.
    fallback = player.find("p/a")
    assert fallback.get("href") == video.video_file.url
    # No third-party player: no script at all in the page body for the video.
    assert b"<iframe" not in response.content
    # The lead photo figure is replaced, not shown as well.
    assert doc.find(".//figure[@class='lead-figure']") is None  # the photo is replaced


def test_video_page_poster_is_the_lead_image(client, make_video):
    video = make_video()
    response = client.get(video.url)
    poster = parse(response).find(".//video").get("poster")
    rendition = video.lead_image.get_rendition("fill-1280x720|format-jpeg")
    assert poster == rendition.url


def test_external_hls_video_is_offered_as_hls(client, make_video):
    url = "https://cdn.example.org/hls/clip/master.m3u8"
    video = make_video(video_url=url, video_file="", duration=300)
    player = parse(client.get(video.url)).find(".//video")
    source = player.find("source")
    assert source.get("src") == url
    assert source.get("type") == "application/x-mpegURL"
    assert player.find("track") is None


def test_video_page_without_any_video_keeps_the_lead_photo(client, make_video):
    video = make_video(video_file="", video_url="")
    response = client.get(video.url)
    assert response.status_code == 200
    doc = parse(response)
    assert doc.find(".//video") is None
    assert doc.find(".//figure[@class='lead-figure']") is not None


def test_duration_is_shown_as_a_clock(client, make_video):
    video = make_video(duration=3725)
    response = client.get(video.url)
    assert b'datetime="PT3725S">1:02:05</time>' in response.content


def test_live_page_off_air(client, home):
    response = client.get("/live/")
    assert response.status_code == 200
    assert b"We are not on air right now." in response.content
    assert parse(response).find(".//video") is None


def test_live_page_on_air_plays_the_hls_stream(client, live_settings):
    live_settings.is_on_air = True
    live_settings.save()
    response = client.get("/live/")
    assert response.status_code == 200
    doc = parse(response)
    assert b"On air now" in response.content
    assert b"not on air" not in response.content
    player = doc.find(".//video")
    assert "controls" in player.attrib
    assert player.get("poster", "").endswith(".jpg")
    source = player.find("source")
    assert source.get("src") == live_settings.hls_url
    assert source.get("type") == "application/x-mpegURL"
    # The public CSP lets the stream load from an https: CDN.
    assert "media-src 'self' https:" in response["Content-Security-Policy"]


def test_live_page_switched_on_without_a_stream_says_not_on_air(client, live_settings):
    LiveStreamSettings.objects.filter(pk=live_settings.pk).update(is_on_air=True, hls_url="")
    response = client.get("/live/")
    assert b"We are not on air right now." in response.content


def test_going_on_air_needs_a_stream_and_a_thumbnail(live_settings):
    from django.core.exceptions import ValidationError

    live_settings.is_on_air = True
    live_settings.hls_url = ""
    live_settings.thumbnail = None
    with pytest.raises(ValidationError) as error:
        live_settings.full_clean()
    assert set(error.value.message_dict) >= {"hls_url", "thumbnail"}


def test_live_page_refuses_posts(client, home):
    assert client.post("/live/").status_code == 405


def test_live_page_is_cached_only_briefly(client, home):
    response = client.get("/live/")
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=60"
    assert response["Surrogate-Key"] == "tv-live"


class TestLiveStreamSettingsAdmin:
    @pytest.fixture
    def admin_client(self, client, home):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
        client.force_login(user)
        return client

    def url(self):
        from django.urls import reverse

        site = Site.objects.get(is_default_site=True)
        return reverse("wagtailsettings:edit", args=["tv", "livestreamsettings", site.pk])

    def test_editors_find_it_in_settings(self, admin_client):
        response = admin_client.get(self.url())
        assert response.status_code == 200
        assert b"HLS stream URL" in response.content

    def test_going_on_air_without_a_stream_is_refused(self, admin_client):
        data = {"title": "Live", "description": "", "hls_url": "", "thumbnail": "",
                "is_on_air": "on", "feed_id": "live"}  # fmt: skip
        response = admin_client.post(self.url(), data)
        assert response.status_code == 200
        assert b"before going on air" in response.content
        site = Site.objects.get(is_default_site=True)
        assert not LiveStreamSettings.for_site(site).is_on_air


@pytest.mark.parametrize(
    "path, headers",
    [
        ("/feeds/roku.json?page=%ff%fe", {}),
        ("/feeds/roku.json", {"HTTP_IF_MODIFIED_SINCE": "yesterday-ish \xff"}),
        ("/feeds/roku.json", {"HTTP_IF_NONE_MATCH": '"unterminated, W/"'}),
        ("/live/?on=%00", {}),
    ],
)
def test_odd_requests_do_not_break_anything(client, make_video, path, headers):
    make_video()  # without a video the feed is a 404 by design
    assert client.get(path, **headers).status_code == 200
