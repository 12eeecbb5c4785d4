#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sync test 9 (docs/sync-tests.md): the desktop clock 3 days ahead, 3 days behind, and stepped
back by 6 days in the middle of a sync: nothing is missed or reordered.

The desktop is okno-cli under libfaketime, its offset read from a file on
every clock call (FAKETIME_TIMESTAMP_FILE, FAKETIME_NO_CACHE=1), so the
test moves the clock while a sync runs; the monotonic clock is left alone,
as an NTP step or a hand-set clock leaves it. Between syncs the desktop
writes payments, readings, an appeal and appeal edits; another branch with
a true clock writes on the server meanwhile. Afterwards:

- every change of the other branch is in the desktop's replica, and the
  replica equals the server for every touched row (all fields, version);
- every desktop mutation is on the server exactly once, applied in the
  order it was made (the server's commit order), although the desktop's
  UUIDv7 ids, made from the skewed clock, are not in that order;
- the appeal's status went forward step by step, as written, and nothing
  waits, is quarantined or in conflict.

usage: clock_skew.py OKNO_CENTRAL OKNO_CLI
Exits 77 (skipped) when libfaketime is not installed.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'common'))
from okno_testlib import Central, query  # noqa: E402

CENTRAL, CLI = sys.argv[1], sys.argv[2]
FAKETIME_LIBS = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1',
                 '/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1',
                 '/usr/lib/faketime/libfaketimeMT.so.1']
lib = next((p for p in FAKETIME_LIBS if os.path.exists(p)), None)
if lib is None:
    print('1..0 # SKIP libfaketime is not installed (Debian: faketime, libfaketime)')
    sys.exit(77)

tmp = tempfile.mkdtemp(prefix='okno-clock-')
central_db = os.path.join(tmp, 'central.db')
clock_file = os.path.join(tmp, 'offset')
desk = os.path.join(tmp, 'desk.db')    # the branch whose clock is wrong
other = os.path.join(tmp, 'other.db')  # another branch, true clock
base_env = dict(os.environ, OKNO_PASSWORD='clerk', LANGUAGE='C', LC_ALL='C.UTF-8')
skewed_env = dict(base_env, LD_PRELOAD=lib, FAKETIME_TIMESTAMP_FILE=clock_file,
                  FAKETIME_NO_CACHE='1', FAKETIME_DONT_FAKE_MONOTONIC='1')
DAY = 86400


def fail(message):
    print('not ok - ' + message)
    sys.exit(1)


def set_clock(offset):
    with open(clock_file + '.new', 'w') as f:
        f.write(offset + '\n')
    os.replace(clock_file + '.new', clock_file)


def cli(replica, *args, skewed=False, background=False):
    cmd = [CLI, '--replica', replica] + list(args)
    if args[0] == 'sync':
        cmd += ['--server', url, '--login', 'clerk']
    proc = subprocess.Popen(cmd, env=skewed_env if skewed else base_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if background:
        return proc
    out, err = proc.communicate(timeout=300)
    if proc.returncode != 0:
        fail('okno-cli %s failed: %s' % (' '.join(args), err.strip()))
    return out.strip()


made = []  # (mutation_id, collection, key) in the order the desktop made them


def desk_write(*args):
    """A local write at the desktop; notes the outbox entry it made."""
    before = {r[0] for r in query(desk, 'SELECT mutation_id FROM outbox')}
    out = cli(desk, *args, skewed=True)
    new = query(desk, 'SELECT mutation_id, entity, entity_id FROM outbox ORDER BY seq')
    new = [r for r in new if r[0] not in before]
    # An appeal is registered with its "registered" event: two entries.
    expected = 2 if args[0] == 'appeal' else 1
    if len(new) != expected:
        fail('okno-cli %s made %d outbox entries, not %d' % (args[0], len(new), expected))
    made.extend(new)
    # The id; okno-cli appeal prints the number on the next line.
    return out.split('\n')[0]


def desk_clock_now():
    """The desktop's idea of now, in Unix seconds."""
    out = subprocess.run(['date', '+%s'], env=skewed_env, capture_output=True, text=True)
    return int(out.stdout)


def uuid7_ms(uuid):
    return int(uuid.replace('-', '')[:12], 16)


def columns(db, table):
    return [r[1] for r in query(db, 'PRAGMA table_info(%s)' % table)]


def assert_same_rows(table, keys):
    cols = [c for c in columns(desk, table) if c in columns(central_db, table)]
    sql = 'SELECT %s FROM %s WHERE id = ?' % (', '.join(cols), table)
    for key in keys:
        ours, theirs = query(desk, sql, key), query(central_db, sql, key)
        if not theirs:
            fail('%s %s is not on the server' % (table, key))
        if ours != theirs:
            fail('%s %s differs: here %r, on the server %r' % (table, key, ours, theirs))


def other_branch_writes(n_payments, appeal=None, urgency=None):
    keys = [cli(other, 'payment', '--account', accounts[i % len(accounts)],
                '--amount', '%d,00' % (10 + i)) for i in range(n_payments)]
    if appeal:
        cli(other, 'appeal-set', '--appeal', appeal, 'urgency=' + urgency)
    cli(other, 'sync')
    return keys


def call(method, path, body, token=None):
    headers = {'Content-Type': 'application/json'}
    if token:
        headers['Authorization'] = 'Bearer ' + token
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method=method,
                                 headers=headers)
    with urllib.request.urlopen(req, timeout=60) as answer:
        return json.loads(answer.read())


