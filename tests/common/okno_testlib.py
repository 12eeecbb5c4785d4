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
import subprocess
import urllib.request
import uuid

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


def sanitizer_report(text):
    """The first line of a sanitizer report in text, or None."""
    for line in text.splitlines():
        if any(mark in line for mark in SANITIZER_MARKS):
            return line.strip()
    return None


class Central:
    """An okno-central on 127.0.0.1 for a test. Its stderr goes to log_path
    (appended to across restarts, so a report of any run is kept); stop()
    says what went wrong at shutdown."""

    def __init__(self, binary, db, log_path, args=(), port=0):
        self.binary, self.db, self.log_path = binary, db, log_path
        self.args, self.port = list(args), port
        self.proc = None
        self.url = None

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
        return self

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
        urllib.request.urlopen(req, timeout=30).read()

    def clear_faults(self):
        req = urllib.request.Request(self.url + '/api/v1/_faults', method='DELETE')
        urllib.request.urlopen(req, timeout=30).read()


def stop_all(servers):
    """Stops every server still running, as a test's last step; returns
    what went wrong with the first one that did, or None."""
    problems = [p for p in (s.stop() for s in servers) if p]
    return problems[0] if problems else None
