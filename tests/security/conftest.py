import pytest
from django.test import Client

from tests.newsroom.people import PASSWORD, make_editor, make_writer


@pytest.fixture
def editor(home):
    return make_editor()


@pytest.fixture
def writer(home):
    return make_writer()


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def reader():
    """A reader's client that reports a server error as a 500 response, not an exception."""
    return Client(raise_request_exception=False)
