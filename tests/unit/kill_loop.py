#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sync tests 1-3 (docs/sync-tests.md) by force: okno-cli writes payments and syncs while it is
killed with SIGKILL at random moments, sixty times over, and okno-central is
killed at random moments of a sync too and restarted on the same database.

Every payment command gets an amount no other command has, so a payment is
known by its content as well as by its id. Afterwards:

- every payment okno-cli reported saved (it printed the id) is on the
  server, once: one row with its id, and no other row with its content (a
  resend under a new id would be one);
- a payment whose command was killed before it reported is on the server
  once or not at all, and nothing is there that no command made;
- the replica and the server hold the same payments, nothing waits in the
  outbox, and both databases pass integrity_check and foreign_key_check
  (the server's also after every kill);
- every run that was not killed exited 0 (a sync cut by the server's death
  may fail, with okno-cli's error status 1, never a crash), the sync after
  each restart of the server among them;
- okno-central exits 0 at the end and no run of it printed a sanitizer
  report.

With OKNO_TEST_HTTPS=1 (kill-loop-https) the server serves HTTPS with a
test CA made now and okno-cli is given it with --ca-file; the loop first
checks that HTTPS is really what is spoken: the server shows the test CA's
certificate and nothing in the clear, and okno-cli without --ca-file
refuses it.

usage: kill_loop.py OKNO_CENTRAL OKNO_CLI [ITERATIONS]
"""
import os
import random
import re
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'common'))
from okno_testlib import Central, integrity_problems, free_port, query  # noqa: E402

CENTRAL, CLI = sys.argv[1], sys.argv[2]
ITERATIONS = int(sys.argv[3]) if len(sys.argv) > 3 else 60
rng = random.Random(20261127)
tmp = tempfile.mkdtemp(prefix='okno-kill-')
replica = os.path.join(tmp, 'replica.db')
central_db = os.path.join(tmp, 'central.db')
env = dict(os.environ, OKNO_PASSWORD='clerk', LANGUAGE='C', LC_ALL='C.UTF-8')
UUID = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
# okno-cli's status for an error it reported (fail () in okno-cli.c).
CLI_ERROR = 1
# A payment's amount in kopecks is FIRST_AMOUNT + its command's number.
FIRST_AMOUNT = 7_000_000


def fail(message):
    print('not ok - ' + message)
    sys.exit(1)


def cli(*args, kill_after=None):
    """Runs okno-cli; with kill_after, SIGKILLs it after that many seconds
    if it is still running. Returns (exit status, -9 when killed; stdout;
    stderr)."""
    proc = subprocess.Popen([CLI, '--replica', replica] + list(args), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=300 if kill_after is None else kill_after)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
    return proc.returncode, out, err


def sync(kill_after=None):
    return cli('sync', '--server', central.url, '--login', 'clerk', *central.trust_args(),
               kill_after=kill_after)


def check_transport():
    """The loop runs over what it was asked for, HTTP or HTTPS; over HTTPS
    okno-cli checks the certificate (without the test CA it refuses the
    server, on a replica of its own) and the server speaks only TLS."""
    problem = central.transport_problem()
    if problem:
        fail(problem)
    if not central.https:
        return
    proc = subprocess.run([CLI, '--replica', os.path.join(tmp, 'untrusting.db'), 'sync',
                           '--server', central.url, '--login', 'clerk'], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
    if proc.returncode != CLI_ERROR or "The server's certificate is not trusted" not in proc.stderr:
        fail('okno-cli without --ca-file did not refuse the test CA (%d): %s'
             % (proc.returncode, proc.stderr.strip()))


def slow_down():
    """Every push and pull answer waits 150 ms first, so that a kill at a
    random moment lands inside a push or a pull whatever the machine's
    speed. Faults live in the server's memory: staged again at each start."""
    for path in ('/api/v1/mutations', '/api/v1/changes'):
        central.fault({'path': path, 'mode': 'delay', 'count': 1000000, 'delay_ms': 150})


def check_server_db(when):
    problems = integrity_problems(central_db)
    if problems:
        fail('the server database %s: %s' % (when, '; '.join(problems[:5])))


def sync_while_server_dies():
    """A sync during which okno-central is SIGKILLed at a random moment, then
    started again on the same database and port. Returns True when the kill
    cut the sync (it failed)."""
    proc = subprocess.Popen([CLI, '--replica', replica, 'sync', '--server', central.url,
                             '--login', 'clerk'] + central.trust_args(), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        proc.wait(timeout=rng.uniform(0.02, 0.45))
    except subprocess.TimeoutExpired:
        pass
    central.kill()
    out, err = proc.communicate(timeout=300)
    check_server_db('after a kill')
    central.start()
    slow_down()
    if proc.returncode not in (0, CLI_ERROR):
        fail('a sync whose server died exited %d: %s' % (proc.returncode, err.strip()))
    return proc.returncode != 0


def write_payment(n, saved, unreported):
    """Command n: one payment, killed at a random moment or not."""
    amount = FIRST_AMOUNT + n
    rc, out, err = cli('payment', '--account', rng.choice(accounts),
                       '--amount', '%d,%02d' % divmod(amount, 100),
                       kill_after=rng.choice([None, rng.uniform(0.0, 0.03)]))
    printed = out.strip()
    if printed and not UUID.match(printed):
        fail('okno-cli payment printed %r, not an id' % printed)
    if rc not in (0, -signal.SIGKILL):
        fail('okno-cli payment exited %d without being killed: %s' % (rc, err.strip()))
    if rc == 0 and not printed:
        fail('okno-cli payment succeeded and printed no id')
    # An id printed is a payment saved (it is printed after the commit),
    # even when the kill came right after.
    if printed:
        saved[amount] = printed
    else:
        unreported.add(amount)
    return rc == -signal.SIGKILL


port = free_port()
central = Central(CENTRAL, central_db, os.path.join(tmp, 'central.log'),
                  ['--quiet', '--faults'], port=port)
central.start('--generate', '--accounts', '200', '--seed', '9')
try:
    check_transport()
    rc, _, err = sync()
    if rc != 0:
        fail('the first sync failed: ' + err.strip())
    accounts = [r[0] for r in query(replica, 'SELECT id FROM accounts LIMIT 20')]
    slow_down()
    before = {r[0] for r in query(central_db, 'SELECT id FROM payments')}
    saved = {}          # amount -> the id okno-cli printed
    unreported = set()  # amounts of commands killed before they printed
    kills = server_kills = cut_by_server = commands = 0
    for i in range(ITERATIONS):
        # Writes, some of them killed mid-transaction.
        for _ in range(rng.randint(1, 4)):
            kills += write_payment(commands, saved, unreported)
            commands += 1
        if i % 4 == 3:
            # The server dies somewhere in this sync's push or pull; the
            # next sync, on the restarted server, is left to finish.
            server_kills += 1
            cut_by_server += sync_while_server_dies()
            rc, _, err = sync()
            if rc != 0:
                fail('the sync after the server restarted exited %d: %s' % (rc, err.strip()))
            continue
        # A sync killed somewhere in its push or its pull.
        rc, _, err = sync(kill_after=rng.uniform(0.05, 0.45))
        if rc not in (0, -signal.SIGKILL):
            fail('a sync that was not killed exited %d: %s' % (rc, err.strip()))
        kills += rc == -signal.SIGKILL
    print('# %d iterations: %d okno-cli runs killed, okno-central killed %d times '
          '(%d syncs cut by it); %d of %d payments reported saved'
          % (ITERATIONS, kills, server_kills, cut_by_server, len(saved), commands))
    if kills < ITERATIONS // 4:
        fail('only %d kills: the loop did not test what it should' % kills)
    if len(saved) < ITERATIONS // 2:
        fail('only %d payments reported saved: the loop did not test what it should'
             % len(saved))

    problems = integrity_problems(replica)
    if problems:
        fail('the replica: %s' % '; '.join(problems[:5]))
    # Both or neither: every created payment has its entry until answered.
    orphans = query(replica, "SELECT count(*) FROM payments p WHERE local_state = 'created' AND "
                             "NOT EXISTS (SELECT 1 FROM outbox o"
                             " WHERE o.entity_id = okno_uuid_text (p.id))")[0][0]
    if orphans:
        fail('%d created payments without an outbox entry' % orphans)

    central.clear_faults()
    rc, _, err = sync()
    if rc != 0:
        fail('the final sync failed: ' + err.strip())
    waiting = query(replica, 'SELECT count(*) FROM outbox')[0][0]
    if waiting:
        fail('%d outbox entries left after the final sync' % waiting)

    # On the server: each reported payment once, by id and by content.
    rows = [r for r in query(central_db, 'SELECT id, account_id, amount_kop, method, staff_id '
                                         'FROM payments') if r[0] not in before]
    by_amount = {}
    for row in rows:
        by_amount.setdefault(row[2], []).append(row)
    lost = [a for a, pid in saved.items() if pid not in {r[0] for r in by_amount.get(a, [])}]
    if lost:
        fail('%d payments reported saved are not on the server under their id (amounts %s)'
             % (len(lost), sorted(lost)[:5]))
    twice = {a: rs for a, rs in by_amount.items() if len(rs) > 1}
    if twice:
        fail('%d payments are on the server more than once (a resend with a new id): %r'
             % (len(twice), sorted(twice.items())[:2]))
    unknown = set(by_amount) - set(saved) - unreported
    if unknown:
        fail('%d payments on the server that no command made' % len(unknown))
    local = {r[0] for r in query(replica, 'SELECT id FROM payments')}
    server = {r[0] for r in query(central_db, 'SELECT id FROM payments')}
    if local != server:
        fail('replica and server disagree: %d only here, %d only there'
             % (len(local - server), len(server - local)))

    problem = central.stop()
    if problem:
        fail(problem)
    check_server_db('at the end')
    print('ok - %d payments reported saved under SIGKILL of okno-cli and okno-central, each on '
          'the server once; %d killed before reporting, %d of them reached it'
          % (len(saved), len(unreported), len(set(by_amount) & unreported)))
finally:
    if central.running():
        central.stop()
