"""E-mail leaves through the task queue: an editor's request never waits on (or fails with) SMTP.

EMAIL_BACKEND is QueuedEmailBackend: it turns each message into plain data and enqueues
`send_queued_email`, which the task worker runs with the real backend
(MASTHEAD_EMAIL_BACKEND, Django's SMTP backend by default, configured by EMAIL_HOST and
friends). Wagtail's workflow notifications, password resets and anything else that calls
Django's mail API take this path, so a refused or slow mail server is logged by the worker
and the submit, approve or reject the editor clicked answers as usual.
"""

import base64
import email
import logging
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task

logger = logging.getLogger("masthead.newsroom")


def _encode(content):
    if isinstance(content, str):
        return {"text": content}
    return {"base64": base64.b64encode(content).decode()}


def _decode(value):
    return value["text"] if "text" in value else base64.b64decode(value["base64"])


def message_to_data(message):
    """A JSON-serialisable form of an EmailMessage (the task queue stores JSON)."""
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            attachments.append({"mime": base64.b64encode(attachment.as_bytes()).decode()})
        else:
            filename, content, mimetype = attachment
            attachments.append({"filename": filename, "mimetype": mimetype, **_encode(content)})
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "content_subtype": message.content_subtype,
        "alternatives": [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def data_to_message(data, connection=None):
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        connection=connection,
    )
    message.content_subtype = data.get("content_subtype", EmailMessage.content_subtype)
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for attachment in data["attachments"]:
        if "mime" in attachment:
            message.attach(email.message_from_bytes(base64.b64decode(attachment["mime"])))
        else:
            message.attach(attachment["filename"], _decode(attachment), attachment["mimetype"])
    return message


@task()
def send_queued_email(messages):
    """Send these messages (message_to_data's form) with the real backend, in the worker.

    A refused or failing server is logged here and reported as the task's result; the
    request that wrote the e-mail finished long ago.
    """
    try:
        connection = get_connection(settings.MASTHEAD_EMAIL_BACKEND)
        sent = connection.send_messages([data_to_message(data, connection) for data in messages])
    except Exception as error:
        recipients = sorted({to for data in messages for to in data["to"]})
        logger.error("sending %d e-mail(s) to %s failed: %s", len(messages), recipients, error)
        return f"failed: {error}"
    return f"sent {sent or 0} of {len(messages)}"


class QueuedEmailBackend(BaseEmailBackend):
    """Django's EMAIL_BACKEND interface; each send_messages() call becomes one queued task."""

    def send_messages(self, email_messages):
        messages = [message_to_data(m) for m in email_messages if m.recipients()]
        if not messages:
            return 0
        try:
            send_queued_email.enqueue(messages)
        except Exception:
            if not self.fail_silently:
                raise
            return 0
        return len(messages)
