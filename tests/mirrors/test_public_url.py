"""A target's PUBLIC_URL: its copy's feeds, sitemaps, robots.txt and Roku feed name that
address (readers of a copy of a blocked site must not be sent back to it), its pages keep
their canonical link on the primary domain, and its own signed manifest verifies."""

import json

import pytest
from lxml import etree, html

from masthead.mirrors import manifest
from masthead.mirrors.export import ExportError
from masthead.mirrors.health import files_behind
from masthead.mirrors.pipeline import run
from masthead.mirrors.verify import verify

LOCAL = "masthead.mirrors.targets.LocalDirectory"
PRIMARY = "http://testserver/"
AT_ROOT = "http://127.0.0.1:8001/"
UNDER_PREFIX = "https://bucket.example/masthead/"
STORY = "news/iraq/iraq-story-3/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def copies(site, settings, tmp_path, signing_keys):
    """Three local targets: the one built in, one under a path prefix, one without address."""
    settings.MASTHEAD_MIRROR_TARGETS = {
        "local": {"BACKEND": LOCAL, "PATH": str(tmp_path / "a"), "PUBLIC_URL": AT_ROOT},
        "prefixed": {"BACKEND": LOCAL, "PATH": str(tmp_path / "b"), "PUBLIC_URL": UNDER_PREFIX},
        "plain": {"BACKEND": LOCAL, "PATH": str(tmp_path / "c")},
    }
    run()
    return {AT_ROOT: tmp_path / "a", UNDER_PREFIX: tmp_path / "b", PRIMARY: tmp_path / "c"}


ADDRESSES = [AT_ROOT, UNDER_PREFIX, PRIMARY]


def read_xml(root, rel):
    return etree.fromstring((root / "current" / rel).read_bytes())


def test_rss_links_name_the_copys_address(copies):
    for address in ADDRESSES:
        channel = read_xml(copies[address], "feeds/rss.xml").find("channel")
        assert channel.findtext("link") == address
        assert channel.find(f"{ATOM}link").get("href") == address + "feeds/rss.xml"
        links = [item.findtext("link") for item in channel.findall("item")]
        assert address + STORY in links
        assert all(link.startswith(address) for link in links)


def test_atom_links_name_the_copys_address(copies):
    for address in ADDRESSES:
        feed = read_xml(copies[address], "feeds/section/news/iraq/atom.xml")
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
        assert links == {
            "alternate": address + "news/iraq/",
            "self": address + "feeds/section/news/iraq/atom.xml",
        }
        entries = [
            entry.find(f"{ATOM}link[@rel='alternate']").get("href")
            for entry in feed.findall(f"{ATOM}entry")
        ]
        assert address + STORY in entries
        assert all(href.startswith(address) for href in entries)


def test_json_feed_names_the_copys_address(copies):
    for address in ADDRESSES:
        document = json.loads((copies[address] / "current/feeds/feed.json").read_bytes())
        assert document["home_page_url"] == address
        assert document["feed_url"] == address + "feeds/feed.json"
        assert address + STORY in [item["url"] for item in document["items"]]


def test_sitemaps_and_robots_name_the_copys_address(copies):
    for address in ADDRESSES:
        index = read_xml(copies[address], "sitemap.xml")
        locations = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
        assert locations[:3] == [
            address + "sitemaps/pages.xml",
            address + "sitemaps/news.xml",
            address + "sitemaps/video.xml",
        ]
        assert all(
            location.startswith(address + "sitemaps/articles-") for location in locations[3:]
        )
        pages = [
            loc.text
            for loc in read_xml(copies[address], "sitemaps/pages.xml").iter(f"{SITEMAP}loc")
        ]
        assert pages[0] == address
        assert address + "news/iraq/" in pages
        month = locations[3].removeprefix(address)
        stories = [loc.text for loc in read_xml(copies[address], month).iter(f"{SITEMAP}loc")]
        assert address + STORY in stories
        robots = (copies[address] / "current/robots.txt").read_text()
        assert f"\nSitemap: {address}sitemap.xml\n" in robots


