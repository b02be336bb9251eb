"""The mirror registry: every address at which readers can reach the site."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


class Mirror(models.Model):
    class Kind(models.TextChoices):
        LIVE = "live", "Live: this installation also answers on this host"
        STATIC = "static", "Static: an exported copy hosted elsewhere"
        ONION = "onion", "Onion: a Tor .onion address"

    address = models.URLField(
        max_length=300, unique=True, help_text="Full base URL, e.g. https://news-mirror.example/"
    )
    label = models.CharField(max_length=100, blank=True, help_text="Optional, e.g. 'Tor browser'.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LIVE)
    is_public = models.BooleanField(
        "listed publicly", default=True, help_text="Show this address in the notice on every page."
    )
    sort_order = models.PositiveIntegerField(default=0)
    last_verified_at = models.DateTimeField(null=True, blank=True, editable=False)

    # The latest `mirror check` result, stored so the admin panel never touches the network.
    last_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    check_reachable = models.BooleanField(null=True, blank=True, editable=False)
    check_generated_at = models.DateTimeField(null=True, blank=True, editable=False)
    check_files_behind = models.IntegerField(null=True, blank=True, editable=False)
    check_message = models.CharField(max_length=500, blank=True, editable=False)

    panels = [
        FieldPanel("address"),
        FieldPanel("label"),
        FieldPanel("kind"),
        FieldPanel("is_public"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "address"]

    def __str__(self):
        return self.label or self.address

    @property
    def hostname(self):
        return (urlsplit(self.address).hostname or "").lower()

    @property
    def origin(self):
        """scheme://host[:port], without a trailing slash or path."""
        parts = urlsplit(self.address)
        return f"{parts.scheme}://{parts.netloc}"

    def clean(self):
        parts = urlsplit(self.address or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError({"address": "Give a full http:// or https:// address."})
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ValidationError({"address": "No query string, fragment or credentials, please."})
        is_onion = parts.hostname.lower().endswith(".onion")
        if self.kind == self.Kind.ONION and not is_onion:
            raise ValidationError({"address": "An onion mirror's host ends in .onion."})
        if self.kind != self.Kind.ONION and is_onion:
            raise ValidationError({"kind": "A .onion address is of kind Onion."})
        if self.kind in (self.Kind.LIVE, self.Kind.ONION) and parts.path not in ("", "/"):
            raise ValidationError(
                {"address": "A live or onion mirror serves the whole site: give the bare host."}
            )


register_snippet(Mirror)


class PendingRefresh(models.Model):
    """A change the static copies have not caught up with yet: a page id, or a full export.

    enqueue_refresh() writes one row per change; a refresh task claims every unclaimed row
    at once (one atomic UPDATE, so two workers never share a row), exports them in one run
    and deletes what it claimed. A change recorded during a run stays unclaimed for the
    next run. A claim older than CLAIM_LEASE (a worker that died mid-run) is taken again.
    """

    page_id = models.IntegerField(null=True, blank=True)  # no foreign key: deleted pages count
    full_export = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)
    claim = models.CharField(max_length=64, blank=True, default="", db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return "full export" if self.full_export else f"page {self.page_id}"


class ExportOutcome(models.Model):
    """How an export run ended, for the admin's Mirrors panel (status.py writes these)."""

    class Trigger(models.TextChoices):
        COMMAND = "command", "mirror export"
        REFRESH = "refresh", "refresh after a change"

    finished_at = models.DateTimeField(auto_now_add=True, db_index=True)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    destination = models.CharField(max_length=500)
    full = models.BooleanField(help_text="A full export, not an update of a few pages.")
    ok = models.BooleanField()
    message = models.TextField(help_text="The summary, or why the run failed.")

    class Meta:
        ordering = ["-finished_at", "-pk"]

    def __str__(self):
        return f"{'ok' if self.ok else 'failed'} {self.finished_at:%Y-%m-%d %H:%M}"
