"""Document uploads through the admin: refused by size and by type, with one clear reason."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.models import Collection

ADD_URL = "/admin/documents/add/"
MULTIPLE_ADD_URL = "/admin/documents/multiple/add/"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def stored_files():
    media = settings.MEDIA_ROOT
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def upload(client, name, content):
    return client.post(
        ADD_URL,
        {
            "title": "Statement",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )


def file_errors(response):
    assert response.status_code == 200
    # Sizes are written with a no-break space between number and unit ("25.0\xa0MB").
    return [error.replace("\xa0", " ") for error in response.context["form"].errors["file"]]


def assert_nothing_stored():
    assert get_document_model().objects.count() == 0
    assert stored_files() == []


@pytest.mark.parametrize(
    "name, content", [("statement.pdf", PDF), ("Figures.TXT", b"Turnout: 61%\n")]
)
def test_an_allowed_small_document_is_stored(editor_client, name, content):
    response = upload(editor_client, name, content)
    assert response.status_code == 302
    document = get_document_model().objects.get()
    assert document.file.read() == content
    assert len(stored_files()) == 1


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=20 * 1024 * 1024)
def test_a_document_over_the_limit_is_refused_with_one_reason(editor_client):
    response = upload(editor_client, "minutes.txt", b"x" * (25 * 1024 * 1024))
    # Not followed by Wagtail's "File extension “” is not allowed" for the missing file.
    assert file_errors(response) == ["This file is 25.0 MB; documents may be at most 20.0 MB."]
    assert_nothing_stored()


@pytest.mark.parametrize("name", ["page.html", "page.HTM", "logo.svg", "app.js", "feed.xml"])
def test_a_document_that_could_run_script_is_refused(editor_client, name):
    response = upload(editor_client, name, b"<script>alert(document.cookie)</script>")
    extension = name.rpartition(".")[2].lower()
    [error] = file_errors(response)
    assert error.startswith(f"Documents of type .{extension} are not accepted: allowed types are")
    assert ".pdf, .doc, .docx" in error
    assert_nothing_stored()


@pytest.mark.parametrize("name", ["archive.zip", "setup.exe", "README"])
def test_archives_programs_and_untyped_files_are_refused(editor_client, name):
    [error] = file_errors(upload(editor_client, name, b"MZ\x90\x00"))
    assert "allowed types are .pdf" in error
    assert_nothing_stored()


def test_an_administrator_is_held_to_the_same_limits(administrator, client):
    # Writers may not add documents at all (masthead/newsroom/editorial.py).
    client.force_login(administrator)
    [error] = file_errors(upload(client, "page.html", b"<p>hi</p>"))
    assert error.startswith("Documents of type .html are not accepted")
    assert_nothing_stored()


def test_the_multiple_uploader_refuses_a_disallowed_type(editor_client):
    response = editor_client.post(
        MULTIPLE_ADD_URL,
        {"files[]": SimpleUploadedFile("page.html", b"<script></script>")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    result = response.json()
    assert result["success"] is False
    assert "Documents of type .html are not accepted" in result["error_message"]
    assert_nothing_stored()


def test_the_admin_uses_our_document_form_and_limits(db):
    from masthead.newsroom.forms import DocumentForm

    form_class = get_document_form(get_document_model())
    assert issubclass(form_class, DocumentForm)
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 50 * 1024 * 1024
    assert form_class(user=None).fields["file"].max_upload_size == 50 * 1024 * 1024
