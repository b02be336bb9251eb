"""The admin login locks a username from an address after repeated failures (django-axes)."""

from django.conf import settings

LOGIN_URL = "/admin/login/"
ATTACKER = "203.0.113.7"


def attempt(client, username, password, ip=ATTACKER):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_failure_limit_is_five():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_correct_password_works_before_lockout(client, editor, password):
    response = attempt(client, editor.username, password)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_five_failures_lock_out_even_the_right_password(client, editor, password):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, editor.username, "wrong-guess")
        assert not is_logged_in(client)
    # The fifth failure already answers with the lockout.
    assert response.status_code in (403, 429)

    response = attempt(client, editor.username, password)
    assert response.status_code in (403, 429)
    assert not is_logged_in(client)
    assert client.get("/admin/").status_code == 302  # back to the login page


def test_lockout_is_per_username_and_address(client, editor, writer, password):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, editor.username, "wrong-guess")

    # The same person at their desk (another address) is not locked out by an attacker...
    desk = client.__class__()
    assert attempt(desk, editor.username, password, ip="198.51.100.20").status_code == 302
    # ...and other staff at the attacker's address are not locked out either.
    colleague = client.__class__()
    assert attempt(colleague, writer.username, password).status_code == 302


def test_four_failures_do_not_lock(client, editor, password):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, editor.username, "wrong-guess").status_code == 200
    assert attempt(client, editor.username, password).status_code == 302
