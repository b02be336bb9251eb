"""Last line of defence for rich text on public pages.

Wagtail cleans rich text on the way in through the editor (Draftail keeps only the
features a block allows), but it trusts whatever HTML is already stored: text saved
through the model, an import or a script renders exactly as stored, `<script>` and
`onerror=` included. `clean_rich_text` is applied to the expanded HTML when a paragraph
is rendered, so nothing outside the paragraph block's features reaches a reader, however
it got into the database.
"""

import nh3

# What the paragraph block's features (news.blocks.PARAGRAPH_FEATURES) produce once
# Wagtail has expanded its storage format: paragraphs, marks, links and lists.
ALLOWED_TAGS = {"p", "br", "a", "b", "strong", "i", "em", "sup", "sub", "ol", "ul", "li"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_rich_text(html):
    return nh3.clean(
        str(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        # Wagtail adds no rel to stored links; keep the markup as Wagtail renders it.
        link_rel=None,
        strip_comments=True,
    )
