"""A live mirror host serves the site; canonical links name the primary domain."""

from urllib.parse import urlsplit

from lxml import html as lxml_html

MIRROR_HOST = "mirror.example"  # the live_mirror fixture


def test_article_on_live_mirror_names_primary_and_links_relatively(site, live_mirror, client):
    story = site["stories"][3]
    response = client.get("/news/iraq/iraq-story-4/", HTTP_HOST=MIRROR_HOST, secure=True)
    assert response.status_code == 200
    page = response.content.decode()
    tree = lxml_html.fromstring(page)
    [canonical] = tree.xpath('//link[@rel="canonical"]/@href')
    assert canonical == "http://testserver/news/iraq/iraq-story-4/"
    assert tree.xpath('//meta[@property="og:url"]/@content') == [canonical]
    # Everything but the notice of other addresses, which names the mirrors themselves.
    links = tree.xpath(
        "//a[not(ancestor::aside[@aria-label='Other addresses'])]/@href"
        " | //img/@src | //link[@rel='stylesheet']/@href"
    )
    internal = [
        link
        for link in links
        if not link.startswith("#")
        and urlsplit(link).scheme in ("", "http", "https")
        and urlsplit(link).netloc in ("", MIRROR_HOST, "testserver")
    ]
    assert internal
    for link in internal:
        assert link.startswith("/"), link  # root-relative: the reader stays on the mirror
    assert story.title in page


def test_feeds_on_a_live_mirror_link_to_that_mirror(site, live_mirror, client):
    response = client.get("/feeds/rss.xml", HTTP_HOST=MIRROR_HOST, secure=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"https://{MIRROR_HOST}/news/iraq/" in body
    sitemap = client.get("/sitemap.xml", HTTP_HOST=MIRROR_HOST, secure=True).content.decode()
    assert f"https://{MIRROR_HOST}/" in sitemap
