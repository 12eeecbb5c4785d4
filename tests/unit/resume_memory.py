#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sync test 14 (docs/sync-tests.md): the initial download cut at 60 % resumes from the last stored
page, and its memory stays bounded.

1. okno-cli downloads through a small logging relay; when its progress
   reaches 60 % of the rows it is killed with SIGKILL. Then it downloads
   again: the first page it asks for is the one after the last page stored
   (its `after` is the stored position, collections already finished are
   not asked for again), the server served again only the pages the client
   had fetched ahead and not stored yet (at most three), and the
   replica equals the server.
2. The peak resident memory (ru_maxrss of the okno-cli process, from
   wait4) of a whole download of a small replica and of one six times
   larger: the larger may not need more than a fixed margin over the
   smaller. A memory assertion, not a timing one; the figures are printed.

usage: resume_memory.py OKNO_CENTRAL OKNO_CLI
"""
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'common'))
from okno_testlib import Central, query, stop_all  # noqa: E402

CENTRAL, CLI = sys.argv[1], sys.argv[2]
SMALL, LARGE = 5000, 30000
PAGE = 5000  # the client's page size, OknoClient PAGE_LIMIT
# Pages a download holds unstored: two parsed and waiting for the writer
# (OknoClient PIPELINE_DEPTH) and one being fetched.
AHEAD = 3
CUT_AT = 0.60
# What a larger replica may cost over a smaller one: SQLite's page caches
# and allocator slack, never anything proportional to the rows.
MARGIN_KB = 16 * 1024
tmp = tempfile.mkdtemp(prefix='okno-resume-')
env = dict(os.environ, OKNO_PASSWORD='clerk', LANGUAGE='C', LC_ALL='C.UTF-8')
servers = []


def fail(message):
    print('not ok - ' + message)
    sys.exit(1)


def start_central(accounts, log_path):
    db = os.path.join(tmp, 'central-%d.db' % accounts)
    central = Central(CENTRAL, db, log_path, ['--gzip-level', '1'])
    servers.append(central)
    try:
        central.start('--generate', '--accounts', str(accounts), '--seed', '14')
    except RuntimeError as e:
        fail(str(e))
    return db, central.url


class Relay:
    """Forwards 127.0.0.1 connections to the server, noting each request
    line the client sends (the client's requests have no bodies but the
    sign-in, which is small and comes first)."""

    def __init__(self, target):
        host, port = urllib.parse.urlsplit(target).netloc.split(':')
        self.target = (host, int(port))
        self.requests = []
        self.lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.bind(('127.0.0.1', 0))
        self.listener.listen(16)
        self.url = 'http://127.0.0.1:%d' % self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            client, _ = self.listener.accept()
            server = socket.create_connection(self.target)
            threading.Thread(target=self.pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self.pump, args=(server, client, False), daemon=True).start()

    def pump(self, src, dst, upstream):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if upstream:
                    for m in re.finditer(rb'(?:^|\r\n)(GET|POST|DELETE) (\S+) HTTP/1\.1\r\n', data):
                        with self.lock:
                            self.requests.append((m.group(1).decode(), m.group(2).decode()))
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def mark(self):
        with self.lock:
            return len(self.requests)

    def since(self, mark):
        with self.lock:
            return list(self.requests[mark:])


def download(replica, url, kill_at=None):
    """Runs okno-cli download; returns (exit status, peak RSS in KiB,
    the last progress it printed). With kill_at, SIGKILLs it once its
    progress reaches that share of the rows."""
    proc = subprocess.Popen([CLI, '--replica', replica, 'download', '--server', url,
                             '--login', 'clerk'], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    last = (0, 0)
    pending = b''
    killed = False
    while True:
        chunk = os.read(proc.stderr.fileno(), 4096)
        if not chunk:
            break
        pending += chunk
        *lines, pending = re.split(rb'[\r\n]', pending)
        for line in lines:
            m = re.match(rb'\s*(\d+) / (\d+) rows', line)
            if m:
                last = (int(m.group(1)), int(m.group(2)))
                if kill_at and not killed and last[0] >= kill_at * last[1]:
                    proc.send_signal(signal.SIGKILL)
                    killed = True
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = -signal.SIGKILL if killed and os.WIFSIGNALED(status) else \
        os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    return proc.returncode, usage.ru_maxrss, last


def served_rows(log_path):
    """Rows the server sent in snapshot pages, from its request log."""
    total = 0
    with open(log_path) as log:
        for line in log:
            m = re.match(r'okno-central: GET /api/v1/snapshot/\w+ 200 .* (\d+) rows', line)
            if m:
                total += int(m.group(1))
    return total


def same_rows(replica, central_db, table):
    """The replica holds exactly the server's rows (keys and versions)."""
    ours = set(query(replica, 'SELECT id, version FROM %s' % table))
    theirs = set(query(central_db, 'SELECT id, version FROM %s' % table))
    return ours == theirs, len(ours), len(theirs)


