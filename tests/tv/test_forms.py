"""The video page's admin form: size, probing, duration, one source, WebVTT captions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from masthead.news.models import VideoPage

from .helpers import VTT


@pytest.fixture
def section(make_section):
    return make_section("Video")


@pytest.fixture
def thumbnail(make_image):
    return make_image(title="Poster", width=1280, height=720)


def form_data(thumbnail, **overrides):
    data = {
        "title": "Floods reach the capital",
        "slug": "floods-reach-the-capital",
        "standfirst": "Water rose overnight.",
        "lead_image": thumbnail.pk,
        "lead_image_alt": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
        "video_url": "",
        "duration": "",
        "captions_language": "en",
        "body": streamfield([]),
        "dateline": "",
        "topics": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
        "bylines": inline_formset([]),
        "corrections": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def make_form(section, editor, data, files=None, instance=None):
    form_class = VideoPage.get_edit_handler().get_form_class()
    return form_class(
        data, files or {}, instance=instance or VideoPage(), parent_page=section, for_user=editor
    )


def upload(mp4_bytes, name="clip.mp4"):
    return SimpleUploadedFile(name, mp4_bytes, content_type="video/mp4")


def test_a_real_video_is_accepted_and_its_duration_read(section, editor, thumbnail, mp4_bytes):
    form = make_form(section, editor, form_data(thumbnail), {"video_file": upload(mp4_bytes)})
    assert form.is_valid(), form.errors
    page = form.save(commit=False)
    assert page.duration == 2


def test_the_editor_may_override_the_measured_duration(section, editor, thumbnail, mp4_bytes):
    form = make_form(
        section, editor, form_data(thumbnail, duration="95"), {"video_file": upload(mp4_bytes)}
    )
    assert form.is_valid(), form.errors
    assert form.save(commit=False).duration == 95


def test_a_text_file_posing_as_a_video_is_a_form_error(section, editor, thumbnail):
    fake = SimpleUploadedFile("clip.mp4", b"Not a video at all\n" * 50, content_type="video/mp4")
    form = make_form(section, editor, form_data(thumbnail), {"video_file": fake})
    assert not form.is_valid()
    assert "not a video" in " ".join(form.errors["video_file"])


MEGABYTE = 1024 * 1024


def plain(text):
    """Sizes are written with a no-break space between number and unit ("1.5\xa0MB")."""
    return str(text).replace("\xa0", " ")


@pytest.fixture
def ffprobe_must_not_run(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("ffprobe ran on a file over the size limit")

    monkeypatch.setattr("masthead.news.probe.run_ffprobe", fail)


@override_settings(MAX_VIDEO_MB=1)
def test_a_video_over_the_limit_is_refused_before_ffprobe(
    section, editor, thumbnail, ffprobe_must_not_run
):
    big = upload(b"\0" * (3 * MEGABYTE // 2))
    form = make_form(section, editor, form_data(thumbnail), {"video_file": big})
    assert not form.is_valid()
    assert [plain(error) for error in form.errors["video_file"]] == [
        "This file is 1.5 MB; videos may be at most 1.0 MB. Upload a smaller encoding, or "
        "host the video elsewhere and give its address as the external video URL."
    ]


@override_settings(MAX_VIDEO_MB=1)
def test_a_video_of_exactly_the_limit_is_probed(section, editor, thumbnail, monkeypatch):
    probed = []
    monkeypatch.setattr("masthead.news.probe.run_ffprobe", lambda path: probed.append(path) or {})
    form = make_form(
        section, editor, form_data(thumbnail), {"video_file": upload(b"\0" * MEGABYTE)}
    )
    assert not form.is_valid()
    assert len(probed) == 1
    assert "no video" in " ".join(form.errors["video_file"])


def test_neither_file_nor_url_is_an_error(section, editor, thumbnail):
    form = make_form(section, editor, form_data(thumbnail))
    assert not form.is_valid()
    assert "Upload a video file or give an external video URL" in str(form.errors["video_file"])


def test_both_file_and_url_is_an_error(section, editor, thumbnail, mp4_bytes):
    data = form_data(thumbnail, video_url="https://cdn.example.org/v/clip.mp4", duration="10")
    form = make_form(section, editor, data, {"video_file": upload(mp4_bytes)})
    assert not form.is_valid()
    assert "not both" in str(form.errors["video_url"])


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.example.org/live/master.m3u8",
        "http://cdn.example.org/clips/clip.MP4",
        "https://cdn.example.org/hls/index.m3u8?token=abc",
    ],
)
def test_external_hls_or_mp4_urls_are_accepted(section, editor, thumbnail, url):
    form = make_form(section, editor, form_data(thumbnail, video_url=url, duration="120"))
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "url, message",
    [
        ("ftp://cdn.example.org/clip.mp4", "https:// or http://"),
        ("https://www.example.org/watch?v=123", ".m3u8"),
        ("https://cdn.example.org/clip.mkv", ".m3u8"),
    ],
)
def test_external_urls_must_be_http_and_hls_or_mp4(section, editor, thumbnail, url, message):
    form = make_form(section, editor, form_data(thumbnail, video_url=url, duration="120"))
    assert not form.is_valid()
    assert message in str(form.errors["video_url"])


def test_an_external_video_needs_a_duration(section, editor, thumbnail):
    data = form_data(thumbnail, video_url="https://cdn.example.org/clip.mp4")
    form = make_form(section, editor, data)
    assert not form.is_valid()
    assert "length in seconds" in str(form.errors["duration"])


def test_webvtt_captions_are_accepted(section, editor, thumbnail, mp4_bytes):
    files = {
        "video_file": upload(mp4_bytes),
        "captions": SimpleUploadedFile("clip.vtt", VTT, content_type="text/vtt"),
    }
    form = make_form(section, editor, form_data(thumbnail), files)
    assert form.is_valid(), form.errors


def test_subrip_captions_are_a_form_error(section, editor, thumbnail, mp4_bytes):
    srt = b"1\n00:00:00,000 --> 00:00:01,500\nHello.\n"
    files = {
        "video_file": upload(mp4_bytes),
        "captions": SimpleUploadedFile("clip.srt", srt, content_type="text/plain"),
    }
    form = make_form(section, editor, form_data(thumbnail), files)
    assert not form.is_valid()
    assert "WebVTT" in str(form.errors["captions"])


def test_captions_need_a_language(section, editor, thumbnail, mp4_bytes):
    files = {
        "video_file": upload(mp4_bytes),
        "captions": SimpleUploadedFile("clip.vtt", VTT, content_type="text/vtt"),
    }
    form = make_form(section, editor, form_data(thumbnail, captions_language=""), files)
    assert not form.is_valid()
    assert "captions_language" in form.errors


def test_caption_language_must_be_a_language_code(section, editor, thumbnail, mp4_bytes):
    files = {"video_file": upload(mp4_bytes)}
    form = make_form(section, editor, form_data(thumbnail, captions_language="Arabic"), files)
    assert not form.is_valid()
    assert "language code" in str(form.errors["captions_language"])


def test_a_video_needs_a_thumbnail_big_enough_for_roku(section, editor, make_image, mp4_bytes):
    small = make_image(title="Small", width=640, height=360)
    form = make_form(section, editor, form_data(small), {"video_file": upload(mp4_bytes)})
    assert not form.is_valid()
    assert "800×450" in str(form.errors["lead_image"])
    data = form_data(small, lead_image="")
    form = make_form(section, editor, data, {"video_file": upload(mp4_bytes)})
    assert not form.is_valid()
    assert "poster" in str(form.errors["lead_image"])


def test_an_existing_upload_is_not_probed_again(make_video, editor, thumbnail, monkeypatch):
    video = make_video(lead_image=thumbnail)
    section = video.get_parent()

    def fail(*args, **kwargs):
        raise AssertionError("probed an unchanged file")

    monkeypatch.setattr("masthead.news.probe.run_ffprobe", fail)
    data = form_data(thumbnail, title=video.title, slug=video.slug, duration="2")
    form = make_form(section, editor, data, instance=video)
    assert form.is_valid(), form.errors


class TestThroughTheAdmin:
    """The form is the one Wagtail's page editor really uses (VideoPage.base_form_class)."""

    def add_url(self, section):
        return reverse("wagtailadmin_pages:add", args=("news", "videopage", section.pk))

    def test_a_fake_video_is_refused_and_nothing_is_saved(self, client, editor, section, thumbnail):
        client.force_login(editor)
        fake = SimpleUploadedFile("clip.mp4", b"plain text\n" * 100, content_type="video/mp4")
        data = form_data(thumbnail)
        data["video_file"] = fake
        response = client.post(self.add_url(section), data)
        assert response.status_code == 200
        assert "This file is not a video we can read." in response.content.decode()
        assert not VideoPage.objects.exists()

    def test_a_real_video_is_saved_with_its_duration(
        self, client, editor, section, thumbnail, mp4_bytes
    ):
        client.force_login(editor)
        data = form_data(thumbnail)
        data["video_file"] = upload(mp4_bytes)
        response = client.post(self.add_url(section), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        video = VideoPage.objects.get()
        assert video.duration == 2
        assert video.video_file.name.startswith("videos/")

    @override_settings(MAX_VIDEO_MB=1)
    def test_a_video_over_the_limit_is_refused_and_nothing_is_stored(
        self, client, editor, section, thumbnail, settings, ffprobe_must_not_run
    ):
        client.force_login(editor)
        data = form_data(thumbnail)
        data["video_file"] = upload(b"\0" * (2 * MEGABYTE))
        response = client.post(self.add_url(section), data)
        assert response.status_code == 200
        page = plain(response.content.decode())
        assert "This file is 2.0 MB; videos may be at most 1.0 MB." in page
        assert not VideoPage.objects.exists()
        assert not (settings.MEDIA_ROOT / "videos").exists()