def test_roku_feed_names_the_copys_address(copies):
    for address in ADDRESSES:
        feed = json.loads((copies[address] / "current/feeds/roku.json").read_bytes())
        (video,) = feed["shortFormVideos"]
        assert video["thumbnail"].startswith(address + "media/")
        assert video["content"]["videos"][0]["url"].startswith(address + "media/")


def test_pages_are_shared_and_keep_the_primary_canonical_link(copies):
    for address in ADDRESSES:
        page = copies[address] / "current" / STORY / "index.html"
        tree = html.fromstring(page.read_bytes())
        (canonical,) = tree.xpath("//link[@rel='canonical']/@href")
        assert canonical == PRIMARY + STORY
        assert (
            page.read_bytes() == (copies[AT_ROOT] / "current" / STORY / "index.html").read_bytes()
        )


def test_each_copy_verifies_against_its_own_manifest(copies, signing_keys):
    for address in ADDRESSES:
        report = verify(str(copies[address]), public_key=signing_keys[1])
        assert report.ok, report.lines()
        assert report.signature == "valid"


def manifest_files(root):
    return manifest.parse((root / "current" / manifest.MANIFEST_PATH).read_bytes()).files


def test_mirror_check_does_not_count_a_copys_own_feeds_as_behind(copies):
    local = manifest_files(copies[AT_ROOT])
    for address in (UNDER_PREFIX, PRIMARY):
        remote = manifest_files(copies[address])
        assert remote["feeds/rss.xml"] != local["feeds/rss.xml"]
        assert remote[STORY + "index.html"] == local[STORY + "index.html"]
        assert files_behind(local, remote) == 0


def test_no_address_is_left_in_another_copy(copies):
    for address, root in copies.items():
        others = [other for other in ADDRESSES if other != address]
        for path in (root / "current").rglob("*"):
            if path.suffix in (".xml", ".json", ".txt") and path.is_file():
                text = path.read_text()
                assert not [other for other in others if other in text], path


def test_a_publish_after_setting_the_address_rewrites_every_feed(
    site, settings, tmp_path, signing_keys
):
    settings.MASTHEAD_MIRROR_TARGETS = {"local": {"BACKEND": LOCAL, "PATH": str(tmp_path)}}
    run()
    settings.MASTHEAD_MIRROR_TARGETS["local"]["PUBLIC_URL"] = AT_ROOT
    run(pages=[site["stories"][0]])  # a refresh: it touches neither Markets nor the author
    current = tmp_path / "current"
    assert read_xml(tmp_path, "feeds/topic/markets/rss.xml").find("channel").findtext("link") == (
        AT_ROOT + "topics/markets/"
    )
    assert f"Sitemap: {AT_ROOT}sitemap.xml" in (current / "robots.txt").read_text()
    assert verify(str(tmp_path), public_key=signing_keys[1]).ok


@pytest.mark.parametrize(
    "value",
    [
        "bucket.example/masthead/",
        "https://bucket.example/masthead",
        "ftp://bucket.example/",
        "https:///masthead/",
        "https://bucket.example/?copy=1",
    ],
)
def test_a_malformed_public_url_stops_the_export_and_says_how_to_fix_it(
    site, settings, tmp_path, value
):
    settings.MASTHEAD_MIRROR_TARGETS = {
        "local": {"BACKEND": LOCAL, "PATH": str(tmp_path / "a")},
        "bucket-copy": {"BACKEND": LOCAL, "PATH": str(tmp_path / "b"), "PUBLIC_URL": value},
    }
    with pytest.raises(ExportError) as raised:
        run()
    message = str(raised.value)
    assert f"mirror target 'bucket-copy': PUBLIC_URL {value!r}" in message
    assert "ending with /" in message and "MASTHEAD_MIRROR_TARGETS" in message
    assert not (tmp_path / "a").exists()  # nothing exported
