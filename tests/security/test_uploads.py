"""Image uploads through the admin: bad files get a clear error and leave nothing behind."""

import io
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection, UploadedFile

ADD_URL = "/admin/images/add/"
MULTIPLE_ADD_URL = "/admin/images/multiple/add/"


def png_declaring(width, height):
    """A valid-looking PNG of a few dozen bytes whose header claims width x height pixels."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes(width=400, height=300):
    buffer = io.BytesIO()
    PILImage.effect_noise((width, height), 80).convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def stored_files():
    media = settings.MEDIA_ROOT
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def upload(client, name, content, content_type="image/png"):
    return client.post(
        ADD_URL,
        {
            "title": "Upload",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )


def upload_multiple(client, name, content, content_type="image/png"):
    return client.post(
        MULTIPLE_ADD_URL,
        {"files[]": SimpleUploadedFile(name, content, content_type=content_type)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


def assert_nothing_stored():
    assert get_image_model().objects.count() == 0
    assert UploadedFile.objects.count() == 0
    assert stored_files() == []


def form_errors(response):
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get("file", []))


def test_a_real_image_uploads(editor_client):
    response = upload(editor_client, "photo.jpg", jpeg_bytes(), "image/jpeg")
    assert response.status_code == 302
    assert get_image_model().objects.count() == 1


def test_not_an_image(editor_client):
    response = upload(editor_client, "notes.png", b"#!/bin/sh\necho not an image\n" * 20)
    assert "Upload a valid image" in form_errors(response)
    assert_nothing_stored()


def test_wrong_extension(editor_client):
    response = upload(editor_client, "page.html", jpeg_bytes(), "text/html")
    assert "Not a supported image format" in form_errors(response)
    assert_nothing_stored()


def test_too_large(editor_client):
    content = jpeg_bytes(600, 600)
    limit = len(content) // 2
    with override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=limit):
        response = upload(editor_client, "big.jpg", content, "image/jpeg")
    assert "This file is too big" in form_errors(response)
    assert_nothing_stored()


@pytest.mark.parametrize(
    "width, height",
    [
        (10_000, 8_000),  # 80 million: over our limit, under Pillow's own warning level
        (100_000, 100_000),  # ten billion: Pillow refuses outright (DecompressionBombError)
    ],
)
def test_decompression_bomb(editor_client, width, height):
    bomb = png_declaring(width, height)
    assert len(bomb) < 100
    assert width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    response = upload(editor_client, "bomb.png", bomb)
    assert "This file has too many pixels" in form_errors(response)
    assert_nothing_stored()


def test_multiple_upload_rejects_a_bomb_and_non_images(editor_client):
    for name, content in (("bomb.png", png_declaring(100_000, 100_000)), ("x.png", b"nope")):
        response = upload_multiple(editor_client, name, content)
        assert response.status_code == 200
        result = response.json()
        assert result["success"] is False
        assert result["error_message"]
    assert_nothing_stored()


def test_writer_upload_is_checked_the_same_way(writer, client):
    client.force_login(writer)
    response = upload(client, "bomb.png", png_declaring(100_000, 100_000))
    assert "This file has too many pixels" in form_errors(response)
    assert_nothing_stored()


def test_truncated_image_is_an_error_not_a_crash(editor_client):
    """A header promising 200x200 pixels, then no pixel data: Willow fails while decoding."""
    response = upload(editor_client, "cut-short.png", png_declaring(200, 200))
    assert "Upload a valid image" in form_errors(response)
    assert_nothing_stored()


def test_admin_uses_the_hardened_image_form(db):
    from masthead.newsroom.forms import CheckedImageField, ImageForm

    assert settings.WAGTAILIMAGES_IMAGE_FORM_BASE == "masthead.newsroom.forms.ImageForm"
    form_class = get_image_form(get_image_model())
    assert issubclass(form_class, ImageForm)
    assert isinstance(form_class(user=None).fields["file"], CheckedImageField)
