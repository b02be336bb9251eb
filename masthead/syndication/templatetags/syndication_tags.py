"""{% feed_links %}: autodiscovery links for the site feeds and those of the page in view.

No queries: section feed URLs come from the page's own url_path, an article's section
titles from its breadcrumb, topic and author feeds from slugs the context already holds.
"""

from django import template

from masthead.news.models import ArticlePage, AuthorPage, SectionPage

from ..feeds import FORMAT_NAMES, FORMAT_TYPES, FORMATS, feed_url

register = template.Library()


def links(kind, key, label):
    return [
        {
            "type": FORMAT_TYPES[fmt],
            "title": f"{label} ({FORMAT_NAMES[fmt]})",
            "href": feed_url(kind, key, fmt),
        }
        for fmt in FORMATS
    ]


def section_key(url_path, is_article):
    """'news/iraq' from '/home/news/iraq/' (section) or '/home/news/iraq/story/' (article).

    The first segment is the home page's slug: the site root sits directly under the tree root.
    """
    segments = url_path.strip("/").split("/")[1:]
    if is_article:
        segments = segments[:-1]
    return "/".join(segments)


def publication_name(context):
    """The name base.html already looked up (its cached chrome), else Wagtail's settings proxy."""
    try:
        return context["chrome"]["site"]["name"]
    except (KeyError, TypeError):
        pass
    try:
        return context["settings"]["publication"]["PublicationSettings"].name
    except (KeyError, TypeError, AttributeError):
        return ""


def section_label(context, key):
    """An article's section path as readers see it in its breadcrumb ("News / Iraq"); the
    slugs only where the page set no breadcrumb."""
    crumbs = context.get("breadcrumb")
    if crumbs:
        return " / ".join(name for name, _path in crumbs)
    return key.replace("/", " / ")


@register.simple_tag(takes_context=True)
def feed_links(context):
    publication = publication_name(context) or "Latest stories"
    result = links("site", "", publication)

    page = context.get("page")
    topic = context.get("topic")
    if isinstance(page, ArticlePage | SectionPage) and page.url_path:
        key = section_key(page.url_path, isinstance(page, ArticlePage))
        if key:
            label = page.title if isinstance(page, SectionPage) else section_label(context, key)
            result += links("section", key, f"{publication}: {label}")
    elif isinstance(page, AuthorPage) and page.slug:
        result += links("author", page.slug, f"{publication}: {page.title}")
    if topic is not None and getattr(topic, "slug", None):
        result += links("topic", topic.slug, f"{publication}: {topic.name}")
    return result