def many_server_writes(n):
    """n payments from a third branch, pushed as okno would, in batches of
    100: enough for the desktop's pull to take more than one page."""
    device = str(uuid.uuid4())
    session = call('POST', '/api/v1/session',
                   {'login': 'clerk', 'password': 'clerk', 'device_id': device})
    keys = []
    for start in range(0, n, 100):
        batch = []
        for i in range(start, min(n, start + 100)):
            key = str(uuid.uuid4())
            keys.append(key)
            batch.append({'mutation_id': str(uuid.uuid4()), 'seq': i + 1,
                          'collection': 'payments', 'op': 'create', 'key': key,
                          'base_version': None,
                          'data': {'id': key, 'account_id': accounts[i % len(accounts)],
                                   'amount_kop': 1000 + i, 'paid_at': '2026-11-27T09:00:00Z',
                                   'method': 'terminal', 'branch_id': None, 'receipt': None,
                                   'staff_id': session['staff']['id']}})
        results = call('POST', '/api/v1/mutations', {'device_id': device, 'mutations': batch},
                       session['access_token'])['results']
        if {r['status'] for r in results} != {'applied'}:
            fail('the third branch could not push: %r' % results[:1])
    return keys


central = Central(CENTRAL, central_db, os.path.join(tmp, 'central.log'), ['--quiet', '--faults'])
try:
    central.start('--generate', '--accounts', '300', '--seed', '9')
except RuntimeError as e:
    fail(str(e))
