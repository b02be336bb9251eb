"""Newsroom staff for tests: a user in each editorial group."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from masthead.newsroom.editorial import ADMINISTRATORS, EDITORS, WRITERS

PASSWORD = "a-long-test-passphrase-42"


def make_staff(username, group_name, password=PASSWORD):
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@newsroom.test",
        password=password,
        first_name=username.title(),
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


def make_writer(username="writer"):
    return make_staff(username, WRITERS)


def make_editor(username="editor"):
    return make_staff(username, EDITORS)


def make_administrator(username="administrator"):
    return make_staff(username, ADMINISTRATORS)


def assert_refused(response):
    """A signed-in user was refused: Wagtail answers 403 or sends them to the admin home
    with a permission message. A redirect to the login page would mean the client was
    never signed in, so it does not count as a refusal."""
    if response.status_code == 403:
        return
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    assert "/login/" not in location, f"redirected to log in ({location}): not signed in"
    assert location.rstrip("/").endswith("/admin"), location
