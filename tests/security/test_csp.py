"""Content-Security-Policy: strict on public pages, workable in the admin.

Besides reading the header, these tests read the markup: a policy without
'unsafe-inline' is only worth having if the pages do not rely on inline code, and the
page only works if everything it loads is allowed by the policy.
"""

from urllib.parse import urlsplit

import lxml.html
import pytest
from django.test import override_settings

# Script types that hold data, never run, so CSP does not govern them.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def policy(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def sources_for(directives, name):
    return directives.get(name, directives.get("default-src", []))


def allowed(url, sources, page_origin="http://testserver"):
    parts = urlsplit(url)
    if parts.scheme == "data":
        return "data:" in sources
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else page_origin
    if origin == page_origin and "'self'" in sources:
        return True
    return origin in sources or f"{parts.scheme}:" in sources


@pytest.fixture
def story(make_article, make_section, make_image):
    iraq = make_section("Iraq", parent=make_section("News"))
    return make_article(
        section=iraq,
        title="Markets steady",
        lead_image=make_image(),
        lead_image_caption="Traders in Baghdad",
    )


def public_urls(story):
    return ["/", "/news/", "/news/iraq/", story.url, "/search/?q=markets", "/no-such-page/"]


def test_public_pages_have_a_strict_policy(client, story):
    for url in public_urls(story):
        response = client.get(url)
        directives = policy(response)
        scripts = sources_for(directives, "script-src")
        assert "'unsafe-inline'" not in scripts, url
        assert "'unsafe-eval'" not in scripts, url
        assert "*" not in scripts and "https:" not in scripts, url
        assert "'unsafe-inline'" not in sources_for(directives, "style-src"), url
        assert directives["object-src"] == ["'none'"], url
        assert directives["frame-ancestors"] == ["'none'"], url
        assert directives["base-uri"] == ["'self'"], url


def test_public_markup_needs_no_inline_code(client, story):
    for url in public_urls(story):
        response = client.get(url)
        tree = lxml.html.fromstring(response.content)
        for script in tree.iter("script"):
            if script.get("type") in DATA_SCRIPT_TYPES:
                continue
            assert script.get("src"), f"inline script on {url}"
        assert not tree.xpath("//style"), f"<style> on {url}"
        assert not tree.xpath("//*[@style]"), f"style attribute on {url}"
        handlers = [
            (el.tag, name)
            for el in tree.iter()
            if isinstance(el.tag, str)
            for name in el.attrib
            if name.lower().startswith("on")
        ]
        assert not handlers, f"event handler attributes on {url}: {handlers}"
        assert "javascript:" not in response.content.decode().lower(), url


def test_everything_a_public_page_loads_is_allowed(client, story):
    response = client.get(story.url)
    directives = policy(response)
    tree = lxml.html.fromstring(response.content)
    loads = [
        ("script-src", tree.xpath("//script/@src")),
        ("style-src", tree.xpath("//link[@rel='stylesheet']/@href")),
        ("img-src", tree.xpath("//img/@src")),
    ]
    assert loads[2][1], "the story's lead image should be on the page"
    for directive, urls in loads:
        for url in urls:
            assert allowed(url, sources_for(directives, directive)), (directive, url)


@override_settings(MEDIA_URL="https://media.example.net/media/")
def test_images_on_a_media_domain_are_allowed(client, story):
    """Production media on S3/a CDN (AWS_S3_CUSTOM_DOMAIN) live on another origin."""
    response = client.get(story.url)
    directives = policy(response)
    images = lxml.html.fromstring(response.content).xpath("//img/@src")
    assert images and all(src.startswith("https://media.example.net/") for src in images)
    for src in images:
        assert allowed(src, sources_for(directives, "img-src")), src


def test_admin_gets_a_policy_it_can_work_with(editor_client, client, story):
    for response in (
        client.get("/admin/login/"),
        editor_client.get("/admin/"),
        editor_client.get(f"/admin/pages/{story.pk}/edit/"),
    ):
        assert response.status_code == 200
        directives = policy(response)
        assert directives["object-src"] == ["'none'"]
        # Wagtail's live preview shows the page in an iframe of the admin itself.
        assert directives["frame-ancestors"] == ["'self'"]
        # No third-party origins, even in the admin.
        for name, sources in directives.items():
            assert not any(s in ("*", "https:", "http:") for s in sources), name
        tree = lxml.html.fromstring(response.content)
        for src in tree.xpath("//script/@src") + tree.xpath("//link[@rel='stylesheet']/@href"):
            assert allowed(
                src, sources_for(directives, "script-src" if src.endswith(".js") else "style-src")
            ), src


def test_admin_policy_is_not_served_to_readers(client, story):
    for url in ("/administrator/", "/news/admin/", story.url + "?next=/admin/"):
        directives = policy(client.get(url))
        assert "'unsafe-inline'" not in sources_for(directives, "script-src"), url
