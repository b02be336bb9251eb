"""Wagtail hooks of the newsroom: restricted pages show no login or password form on mirrors."""

from django.http import Http404
from wagtail import hooks

from .hosts import on_admin_host


@hooks.register("before_serve_page")
def no_restricted_page_off_admin_hosts(page, request, serve_args, serve_kwargs):
    """Wagtail answers a private page with a password form or a redirect to its login. Off the
    newsroom's hosts (a mirror, the onion) neither may appear: the page does not exist there."""
    if any(not r.accept_request(request) for r in page.get_view_restrictions()):
        if not on_admin_host(request):
            raise Http404("Not on this host")
