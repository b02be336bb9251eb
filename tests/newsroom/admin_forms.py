"""POST data for the Wagtail admin's article form, as the browser would send it."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from masthead.news.blocks import PARAGRAPH_FEATURES


def article_form(title, slug, standfirst="What happened, in one line.", paragraphs=(), **extra):
    """`paragraphs` are HTML strings, or already-converted editor JSON (`raw=True` strings)."""
    blocks = [
        ("paragraph", p if p.startswith("{") else rich_text(p, features=PARAGRAPH_FEATURES))
        for p in paragraphs
    ]
    data = {
        "title": title,
        "slug": slug,
        "standfirst": standfirst,
        "body": streamfield(blocks),
        "bylines": inline_formset([]),
        "corrections": inline_formset([]),
        "comments": inline_formset([]),
        "topics": "",
    }
    data.update(extra)
    return nested_form_data(data)
