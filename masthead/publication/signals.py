"""Drop the cached page chrome when what it shows changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import chrome, sites


def section_changed(sender, **kwargs):
    chrome.forget_navigation()


def site_changed(sender, **kwargs):
    sites.forget_sites()
    chrome.forget_navigation()
    chrome.forget_identity()


def page_saved(sender, instance, **kwargs):
    # Any page model's signal: a site's root page may be of any type.
    if isinstance(instance, Page) and sites.is_site_root(instance.pk):
        sites.forget_sites()


def mirror_changed(sender, **kwargs):
    chrome.forget_mirrors()


def identity_changed(sender, **kwargs):
    chrome.forget_identity()


def live_stream_changed(sender, **kwargs):
    chrome.forget_live_stream()


def connect():
    from wagtail.models import Site

    from masthead.mirrors.models import Mirror
    from masthead.news.models import SectionPage
    from masthead.tv.models import LiveStreamSettings

    from .models import PublicationSettings

    page_published.connect(section_changed, sender=SectionPage, dispatch_uid="masthead-nav-pub")
    page_unpublished.connect(section_changed, sender=SectionPage, dispatch_uid="masthead-nav-unpub")
    post_delete.connect(section_changed, sender=SectionPage, dispatch_uid="masthead-nav-del")
    # A move can take a section into or out of the top level; moves are rare, so any move
    # (whatever its sender class) drops the menu.
    post_page_move.connect(section_changed, dispatch_uid="masthead-nav-move")
    post_save.connect(site_changed, sender=Site, dispatch_uid="masthead-nav-site")
    post_delete.connect(site_changed, sender=Site, dispatch_uid="masthead-site-deleted")
    post_save.connect(page_saved, dispatch_uid="masthead-site-root-saved")
    post_save.connect(mirror_changed, sender=Mirror, dispatch_uid="masthead-mirrors-save")
    post_delete.connect(mirror_changed, sender=Mirror, dispatch_uid="masthead-mirrors-del")
    post_save.connect(identity_changed, sender=PublicationSettings, dispatch_uid="masthead-id-save")
    post_save.connect(
        live_stream_changed, sender=LiveStreamSettings, dispatch_uid="masthead-live-save"
    )
