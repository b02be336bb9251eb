"""The newsroom's doors (admin, login, password forms) open only on the newsroom's own hosts.

Live and onion mirrors are host names a third party may run or intercept: a login form
served there hands staff passwords to whoever controls the name. So the Wagtail admin,
Wagtail's front-end login and the password form of a restricted page answer only on the
hosts in MASTHEAD_ADMIN_HOSTS (empty: the primary host of MASTHEAD_PRIMARY_URL) and are a
plain 404 everywhere else, mirror hosts included. The newsroom may list its onion there.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404
from django.http.request import split_domain_port

# Wagtail's admin, and its front-end login and password views (wagtail.urls "_util/").
NEWSROOM_PREFIXES = ("/admin/", "/django-admin/", "/_util/")


def admin_hosts():
    """Lower-case host names (no port) that may show the newsroom's login."""
    hosts = settings.MASTHEAD_ADMIN_HOSTS or [urlsplit(settings.PRIMARY_URL).hostname]
    return {host.lower().rstrip(".") for host in hosts if host}


def on_admin_host(request):
    # get_host() validates the host first (live mirrors are accepted by
    # MirrorHostMiddleware); a rejected host raises DisallowedHost, which Django turns
    # into a 400 as for any other page.
    domain, _port = split_domain_port(request.get_host())
    return domain.rstrip(".") in admin_hosts()


def is_newsroom_path(path):
    return path.startswith(NEWSROOM_PREFIXES) or path.rstrip("/") in ("/admin", "/django-admin")


class AdminHostMiddleware:
    """404 for the admin and front-end login on any host not in MASTHEAD_ADMIN_HOSTS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_newsroom_path(request.path) and not on_admin_host(request):
            raise Http404("Not on this host")
        return self.get_response(request)
