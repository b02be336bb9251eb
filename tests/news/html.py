"""Helpers to read rendered pages the way a browser would (html5lib) and query them."""

import json

import html5lib
from lxml import etree


def parse(response_or_html):
    text = response_or_html
    if hasattr(response_or_html, "content"):
        text = response_or_html.content.decode()
    return html5lib.parse(text, treebuilder="lxml", namespaceHTMLElements=False)


def strict_parse_errors(text):
    """Parse errors from html5lib's strict parser, as a list (empty when valid)."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    parser.parse(text)
    return list(parser.errors)


def duplicate_ids(tree):
    seen, dupes = set(), set()
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        value = element.get("id")
        if value is None:
            continue
        if value in seen:
            dupes.add(value)
        seen.add(value)
    return dupes


def one(tree, xpath):
    found = tree.xpath(xpath)
    assert len(found) == 1, f"{xpath}: expected one match, found {len(found)}"
    return found[0]


def meta(tree, key):
    """Content of <meta property=key> or <meta name=key> (one expected)."""
    return one(tree, f'//meta[@property="{key}" or @name="{key}"]').get("content")


def json_ld(tree):
    blocks = tree.xpath('//script[@type="application/ld+json"]')
    return [json.loads(block.text) for block in blocks]


def text(element):
    return " ".join("".join(element.itertext()).split())


def outer(element):
    return etree.tostring(element, encoding="unicode")
