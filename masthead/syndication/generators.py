"""Feed writers: Django's RSS 2.0 and Atom 1.0 generators taught several authors, media
and full text, plus a JSON Feed 1.1 writer with the same interface.

Items arrive with every string already passed through text.xml_safe.
"""

import json

from django.utils import feedgenerator
from django.utils.feedgenerator import rfc2822_date, rfc3339_date
from django.utils.html import escape

DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
# Media RSS (https://www.rssboard.org/media-rss): the lead image as media:content.
MEDIA_NS = "http://search.yahoo.com/mrss/"
ATOM_NS = "http://www.w3.org/2005/Atom"


def add_media_content(handler, image):
    attrs = {"url": image["url"], "medium": "image", "type": image["mime_type"]}
    if image.get("width"):
        attrs["width"], attrs["height"] = str(image["width"]), str(image["height"])
    handler.startElement("media:content", attrs)
    if image.get("alt"):
        handler.addQuickElement("media:description", image["alt"], {"type": "plain"})
    if image.get("credit"):
        handler.addQuickElement("media:credit", image["credit"])
    handler.endElement("media:content")


class RssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 (https://www.rssboard.org/rss-specification)."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:dc": DC_NS,
            "xmlns:content": CONTENT_NS,
            "xmlns:media": MEDIA_NS,
        }

    def add_item_elements(self, handler, item):
        handler.addQuickElement("title", item["title"])
        handler.addQuickElement("link", item["link"])
        # RSS readers render <description> as HTML, and the standfirst is plain text: escape
        # it as HTML here (the XML writer then escapes that again), or "<img onerror=...>"
        # typed by a writer becomes markup in every reader. Atom's summary says type="text"
        # and JSON Feed's summary and content_text are plain text by definition.
        handler.addQuickElement("description", escape(item["description"]))
        # RSS's <author> wants an e-mail address; Dublin Core's creator takes a name.
        for author in item["authors"]:
            handler.addQuickElement("dc:creator", author["name"])
        handler.addQuickElement("pubDate", rfc2822_date(item["pubdate"]))
        handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        handler.addQuickElement("guid", item["unique_id"], {"isPermaLink": "false"})
        for category in item["categories"]:
            handler.addQuickElement("category", category)
        # One enclosure per item: rssboard.org/rss-profile#element-channel-item-enclosure
        for enclosure in item["enclosures"][:1]:
            handler.addQuickElement(
                "enclosure",
                "",
                {"url": enclosure.url, "length": enclosure.length, "type": enclosure.mime_type},
            )
        if item["image"]:
            add_media_content(handler, item["image"])
        if item["content_html"]:
            handler.addQuickElement("content:encoded", item["content_html"])


class AtomFeed(feedgenerator.Atom1Feed):
    """Atom 1.0 (RFC 4287)."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        handler.addQuickElement("title", item["title"])
        handler.addQuickElement("link", "", {"href": item["link"], "rel": "alternate"})
        for enclosure in item["enclosures"]:
            attrs = {"rel": "enclosure", "href": enclosure.url, "type": enclosure.mime_type}
            # RFC 4287 4.2.7.6: length is optional; leave it out rather than say 0.
            if enclosure.length != "0":
                attrs["length"] = enclosure.length
            handler.addQuickElement("link", "", attrs)
        handler.addQuickElement("published", rfc3339_date(item["pubdate"]))
        handler.addQuickElement("updated", rfc3339_date(item["updateddate"]))
        # Entries without bylines (wire copy) inherit the feed's author, as RFC 4287 allows.
        for author in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            if author.get("url"):
                handler.addQuickElement("uri", author["url"])
            handler.endElement("author")
        handler.addQuickElement("id", item["unique_id"])
        handler.addQuickElement("summary", item["description"], {"type": "text"})
        if item["content_html"]:
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        for category in item["categories"]:
            handler.addQuickElement("category", "", {"term": category})
        if item["image"]:
            add_media_content(handler, item["image"])


# JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): the version string is required.
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


class JsonFeed(feedgenerator.SyndicationFeed):
    """JSON Feed 1.1, written through Django's SyndicationFeed interface."""

    content_type = "application/feed+json; charset=utf-8"

    def feed_document(self):
        feed = self.feed
        document = {
            "version": JSON_FEED_VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "authors": [{"name": feed["author_name"]}] if feed["author_name"] else [],
            "items": [self.item_document(item) for item in self.items],
        }
        return {key: value for key, value in document.items() if value not in (None, "")}

    def item_document(self, item):
        document = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "summary": item["description"],
            "date_published": rfc3339_date(item["pubdate"]),
            "date_modified": rfc3339_date(item["updateddate"]),
            "authors": [
                {key: value for key, value in author.items() if value} for author in item["authors"]
            ],
            "tags": list(item["categories"]),
        }
        # Each item needs content_html or content_text.
        if item["content_html"]:
            document["content_html"] = item["content_html"]
        else:
            document["content_text"] = item["description"]
        if item["image"]:
            document["image"] = item["image"]["url"]
        if item["enclosures"]:
            document["attachments"] = [attachment(enclosure) for enclosure in item["enclosures"]]
        return document

    def write(self, outfile, encoding):
        outfile.write(json.dumps(self.feed_document(), ensure_ascii=False, indent=1))


def attachment(enclosure):
    """A JSON Feed attachment; size_in_bytes only when the size is known."""
    data = {"url": enclosure.url, "mime_type": enclosure.mime_type}
    if enclosure.length != "0":
        data["size_in_bytes"] = int(enclosure.length)
    return data
