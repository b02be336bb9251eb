"""Whatever a story's text holds, every feed and sitemap stays well-formed XML / valid JSON."""

import json

import feedparser
import pytest
from lxml import etree

from masthead.syndication.feeds import StoryFeed
from masthead.syndication.text import xml_safe

from .conftest import fetch, hours_ago

CASES = {
    "control characters": "Bell\x07 tab\t vertical-tab\x0b form-feed\x0c escape\x1b delete\x7f end",
    "cdata end and markup": "]]> and <![CDATA[ x ]]> & <b>bold</b> \"quoted\" 'single'",
    "right-to-left": "خبر عاجل: \u202bمختلط\u202c שלום \u200fעולם",
    "emoji": "Flood 🌊 rescue 🚁 family 👩\u200d👩\u200d👧 flag 🇮🇶",
    "noncharacters": "not\ufffe a\uffff character",
}

XML_OUTPUTS = [
    "/feeds/rss.xml",
    "/feeds/atom.xml",
    "/feeds/section/news/rss.xml",
    "/sitemaps/news.xml",
]


def check_outputs(client, title):
    """Every output parses strictly; the feeds show the title with only illegal chars removed."""
    for path in XML_OUTPUTS:
        content = fetch(client, path).content
        root = etree.fromstring(content)  # lxml is strict: raises on any ill-formed byte
        if path.startswith("/feeds/"):
            parsed = feedparser.parse(content)
            assert not parsed.bozo, (path, parsed.get("bozo_exception"))
            # The exact text, read with lxml (feedparser sanitises title text as HTML).
            titles = root.xpath(
                "//item/title/text() | //*[local-name()='entry']/*[local-name()='title']/text()"
            )
            assert titles[0] == xml_safe(title)
    feed = json.loads(fetch(client, "/feeds/feed.json").content.decode("utf-8"))
    assert feed["items"][0]["title"] == xml_safe(title)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_stored_text(client, settings, make_story, case):
    settings.MASTHEAD_FEEDS_FULL_TEXT = True
    make_story(
        title=f"Headline {case}",
        standfirst=f"Standfirst {case}",
        body=[
            ("paragraph", f"<p>{case}</p>"),
            ("pull_quote", {"quote": case, "attribution": case}),
        ],
        topics=[f"Topic {case}"[:90]],
        published=hours_ago(1),
    )
    check_outputs(client, f"Headline {case}")
    entry = feedparser.parse(fetch(client, "/feeds/atom.xml").content).entries[0]
    assert entry.summary == xml_safe(f"Standfirst {case}")


def test_unpaired_surrogates(client, settings, make_story, monkeypatch):
    """Neither SQLite nor PostgreSQL stores a lone surrogate in a text column, but one can
    arrive from a decoded JSON body or an import in memory; the writer must cope."""
    settings.MASTHEAD_FEEDS_FULL_TEXT = True
    make_story(title="Surrogates", published=hours_ago(1))
    items = StoryFeed.items

    def items_with_surrogates(self, scope):
        articles = items(self, scope)
        for article in articles:
            article.title += " high\ud800 low\udc00 reversed\udc00\ud800"
            article.standfirst += " \udfff"
        return articles

    monkeypatch.setattr(StoryFeed, "items", items_with_surrogates)
    check_outputs(client, "Surrogates high low reversed")


def test_xml_safe_keeps_legal_text_and_drops_the_rest():
    assert xml_safe("a\x00b\x01c\x08d\x0be\x0cf\x1fg") == "abcdefg"
    assert xml_safe("tab\tnewline\nreturn\r") == "tab\tnewline\nreturn\r"
    assert xml_safe("\ud83d\ude00 lone \ud83d") == " lone "
    assert xml_safe("😀 ]]> \u202b") == "😀 ]]> \u202b"
    assert xml_safe(None) is None
