"""A real SMTP server on 127.0.0.1 (aiosmtpd) that records what it receives, can refuse a
recipient, and can run a hook when a message's envelope starts or its data arrives."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


@dataclass
class Received:
    sender: str
    recipients: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=default)  # type: ignore[return-value]


@dataclass
class Recorder:
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    on_mail: Callable[[int], None] | None = None  # called with the number received so far
    on_data: Callable[[int], None] | None = None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.on_mail:
            self.on_mail(len(self.received))
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                      envelope.original_content or envelope.content))
        if self.on_data:
            self.on_data(len(self.received))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_server() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()
