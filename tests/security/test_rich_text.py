"""Rich text in an article body never reaches a reader as script, however it was entered."""

import json

import lxml.html
import pytest
from django.urls import reverse

from masthead.news.models import ArticlePage
from masthead.newsroom.sanitise import clean_rich_text
from tests.newsroom.admin_forms import article_form

HOSTILE_HTML = (
    '<p>Before<script>alert("p")</script><img src="x" onerror="alert(1)">'
    '<a href="javascript:alert(2)" onclick="alert(3)">click</a>'
    '<iframe src="https://evil.example/"></iframe><b style="color:red">After</b></p>'
)


def assert_harmless(html):
    """No element in the article body can run script or pull in another site."""
    tree = lxml.html.fromstring(html)
    bodies = tree.xpath("//*[contains(concat(' ', @class, ' '), ' article-body ')]")
    scope = bodies[0] if bodies else tree
    assert not scope.xpath(".//script | .//iframe | .//object | .//embed | .//style")
    for element in scope.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            assert name.lower() != "style", element.tag
            assert not value.strip().lower().startswith("javascript:"), (element.tag, value)
        assert not (element.tag == "img" and "evil" in element.get("src", ""))


def contentstate(text, link_url):
    """What Draftail posts: plain text plus a link entity."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "k1",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text + " click",
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": len(text) + 1, "length": 5, "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {
                "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": link_url}}
            },
        }
    )


def test_editor_input_is_stored_as_text(editor_client, iraq, client):
    typed = '<script>alert("typed")</script><img src=x onerror=alert(1)>'
    data = article_form(
        "Hostile input",
        "hostile-input",
        paragraphs=[contentstate(typed, "javascript:alert(2)")],
        **{"action-publish": "Publish"},
    )
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", iraq.pk))
    assert editor_client.post(url, data).status_code == 302
    article = ArticlePage.objects.get(slug="hostile-input")
    assert article.live

    page = client.get(article.url)
    assert page.status_code == 200
    html = page.content.decode()
    # The writer's words survive, as words.
    assert "&lt;script&gt;alert(" in html
    assert_harmless(html)


def test_html_saved_through_the_model_is_cleaned_on_the_page(make_article, iraq, client):
    article = make_article(section=iraq, body=[("paragraph", HOSTILE_HTML)])
    page = client.get(article.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Before" in html and "After" in html
    assert_harmless(html)


def test_fact_box_saved_through_the_model_is_cleaned(make_article, iraq, client):
    box = {"title": "Key facts", "body": HOSTILE_HTML}
    article = make_article(section=iraq, body=[("fact_box", box)])
    html = client.get(article.url).content.decode()
    assert "Key facts" in html and "After" in html
    assert_harmless(html)


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x"])
def test_embed_link_only_goes_to_the_web(make_article, iraq, client, url):
    article = make_article(
        section=iraq, body=[("embed", {"url": url, "title": "Watch", "provider": "X"})]
    )
    html = client.get(article.url).content.decode()
    assert "Watch" in html
    assert_harmless(html)
    assert "data:text/html" not in html


def test_safe_url_filter():
    from masthead.newsroom.templatetags.newsroom_html import safe_url

    assert safe_url("https://example.org/a?b=c") == "https://example.org/a?b=c"
    assert safe_url("http://example.org/") == "http://example.org/"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:x", "data:text/html,x", "vbscript:x", "//x"):
        assert safe_url(bad) == "", bad


def test_clean_rich_text_keeps_the_paragraph_features():
    kept = clean_rich_text(
        '<p data-block-key="a1">A <b>bold</b>, <i>italic</i> <a href="/news/">link</a>, '
        "x<sup>2</sup> H<sub>2</sub>O</p><ul><li>one</li></ul><ol><li>two</li></ol>"
    )
    assert kept == (
        '<p>A <b>bold</b>, <i>italic</i> <a href="/news/">link</a>, '
        "x<sup>2</sup> H<sub>2</sub>O</p><ul><li>one</li></ul><ol><li>two</li></ol>"
    )


def test_clean_rich_text_removes_everything_else():
    cleaned = clean_rich_text(HOSTILE_HTML)
    assert_harmless(cleaned)
    for fragment in ("<script", "onerror", "onclick", "javascript:", "<iframe", "evil.example"):
        assert fragment not in cleaned
    assert "style=" not in cleaned
    assert cleaned.startswith("<p>Before")


def test_clean_html_filter_after_wagtails_richtext(home):
    """The template change proposed for news/blocks/paragraph.html, on its own."""
    from django.template import Context, Template
    from wagtail.rich_text import RichText

    template = Template("{% load wagtailcore_tags newsroom_html %}{{ value|richtext|clean_html }}")
    stored = f'<p data-block-key="a1">See <a linktype="page" id="{home.pk}">home</a>.</p>'
    assert (
        template.render(Context({"value": RichText(stored)})) == '<p>See <a href="/">home</a>.</p>'
    )
    hostile = template.render(Context({"value": RichText(HOSTILE_HTML)}))
    assert_harmless(hostile)
    assert "Before" in hostile and "After" in hostile
