"""The demo's videos and live stream setting, made from nothing at load time.

ffmpeg's own test sources (a moving test card and a tone) give a few seconds of H.264/AAC
MP4 each; Pillow draws a 16:9 poster; the captions are written as WebVTT. Everything is
synthetic and lives on this site, so the demo requests nothing from anyone else.

ffmpeg is optional: the demo needs only python3 and make, so without it (or when it
fails) load_demo says so and carries on with articles only.
"""

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Site

from masthead.news import probe
from masthead.news.models import HomePage, SectionPage, VideoPage
from masthead.tv.models import LiveStreamSettings

FFMPEG_TIMEOUT_SECONDS = 60
VIDEO_SIZE = "640x360"
VIDEO_RATE = 25
# Posters at Roku's 16:9 thumbnail size (at least 800x450); the live still at 1920x1080,
# the size Roku's linear spec asks for.
POSTER_SIZE = (1280, 720)
LIVE_THUMBNAIL_SIZE = (1920, 1080)
SECTION_TITLE = "News"


@dataclass(frozen=True)
class DemoVideo:
    external_id: str
    title: str
    standfirst: str
    seconds: int
    tone_hz: int
    colour: tuple
    captions: tuple  # one line per cue, spread evenly over the clip


DEMO_VIDEOS = [
    DemoVideo(
        "v000001",
        "Demo video: the test card",
        "A few seconds of ffmpeg's test card with a tone, to show how a video story looks.",
        6,
        440,
        (36, 78, 140),
        ("This is a synthetic demo video.", "Nothing here is real news."),
    ),
    DemoVideo(
        "v000002",
        "Demo video: captions on screen",
        "A short synthetic clip whose WebVTT captions the player shows when switched on.",
        5,
        660,
        (140, 60, 40),
        ("Captions come from a WebVTT file.", "The Roku feed lists them too."),
    ),
    DemoVideo(
        "v000003",
        "Demo video: on the Roku channel",
        "Every published video with a poster and a duration goes into the Roku feed.",
        4,
        880,
        (40, 110, 70),
        ("Roku reads /feeds/roku.json.", "Thank you for watching."),
    ),
]
LAST_VIDEO_ID = DEMO_VIDEOS[-1].external_id

LIVE_TITLE = "Masthead News live (demo: no real stream)"
LIVE_DESCRIPTION = (
    "The demo has no live broadcast: its stream address is a placeholder in the reserved "
    ".example domain, which never answers. Editors put the encoder's HLS address in "
    "Settings > Live stream and tick On air; this page then plays it."
)
# Reserved by RFC 2606, like the demo's other placeholder addresses: nothing is ever
# requested from it, and the setting is off air so no page or feed offers it.
LIVE_HLS_URL = "https://live.masthead-news.example/hls/master.m3u8"


NO_FFMPEG = (
    "ffmpeg is not installed, so the demo has no videos "
    "(apt-get install ffmpeg, then run make demo again to add them)."
)


class VideosUnavailable(Exception):
    """The demo videos cannot be made here; the message says why and what to do."""


def ffmpeg_path():
    return shutil.which("ffmpeg")


def videos_loaded():
    return VideoPage.objects.filter(external_id=LAST_VIDEO_ID).exists()


def load_videos(folder):
    """Create the demo videos that are missing; returns how many were created."""
    ffmpeg = ffmpeg_path()
    if ffmpeg is None:
        raise VideosUnavailable(NO_FFMPEG)
    existing = set(
        VideoPage.objects.filter(
            external_id__in=[video.external_id for video in DEMO_VIDEOS]
        ).values_list("external_id", flat=True)
    )
    missing = [video for video in DEMO_VIDEOS if video.external_id not in existing]
    if not missing:
        return 0
    section = demo_section()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as work:
        for video in missing:
            create_video_page(ffmpeg, Path(work), section, video)
    return len(missing)


def demo_section():
    """The top-level News section (the corpus makes it), created if the corpus did not."""
    home = HomePage.objects.get()
    section = SectionPage.objects.child_of(home).filter(title=SECTION_TITLE).first()
    if section is None:
        section = SectionPage(title=SECTION_TITLE)
        home.add_child(instance=section)
        section.save_revision().publish()
    return section


