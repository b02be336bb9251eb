import pytest
from django.test import Client

from .people import make_administrator, make_editor, make_writer


@pytest.fixture
def writer(home):
    return make_writer()


@pytest.fixture
def editor(home):
    return make_editor()


@pytest.fixture
def administrator(home):
    return make_administrator()


def logged_in(user):
    # force_login: the axes backend needs a request, which Client.login() does not pass.
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def writer_client(writer):
    return logged_in(writer)


@pytest.fixture
def editor_client(editor):
    return logged_in(editor)


@pytest.fixture
def iraq(make_section):
    return make_section("Iraq", parent=make_section("News"))
