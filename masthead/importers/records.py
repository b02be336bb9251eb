"""Reading one line of the corpus format into a checked ArticleRecord.

Everything that can be wrong with a line is found here, before anything is written, so a
bad line is reported and skipped without touching the database. The format is described
in masthead/demo/corpus.py.
"""

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from PIL import Image as PILImage

from .sanitise import paragraph_html

# Field sizes of the content model (masthead/news/models.py and Wagtail's Page).
MAX_ID_LENGTH = 64  # ArticlePage.external_id
MAX_HEADLINE_LENGTH = 255  # Page.title
MAX_SECTION_TITLE_LENGTH = 255  # Page.title
MAX_AUTHOR_NAME_LENGTH = 255  # Page.title of the AuthorPage
MAX_TOPIC_LENGTH = 100  # taggit TagBase.name
MAX_ALT_LENGTH = 250  # ArticlePage.lead_image_alt
MAX_CAPTION_LENGTH = 300  # ArticlePage.lead_image_caption
MAX_CREDIT_LENGTH = 100  # ArticlePage.lead_image_credit
# Deepest section path accepted: News > Middle East > Iraq > Basra is already unusual.
MAX_SECTION_DEPTH = 5
# Image formats Wagtail accepts here (settings.WAGTAILIMAGES_EXTENSIONS), as Pillow names them.
IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "AVIF"}


class LineError(ValueError):
    """Why a line cannot be imported; the message is shown to the person running it."""


@dataclass(frozen=True)
class LeadImage:
    path: Path
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass
class ArticleRecord:
    external_id: str
    section: tuple
    headline: str
    standfirst: str
    paragraphs: list  # HTML of each paragraph block, already escaped or sanitised
    byline: str
    published: dt.datetime
    updated: dt.datetime
    tags: list
    image: LeadImage | None = None
    line_number: int = 0


