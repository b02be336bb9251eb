"""A full export: every public page, feed and asset, with links that work anywhere."""

import json
import re
import urllib.request

import pytest
from django.core.management import call_command
from lxml import html as lxml_html

from masthead.mirrors import manifest
from masthead.mirrors.models import Mirror
from masthead.mirrors.pipeline import run
from masthead.mirrors.rewrite import Rewriter, split_internal, url_path_to_file

from .conftest import broken_links, exported_links, serving


@pytest.fixture
def exported(site, dest):
    Mirror.objects.create(address="https://static-copy.example/news/", kind="static", label="S3")
    Mirror.objects.create(address="https://hidden.example/", kind="live", is_public=False)
    result = run(dest=dest)
    return result, dest / "current"


def test_export_contains_every_public_page_feed_and_asset(exported, site):
    result, current = exported
    expected = [
        "index.html",
        "news/index.html",
        "news/iraq/index.html",
        "news/iraq/page/1/index.html",
        "news/iraq/page/2/index.html",
        "business/video-report/index.html",
        "news/iraq/iraq-story-7/index.html",
        "topics/baghdad/index.html",
        "authors/index.html",
        "authors/rana-reporter/index.html",
        "search/index.html",
        "videos/index.html",
        "robots.txt",
        "sitemap.xml",
        "feeds/rss.xml",
        "feeds/roku.json",
        "static/masthead/site.css",
        "static/masthead/favicon.svg",
        "media/videos/clip.mp4",
        ".well-known/masthead-mirrors.json",
        ".well-known/masthead-manifest.json",
    ]
    for rel in expected:
        assert (current / rel).is_file(), rel
    assert list(current.glob("media/images/Square.*"))  # renditions the pages use
    assert not result.errors and not result.broken
    # Listing pages count from the oldest story: page 1 holds story 1.
    assert b"iraq-story-1/" in (current / "news/iraq/page/1/index.html").read_bytes()
    assert b"Search is not available" in (current / "search/index.html").read_bytes()


def test_crawl_of_the_export_finds_no_broken_link(exported):
    _result, current = exported
    links = list(exported_links(current))
    assert len(links) > 200
    assert broken_links(current) == []
    # No root-relative link survives: a copy under a prefix would break on it.
    for page, link, _resolved in links:
        assert not link.startswith("/"), (page, link)


def test_directory_links_name_index_html(exported):
    _result, current = exported
    home = (current / "news/iraq/iraq-story-2/index.html").read_text()
    assert 'href="../index.html"' in home  # breadcrumb to the Iraq section
    assert re.search(r'href="(\.\./)+static/masthead/site\.css"', home)


def test_mirrors_json_lists_public_mirrors_in_every_copy(exported):
    _result, current = exported
    document = json.loads((current / ".well-known/masthead-mirrors.json").read_text())
    assert document["primary"] == "http://testserver"
    assert [m["address"] for m in document["mirrors"]] == ["https://static-copy.example/news/"]
    assert set(document["mirrors"][0]) == {"address", "kind", "label", "last_verified"}


def test_exported_article_matches_live_page_apart_from_links(exported, client, site):
    _result, current = exported
    story = site["stories"][6]
    live = client.get(story.url).content.decode()
    copy = (current / "news/iraq/iraq-story-7/index.html").read_text()

    def normalise(text):
        # Host-dependent parts: the link targets themselves.
        return re.sub(r'(href|src|srcset|action|poster)="[^"]*"', r'\1=""', text)

    assert normalise(copy) == normalise(live)
    # Canonical and og:url still name the primary domain.
    assert 'rel="canonical" href="http://testserver/news/iraq/iraq-story-7/"' in copy


def test_manifest_lists_every_file_with_size_and_hash(exported):
    result, current = exported
    parsed = manifest.parse((current / manifest.MANIFEST_PATH).read_bytes())
    on_disk = {
        path.relative_to(current).as_posix() for path in current.rglob("*") if path.is_file()
    } - {manifest.MANIFEST_PATH}
    assert set(parsed.files) == on_disk
    size, sha = parsed.files["index.html"]
    assert size == (current / "index.html").stat().st_size
    assert len(sha) == 64