def test_resume():
    log_path = os.path.join(tmp, 'central-small.log')
    central_db, url = start_central(SMALL, log_path)
    relay = Relay(url)
    replica = os.path.join(tmp, 'resume.db')

    rc, _, (done, total) = download(replica, relay.url, kill_at=CUT_AT)
    if rc != -signal.SIGKILL:
        fail('okno-cli was not killed at %d %% (exit %s, %d / %d rows)'
             % (CUT_AT * 100, rc, done, total))
    served_before = served_rows(log_path)
    progress = {c: (after, d, rows) for c, after, d, rows in
                query(replica, 'SELECT collection, after_key, done, rows FROM snapshot_progress')}
    stored = sum(rows for _, _, rows in progress.values())
    print('# killed at %d / %d rows (%.0f %%); %d rows stored, %d served'
          % (done, total, 100.0 * done / total, stored, served_before))
    if not CUT_AT * total <= done < total:
        fail('the cut came at %d / %d rows, not at %d %%' % (done, total, CUT_AT * 100))
    if query(replica, "SELECT value FROM meta WHERE key = 'replica_ready'") == [('1',)]:
        fail('a cut download counts as ready')

    mark = relay.mark()
    rc, _, _ = download(replica, relay.url)
    if rc != 0:
        fail('the resumed download failed (%s)' % rc)
    pages = []
    for method, target in relay.since(mark):
        parts = urllib.parse.urlsplit(target)
        m = re.fullmatch(r'/api/v1/snapshot/(\w+)', parts.path)
        if method == 'GET' and m:
            pages.append((m.group(1), urllib.parse.parse_qs(parts.query).get('after', [None])[0]))
    if not pages:
        fail('the resumed download asked for no page')
    first_collection, first_after = pages[0]
    print('# first page after resume: %s after %s' % (first_collection, first_after))
    unfinished = [c for c, (_, d, _) in progress.items() if not d]
    if first_collection not in progress or progress[first_collection][1]:
        fail('the resume started with %s, which was not the collection in hand (%s)'
             % (first_collection, ', '.join(unfinished)))
    if first_after != progress[first_collection][0]:
        fail('the resume asked for %s after %s, the stored position is %s'
             % (first_collection, first_after, progress[first_collection][0]))
    again = [c for c, _ in pages if c in progress and progress[c][1]]
    if again:
        fail('finished collections asked for again: %s' % ', '.join(sorted(set(again))))

    served_twice = served_rows(log_path) - total
    print('# rows served twice: %d (one page is %d)' % (served_twice, PAGE))
    if not 0 <= served_twice <= AHEAD * PAGE:
        fail('%d rows were fetched twice, more than the %d pages fetched ahead'
             % (served_twice, AHEAD))
    for table in ('accounts', 'meters', 'readings', 'payments', 'appeals', 'staff'):
        same, n_ours, n_theirs = same_rows(replica, central_db, table)
        if not same:
            fail('%s: the replica has %d rows, the server %d, and they differ'
                 % (table, n_ours, n_theirs))
    if query(replica, "SELECT value FROM meta WHERE key = 'replica_ready'") != [('1',)]:
        fail('the resumed download did not finish the replica')
    print('ok 1 - cut at %d %%, resumed from the stored page, replica equals the server'
          % (CUT_AT * 100))


def test_memory():
    peaks = {}
    for accounts in (SMALL, LARGE):
        central_db, url = start_central(accounts, os.path.join(tmp, 'memory-%d.log' % accounts))
        replica = os.path.join(tmp, 'memory-%d.db' % accounts)
        rc, peak, (done, total) = download(replica, url)
        if rc != 0 or done != total:
            fail('the download of %d accounts failed (%s, %d / %d rows)'
                 % (accounts, rc, done, total))
        peaks[accounts] = (peak, total, os.path.getsize(replica))
        print('# %d accounts: %d rows, replica %.1f MiB, peak RSS of okno-cli %.1f MiB'
              % (accounts, total, os.path.getsize(replica) / 2**20, peak / 1024))
    growth = peaks[LARGE][0] - peaks[SMALL][0]
    print('# %.1f× the rows cost %+.1f MiB of peak memory (margin %.0f MiB)'
          % (peaks[LARGE][1] / peaks[SMALL][1], growth / 1024, MARGIN_KB / 1024))
    if growth > MARGIN_KB:
        fail('memory grows with the replica: %.1f MiB for %d rows, %.1f MiB for %d'
             % (peaks[SMALL][0] / 1024, peaks[SMALL][1], peaks[LARGE][0] / 1024, peaks[LARGE][1]))
    print('ok 2 - peak memory bounded: %.1f MiB and %.1f MiB'
          % (peaks[SMALL][0] / 1024, peaks[LARGE][0] / 1024))


print('1..3')
try:
    test_resume()
    test_memory()
    # Every server ends cleanly: exit 0, no sanitizer report in its stderr.
    problem = stop_all(servers)
    if problem:
        fail(problem)
    print('ok 3 - every okno-central stopped cleanly')
finally:
    stop_all(servers)
