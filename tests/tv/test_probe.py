import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from masthead.news import probe


def test_probe_reads_a_real_mp4(tiny_mp4):
    info = probe.probe_video(tiny_mp4)
    assert info.duration == 2
    assert (info.width, info.height) == (320, 180)
    assert info.codec == "h264"
    assert "mp4" in info.format_name


def test_probe_rejects_a_text_file_named_like_a_video(tmp_path):
    fake = tmp_path / "not-a-video.mp4"
    fake.write_text("This is a press release, not a video.\n" * 20)
    with pytest.raises(probe.ProbeError, match="not a video"):
        probe.probe_video(fake)


def test_probe_rejects_an_image_that_ffprobe_can_read(tmp_path):
    # ffprobe reads a JPEG as a one-frame "video" in the image2 format: still not a video.
    from tests.conftest import make_jpeg

    jpeg = tmp_path / "still.mp4"
    jpeg.write_bytes(make_jpeg(64, 36).read())
    with pytest.raises(probe.ProbeError):
        probe.probe_video(jpeg)


def test_probe_rejects_audio_only_files(tmp_path):
    audio = tmp_path / "tone.m4a"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", audio],
        check=True,
        timeout=60,
    )
    with pytest.raises(probe.ProbeError, match="no video"):
        probe.probe_video(audio)


def test_probe_gives_up_after_its_timeout(monkeypatch, tiny_mp4):
    def hang(command, **kwargs):
        raise subprocess.TimeoutExpired(command, kwargs["timeout"])

    monkeypatch.setattr(probe.subprocess, "run", hang)
    with pytest.raises(probe.ProbeError, match="too long"):
        probe.probe_video(tiny_mp4)


def test_probe_passes_the_path_as_one_argument_without_a_shell(monkeypatch, tmp_path):
    calls = []

    def record(command, **kwargs):
        calls.append((command, kwargs))
        return subprocess.CompletedProcess(command, 1, b"", b"")

    monkeypatch.setattr(probe.subprocess, "run", record)
    hostile = tmp_path / "x; rm -rf ~.mp4"
    hostile.write_bytes(b"")
    with pytest.raises(probe.ProbeError):
        probe.probe_video(hostile)
    command, kwargs = calls[0]
    assert command[-1] == str(hostile) and command[-2] == "--"
    assert not kwargs.get("shell") and kwargs["timeout"] == probe.FFPROBE_TIMEOUT_SECONDS


def test_probe_uploaded_in_memory_file(mp4_bytes):
    upload = SimpleUploadedFile("clip.mp4", mp4_bytes, content_type="video/mp4")
    assert probe.probe_uploaded_video(upload).duration == 2
    # The form still saves the upload afterwards, so it must be readable from the start.
    assert upload.read(8) == mp4_bytes[:8]


def test_duration_rounds_up_to_whole_seconds():
    probed = {
        "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "12.2"},
        "streams": [{"codec_type": "video", "width": 640, "height": 360, "codec_name": "h264"}],
    }
    assert probe.video_info(probed).duration == 13


def test_non_mp4_containers_are_refused():
    probed = {
        "format": {"format_name": "matroska,webm", "duration": "3.0"},
        "streams": [{"codec_type": "video", "width": 640, "height": 360}],
    }
    with pytest.raises(probe.ProbeError, match="MP4"):
        probe.video_info(probed)


@pytest.mark.parametrize(
    "head, ok",
    [
        (b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n", True),
        (b"WEBVTT - Arabic captions\n", True),
        (b"\xef\xbb\xbfWEBVTT\r\n", True),
        (b"WEBVTT", True),
        (b"1\n00:00:00,000 --> 00:00:01,000\nHi\n", False),  # SubRip
        (b"WEBVTTX\n", False),
        (b"webvtt\n", False),
        (b"", False),
    ],
)
def test_webvtt_signature(head, ok):
    assert probe.is_webvtt(head) is ok
