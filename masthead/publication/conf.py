"""Settings the public site reads; the defaults and the environment are in settings/base.py."""

from django.conf import settings


def cdn_max_age():
    """Seconds a shared cache (CDN) may keep a public page; purges keep it fresh."""
    return settings.MASTHEAD_CDN_MAX_AGE


def browser_max_age():
    """Seconds a reader's browser may keep a public page without asking again."""
    return settings.MASTHEAD_BROWSER_MAX_AGE


def primary_url():
    """The canonical origin, e.g. https://news.example (no trailing slash)."""
    return settings.PRIMARY_URL.rstrip("/")
