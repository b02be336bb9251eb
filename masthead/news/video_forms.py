"""The video page's admin form: check uploads before anything is saved.

An uploaded video is probed with ffprobe (news/probe.py); its length fills in the duration
unless the editor typed one. A file over MAX_VIDEO_MB is refused from its size alone,
before ffprobe reads it. Exactly one source is allowed: an uploaded file or an
external HLS/MP4 URL. Captions must be WebVTT, the only caption format <track> plays.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from wagtail.admin.forms import WagtailAdminPageForm

from . import probe

EXTERNAL_VIDEO_SCHEMES = {"https", "http"}
EXTERNAL_VIDEO_EXTENSIONS = (".m3u8", ".mp4")
# <track srclang> and Roku's caption language: a BCP 47 tag such as en, ar, pt-BR.
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# Roku's shortFormVideo thumbnail: at least 800x450 (Direct Publisher feed spec).
THUMBNAIL_MIN_WIDTH, THUMBNAIL_MIN_HEIGHT = 800, 450


def is_new_upload(value):
    return isinstance(value, UploadedFile)


def video_size_error(size):
    """Why a video of `size` bytes is refused, or None if it is within MAX_VIDEO_MB."""
    limit = settings.MAX_VIDEO_MB * 1024 * 1024
    if size <= limit:
        return None
    return (
        f"This file is {filesizeformat(size)}; videos may be at most {filesizeformat(limit)}. "
        "Upload a smaller encoding, or host the video elsewhere and give its address as "
        "the external video URL."
    )


class VideoPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        self.check_video_source(cleaned_data)
        self.check_captions(cleaned_data)
        self.check_thumbnail(cleaned_data)
        return cleaned_data

    def check_video_source(self, cleaned_data):
        video_file = cleaned_data.get("video_file")
        video_url = (cleaned_data.get("video_url") or "").strip()
        if "video_url" in self.errors:
            return
        # A cleared file comes back as False; an untouched one as the stored FieldFile.
        if video_file and video_url:
            self.add_error(
                "video_url", "Give either an uploaded video or an external URL, not both."
            )
            return
        if not video_file and not video_url:
            self.add_error("video_file", "Upload a video file or give an external video URL.")
            return
        if video_url:
            self.check_external_url(video_url, cleaned_data)
        elif is_new_upload(video_file):
            self.check_upload(video_file, cleaned_data)

    def check_external_url(self, url, cleaned_data):
        parts = urlsplit(url)
        if parts.scheme.lower() not in EXTERNAL_VIDEO_SCHEMES or not parts.netloc:
            self.add_error("video_url", "The video URL must start with https:// or http://.")
            return
        if not parts.path.lower().endswith(EXTERNAL_VIDEO_EXTENSIONS):
            self.add_error(
                "video_url", "Give an HLS playlist (.m3u8) or an MP4 file (.mp4) address."
            )
            return
        # The TV feed must state a length and we cannot fetch the stream to measure it.
        if cleaned_data.get("duration") is None and "duration" not in self.errors:
            self.add_error("duration", "Give the length in seconds for an external video.")

    def check_upload(self, video_file, cleaned_data):
        error = video_size_error(video_file.size)
        if error:
            self.add_error("video_file", error)
            return
        try:
            info = probe.probe_uploaded_video(video_file)
        except probe.ProbeError as error:
            self.add_error("video_file", str(error))
            return
        # The editor may override the measured length by typing one in the same save.
        typed = cleaned_data.get("duration")
        if typed is None or "duration" not in self.changed_data:
            cleaned_data["duration"] = info.duration

    def check_captions(self, cleaned_data):
        captions = cleaned_data.get("captions")
        if is_new_upload(captions) and not probe.uploaded_is_webvtt(captions):
            self.add_error(
                "captions", 'Captions must be a WebVTT file (a .vtt file starting "WEBVTT").'
            )
        language = (cleaned_data.get("captions_language") or "").strip()
        if captions and not language:
            self.add_error("captions_language", "Say which language the captions are in.")
        elif language and not LANGUAGE_TAG.match(language):
            self.add_error("captions_language", "Use a language code such as en, ar, fa or pt-BR.")

    def check_thumbnail(self, cleaned_data):
        image = cleaned_data.get("lead_image")
        if "lead_image" in self.errors:
            return
        if image is None:
            self.add_error("lead_image", "A video needs a lead image: it is the video's poster.")
        elif image.width < THUMBNAIL_MIN_WIDTH or image.height < THUMBNAIL_MIN_HEIGHT:
            self.add_error(
                "lead_image",
                f"The lead image is the TV thumbnail and must be at least "
                f"{THUMBNAIL_MIN_WIDTH}×{THUMBNAIL_MIN_HEIGHT} pixels.",
            )


__all__ = ["VideoPageForm"]
