"""Looking inside uploaded media: ffprobe for video files, a header check for WebVTT.

Plain functions so the admin form, management commands and tests can share them.
ffprobe runs as a subprocess with an argument list (no shell) and a timeout, so a
hostile or broken upload can neither inject commands nor hang a request.
"""

import json
import math
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

from django.core.files.uploadedfile import TemporaryUploadedFile

FFPROBE_TIMEOUT_SECONDS = 20
# Containers that browsers' <video> and Roku's MP4/MOV/M4V videoType both play.
PLAYABLE_FORMATS = {"mov", "mp4", "m4a", "3gp", "3g2", "mj2"}
# WebVTT (W3C): the file starts with an optional BOM, "WEBVTT", then a space, tab or newline.
WEBVTT_SIGNATURE = b"WEBVTT"
UTF8_BOM = b"\xef\xbb\xbf"


class ProbeError(Exception):
    """The file is not a video we can publish; the message is for the editor."""


@dataclass(frozen=True)
class VideoInfo:
    duration: int  # whole seconds, rounded up so a 1.2 s clip is never "1 second"
    width: int
    height: int
    format_name: str
    codec: str


def ffprobe_path():
    return shutil.which("ffprobe") or "/usr/bin/ffprobe"


def run_ffprobe(path, timeout=FFPROBE_TIMEOUT_SECONDS):
    """ffprobe's JSON description of the file at `path` (raises ProbeError)."""
    command = [
        ffprobe_path(),
        "-v", "error",
        "-print_format", "json",
        "-show_format",
        "-show_streams",
        "--",
        str(path),
    ]  # fmt: skip
    try:
        result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            command, capture_output=True, timeout=timeout, check=False
        )
    except FileNotFoundError as error:
        raise ProbeError("Video checking is unavailable: ffprobe is not installed.") from error
    except subprocess.TimeoutExpired as error:
        raise ProbeError("The file took too long to read; it may be damaged.") from error
    if result.returncode != 0:
        raise ProbeError("This file is not a video we can read.")
    try:
        return json.loads(result.stdout or b"{}")
    except ValueError as error:
        raise ProbeError("This file is not a video we can read.") from error


def video_info(probed):
    """Turn ffprobe's JSON into VideoInfo, or say why it is not a usable video."""
    streams = [
        stream
        for stream in probed.get("streams", [])
        if stream.get("codec_type") == "video"
        # Cover art in an audio file is a one-frame "video" stream; it is not a video.
        and not stream.get("disposition", {}).get("attached_pic")
    ]
    fmt = probed.get("format", {})
    if not streams:
        raise ProbeError("This file has no video in it.")
    format_names = set(fmt.get("format_name", "").split(","))
    if not format_names & PLAYABLE_FORMATS:
        raise ProbeError(
            f"Upload an MP4 video; this file is {fmt.get('format_name') or 'an unknown format'}."
        )
    stream = streams[0]
    duration = parse_seconds(fmt.get("duration")) or parse_seconds(stream.get("duration"))
    if not duration:
        raise ProbeError("The video's length could not be read; it may be damaged.")
    return VideoInfo(
        duration=max(1, math.ceil(duration)),
        width=int(stream.get("width") or 0),
        height=int(stream.get("height") or 0),
        format_name=fmt.get("format_name", ""),
        codec=stream.get("codec_name", ""),
    )


def parse_seconds(value):
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if math.isfinite(seconds) and seconds > 0 else None


def probe_video(path):
    """VideoInfo for the file at `path`; ProbeError if it is not a playable video."""
    return video_info(run_ffprobe(path))


def probe_uploaded_video(uploaded):
    """Probe a Django UploadedFile: large uploads are already on disk, small ones are copied."""
    if isinstance(uploaded, TemporaryUploadedFile):
        return probe_video(uploaded.temporary_file_path())
    with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        uploaded.seek(0)
        for chunk in uploaded.chunks():
            copy.write(chunk)
        copy.flush()
        uploaded.seek(0)
        return probe_video(copy.name)


def is_webvtt(head):
    """True if `head` (the first bytes of a file) starts like a WebVTT file."""
    if head.startswith(UTF8_BOM):
        head = head[len(UTF8_BOM) :]
    if not head.startswith(WEBVTT_SIGNATURE):
        return False
    rest = head[len(WEBVTT_SIGNATURE) :]
    return rest == b"" or rest[:1] in (b" ", b"\t", b"\n", b"\r")


def uploaded_is_webvtt(uploaded):
    uploaded.seek(0)
    head = uploaded.read(64)
    uploaded.seek(0)
    return is_webvtt(head)
