"""Workflow e-mail is queued for the task worker: a dead mail server never touches a request."""

import json
import logging
import socket

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import WorkflowState

from masthead.news.models import ArticlePage
from masthead.newsroom.mail import data_to_message, message_to_data, send_queued_email

from .admin_forms import article_form


def closed_port():
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def refused_smtp(settings, waiting_tasks):
    """Production's mail settings, with the SMTP server refusing connections."""
    settings.EMAIL_BACKEND = "masthead.newsroom.mail.QueuedEmailBackend"
    settings.MASTHEAD_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    return waiting_tasks


def queued_messages(backend):
    return [
        data
        for result in backend.results
        if result.task.func is send_queued_email.func
        for data in result.args[0]
    ]


def submit(writer_client, section):
    data = article_form("Ceasefire holds", "ceasefire", paragraphs=["<p>Calm returned.</p>"])
    data["action-submit"] = "Submit for review"
    add = reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))
    return writer_client.post(add, data)


def test_submit_and_approve_with_smtp_refused_answer_normally_and_queue_mail(
    refused_smtp, writer_client, editor_client, editor, writer, iraq, caplog
):
    caplog.set_level(logging.INFO)
    response = submit(writer_client, iraq)
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="ceasefire")
    to_editors = queued_messages(refused_smtp)
    assert [m["to"] for m in to_editors] == [[editor.email]]
    assert "Ceasefire holds" in to_editors[0]["subject"]

    task_state = WorkflowState.objects.get(object_id=str(article.pk)).current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "approve", task_state.pk))
    response = editor_client.post(url, {"comment": "Good to go"})
    assert response.status_code in (200, 302)
    article.refresh_from_db()
    assert article.live
    assert [writer.email] in [m["to"] for m in queued_messages(refused_smtp)]

    # Nothing tried to reach the mail server inside either request.
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert mail.outbox == []


def test_the_task_sends_with_the_real_backend(refused_smtp, writer_client, editor, iraq, settings):
    submit(writer_client, iraq)
    [data] = queued_messages(refused_smtp)
    settings.MASTHEAD_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_queued_email.call([data]) == "sent 1 of 1"
    [sent] = mail.outbox
    assert sent.to == [editor.email]
    assert sent.subject == data["subject"]
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"


def test_a_refused_server_is_logged_by_the_task_not_raised(refused_smtp, caplog):
    message = message_to_data(mail.EmailMessage("Hello", "Body", "a@newsroom.test", ["b@x.test"]))
    with caplog.at_level(logging.ERROR, logger="masthead.newsroom"):
        result = send_queued_email.call([message])
    assert result.startswith("failed:")
    [record] = caplog.records
    assert "b@x.test" in record.getMessage()


def test_messages_survive_the_queue_whole():
    original = mail.EmailMultiAlternatives(
        "Subject ü",
        "Text body",
        "from@newsroom.test",
        ["to@x.test"],
        cc=["cc@x.test"],
        bcc=["bcc@x.test"],
        reply_to=["r@x.test"],
        headers={"Auto-Submitted": "auto-generated"},
    )
    original.attach_alternative("<p>HTML body</p>", "text/html")
    original.attach("notes.txt", "plain notes", "text/plain")
    original.attach("blob.bin", b"\x00\xff", "application/octet-stream")
    copy = data_to_message(json.loads(json.dumps(message_to_data(original))))
    for field in ("subject", "body", "from_email", "to", "cc", "bcc", "reply_to", "extra_headers"):
        assert getattr(copy, field) == getattr(original, field)
    assert [tuple(a) for a in copy.alternatives] == [tuple(a) for a in original.alternatives]
    assert [tuple(a) for a in copy.attachments] == [tuple(a) for a in original.attachments]


def test_production_settings_queue_mail():
    # pytest-django swaps EMAIL_BACKEND for locmem in every test; read what production gets.
    from masthead.settings import base

    assert base.EMAIL_BACKEND == "masthead.newsroom.mail.QueuedEmailBackend"
    assert base.MASTHEAD_EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