url = central.url
try:
    print('1..1')

    # The first download already with the clock three days ahead.
    set_clock('+3d')
    skew = desk_clock_now() - time.time()
    if abs(skew - 3 * DAY) > 60:
        fail('libfaketime did not move the clock (%+.0f s)' % skew)
    cli(desk, 'sync', skewed=True)
    cli(other, 'sync')
    # The server's Date says the desktop is three days ahead; status says so.
    status = json.loads(cli(desk, 'status', skewed=True))
    if status['clock_skew_seconds'] is None or abs(status['clock_skew_seconds'] + 3 * DAY) > 120:
        fail('status reports a clock skew of %r s, not about -3 days' % status['clock_skew_seconds'])
    if status['clock_warning'] is not True:
        fail('status does not warn of a clock three days ahead')
    accounts = [r[0] for r in query(desk, 'SELECT id FROM accounts ORDER BY id LIMIT 20')]
    meters = [r[0] for r in query(desk, 'SELECT id FROM meters ORDER BY id LIMIT 5')]
    staff = query(desk, "SELECT value FROM meta WHERE key = 'staff_id'")[0][0]
    mine = query(desk, "SELECT id FROM appeals WHERE status = 'registered' LIMIT 1")[0][0]
    theirs = query(desk, "SELECT id FROM appeals WHERE status IN ('assigned', 'in_progress') "
                         "LIMIT 1")[0][0]
    server_keys = []

    # Step 1: three days ahead.
    desk_write('payment', '--account', accounts[0], '--amount', '101,00')
    desk_write('reading', '--meter', meters[0], '--t1', '12345')
    new_appeal = desk_write('appeal', '--account', accounts[1], '--kind', 'complaint',
                            '--subject', 'Шаг 1', '--body', 'Часы спешат на трое суток')
    desk_write('appeal-set', '--appeal', mine, 'status=assigned', 'assignee_id=' + staff)
    server_keys += other_branch_writes(3, theirs, 'high')
    cli(desk, 'sync', skewed=True)

    # Step 2: still ahead, then six days back between writes that wait in
    # the outbox together: later entries carry earlier clock times.
    desk_write('payment', '--account', accounts[2], '--amount', '202,00')
    desk_write('appeal-set', '--appeal', mine, 'status=in_progress')
    set_clock('-3d')
    desk_write('appeal-set', '--appeal', new_appeal, 'subject=Шаг 2')
    desk_write('payment', '--account', accounts[3], '--amount', '203,00')
    desk_write('reading', '--meter', meters[1], '--t1', '23456')
    server_keys += other_branch_writes(3, theirs, 'low')
    cli(desk, 'sync', skewed=True)

    # Step 3: ahead again, then stepped back by six days while a sync runs
    # that pushes two batches and pulls two pages, each answer slowed.
    set_clock('+3d')
    for i in range(150):
        desk_write('payment', '--account', accounts[i % len(accounts)],
                   '--amount', '%d,%02d' % (300 + i, i % 100))
    desk_write('appeal-set', '--appeal', mine, 'status=answered')
    server_keys += other_branch_writes(2, theirs, 'critical')
    server_keys += many_server_writes(1500)
    central.fault({'path': '/api/v1/mutations', 'mode': 'delay', 'count': 1000, 'delay_ms': 300})
    central.fault({'path': '/api/v1/changes', 'mode': 'delay', 'count': 1000, 'delay_ms': 300})
    device = query(desk, "SELECT value FROM meta WHERE key = 'device_id'")[0][0]
    sync = cli(desk, 'sync', skewed=True, background=True)
    before = query(central_db, 'SELECT count(*) FROM mutations WHERE device_id = ?', device)[0][0]
    stepped = None
    while sync.poll() is None:
        pushed = query(central_db, 'SELECT count(*) FROM mutations WHERE device_id = ?',
                       device)[0][0]
        if stepped is None and pushed > before:  # this sync's first batch is going in
            set_clock('-3d')
            stepped = pushed - before
        time.sleep(0.02)
    out, err = sync.communicate()
    if sync.returncode != 0:
        fail('the sync stepped back failed: ' + err.strip())
    if stepped is None or stepped >= 151 or json.loads(out)['pushed'] != 151:
        fail('the clock was not stepped back in the middle of the sync (%s, %s pushed before)'
             % (out.strip(), stepped))
    print('# clock stepped back 6 days after %d of 151 mutations were pushed' % stepped)
    central.clear_faults()
    # Written and sent with the clock stepped back.
    desk_write('payment', '--account', accounts[4], '--amount', '404,00')
    desk_write('appeal-set', '--appeal', mine, 'status=closed')
    cli(desk, 'sync', skewed=True)

    # Nothing waits, nothing is set aside.
    for what in ('pending', 'quarantined', 'conflicts'):
        if status_value := json.loads(cli(desk, 'status', skewed=True))[what]:
            fail('%d %s at the desktop' % (status_value, what))

    # Every desktop mutation on the server once, in the order it was made.
    ids = [m[0] for m in made]
    applied = [r[0] for r in query(central_db, 'SELECT mutation_id FROM mutations '
                                               'WHERE device_id = ? ORDER BY seq', device)]
    if sorted(applied) != sorted(ids):
        fail('%d mutations made, %d applied, %d missing'
             % (len(ids), len(applied), len(set(ids) - set(applied))))
    if applied != ids:
        fail('the server applied the desktop mutations out of the order they were made')
    results = [json.loads(r[0])['status'] for r in query(
        central_db, 'SELECT result FROM mutations WHERE device_id = ? ORDER BY seq', device)]
    if set(results) != {'applied'}:
        fail('not every mutation was applied: %s' % sorted(set(results)))
    # ...although their clock-made ids are not in that order.
    stamps = [uuid7_ms(i) for i in ids]
    if stamps == sorted(stamps):
        fail('the test did not make ids out of order: it proves nothing about them')
    print('# %d desktop mutations applied in order; their UUIDv7 times go back %d times'
          % (len(ids), sum(1 for a, b in zip(stamps, stamps[1:]) if b < a)))

    # The appeal moved forward step by step, as written at the desktop.
    status_now = query(central_db, 'SELECT status FROM appeals WHERE id = ?', mine)[0][0]
    if status_now != 'closed':
        fail('the appeal is %s on the server, not closed' % status_now)

    # The replica equals the server for every row either branch touched.
    touched = {}
    for _, collection, key in made:
        touched.setdefault(collection, set()).add(key)
    touched.setdefault('payments', set()).update(server_keys)
    touched.setdefault('appeals', set()).add(theirs)
    for collection, keys in sorted(touched.items()):
        assert_same_rows(collection, keys)
    # A created record's version is the commit that applied it.
    for mutation_id, collection, key in made:
        if collection != 'payments':
            continue
        seq = query(central_db, 'SELECT seq FROM mutations WHERE mutation_id = ?',
                    mutation_id)[0][0]
        version = query(central_db, 'SELECT version FROM payments WHERE id = ?', key)[0][0]
        if version != seq:
            fail('payment %s has version %d, its commit was %d' % (key, version, seq))
    cursor = int(json.loads(cli(desk, 'status', skewed=True))['cursor'])
    last = query(central_db, 'SELECT max (seq) FROM commits')[0][0]
    if cursor != last:
        fail('the desktop cursor is %d, the server is at %d' % (cursor, last))

    print('# status after the first sync: clock_skew_seconds %d, clock_warning %s'
          % (status['clock_skew_seconds'], status['clock_warning']))
    # The server ends cleanly: exit 0, no sanitizer report in its stderr.
    problem = central.stop()
    if problem:
        fail(problem)
    print('ok 1 - clock +3 d, -3 d and stepped back mid-sync: %d local and %d remote records, '
          'none missed, none reordered' % (len(made), len(server_keys)))
finally:
    if central.running():
        central.stop()