def parse_line(text, line_number=0, images_dir=None, checked_images=None):
    """An ArticleRecord from one line of JSON, or LineError saying what is wrong.

    `checked_images` (a dict) remembers image files already opened, so a pool of 48
    pictures shared by 10,000 articles is read 48 times, not 10,000.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise LineError(f"invalid JSON ({error.msg} at column {error.colno})") from None
    except UnicodeDecodeError:
        raise LineError("not UTF-8 text") from None
    except RecursionError:
        # 200,000 '[' in a row: Python's parser gives up; the line is bad, not the run.
        raise LineError("JSON nested too deeply to read") from None
    if not isinstance(data, dict):
        raise LineError("expected a JSON object")

    external_id = required_text(data, "id", MAX_ID_LENGTH)
    section = parse_section(data.get("section"))
    headline = required_text(data, "headline", MAX_HEADLINE_LENGTH)
    standfirst = required_text(data, "standfirst")
    paragraphs = parse_body(data.get("body"))
    byline = optional_text(data, "byline", MAX_AUTHOR_NAME_LENGTH)
    published = parse_time(data, "published", required=True)
    updated = parse_time(data, "updated") or published
    if updated < published:
        raise LineError("'updated' is before 'published'")
    tags = parse_tags(data.get("tags"))
    image = parse_image(data.get("image"), images_dir, checked_images)
    return ArticleRecord(
        external_id=external_id,
        section=section,
        headline=headline,
        standfirst=standfirst,
        paragraphs=paragraphs,
        byline=byline,
        published=published,
        updated=updated,
        tags=tags,
        image=image,
        line_number=line_number,
    )


def clean_text(value):
    """Collapse runs of whitespace (titles and names come from many systems)."""
    return " ".join(value.split())


def required_text(data, name, max_length=None):
    value = data.get(name)
    if value is None:
        raise LineError(f"missing '{name}'")
    if not isinstance(value, str):
        raise LineError(f"'{name}' must be a string")
    value = clean_text(value)
    if not value:
        raise LineError(f"'{name}' is empty")
    if "\x00" in value:
        raise LineError(f"'{name}' contains a NUL character")
    if max_length and len(value) > max_length:
        raise LineError(f"'{name}' is longer than {max_length} characters")
    return value


def optional_text(data, name, max_length, label=None):
    label = label or name
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise LineError(f"'{label}' must be a string")
    value = clean_text(value)
    if "\x00" in value:
        raise LineError(f"'{label}' contains a NUL character")
    if len(value) > max_length:
        raise LineError(f"'{label}' is longer than {max_length} characters")
    return value


def parse_section(value):
    if value is None:
        raise LineError("missing 'section'")
    if not isinstance(value, list) or not value:
        raise LineError("'section' must be a non-empty list of section titles")
    if len(value) > MAX_SECTION_DEPTH:
        raise LineError(f"'section' is nested deeper than {MAX_SECTION_DEPTH} levels")
    titles = []
    for title in value:
        if not isinstance(title, str) or not clean_text(title):
            raise LineError("'section' must contain only non-empty strings")
        if len(clean_text(title)) > MAX_SECTION_TITLE_LENGTH:
            raise LineError(f"a section title is longer than {MAX_SECTION_TITLE_LENGTH} characters")
        titles.append(clean_text(title))
    return tuple(titles)


def parse_body(value):
    if value is None:
        raise LineError("missing 'body'")
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise LineError("'body' must be a list of paragraph strings")
    if any("\x00" in p for p in value):
        raise LineError("'body' contains a NUL character")
    size = sum(len(p.encode("utf-8", "surrogatepass")) for p in value)
    limit = settings.IMPORT_MAX_BODY_MB * 1024 * 1024
    if size > limit:
        raise LineError(
            f"'body' is {size:,} bytes, more than the {limit:,} allowed "
            "(MASTHEAD_IMPORT_MAX_BODY_MB)"
        )
    html = [paragraph_html(p) for p in value if p.strip()]
    # A paragraph made only of stripped markup leaves nothing worth a block.
    return [p for p in html if p != "<p></p>"]


def parse_time(data, name, required=False):
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise LineError(f"missing '{name}'")
        return None
    if not isinstance(value, str):
        raise LineError(f"'{name}' must be an ISO 8601 date-time string")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise LineError(f"'{name}' is not an ISO 8601 date-time: {value[:40]!r}") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise LineError(f"'{name}' has no time zone offset")
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        # Year 1 or 9999 with an offset falls outside what a datetime can hold in UTC.
        raise LineError(f"'{name}' is out of range: {value[:40]!r}") from None


def parse_tags(value):
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise LineError("'tags' must be a list of strings")
    tags = []
    for tag in value:
        tag = clean_text(tag)
        if not tag:
            continue
        if len(tag) > MAX_TOPIC_LENGTH:
            raise LineError(f"a tag is longer than {MAX_TOPIC_LENGTH} characters")
        if tag not in tags:
            tags.append(tag)
    return tags


def parse_image(value, images_dir, checked_images=None):
    if value is None:
        return None
    if not isinstance(value, dict):
        raise LineError("'image' must be an object or null")
    name = value.get("file")
    if not isinstance(name, str) or not name.strip():
        raise LineError("'image.file' must be a file name")
    alt = optional_text(value, "alt", MAX_ALT_LENGTH, "image.alt")
    caption = optional_text(value, "caption", MAX_CAPTION_LENGTH, "image.caption")
    credit = optional_text(value, "credit", MAX_CREDIT_LENGTH, "image.credit")
    if images_dir is None:
        raise LineError("has an image but no --images folder was given")
    path = resolve_image_path(Path(images_dir), name)
    if checked_images is None:
        checked_images = {}
    if path not in checked_images:
        checked_images[path] = check_image_file(path)
    problem = checked_images[path]
    if problem:
        raise LineError(problem)
    return LeadImage(path=path, alt=alt, caption=caption, credit=credit)


def resolve_image_path(images_dir, name):
    """The image's path inside images_dir; names that climb out of it are refused."""
    relative = PurePosixPath(name.replace("\\", "/"))
    if relative.is_absolute() or ".." in relative.parts:
        raise LineError(f"image file {name!r} is outside the images folder")
    return images_dir.joinpath(*relative.parts)


def check_image_file(path):
    """None if `path` is a picture Wagtail can take, otherwise the reason it is not."""
    from django.conf import settings

    if not path.is_file():
        return f"image file not found: {path}"
    max_pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", None)
    try:
        with PILImage.open(path) as picture:
            picture.verify()
            width, height = picture.size
            image_format = picture.format
    except Exception:  # Pillow raises many kinds of error for broken files
        return f"image file is not a readable picture: {path}"
    if image_format not in IMAGE_FORMATS:
        return f"image file format {image_format} is not accepted: {path}"
    if max_pixels and width * height > max_pixels:
        return f"image file is too large ({width}x{height} pixels): {path}"
    return None
