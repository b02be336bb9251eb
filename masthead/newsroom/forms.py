"""The admin's image upload form, hardened against files that only pretend to be small.

Wagtail checks an upload's pixel count by asking Willow for its size, and Willow answers
by decoding the whole image. So every image under Pillow's own bomb threshold (about 89
million pixels) is fully decoded in memory before WAGTAILIMAGES_MAX_IMAGE_PIXELS is
applied, and a file whose data is cut short raises an error Wagtail does not catch: the
upload view answers 500. This form reads the dimensions from the file header first
(cheap), and turns any decoding failure into the ordinary "not a valid image" error.

Enabled with WAGTAILIMAGES_IMAGE_FORM_BASE = "masthead.newsroom.forms.ImageForm"; it
covers the single and multiple uploaders and the chooser's upload tab.
"""

import struct
import warnings

from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# Errors Pillow and Willow raise for corrupt or truncated image data.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error)


# header_pixels() for a header Pillow itself refuses (more than twice its own limit).
BOMB = object()


def header_pixels(data):
    """Pixel count from the image header, without decoding the pixels; None if unreadable."""
    position = data.tell()
    try:
        with warnings.catch_warnings():
            # Over Pillow's warning threshold is simply "too many pixels" here.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(data) as image:
                width, height = image.size
                return width * height
    except PILImage.DecompressionBombError:
        return BOMB
    except DECODE_ERRORS:
        return None  # Wagtail's own checks give the right message for these
    finally:
        data.seek(position)


class CheckedImageField(WagtailImageField):
    def check_header(self, data):
        if not self.max_image_pixels or not hasattr(data, "seek"):
            return
        if self.max_upload_size is not None and data.size > self.max_upload_size:
            return  # Wagtail reports the file size without opening it
        pixels = header_pixels(data)
        if pixels is BOMB or (pixels is not None and pixels > self.max_image_pixels):
            raise ValidationError(
                self.error_messages["file_too_many_pixels"]
                % {
                    "num_pixels": "unknown number" if pixels is BOMB else pixels,
                    "max_pixels_count": self.max_image_pixels,
                },
                code="file_too_many_pixels",
            )

    def to_python(self, data):
        if data:
            self.check_header(data)
        try:
            return super().to_python(data)
        except DECODE_ERRORS as exc:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from exc


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None and not isinstance(field, CheckedImageField):
            checked = CheckedImageField(
                label=field.label, required=field.required, widget=field.widget
            )
            self.fields["file"] = checked
