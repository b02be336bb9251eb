from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from . import roku
from .models import LiveStreamSettings

# The live page flips between on and off air; shared caches may keep it only briefly.
LIVE_PAGE_MAX_AGE = 60


@require_safe
def live_stream(request):
    live = LiveStreamSettings.for_request(request)
    response = render(request, "tv/live.html", {"live": live})
    patch_cache_control(response, public=True, max_age=LIVE_PAGE_MAX_AGE)
    return response


@require_safe
def roku_feed(request):
    """Roku channel feed; ETag and Last-Modified let the channel skip unchanged copies."""
    feed = roku.rendered_feed(request)
    response = HttpResponse(feed.body, content_type="application/json; charset=utf-8")
    response["ETag"] = feed.etag
    response["Last-Modified"] = http_date(feed.last_modified.timestamp())
    patch_cache_control(
        response, public=True, max_age=getattr(settings, "MASTHEAD_CDN_MAX_AGE", 300)
    )
    return get_conditional_response(
        request,
        etag=feed.etag,
        last_modified=int(feed.last_modified.timestamp()),
        response=response,
    )
