"""load_demo, the scheduler loop and serve_demo's process supervision."""

import datetime as dt
import io
import json
import re
import subprocess
import sys

import jsonschema
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Page, Site

from masthead.demo import videos
from masthead.demo.management.commands import serve_demo
from masthead.mirrors.models import Mirror
from masthead.news.models import ArticlePage, VideoPage
from masthead.publication.models import PublicationSettings
from masthead.tv.models import LiveStreamSettings
from tests.tv.helpers import load_schema


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def load_demo(**options):
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_load_demo_creates_content_accounts_and_settings(home, var_dir):
    out, _ = load_demo(count=6, image_pool=3)
    articles = ArticlePage.objects.exclude(pk__in=VideoPage.objects.values("pk"))
    assert articles.count() == 6
    assert articles.filter(lead_image__isnull=False).exists()
    lead_photos = Image.objects.filter(pk__in=articles.values("lead_image"))
    assert 1 <= lead_photos.count() <= 3
    assert (var_dir / "demo" / "images" / "lead-000.jpg").exists()
    assert Page.find_problems() == ([], [], [], [], [])

    publication = PublicationSettings.for_site(Site.objects.get(is_default_site=True))
    assert publication.name == "Masthead News"
    assert publication.roku_channel_url.startswith("https://")
    assert publication.roku_promo_text

    mirrors = list(Mirror.objects.all())
    assert len(mirrors) == 2 and all(m.is_public for m in mirrors)
    assert {m.kind for m in mirrors} == {Mirror.Kind.STATIC, Mirror.Kind.ONION}
    onion = next(m for m in mirrors if m.kind == Mirror.Kind.ONION)
    assert re.fullmatch(r"http://[a-z2-7]{56}\.onion/", onion.address)

    User = get_user_model()
    printed = dict(re.findall(r"^  (writer|editor|admin)\s+(\S+)$", out, re.MULTILINE))
    assert set(printed) == {"writer", "editor", "admin"}
    for username, password in printed.items():
        assert User.objects.get(username=username).check_password(password)
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="writer").is_superuser
    assert list(User.objects.get(username="writer").groups.values_list("name", flat=True)) == [
        "Writers"
    ]
    assert list(User.objects.get(username="editor").groups.values_list("name", flat=True)) == [
        "Editors"
    ]
    accounts = var_dir / "demo" / "accounts.txt"
    assert accounts.stat().st_mode & 0o077 == 0
    assert f"admin {printed['admin']}" in accounts.read_text()
    assert "Log in at http://testserver/admin/ ; the site is at http://testserver/" in out


def test_load_demo_names_the_port_the_demo_runs_on(home, var_dir, settings):
    """`make demo PORT=8300` sets MASTHEAD_PRIMARY_URL: the printed addresses follow it."""
    settings.PRIMARY_URL = "http://127.0.0.1:8300"
    out, _ = load_demo(count=2, image_pool=1)
    assert "Log in at http://127.0.0.1:8300/admin/ ; the site is at http://127.0.0.1:8300/" in out
    assert "8000" not in out
    again, _ = load_demo(count=2, image_pool=1)
    assert "The demo is already loaded. Log in at http://127.0.0.1:8300/admin/ " in again


def test_load_demo_twice_does_nothing_the_second_time(home, var_dir, django_assert_max_num_queries):
    load_demo(count=4, image_pool=2)
    pages, users = Page.objects.count(), get_user_model().objects.count()
    with django_assert_max_num_queries(4):
        out, _ = load_demo(count=4, image_pool=2)
    assert "already loaded" in out
    assert Page.objects.count() == pages
    assert get_user_model().objects.count() == users
    assert Mirror.objects.count() == 2


