"""The article body's blocks. Each renders through its own template in templates/news/blocks/."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

# Editors get the marks a news story needs; no raw HTML, no headings inside paragraphs.
PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=PARAGRAPH_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        template = "news/blocks/paragraph.html"


class SubheadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "news/blocks/subheading.html"


class PullQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "news/blocks/pull_quote.html"


class InlineImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt = blocks.CharBlock(
        required=False, help_text="Describe the image; defaults to its description."
    )
    caption = blocks.CharBlock(required=False)
    credit = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "news/blocks/inline_image.html"


class EmbedLinkBlock(blocks.StructBlock):
    """An outside post or video, shown as a link: embedding it would make every reader's
    browser call the platform, which is blocked in places and tracks readers everywhere."""

    url = blocks.URLBlock()
    title = blocks.CharBlock(required=False)
    provider = blocks.CharBlock(required=False, help_text="e.g. YouTube, X")

    class Meta:
        icon = "media"
        label = "Embed"
        template = "news/blocks/embed.html"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock()
    body = blocks.RichTextBlock(features=PARAGRAPH_FEATURES)

    class Meta:
        icon = "list-ul"
        template = "news/blocks/fact_box.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    subheading = SubheadingBlock()
    pull_quote = PullQuoteBlock()
    image = InlineImageBlock()
    embed = EmbedLinkBlock()
    fact_box = FactBoxBlock()
