from django import template

from masthead.tv import media
from masthead.tv.on_air import live_stream

register = template.Library()


@register.simple_tag
def video_source(page):
    """{% video_source page as source %}: source.url and source.mime_type for <source>."""
    return media.page_video_source(page)


@register.filter
def clock(seconds):
    """90 -> "1:30", 3725 -> "1:02:05": how players show a length."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


@register.simple_tag(takes_context=True)
def on_air(context):
    """{% on_air as live %}: the live stream's footer link while it is on air, else None."""
    return live_stream(context.get("request"))
