"""Markup quality of every page type: valid HTML5, no duplicate ids, landmarks, no third-party
requests, and the article page's weight budget."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import html5lib
import pytest
from django.contrib.staticfiles import finders

from masthead.news.models import Byline
from tests.news.html import duplicate_ids, one, parse, strict_parse_errors

pytestmark = pytest.mark.django_db

# Brief: article HTML + the CSS and JS it links stay under 60 KB before images.
ARTICLE_WEIGHT_BUDGET = 60 * 1024


@pytest.fixture
def site(make_section, make_article, make_image, home):
    from masthead.mirrors.models import Mirror
    from masthead.news.models import AuthorIndexPage, AuthorPage
    from tests.conftest import publish

    news = make_section("News")
    iraq = make_section("Iraq", parent=news)
    make_section("Business")
    author = AuthorPage(title="Hana Yusuf", role="Correspondent")
    AuthorIndexPage.objects.get().add_child(instance=author)
    publish(author)
    image = make_image("Lead", width=1280, height=720)
    article = None
    for n in range(6):
        article = make_article(
            section=iraq,
            title=f"Story {n} about the port",
            lead_image=image,
            lead_image_caption="Caption",
            lead_image_credit="Credit",
            body=[("paragraph", "<p>" + "Words of the story. " * 60 + "</p>")] * 8,
        )
        article.topics.add("Port", "Basra")
        article.save()
        Byline.objects.create(article=article, author=author)
    Mirror.objects.create(address="https://mirror.example/", label="Mirror")
    return article


PAGES = [
    "/",
    "/news/",
    "/news/iraq/",
    "/news/iraq/page/1/",
    "/news/iraq/story-5-about-the-port/",
    "/topics/port/",
    "/search/?q=port",
    "/search/",
    "/authors/",
    "/authors/hana-yusuf/",
    "/no-such-page/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_valid_html5_with_landmarks_and_no_duplicate_ids(client, site, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    content = response.content.decode()
    assert strict_parse_errors(content) == []
    html5lib.HTMLParser(strict=True).parse(content)  # raises on any parse error
    tree = parse(content)
    assert duplicate_ids(tree) == set()
    # Landmarks and the skip link to the main content.
    assert one(tree, "//body/a[1]").get("href") == "#main"
    one(tree, '//main[@id="main"]')
    one(tree, "//body/header")
    one(tree, "//body/footer")
    assert len(tree.xpath("//h1")) == 1
    # Every image has alt text; every form field a label.
    for img in tree.xpath("//img"):
        assert img.get("alt") is not None and img.get("width") and img.get("height")
    for field in tree.xpath("//input[not(@type='hidden')]"):
        assert tree.xpath(f'//label[@for="{field.get("id")}"]'), field.get("id")


@pytest.mark.parametrize("url", PAGES)
def test_no_request_leaves_the_site(client, site, url):
    tree = parse(client.get(url))
    fetched = tree.xpath("//script/@src | //link[@rel!='canonical']/@href | //img/@src")
    fetched += [c.split()[0] for s in tree.xpath("//img/@srcset") for c in s.split(", ")]
    fetched += tree.xpath("//iframe/@src | //video/@src | //source/@src | //source/@srcset")
    outside = [url for url in fetched if urlsplit(url).netloc]
    assert outside == []


def test_article_page_weight_budget(client, site):
    response = client.get("/news/iraq/story-5-about-the-port/")
    tree = parse(response)
    total = len(response.content)
    linked = tree.xpath('//link[@rel="stylesheet"]/@href | //script/@src')
    assert linked == ["/static/masthead/site.css", "/static/masthead/share.js"]
    for url in linked:
        path = finders.find(url.removeprefix("/static/"))
        total += Path(path).stat().st_size
    assert total < ARTICLE_WEIGHT_BUDGET, total


def test_stylesheet_uses_logical_properties_and_system_fonts():
    css = Path(finders.find("masthead/site.css")).read_text()
    # Physical sides would not mirror for right-to-left languages.
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)\b|(?<![-\w])(?:left|right)\s*:|text-align:\s*(?:left|right)",
        css,
    )
    assert physical == []
    assert "@font-face" not in css and "@import" not in css and "url(" not in css
    assert "system-ui" in css
    assert ":focus-visible" in css


def test_share_script_is_progressive_enhancement():
    js = Path(finders.find("masthead/share.js")).read_text()
    assert "navigator.share" in js and "clipboard" in js
    assert "button.hidden = false" in js
    assert "http" not in js  # makes no request of its own


def test_every_page_names_a_favicon_that_is_served(client, site):
    """Without one, every browser asks for /favicon.ico on every visit and logs a 404."""
    tree = parse(client.get("/"))
    [icon] = tree.xpath('//link[@rel="icon"]')
    assert icon.get("href") == "/static/masthead/favicon.svg"
    assert icon.get("type") == "image/svg+xml"
    path = finders.find("masthead/favicon.svg")
    assert path and Path(path).read_text().startswith("<svg")