def test_copy_works_under_a_path_prefix(exported, tmp_path):
    """Serve the copy at /some/prefix/ with http.server and follow links from the home page."""
    _result, current = exported
    served = tmp_path / "www"
    (served / "some").mkdir(parents=True)
    (served / "some/prefix").symlink_to(current)
    with serving(served) as root:
        base = root + "some/prefix/"
        start = base + "news/iraq/iraq-story-4/index.html"
        page = urllib.request.urlopen(start).read()  # noqa: S310 - a local http URL
        tree = lxml_html.fromstring(page)
        tree.make_links_absolute(start)
        urls = {link for _el, _attr, link, _pos in tree.iterlinks() if link.startswith(base)}
        assert len(urls) > 10
        for url in sorted(urls):
            assert urllib.request.urlopen(url.split("#")[0]).status == 200, url  # noqa: S310


def test_export_command_prints_a_summary(site, dest, capsys):
    call_command("mirror", "export", str(dest), "--no-progress")
    out = capsys.readouterr().out
    assert re.search(r"\d+ pages, \d+ files, [\d,]+ bytes, .* [\d.]+ s", out)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "index.html"),
        ("/news/iraq/", "news/iraq/index.html"),
        ("/news", "news/index.html"),
        ("/feeds/rss.xml", "feeds/rss.xml"),
        ("/topics/%D8%A8%D8%BA%D8%AF%D8%A7%D8%AF/", "topics/بغداد/index.html"),
        ("/.well-known/masthead-mirrors.json", ".well-known/masthead-mirrors.json"),
    ],
)
def test_url_paths_map_to_files(path, expected):
    assert url_path_to_file(path) == expected


@pytest.mark.parametrize("path", ["/../etc/passwd", "/a/%2e%2e/%2e%2e/b", "/.git/config", "/a%00b"])
def test_unsafe_url_paths_are_refused(path):
    from masthead.mirrors.rewrite import UnsafePath

    with pytest.raises(UnsafePath):
        url_path_to_file(path)


def test_css_urls_are_rewritten_relative():
    rewriter = Rewriter(lambda url, base: split_internal(url, base, []))
    css = 'a{background:url(/static/img/x.png)} b{background:url("data:image/png;base64,AA")}'
    text, found = rewriter.css(css, "/static/masthead/site.css", "static/masthead/site.css")
    assert 'url("../img/x.png")' in text
    assert "data:image/png" in text
    assert found == {"/static/img/x.png"}


def test_html_rewriting_keeps_queries_fragments_and_external_links():
    rewriter = Rewriter(lambda url, base: split_internal(url, base, []))
    page = (
        '<a href="/search/?q=a&amp;b=1">s</a><a href="https://other.example/x">o</a>'
        '<a href="/news/#top">n</a><img srcset="/m/a.jpg 1x, /m/b.jpg 2x"><a href="#x">f</a>'
    )
    text, _found = rewriter.html(page, "/news/iraq/", "news/iraq/index.html")
    assert 'href="../../search/index.html?q=a&amp;b=1"' in text
    assert 'href="https://other.example/x"' in text
    assert 'href="../index.html#top"' in text
    assert 'srcset="../../m/a.jpg 1x, ../../m/b.jpg 2x"' in text
    assert 'href="#x"' in text


def test_a_site_without_videos_exports_without_a_roku_feed(home, make_story, dest):
    make_story(title="Words only")
    result = run(dest=dest)
    current = dest / "current"
    assert not result.errors and not result.broken
    assert (current / "index.html").is_file()
    assert not (current / "feeds/roku.json").exists()


def test_the_live_page_is_in_the_copy_while_off_air(site, dest):
    """No page links to /live/ while off air; a reader's bookmark of it must still work."""
    run(dest=dest)
    page = (dest / "current/live/index.html").read_text()
    assert "not on air" in page.lower()
