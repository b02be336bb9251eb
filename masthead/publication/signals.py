"""Drop the cached publication chrome and site lookups when what they show changes.

The pieces of the chrome other apps draw (navigation, the live stream link, the mirror
notice) are dropped by those apps' own receivers.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site

from . import chrome, sites
from .models import PublicationSettings


def site_changed(sender, **kwargs):
    sites.forget_sites()
    chrome.forget_identity()


def page_saved(sender, instance, **kwargs):
    # Any page model's signal: a site's root page may be of any type.
    if isinstance(instance, Page) and sites.is_site_root(instance.pk):
        sites.forget_sites()


def identity_changed(sender, **kwargs):
    chrome.forget_identity()


def connect():
    post_save.connect(site_changed, sender=Site, dispatch_uid="masthead-nav-site")
    post_delete.connect(site_changed, sender=Site, dispatch_uid="masthead-site-deleted")
    post_save.connect(page_saved, dispatch_uid="masthead-site-root-saved")
    post_save.connect(identity_changed, sender=PublicationSettings, dispatch_uid="masthead-id-save")
