"""Turn a paragraph from an outside system into the HTML a paragraph block stores.

Plain text is escaped. A paragraph that carries markup is never trusted: nh3 keeps a
small set of inline tags (the marks the editor's paragraph block offers) and drops the
rest, including scripts with their content and every event-handler attribute.
"""

import re

import nh3
from django.utils.html import escape

# The inline marks of news.blocks.PARAGRAPH_FEATURES (bold, italic, link, superscript,
# subscript) in the forms they arrive in, plus line breaks.
ALLOWED_TAGS = {"a", "b", "strong", "i", "em", "sup", "sub", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Something that looks like a tag, a comment or a character reference.
MARKUP = re.compile(r"<[a-zA-Z/!?]|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def looks_like_html(text):
    return bool(MARKUP.search(text))


def clean_inline_html(text):
    """The allowed inline markup of `text`, everything else removed."""
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        # Wagtail stores links as bare <a href>; rel is added when they are rendered.
        link_rel=None,
        strip_comments=True,
    ).strip()


def paragraph_html(text):
    """A <p> element for rich text storage, from plain text or untrusted HTML."""
    inner = clean_inline_html(text) if looks_like_html(text) else escape(text.strip())
    return f"<p>{inner}</p>"
