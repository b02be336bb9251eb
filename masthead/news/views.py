"""Error pages. The 404 page carries the site's navigation; the 500 page touches neither the
database nor the cache, since either may be what failed."""

from django.http import HttpResponse, HttpResponseNotFound
from django.template import loader


def page_not_found(request, exception=None):
    template = loader.get_template("404.html")
    return HttpResponseNotFound(template.render({"noindex": True}, request))


def server_error(request):
    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)
