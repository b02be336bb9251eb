"""Template tags for the page chrome: base.html asks for it itself, so every template that
extends base.html (other apps' too) gets navigation and the mirror notice without a
context processor."""

from django import template

from .. import chrome

register = template.Library()


@register.simple_tag(takes_context=True)
def site_chrome(context):
    request = context.get("request")
    return {
        "site": chrome.identity(request),
        "nav": chrome.navigation(request),
        "mirrors": chrome.public_mirrors(),
        "live": chrome.live_stream(request),
    }
