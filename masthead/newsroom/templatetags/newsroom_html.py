from urllib.parse import urlsplit

from django import template
from django.utils.safestring import mark_safe

from masthead.newsroom.sanitise import clean_rich_text

register = template.Library()

# Links a reader may be sent to from an article; never javascript:, data: or similar.
LINK_SCHEMES = {"http", "https"}


@register.filter
def clean_html(value):
    """`{{ value|richtext|clean_html }}`: expanded rich text with anything unsafe removed."""
    return mark_safe(clean_rich_text(value))  # noqa: S308 - nh3 output is safe by construction


@register.filter
def safe_url(value):
    """An outside link only if it is http(s); otherwise '' (the link goes nowhere)."""
    url = str(value or "").strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in LINK_SCHEMES else ""
