# SPDX-License-Identifier: GPL-3.0-or-later
"""What the Python tests that drive okno-central and okno-cli share: reading
a database, a free port, starting and stopping the server with its stderr
kept and checked, staging faults, and checking a database's integrity.

The scripts import it through sys.path relative to their own file:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    '..', 'common'))
    import okno_testlib
"""
import json
import os
import re
import signal
import socket
import sqlite3
import ssl
import subprocess
import urllib.error
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))

# What ASan, LeakSanitizer and UBSan print when they find something. UBSan
# built without -fno-sanitize-recover goes on after "runtime error:", so the
# exit status alone would not show it.
SANITIZER_MARKS = ('ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'LeakSanitizer',
                   'runtime error:', 'ERROR: UndefinedBehaviorSanitizer')


UUID_TEXT = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')


def _uuid_text(value):
    return None if value is None else str(uuid.UUID(bytes=bytes(value)))


def _uuid_blob(text):
    return None if text is None else uuid.UUID(text).bytes


def connect_replica(path, read_only=True):
    """A connection to a database file that reads a replica as the store
    does: a replica stores the UUIDs of its collections as 16 bytes (schema
    step 7). query() over it shows them as text and binds a UUID argument
    as bytes; the SQL functions okno_uuid_text and okno_uuid_blob are there
    as on the app's own connections (the outbox keeps text)."""
    uri = 'file:%s%s' % (path, '?mode=ro' if read_only else '')
    conn = sqlite3.connect(uri, uri=True, timeout=30)
    conn.create_function('okno_uuid_text', 1, _uuid_text, deterministic=True)
    conn.create_function('okno_uuid_blob', 1, _uuid_blob, deterministic=True)
    return conn


def is_replica(conn):
    """Whether conn holds a replica whose UUIDs are bytes (schema step 7 on)."""
    return conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'snapshot_progress'"
                        " AND (SELECT user_version FROM pragma_user_version) >= 7"
                        ).fetchone() is not None


def replica_execute(conn, sql, args=()):
    """conn.execute over a replica or okno-central's database: in a replica
    a UUID argument is bound as its 16 bytes, and 16-byte values come back
    as UUID text, so tests read both kinds of file alike."""
    if is_replica(conn):
        args = [_uuid_blob(a) if isinstance(a, str) and UUID_TEXT.match(a) else a for a in args]
    rows = conn.execute(sql, args).fetchall()
    return [tuple(_uuid_text(v) if isinstance(v, bytes) and len(v) == 16 else v for v in row)
            for row in rows]


def query(db, sql, *args):
    """The rows of one statement over db, opened read-only (the programs
    under test are the only writers); see replica_execute."""
    conn = connect_replica(db)
    try:
        return replica_execute(conn, sql, args)
    finally:
        conn.close()


def integrity_problems(db):
    """PRAGMA integrity_check and foreign_key_check over db: a list of what
    is wrong, empty when the database is sound."""
    problems = [r[0] for r in query(db, 'PRAGMA integrity_check') if r[0] != 'ok']
    problems += ['foreign key: %s row %s -> %s' % (r[0], r[1], r[2])
                 for r in query(db, 'PRAGMA foreign_key_check')]
    return problems


