"""A standfirst is plain text: markup a writer types reaches feed readers as text."""

import json

import feedparser
from lxml import etree

from .conftest import fetch, hours_ago

STANDFIRST = 'Tom & Jerry <img src=x onerror="alert(1)"> <b>bold</b>'
ESCAPED = "Tom &amp; Jerry &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &lt;b&gt;bold&lt;/b&gt;"


def test_rss_description_is_the_standfirst_escaped_as_html(client, make_story):
    make_story(title="Markup", standfirst=STANDFIRST, published=hours_ago(1))
    body = fetch(client, "/feeds/rss.xml").content
    [description] = etree.fromstring(body).xpath("//item/description")
    # What the XML holds is HTML source that shows the writer's characters literally.
    assert description.text == ESCAPED
    assert b"&amp;lt;img src=x onerror=&amp;quot;alert(1)&amp;quot;&amp;gt;" in body
    # A reader that renders the description as HTML shows the text, with no element in it.
    [entry] = feedparser.parse(body).entries
    assert entry.summary_detail.type == "text/html"
    assert entry.summary == ESCAPED


def test_atom_summary_is_plain_text_escaped_once(client, make_story):
    make_story(title="Markup", standfirst=STANDFIRST, published=hours_ago(1))
    root = etree.fromstring(fetch(client, "/feeds/atom.xml").content)
    [summary] = root.xpath("//*[local-name()='entry']/*[local-name()='summary']")
    assert summary.get("type") == "text"
    assert summary.text == STANDFIRST


def test_json_feed_summary_and_content_text_are_plain_text(client, make_story):
    make_story(title="Markup", standfirst=STANDFIRST, published=hours_ago(1))
    [item] = json.loads(fetch(client, "/feeds/feed.json").content)["items"]
    assert item["summary"] == STANDFIRST
    assert item["content_text"] == STANDFIRST
    assert "content_html" not in item
