#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) for tests: stores each accepted message as JSON.

Usage: smtp_sink.py DIR [--reject-rcpt ADDR] [--tempfail-rcpt ADDR] [--auth USER:PASS]
                        [--no-plain] [--tls CERT KEY] [--no-ehlo]
Listens on an ephemeral loopback port and prints "port N" once it accepts connections.
Each message becomes DIR/N.json: the envelope, the session (TLS, login) and the message as
Python's e-mail parser reads it (decoded subject and body), plus the raw bytes as received
after SMTP transparency is undone.
"""
import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult


class Sink:
    def __init__(self, directory, reject, tempfail, ehlo):
        self.directory, self.reject, self.tempfail, self.count = directory, reject, tempfail, 0
        self.ehlo = ehlo

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if not self.ehlo:
            return ["502 5.5.1 EHLO not implemented"]
        session.host_name = hostname  # with this hook, aiosmtpd leaves it to the handler
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 <%s>: recipient unknown" % address
        if address in self.tempfail:
            return "451 4.3.0 <%s>: mailbox busy, try later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "login": session.auth_data.login.decode() if session.authenticated else "",
            "subject": str(msg["subject"]),
            "from": str(msg["from"]),
            "to": str(msg["to"]),
            "date": str(msg["date"]),
            "message_id": str(msg["message-id"]),
            "content_type": msg.get_content_type(),
            "charset": msg.get_content_charset(),
            "cte": str(msg["content-transfer-encoding"]),
            "body": msg.get_content(),
            "raw": raw.decode("utf-8", "replace"),
        }
        self.count += 1
        path = os.path.join(self.directory, "%d.json" % self.count)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(path + ".tmp", path)  # readers never see half a file
        return "250 2.0.0 stored"


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        # handled=False: aiosmtpd answers 535 itself on failure
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)
    return authenticate


async def main():
    # Refused handshakes and logins are what some tests expect: keep their tracebacks out of
    # the test output.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", message="Session.login_data is deprecated")
    p = argparse.ArgumentParser()
    p.add_argument("directory")
    p.add_argument("--reject-rcpt", action="append", default=[])
    p.add_argument("--tempfail-rcpt", action="append", default=[])
    p.add_argument("--auth")
    p.add_argument("--no-plain", action="store_true", help="offer AUTH LOGIN only")
    p.add_argument("--no-ehlo", action="store_true", help="an old server: HELO only")
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    a = p.parse_args()
    handler = Sink(a.directory, set(a.reject_rcpt), set(a.tempfail_rcpt), not a.no_ehlo)
    kwargs = {}
    if a.auth:
        user, password = a.auth.split(":", 1)
        kwargs["authenticator"] = make_authenticator(user, password)
        kwargs["auth_require_tls"] = bool(a.tls)  # without --tls: AUTH over plain text
        kwargs["auth_exclude_mechanism"] = ["PLAIN"] if a.no_plain else []
    if a.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(a.tls[0], a.tls[1])
        kwargs["tls_context"] = context
        kwargs["require_starttls"] = True
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **kwargs), "127.0.0.1", 0)
    print("port", server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