def create_video_page(ffmpeg, work, section, video):
    mp4 = work / f"{video.external_id}.mp4"
    vtt = work / f"{video.external_id}.vtt"
    poster = work / f"{video.external_id}.jpg"
    write_mp4(ffmpeg, mp4, video.seconds, video.tone_hz)
    try:
        duration = probe.probe_video(mp4).duration
    except probe.ProbeError as error:
        raise VideosUnavailable(f"ffmpeg made a video that cannot be read: {error}") from error
    vtt.write_text(webvtt(video.captions, video.seconds), encoding="utf-8")
    write_poster(poster, video.title, video.colour, POSTER_SIZE)
    image = save_image(poster, video.title, f"Test card for {video.title.lower()}")
    page = VideoPage(
        title=video.title,
        standfirst=video.standfirst,
        external_id=video.external_id,
        lead_image=image,
        duration=duration,
        captions_language="en",
        body=[("paragraph", "<p>This video was generated for the demo; it shows no event.</p>")],
    )
    with mp4.open("rb") as file:
        page.video_file = File(file, name=mp4.name)
        with vtt.open("rb") as captions:
            page.captions = File(captions, name=vtt.name)
            section.add_child(instance=page)
    page.save_revision().publish()
    return page


def write_mp4(ffmpeg, path, seconds, tone_hz):
    """A small H.264/AAC MP4 of ffmpeg's test card and a sine tone, `seconds` long."""
    command = [
        ffmpeg, "-v", "error", "-nostdin", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size={VIDEO_SIZE}:rate={VIDEO_RATE}:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency={tone_hz}:sample_rate=44100:duration={seconds}",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "32", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart",
        str(path),
    ]  # fmt: skip
    try:
        result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            command, capture_output=True, timeout=FFMPEG_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise VideosUnavailable("ffmpeg took too long to make a demo video.") from error
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise VideosUnavailable(
            "ffmpeg could not make a demo video (it needs the libx264 and aac encoders): "
            + (detail[-1] if detail else f"exit status {result.returncode}")
        )


def webvtt(lines, seconds):
    """WebVTT with the lines as consecutive cues sharing the clip's length."""
    step = seconds / len(lines)
    cues = ["WEBVTT", ""]
    for n, line in enumerate(lines):
        cues += [f"{timestamp(n * step)} --> {timestamp((n + 1) * step)}", line, ""]
    return "\n".join(cues)


def timestamp(seconds):
    millis = round(seconds * 1000)
    minutes, millis = divmod(millis, 60_000)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"


def write_poster(path, text, colour, size):
    """A flat 16:9 card with bars and the title: plainly a placeholder picture."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = size
    picture = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(picture)
    bars = [(230, 230, 230), (230, 200, 40), (40, 190, 200), (50, 180, 60), (190, 50, 170)]
    bar_width = width // len(bars)
    for n, bar in enumerate(bars):
        draw.rectangle([n * bar_width, 0, (n + 1) * bar_width, height // 3], fill=bar)
    try:
        font = ImageFont.load_default(size=height // 12)
    except TypeError:  # Pillow before 10.1 has one small bitmap font
        font = ImageFont.load_default()
    draw.text((width // 16, height // 2), text, fill=(255, 255, 255), font=font)
    picture.save(path, "JPEG", quality=85)


def save_image(path, title, description):
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title, description=description)
        with path.open("rb") as file:
            image.file = ImageFile(file, name=path.name)
            image.save()
    return image


def set_live_stream(folder):
    """Fill in the live stream setting once, off air, unless an editor already has."""
    site = Site.objects.get(is_default_site=True)
    live = LiveStreamSettings.for_site(site)
    if live.hls_url:
        return False
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    still = folder / "live-still.jpg"
    write_poster(still, "Live (demo)", (20, 20, 30), LIVE_THUMBNAIL_SIZE)
    live.title = LIVE_TITLE
    live.description = LIVE_DESCRIPTION
    live.hls_url = LIVE_HLS_URL
    live.thumbnail = save_image(still, "Live stream still (demo)", "The demo's live stream card")
    live.is_on_air = False
    live.save()
    return True
