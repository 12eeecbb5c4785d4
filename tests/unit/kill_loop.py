#!/usr/bin/python3
"""sync.md tests 1-3 by force: okno-cli writes payments and syncs while it is
killed with SIGKILL at random moments, sixty times over. Afterwards the
replica passes PRAGMA integrity_check, nothing entered is lost, nothing is
duplicated on the server, and the replica and the server agree.

usage: kill_loop.py OKNO_CENTRAL OKNO_CLI [ITERATIONS]
"""
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

CENTRAL, CLI = sys.argv[1], sys.argv[2]
ITERATIONS = int(sys.argv[3]) if len(sys.argv) > 3 else 60
rng = random.Random(20261127)
tmp = tempfile.mkdtemp(prefix='okno-kill-')
replica = os.path.join(tmp, 'replica.db')
central_db = os.path.join(tmp, 'central.db')
env = dict(os.environ, OKNO_PASSWORD='clerk', LANGUAGE='C', LC_ALL='C.UTF-8')


def fail(message):
    print('not ok - ' + message)
    sys.exit(1)


def start_central():
    proc = subprocess.Popen([CENTRAL, '--db', central_db, '--port', '0', '--generate',
                             '--accounts', '200', '--seed', '9', '--quiet', '--faults'],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if 'listening on' not in line:
        fail('okno-central did not start: %r' % line)
    return proc, line.split('listening on ', 1)[1].strip()


def cli(*args, kill_after=None):
    """Runs okno-cli; with kill_after, SIGKILLs it after that many seconds
    if it is still running. Returns the exit status (-9 when killed)."""
    proc = subprocess.Popen([CLI, '--replica', replica] + list(args), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if kill_after is None:
        return proc.wait(timeout=300)
    try:
        return proc.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        return proc.wait()


def urllib_delete(address):
    import urllib.request
    urllib.request.urlopen(urllib.request.Request(address, method='DELETE'), timeout=30).read()


def query(db, sql, *args):
    conn = sqlite3.connect('file:%s?mode=ro' % db, uri=True, timeout=30)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def slow_down(path, ms):
    """Every answer under path waits ms first, so that a kill at a random
    moment lands inside a push or a pull whatever the machine's speed."""
    import json
    import urllib.request
    body = json.dumps({'path': path, 'mode': 'delay', 'count': 1000000, 'delay_ms': ms}).encode()
    req = urllib.request.Request(url + '/api/v1/_faults', data=body, method='POST',
                                 headers={'Content-Type': 'application/json'})
    urllib.request.urlopen(req, timeout=30).read()


central, url = start_central()
try:
    if cli('sync', '--server', url, '--login', 'clerk') != 0:
        fail('the first sync failed')
    accounts = [r[0] for r in query(replica, 'SELECT id FROM accounts LIMIT 20')]
    slow_down('/api/v1/mutations', 150)
    slow_down('/api/v1/changes', 150)
    before = {r[0] for r in query(central_db, 'SELECT id FROM payments')}
    kills = 0
    for i in range(ITERATIONS):
        # Writes, some of them killed mid-transaction.
        for _ in range(rng.randint(1, 4)):
            rc = cli('payment', '--account', rng.choice(accounts),
                     '--amount', '%d,%02d' % (rng.randint(1, 9999), rng.randint(0, 99)),
                     kill_after=rng.choice([None, rng.uniform(0.0, 0.03)]))
            kills += rc == -9
        # A sync killed somewhere in its push or its pull.
        rc = cli('sync', '--server', url, '--login', 'clerk', kill_after=rng.uniform(0.05, 0.45))
        kills += rc == -9
    print('# %d iterations, %d processes killed' % (ITERATIONS, kills))
    if kills < ITERATIONS // 4:
        fail('only %d kills: the loop did not test what it should' % kills)

    integrity = query(replica, 'PRAGMA integrity_check')[0][0]
    if integrity != 'ok':
        fail('integrity_check: %s' % integrity)
    # Both or neither: every created payment has its entry until answered.
    orphans = query(replica, "SELECT count(*) FROM payments p WHERE local_state = 'created' AND "
                             "NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = p.id)")[0][0]
    if orphans:
        fail('%d created payments without an outbox entry' % orphans)

    urllib_delete(url + '/api/v1/_faults')
    if cli('sync', '--server', url, '--login', 'clerk') != 0:
        fail('the final sync failed')
    waiting = query(replica, 'SELECT count(*) FROM outbox')[0][0]
    if waiting:
        fail('%d outbox entries left after the final sync' % waiting)
    local = {r[0] for r in query(replica, 'SELECT id FROM payments')}
    server = {r[0] for r in query(central_db, 'SELECT id FROM payments')}
    made_here = local - before
    lost = made_here - server
    if lost:
        fail('%d payments made here never reached the server' % len(lost))
    if local != server:
        fail('replica and server disagree: %d only here, %d only there'
             % (len(local - server), len(server - local)))
    dup = query(central_db, 'SELECT count(*) - count(DISTINCT id) FROM payments')[0][0]
    if dup:
        fail('%d duplicate payments on the server' % dup)
    print('ok - %d payments made under SIGKILL, each on the server once' % len(made_here))
finally:
    central.send_signal(signal.SIGTERM)
    central.wait()