def test_load_demo_makes_videos_the_roku_feed_can_play(home, var_dir, client):
    out, _ = load_demo(count=3, image_pool=2)
    assert "Made 3 synthetic demo videos with ffmpeg." in out
    pages = list(VideoPage.objects.live().order_by("external_id"))
    assert [page.external_id for page in pages] == ["v000001", "v000002", "v000003"]
    for page in pages:
        assert page.video_file.name.endswith(".mp4")
        assert page.captions.read(6) == b"WEBVTT"
        assert 4 <= page.duration <= 7
        assert page.lead_image.width * 9 == page.lead_image.height * 16
        assert page.lead_image.width >= 800
        streams = ffprobe_streams(page.video_file.path)
        assert streams == {"video": "h264", "audio": "aac"}
        assert page.video_file.size < 512_000  # a few seconds of test card stay small

    response = client.get("/feeds/roku.json")
    assert response.status_code == 200
    feed = json.loads(response.content)
    jsonschema.Draft7Validator(load_schema()).validate(feed)
    items = feed["shortFormVideos"]
    assert len(items) == 3
    for item in items:
        assert item["content"]["videos"][0]["url"].startswith("http://testserver/media/videos/")
        caption = item["content"]["captions"][0]
        assert caption["url"].startswith("http://testserver/media/captions/")
        assert (caption["language"], caption["captionType"]) == ("en", "CLOSED_CAPTION")
    # The live stream is filled in but off air: no page or feed offers its placeholder.
    live = LiveStreamSettings.objects.get()
    assert live.title == videos.LIVE_TITLE and not live.is_on_air
    assert live.hls_url.startswith("https://") and ".example/" in live.hls_url
    assert live.thumbnail.width == 1920
    assert "liveFeeds" not in feed
    live_page = client.get("/live/").content.decode()
    assert live.hls_url not in live_page and "not on air" in live_page


def ffprobe_streams(path):
    probed = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", str(path)],
            capture_output=True,
            check=True,
        ).stdout
    )
    return {stream["codec_type"]: stream["codec_name"] for stream in probed["streams"]}


def test_load_demo_without_ffmpeg_says_so_and_goes_on(home, var_dir, monkeypatch):
    monkeypatch.setattr(videos, "ffmpeg_path", lambda: None)
    out, _ = load_demo(count=3, image_pool=2)
    assert f"No demo videos: {videos.NO_FFMPEG}" in out
    assert "Demo loaded." in out
    assert ArticlePage.objects.count() == 3
    assert not VideoPage.objects.exists()
    again, _ = load_demo(count=3, image_pool=2)
    assert f"No demo videos: {videos.NO_FFMPEG}" in again
    assert "already loaded" in again


def test_load_demo_adds_the_videos_once_ffmpeg_is_there(home, var_dir, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(videos, "ffmpeg_path", lambda: None)
        load_demo(count=3, image_pool=2)
    assert not VideoPage.objects.exists()
    out, _ = load_demo(count=3, image_pool=2)
    assert "Made 3 synthetic demo videos with ffmpeg." in out
    assert VideoPage.objects.live().count() == 3
    assert ArticlePage.objects.exclude(pk__in=VideoPage.objects.values("pk")).count() == 3


def test_scheduler_loop_publishes_scheduled_pages(home, make_article):
    story = make_article(live=False)
    story.go_live_at = timezone.now() - dt.timedelta(minutes=1)
    story.save_revision(approved_go_live_at=story.go_live_at)
    call_command("publish_scheduled_loop", once=True, stdout=io.StringIO())
    story.refresh_from_db()
    assert story.live


def test_serve_demo_stops_everything_when_one_process_dies(monkeypatch, settings, tmp_path):
    # No copy to write and a private key file: this test is about the child processes.
    settings.MASTHEAD_MIRROR_TARGETS = {}
    settings.MASTHEAD_MIRROR_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    commands = {
        "runserver": [sys.executable, "-c", "import time; time.sleep(60)"],
        "db_worker": [sys.executable, "-c", "import time; time.sleep(60)"],
        "publish_scheduled_loop": [sys.executable, "-c", "raise SystemExit(3)"],
    }
    started = []
    real_popen = serve_demo.subprocess.Popen

    def popen(command, **kwargs):
        child = real_popen(command, **kwargs)
        started.append(child)
        return child

    monkeypatch.setattr(serve_demo, "manage", lambda name, *args: commands[name])
    monkeypatch.setattr(serve_demo.subprocess, "Popen", popen)
    with pytest.raises(CommandError, match="scheduler process stopped"):
        call_command("serve_demo", stdout=io.StringIO())
    assert len(started) == 3
    assert all(child.poll() is not None for child in started)
