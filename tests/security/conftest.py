import pytest
from django.test import Client

from tests.people import PASSWORD


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def reader():
    """A reader's client that reports a server error as a 500 response, not an exception."""
    return Client(raise_request_exception=False)
