"""Template helpers for the public site: cheap page links and responsive images."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from masthead.publication.paths import page_path

from .. import listings, navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def story_path(context, page):
    """A page's path on this site, from its url_path (no query, unlike {% pageurl %})."""
    return page_path(page, context.get("request"))


def _renditions(image, specs):
    prefetched = getattr(image, "prefetched_renditions", None)
    found = None
    if prefetched is not None:
        # Fast path for listings: width renditions do not depend on the focal point, so the
        # prefetched ones match on their spec alone, without Wagtail's filter parsing.
        by_spec = {r.filter_spec: r for r in prefetched if not r.focal_point_key}
        if all(spec in by_spec for spec in specs):
            found = [by_spec[spec] for spec in specs]
    if found is None:
        try:
            found = list(image.get_renditions(*specs).values())
        except Exception:  # noqa: BLE001 - a missing or broken file must not break the page
            return []
    # Images narrower than a requested width come back at their own size: drop repeats.
    unique = {}
    for rendition in found:
        unique.setdefault(rendition.width, rendition)
    return [unique[width] for width in sorted(unique)]


@register.simple_tag
def responsive_image(image, alt="", sizes="100vw", lead=False, css_class=""):
    """<img> with a WebP srcset, width/height set, and lazy loading unless it is the lead.

    lead=True uses the article's widths and loads eagerly (it is above the fold)."""
    if image is None:
        return ""
    specs = listings.LEAD_SPECS if lead else listings.THUMB_SPECS
    renditions = _renditions(image, specs)
    if not renditions:
        return ""
    default = renditions[-1] if lead else renditions[0]
    srcset = format_html_join(", ", "{} {}w", ((r.url, r.width) for r in renditions))
    alt = alt or image.description or ""
    loading = "eager" if lead else "lazy"
    extra = mark_safe(' fetchpriority="high"') if lead else ""  # noqa: S308 (constant)
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" '
        'decoding="async"{}{}>',
        default.url,
        srcset,
        sizes,
        default.width,
        default.height,
        alt,
        loading,
        format_html(' class="{}"', css_class) if css_class else "",
        extra,
    )


@register.simple_tag(takes_context=True)
def section_navigation(context):
    """{% section_navigation as nav %}: the top-level sections for base.html's menu."""
    return navigation.navigation(context.get("request"))
