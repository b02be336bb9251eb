"""Render one public URL in-process, as the live site serves it: its bytes or an explicit
error. The exporter's only way of asking the site for a page.

A request is built for the primary host and passed through Django's request handler with
the site's whole middleware, so a copy holds exactly what a reader of the primary domain
gets (measured: the test client this replaced added nothing; the cost is the request
itself). Unlike the test client it keeps no cookies between pages, so no page of a copy
is rendered for a visitor who was given a session or a CSRF token.

Several worker processes render the pages of a full export: pool() starts them, each with
a Renderer of its own.
"""

import io
import logging
import signal
import sys
import warnings
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes, urlsplit

from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import got_request_exception, request_finished
from django.db import close_old_connections

from masthead.publication.addresses import PUBLIC_BASE_KEY

from . import conf

logger = logging.getLogger("masthead.mirrors")


@dataclass(frozen=True)
class Rendered:
    status: int  # 0: rendering raised, see error
    content_type: str = ""
    body: bytes = b""
    location: str = ""
    error: str = ""


class Renderer:
    """public_url: the address the copy is read at, for files that name it (feeds,
    sitemaps); None: they name the primary domain."""

    def __init__(self, public_url=None):
        primary = urlsplit(conf.primary_url())
        self.host, self.secure = primary.netloc, primary.scheme == "https"
        self.public_url = public_url
        self.handler = BaseHandler()
        with warnings.catch_warnings():
            # whitenoise warns that STATIC_ROOT is missing before collectstatic; the export
            # copes (export_static_storage) and `masthead check` says so (publication.W001).
            warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
            self.handler.load_middleware()
        self.current, self.raised = None, None
        got_request_exception.connect(self.note_exception, dispatch_uid=f"render-{id(self)}")

    def request(self, path):
        """A GET of path (with its query string) on the primary host, from nobody."""
        parts = urlsplit(path)
        environ = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            # As a WSGI server passes it: percent-decoded bytes, as latin-1 text.
            "PATH_INFO": unquote_to_bytes(parts.path).decode("iso-8859-1"),
            "QUERY_STRING": parts.query,
            "SERVER_NAME": self.host.rsplit(":", 1)[0],
            "SERVER_PORT": "443" if self.secure else "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": self.host,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "https" if self.secure else "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if self.public_url:
            environ[PUBLIC_BASE_KEY] = self.public_url
        return WSGIRequest(environ)

    def render(self, path):
        request = self.request(path)
        self.current, self.raised = request, None
        try:
            response = self.handler.get_response(request)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            close_quietly(response)
        except Exception as error:  # noqa: BLE001 - one broken page must not stop the copy
            logger.exception("mirror export: %s failed", path)
            return Rendered(status=0, error=repr(error))
        finally:
            self.current = None
        if self.raised is not None:
            # The handler turned an exception into a 500 page; the copy wants the reason.
            return Rendered(status=0, error=repr(self.raised))
        return Rendered(
            status=response.status_code,
            content_type=response.get("Content-Type", ""),
            body=body,
            location=response.get("Location", ""),
        )

    def note_exception(self, sender, request=None, **kwargs):
        if request is not None and request is self.current:
            self.raised = sys.exc_info()[1]


def close_quietly(response):
    """Close a response's files without request_finished closing the database connection
    (a live server does that between requests; an export renders thousands in a row, in
    one transaction when called from tests)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


# Worker processes ----------------------------------------------------------------------

_worker_renderer = None


def start_worker(public_url):
    global _worker_renderer
    # Ctrl-C and kill reach the parent, which stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("django.request").setLevel(logging.ERROR)
    _worker_renderer = Renderer(public_url)


def render_in_worker(path):
    return path, _worker_renderer.render(path)


def pool(workers, public_url=None):
    """Processes that each render with a Renderer of their own."""
    import multiprocessing

    from django.db import connections

    # Each worker must open its own database connection, never share the parent's.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    return context.Pool(workers, initializer=start_worker, initargs=(public_url,))
