"""How long the Roku feed takes to build, and how big it gets.

    .venv/bin/python bench/roku_bench.py [--videos 150]

Builds a throwaway database (test settings, a temporary var/ folder), publishes N video
pages with 1280x720 lead images (publishing makes their thumbnail renditions), then times
the first build, a rebuild after invalidation, and a cached request.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["MASTHEAD_VAR_DIR"] = tempfile.mkdtemp(prefix="masthead-roku-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.test")

import django  # noqa: E402

django.setup()

from django.core.files.images import ImageFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from wagtail.images.models import Image  # noqa: E402
from wagtail.models import Site  # noqa: E402

from masthead.news.models import HomePage, SectionPage, VideoPage  # noqa: E402
from masthead.tv import roku  # noqa: E402
from tests.conftest import make_jpeg  # noqa: E402


def populate(count):
    home = HomePage.objects.get()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "testserver", 80
    site.save()
    sections = []
    for title in ("News", "Sport", "Culture"):
        section = SectionPage(title=title)
        home.add_child(instance=section)
        section.save_revision().publish()
        sections.append(section)
    for n in range(count):
        image = Image(title=f"Still {n}")
        image.file = ImageFile(make_jpeg(1280, 720, (n % 255, 90, 120)), name=f"still-{n}.jpg")
        image.save()
        video = VideoPage(
            title=f"Video {n}: a headline of ordinary length for a news clip",
            standfirst="What happened, in a sentence or two for the television audience. " * 3,
            video_url=f"https://cdn.example.org/hls/{n}/master.m3u8",
            duration=90 + n,
            lead_image=image,
        )
        sections[n % 3].add_child(instance=video)
        video.topics.add("Baghdad", "Elections")
        video.save_revision().publish()


def timed(client, label):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get("/feeds/roku.json")
        elapsed = time.perf_counter() - start
    assert response.status_code == 200
    print(f"{label:<28} {elapsed * 1000:8.1f} ms {len(queries):4d} queries")
    return response


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--videos", type=int, default=roku.MAX_SHORT_FORM_VIDEOS)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    populate(args.videos)
    print(f"published {args.videos} videos in {time.perf_counter() - start:.1f} s")
    client = Client()
    timed(client, "first build")
    roku.invalidate()
    response = timed(client, "rebuild")
    timed(client, "cached")
    limit = roku.ROKU_FEED_MAX_BYTES // 1024
    print(f"feed size {len(response.content) / 1024:.1f} KB (limit {limit} KB)")


if __name__ == "__main__":
    main()
