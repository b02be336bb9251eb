"""TV fixtures: a real two-second MP4 made by ffmpeg, captions, and published video pages."""

import shutil
import subprocess

import pytest
from django.core.files.base import ContentFile

from masthead.news.models import VideoPage
from tests.conftest import publish

from .helpers import VTT


@pytest.fixture(scope="session")
def tiny_mp4(tmp_path_factory):
    """A 2-second 320x180 H.264 MP4 (a few KB), made once per test run."""
    ffmpeg = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"
    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    subprocess.run(
        [
            ffmpeg, "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=duration=2:size=320x180:rate=10",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-movflags", "+faststart",
            str(path),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    return path


@pytest.fixture
def mp4_bytes(tiny_mp4):
    return tiny_mp4.read_bytes()


@pytest.fixture
def make_video(make_section, make_image, mp4_bytes):
    counter = iter(range(1, 10_000))

    def factory(section=None, title=None, live=True, captions=False, topics=(), **fields):
        section = section or make_section("Video")
        n = next(counter)
        fields.setdefault("standfirst", f"What happened in clip {n}.")
        if "video_url" not in fields and "video_file" not in fields:
            fields["video_file"] = ContentFile(mp4_bytes, name=f"clip-{n}.mp4")
        fields.setdefault("duration", 2)
        if "lead_image" not in fields:
            fields["lead_image"] = make_image(title=f"Still {n}")
        if captions:
            fields["captions"] = ContentFile(VTT, name=f"clip-{n}.vtt")
        video = VideoPage(title=title or f"Video number {n}", **fields)
        section.add_child(instance=video)
        for topic in topics:
            video.topics.add(topic)
        if not live:
            video.save_revision()
            return video
        return publish(video)

    return factory