def free_port():
    """A TCP port of 127.0.0.1 nothing listens on now, for a server that
    must come back on the same address after it was killed."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_https():
    """Whether the test runs over HTTPS: $OKNO_TEST_HTTPS is 1 (meson sets
    it for the "-https" variants, as for the C tests of central-spawn.c)."""
    return os.environ.get('OKNO_TEST_HTTPS') == '1'


def make_certs(folder):
    """A test CA and certificates made now in folder by make-test-certs.sh
    (ca.pem; server.pem and server-key.pem for 127.0.0.1, among others)."""
    os.makedirs(folder, exist_ok=True)
    subprocess.run(['/bin/sh', os.path.join(HERE, 'make-test-certs.sh'), folder],
                   check=True, timeout=120)
    return folder


def sanitizer_report(text):
    """The first line of a sanitizer report in text, or None."""
    for line in text.splitlines():
        if any(mark in line for mark in SANITIZER_MARKS):
            return line.strip()
    return None


class Central:
    """An okno-central on 127.0.0.1 for a test. Its stderr goes to log_path
    (appended to across restarts, so a report of any run is kept); stop()
    says what went wrong at shutdown. With https (by default test_https()),
    it serves HTTPS with a test CA made in the database's folder: ca_file
    is that CA, and trust_args() what okno-cli needs to trust it."""

    def __init__(self, binary, db, log_path, args=(), port=0, https=None):
        self.binary, self.db, self.log_path = binary, db, log_path
        self.args, self.port = list(args), port
        self.proc = None
        self.url = None
        self.ca_file = None
        self.https = test_https() if https is None else https
        if self.https:
            certs = make_certs(os.path.join(os.path.dirname(os.path.abspath(db)), 'certs'))
            self.ca_file = os.path.join(certs, 'ca.pem')
            self.cert_file = os.path.join(certs, 'server.pem')
            self.args += ['--tls-cert', self.cert_file,
                          '--tls-key', os.path.join(certs, 'server-key.pem')]

    def start(self, *extra):
        """Starts it (extra arguments this time only, such as --generate)
        and waits for its listening line; raises RuntimeError when it does
        not come."""
        argv = [self.binary, '--db', self.db, '--port', str(self.port)] + self.args + list(extra)
        env = dict(os.environ)
        # As central-spawn.c says: GCC 12's LeakSanitizer crashes at the exit
        # of a process that made a TLS handshake in a worker thread, so an
        # HTTPS server runs with AddressSanitizer but no leak check.
        if '--tls-cert' in argv and 'ASAN_OPTIONS' in env:
            env['ASAN_OPTIONS'] += ':detect_leaks=0'
        with open(self.log_path, 'a') as log:
            self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=log, text=True,
                                         env=env)
        line = self.proc.stdout.readline()
        if 'listening on' not in line:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError('okno-central did not start: %r; its stderr: %s'
                               % (line, self.log()[-2000:]))
        self.url = line.split('listening on ', 1)[1].strip()
        # A run that asked for HTTPS and got http:// would prove nothing.
        scheme = 'https://' if '--tls-cert' in argv else 'http://'
        if not self.url.startswith(scheme + '127.0.0.1:'):
            self.stop()
            raise RuntimeError('okno-central listens on %s, not %s' % (self.url, scheme))
        return self

    def trust_args(self):
        """okno-cli's options to trust this server's test CA (none over HTTP)."""
        return ['--ca-file', self.ca_file] if self.https else []

    def _urlopen(self, req):
        context = ssl.create_default_context(cafile=self.ca_file) if self.https else None
        return urllib.request.urlopen(req, timeout=30, context=context)

    def transport_problem(self):
        """What is wrong with the transport the test asked for, or None.
        Over HTTPS: the server shows the test CA's certificate, and the
        same port in the clear gives no HTTP answer at all. Over HTTP: the
        health check answers in the clear."""
        port = int(self.url.rsplit(':', 1)[1])
        health = '/api/v1/health'
        if not self.https:
            with self._urlopen(self.url + health) as answer:
                return None if answer.status == 200 else 'GET %s: %d' % (health, answer.status)
        context = ssl.create_default_context(cafile=self.ca_file)
        with socket.create_connection(('127.0.0.1', port), timeout=30) as raw:
            with context.wrap_socket(raw, server_hostname='127.0.0.1') as tls:
                shown = tls.getpeercert(binary_form=True)
        with open(self.cert_file) as f:
            if shown != ssl.PEM_cert_to_DER_cert(f.read()):
                return 'the server shows another certificate than the test CA signed'
        try:
            with urllib.request.urlopen('http://127.0.0.1:%d%s' % (port, health),
                                        timeout=30) as answer:
                return 'plain HTTP to the HTTPS port was answered %d' % answer.status
        except urllib.error.HTTPError as e:
            return 'plain HTTP to the HTTPS port was answered %d' % e.code
        except (urllib.error.URLError, OSError):
            return None

    def log(self):
        with open(self.log_path, errors='replace') as f:
            return f.read()

    def kill(self):
        """SIGKILL, as a crash or a power cut would end it."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc.stdout.close()
        self.proc = None

    def stop(self):
        """SIGTERM and waits. Returns what went wrong: a non-zero exit
        status or a sanitizer report in its stderr (of this run or of any
        earlier one); None when nothing did."""
        status = None
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            status = self.proc.wait(timeout=120)
            self.proc.stdout.close()
            self.proc = None
        report = sanitizer_report(self.log())
        if report:
            return 'okno-central: sanitizer report: ' + report
        if status:
            return 'okno-central exited with status %d: %s' % (status, self.log()[-2000:])
        return None

    def running(self):
        return self.proc is not None

    def fault(self, spec):
        """Stages a failure through POST /api/v1/_faults (needs --faults);
        spec is the object docs/api/openapi.yaml describes."""
        req = urllib.request.Request(self.url + '/api/v1/_faults', data=json.dumps(spec).encode(),
                                     method='POST', headers={'Content-Type': 'application/json'})
        self._urlopen(req).read()

    def clear_faults(self):
        req = urllib.request.Request(self.url + '/api/v1/_faults', method='DELETE')
        self._urlopen(req).read()


def stop_all(servers):
    """Stops every server still running, as a test's last step; returns
    what went wrong with the first one that did, or None."""
    problems = [p for p in (s.stop() for s in servers) if p]
    return problems[0] if problems else None
