"""Template tags for the page chrome: base.html asks for it itself, so every template that
extends base.html (other apps' too) gets it without a context processor. The pieces other
apps own come from their own tags, which base.html loads beside this one:
section_navigation (news_tags), mirror_notice (mirrors_tags), on_air (tv_tags)."""

from django import template

from .. import chrome

register = template.Library()


@register.simple_tag(takes_context=True)
def site_chrome(context):
    return {"site": chrome.identity(context.get("request"))}
