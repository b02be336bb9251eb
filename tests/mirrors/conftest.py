"""Fixtures for the mirror tests: a small site with everything a copy must carry."""

import contextlib
import http.server
import os
import posixpath
import socket
import threading
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from django.core.files.base import ContentFile
from lxml import html as lxml_html

from masthead.news.models import VideoPage
from tests.conftest import publish

LINK_ATTRIBUTES = ("href", "src", "poster", "action")


def queued(callbacks):
    """(function name, arguments) of each on_commit callback, partials unwrapped."""
    calls = []
    for callback in callbacks:
        function = getattr(callback, "func", callback)
        calls.append((getattr(function, "__name__", ""), getattr(callback, "args", ())))
    return calls


@pytest.fixture
def site(make_section, make_story, make_author, make_image):
    """Two nested sections, two dozen stories (a second listing page), topics, a video."""
    news = make_section("News")
    iraq = make_section("Iraq", parent=news)
    business = make_section("Business")
    reporter = make_author("Rana Reporter")
    photo = make_image("Square")
    stories = [
        make_story(
            iraq,
            title=f"Iraq story {n}",
            topics=["Baghdad"] if n % 2 else ["Basra"],
            authors=[reporter] if n % 3 == 0 else [],
            lead_image=photo if n % 4 == 0 else None,
        )
        for n in range(1, 24)
    ]
    stories.append(make_story(business, title="Markets rally", topics=["Markets"]))
    video = make_story(
        business,
        title="Video report",
        cls=VideoPage,
        lead_image=make_image("Video still"),
        duration=30,
    )
    video.video_file.save("clip.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42fake-video"))
    publish(video)
    return {
        "news": news,
        "iraq": iraq,
        "business": business,
        "stories": stories,
        "video": video,
        "author": reporter,
    }


@pytest.fixture
def dest(tmp_path):
    return tmp_path / "mirror"


def exported_links(root):
    """(html file, link, resolved file) for every internal href/src in an exported copy."""
    root = Path(root)
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root).as_posix()
        tree = lxml_html.fromstring(path.read_bytes())
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            values = [element.get(name) for name in LINK_ATTRIBUTES]
            srcset = element.get("srcset")
            if srcset:
                values += [item.strip().split()[0] for item in srcset.split(",") if item.strip()]
            for value in values:
                if not value:
                    continue
                parts = urlsplit(value)
                if parts.scheme or parts.netloc or value.startswith("#"):
                    continue
                if not parts.path:
                    continue
                resolved = posixpath.normpath(
                    posixpath.join(posixpath.dirname(rel), unquote(parts.path))
                )
                yield rel, value, resolved


def broken_links(root):
    root = Path(root)
    return [
        (page, link)
        for page, link, resolved in exported_links(root)
        if resolved.startswith("..") or not (root / resolved).is_file()
    ]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(directory, handler=QuietHandler):
    """A directory served over HTTP on a free port while the block runs: its base URL."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(handler, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def site_url(path):
    return urljoin("http://testserver/", path)


@pytest.fixture
def signing_keys(settings):
    from masthead.mirrors.manifest import generate_keypair

    private, public = generate_keypair()
    settings.MASTHEAD_MIRROR_SIGNING_KEY = private
    settings.MASTHEAD_MIRROR_PUBLIC_KEY = public
    return private, public


@pytest.fixture(autouse=True)
def _no_targets(settings):
    """No automatic exports unless a test configures targets."""
    settings.MASTHEAD_MIRROR_TARGETS = {}
    os.environ.pop("MASTHEAD_MIRROR_TARGETS", None)
