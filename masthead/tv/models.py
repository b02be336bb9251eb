"""The live stream, as editors switch it on and off in Settings > Live stream."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

# Roku's linear (liveFeed) spec: the id is 50 characters at most.
ROKU_LIVE_ID_MAX_LENGTH = 50


@register_setting(icon="media")
class LiveStreamSettings(BaseSiteSetting):
    title = models.CharField(max_length=200, default="Live")
    description = models.TextField(
        blank=True,
        help_text="Shown on the live page and in the Roku channel (first 200 characters).",
    )
    hls_url = models.URLField(
        "HLS stream URL",
        blank=True,
        validators=[URLValidator(schemes=["https", "http"])],
        help_text="The stream's .m3u8 address from the encoder or CDN.",
    )
    thumbnail = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="16:9, at least 1920×1080 for Roku.",
    )
    is_on_air = models.BooleanField(
        "on air", default=False, help_text="Untick when the stream stops; the page says so."
    )
    feed_id = models.SlugField(
        "Roku live feed id",
        max_length=ROKU_LIVE_ID_MAX_LENGTH,
        default="live",
        help_text="Never change it once the channel is out: Roku keys the stream on it.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("description"), FieldPanel("thumbnail")], "Programme"
        ),
        MultiFieldPanel([FieldPanel("hls_url"), FieldPanel("is_on_air")], "Stream"),
        FieldPanel("feed_id"),
    ]

    class Meta:
        verbose_name = "live stream"

    def clean(self):
        # Going on air with nothing to play, or without the picture Roku requires, is a
        # mistake the editor should see at once rather than a silent gap on the TV.
        errors = {}
        if self.is_on_air and not self.hls_url:
            errors["hls_url"] = "Give the stream's HLS address before going on air."
        if self.is_on_air and self.thumbnail_id is None:
            errors["thumbnail"] = "Choose a thumbnail before going on air: Roku requires one."
        if errors:
            raise ValidationError(errors)

    @property
    def on_air(self):
        """Only on air if there is also something to play."""
        return bool(self.is_on_air and self.hls_url)
