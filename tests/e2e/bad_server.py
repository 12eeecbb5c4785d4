#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Wrong servers: nothing listening, then a server that answers garbage. The
sign-in page shows a clear error each time, the app stays up, and the replica
is never marked ready."""
import http.server
import re
import socket
import threading

from okno_e2e import (Crawler, check, find_all, find_in_app, log, press, replica_ready, run,
                      set_text, text_of, wait_for)


class Garbage(http.server.BaseHTTPRequestHandler):
    """Answers every request with 200 and a body that is not JSON."""

    def _answer(self):
        length = int(self.headers.get('Content-Length') or 0)
        if length:
            self.rfile.read(length)
        body = b'{"status": "ok", "access_token": \x00 this is not json'
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args):
        pass


def closed_port():
    """A port of 127.0.0.1 where nothing listens: bound, then released."""
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def error_text(s, pattern):
    """A label on screen whose text matches pattern."""
    def look():
        check(s.app_alive(), 'okno exited with %s' % s.app_proc.returncode)
        for label in find_all(s.app, 'label', showing=True):
            t = text_of(label)
            if re.search(pattern, t, re.I):
                return t
        return None
    return wait_for(look, 'an error matching /%s/ on the sign-in page' % pattern)


def try_sign_in(s, url):
    set_text(find_in_app(s, 'text', 'Server address'), url)
    set_text(find_in_app(s, 'text', 'Login'), 'clerk')
    set_text(find_in_app(s, 'password text', 'Password'), 'clerk')
    press(find_in_app(s, 'push button', 'Sign In'))


def still_on_sign_in(s):
    check(s.app_alive(), 'okno exited with %s' % s.app_proc.returncode)
    check(not find_all(s.app, 'entry', 'Search clients', showing=True),
          'the main view is showing after a failed sign-in')
    # The form is usable again: the button comes back once the attempt ends.
    button = find_in_app(s, 'push button', 'Sign In')
    check(button is not None, 'the Sign In button is gone')
    check(not replica_ready(s.env['OKNO_REPLICA']), 'the replica is marked ready')


def body(s):
    s.start_app()
    crawler = Crawler(s)
    crawler.visit('sign-in page')

    # 1. Nothing listens there.
    url = 'http://127.0.0.1:%d' % closed_port()
    try_sign_in(s, url)
    message = error_text(s, r'reach')
    log('closed port: %r' % message)
    check(len(message) > 15, 'the error %r explains nothing' % message)
    crawler.visit('sign-in page with an error')
    still_on_sign_in(s)
    s.screenshot('unreachable')

    # 2. Something answers, but not the API.
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Garbage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = 'http://127.0.0.1:%d' % server.server_address[1]
        try_sign_in(s, url)
        message = error_text(s, r'invalid|not JSON|answer')
        log('garbage server: %r' % message)
        check(not re.search(r'reach', message, re.I),
              'the garbage server is reported as unreachable: %r' % message)
        still_on_sign_in(s)
        s.screenshot('garbage')
    finally:
        server.shutdown()
        server.server_close()
    crawler.fail_if_any()


run('bad_server', body)
