"""A real SMTP server in the test process (aiosmtpd), and the site's mail pointed at it."""

import datetime as dt
import email
import email.policy
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """What the server received, and how it answers: ``refuse`` a reply such as
    "550 5.1.1 No such user" (or "451 4.3.0 Try later") to every recipient, ``slow`` seconds
    to wait before accepting a recipient (a worker killed meanwhile delivers nothing)."""

    def __init__(self):
        self.received = []
        self.refuse = None
        self.slow = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.slow:
            time.sleep(self.slow)
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(parsed)
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for message in self.received if message["To"] == address]

    def wait_for(self, count, timeout=20):
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received


class SMTPServer:
    """The server, which a test may stop (the mail server down) and start again."""

    def __init__(self):
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://newsroom.example.org"
    settings.ALERTS_SETTLE = dt.timedelta(0)  # match at once: the tests set terms first
    yield server
    server.stop()


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


def link_in(message, part):
    """The first address of the site in ``message``'s text that has ``part`` in it."""
    for word in text_of(message).split():
        if word.startswith("https://newsroom.example.org") and part in word:
            return word.removeprefix("https://newsroom.example.org")
    raise AssertionError(f"no link with {part!r} in:\n{text_of(message)}")
