"""The admin's image upload form, hardened against files that only pretend to be small.

Wagtail checks an upload's pixel count by asking Willow for its size, and Willow answers
by decoding the whole image. So every image under Pillow's own bomb threshold (about 89
million pixels) is fully decoded in memory before WAGTAILIMAGES_MAX_IMAGE_PIXELS is
applied, and a file whose data is cut short raises an error Wagtail does not catch: the
upload view answers 500. This form reads the dimensions from the file header first
(cheap), and turns any decoding failure into the ordinary "not a valid image" error.

Enabled with WAGTAILIMAGES_IMAGE_FORM_BASE = "masthead.newsroom.forms.ImageForm"; it
covers the single and multiple uploaders and the chooser's upload tab.

DocumentForm (WAGTAILDOCS_DOCUMENT_FORM_BASE) does the same for documents: a file over
WAGTAILDOCS_MAX_UPLOAD_SIZE or of a type outside WAGTAILDOCS_EXTENSIONS is refused with
one message that says what is allowed.
"""

import struct
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage
from wagtail.documents.forms import BaseDocumentForm
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


def document_type_error(name, allowed):
    """Why a document called `name` is refused, or None if its type is in `allowed`."""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension in allowed:
        return None
    types = ", ".join(f".{each}" for each in allowed)
    if not extension:
        return f"The file name needs a type at the end, such as .pdf: allowed types are {types}."
    return f"Documents of type .{extension} are not accepted: allowed types are {types}."


class DocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")  # the multiple uploader's edit form has none
        if field is not None and field.max_upload_size is not None:
            limit = filesizeformat(field.max_upload_size)
            field.error_messages["file_too_large"] = (
                f"This file is %(file_size)s; documents may be at most {limit}."
            )
            # Shown by the multiple uploader's script, which knows only that it is too big.
            field.error_messages["file_too_large_unknown_size"] = (
                f"This file is too big: documents may be at most {limit}."
            )

    def clean_file(self):
        file = self.cleaned_data.get("file")
        allowed = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None)
        if allowed and isinstance(file, UploadedFile):
            error = document_type_error(file.name, allowed)
            if error:
                raise ValidationError(error, code="document_type")
        return file

    def _post_clean(self):
        # Document.clean() checks the extension again, of the file the form refused to
        # take (no file at all on a new document), and would add "File extension “” is
        # not allowed" under the real reason.
        refused = len(self.errors.get("file", ()))
        super()._post_clean()
        if refused:
            del self.errors["file"][refused:]
