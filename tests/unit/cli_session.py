#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""okno-cli sign-in / sign-out against a real okno-central and a real
gnome-keyring (run by tests/app/run-with-keyring.sh in a D-Bus session of
its own): the stored session replaces the password, a refresh's rotated
tokens reach the keyring, sign-out ends the session on the server and keeps
the outbox, a wrong password changes nothing, and no token ever lands in a
file, on standard output or in a message.

usage: run-with-keyring.sh cli_session.py OKNO_CENTRAL OKNO_CLI LOCALEDIR
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'common'))
from okno_testlib import Central, query, stop_all  # noqa: E402

CENTRAL, CLI, LOCALEDIR = sys.argv[1], sys.argv[2], sys.argv[3]
CLI_SCHEMA = 'ru.eens.Okno.Cli.Session'
APP_SCHEMA = 'ru.eens.Okno.Session'
TTL = 2  # seconds an access token lives on the short-lived server

tmp = tempfile.mkdtemp(prefix='okno-cli-session-')
home = os.path.join(tmp, 'home')
os.makedirs(home)
base_env = dict(os.environ, LANGUAGE='C', LC_ALL='C.UTF-8', HOME=home,
                XDG_CONFIG_HOME=os.path.join(home, '.config'),
                XDG_CACHE_HOME=os.path.join(home, '.cache'),
                OKNO_LOCALEDIR=LOCALEDIR)
base_env.pop('OKNO_PASSWORD', None)
outputs = []   # everything okno-cli printed
tokens = set()  # every token seen in the keyring
servers = []
count = 0


def ok(condition, what):
    global count
    count += 1
    print('%s %d - %s' % ('ok' if condition else 'not ok', count, what))
    if not condition:
        finish(1)


def finish(status):
    global servers
    # Every server ends cleanly: exit 0, no sanitizer report in its stderr.
    problem, servers = stop_all(servers), []
    if status == 0:
        ok(problem is None, 'every okno-central stopped cleanly: %s' % problem)
    print('1..%d' % count)
    if status == 0:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(status)


def start_central(name, *extra):
    central = Central(CENTRAL, os.path.join(tmp, name + '.db'), os.path.join(tmp, name + '.log'),
                      ['--quiet'] + list(extra))
    servers.append(central)
    try:
        central.start('--generate', '--accounts', '200', '--seed', '5')
    except RuntimeError as e:
        ok(False, str(e))
    return central.url


def cli(replica, *args, password_line=None, env=None, lang='C'):
    """Runs okno-cli; standard input is the password line or nothing."""
    run_env = dict(env or base_env, LANGUAGE=lang)
    r = subprocess.run([CLI, '--replica', replica] + list(args), env=run_env,
                       input=password_line if password_line is not None else '',
                       capture_output=True, text=True, timeout=300)
    outputs.append(r.stdout + r.stderr)
    return r


def keyring(url, replica, kind, schema=CLI_SCHEMA, login='clerk'):
    attrs = ['xdg:schema', schema, 'server', url, 'login', login, 'token', kind]
    if schema == CLI_SCHEMA:
        attrs += ['device', meta(replica, 'device_id')]
    r = subprocess.run(['secret-tool', 'lookup'] + attrs, capture_output=True, text=True)
    value = r.stdout.strip() if r.returncode == 0 and r.stdout.strip() else None
    if value:
        tokens.add(value)
    return value


def pair(url, replica):
    return keyring(url, replica, 'access'), keyring(url, replica, 'refresh')


def meta(replica, key):
    rows = query(replica, 'SELECT value FROM meta WHERE key = ?', key)
    return rows[0][0] if rows else None


def http_status(url, path, token=None, body=None):
    req = urllib.request.Request(url + '/api/v1' + path, method='POST' if body else 'GET',
                                 data=json.dumps(body).encode() if body else None)
    req.add_header('Accept', 'application/json')
    if body:
        req.add_header('Content-Type', 'application/json')
    if token:
        req.add_header('Authorization', 'Bearer ' + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as e:
        return e.code


def refresh_status(url, replica, refresh_token):
    return http_status(url, '/session/refresh', body={
        'refresh_token': refresh_token, 'device_id': meta(replica, 'device_id')})


def status(replica):
    return json.loads(cli(replica, 'status').stdout)


url = start_central('central')
short_url = start_central('short', '--token-ttl', str(TTL))
replica = os.path.join(tmp, 'replica.db')

# Nothing stored, no password: a sentence that says what to do, in Russian too.
r = cli(replica, 'sync')
ok(r.returncode != 0 and 'okno-cli sign-in' in r.stderr, 'no session: sync says to sign in')
r = cli(replica, 'sync', lang='ru')
ok(r.returncode != 0 and 'okno-cli sign-in' in r.stderr and 'Сеанс' in r.stderr,
   'no session: the message is translated: ' + r.stderr.strip())
r = cli(replica, 'payment', '--account', 'x', '--amount', '1')
ok(r.returncode != 0 and 'okno-cli sign-in' in r.stderr, 'no session: no record without a signer')

# sign-in: the pair goes to the keyring under okno-cli's schema only.
r = cli(replica, 'sign-in', '--server', url, '--login', 'clerk', password_line='clerk\n')
ok(r.returncode == 0, 'sign-in: %s%s' % (r.stdout, r.stderr))
access0, refresh0 = pair(url, replica)
ok(access0 is not None and refresh0 is not None, 'sign-in stored both tokens in the keyring')
ok(keyring(url, replica, 'access', schema=APP_SCHEMA) is None,
   "the app's items are not okno-cli's")
ok(meta(replica, 'verifier:clerk', ).startswith('$y$'), 'the offline verifier is kept')
ok(meta(replica, 'staff_role') == 'clerk' and meta(replica, 'server_url') == url,
   'who signed in is in the replica')
s = status(replica)
ok(s['session'] == {'stored': True, 'server_url': url, 'login': 'clerk', 'desk_code': 1},
   'status reports the stored session and the desk code the server gave: %r' % s['session'])

# sync without any password.
r = cli(replica, 'sync')
ok(r.returncode == 0 and status(replica)['ready'],
   'sync with the stored session downloads the replica: ' + r.stderr.strip())
r = cli(replica, 'payment', '--account', meta(replica, 'staff_id') and
        query(replica, 'SELECT id FROM accounts LIMIT 1')[0][0], '--amount', '12,34')
ok(r.returncode == 0, 'payment with the stored session')
payment = r.stdout.strip()
ok(query(replica, 'SELECT staff_id FROM payments WHERE id = ?', payment)[0][0]
   == meta(replica, 'staff_id:clerk'), 'the payment names the signed-in clerk')
ok(query(replica, 'SELECT branch_id FROM payments WHERE id = ?', payment)[0][0]
   == meta(replica, 'staff_branch_id:clerk'), "and the clerk's branch")
# Numbers beyond the policy's limits: a translated refusal, nothing written.
account = query(replica, 'SELECT id FROM accounts LIMIT 1')[0][0]
meter = query(replica, 'SELECT id FROM meters LIMIT 1')[0][0]
before = query(replica, 'SELECT (SELECT count(*) FROM payments) + (SELECT count(*) FROM readings)'
               ' + (SELECT count(*) FROM outbox)')[0][0]
r = cli(replica, 'payment', '--account', account, '--amount', '1000000', '--method', 'cash',
        lang='ru')
ok(r.returncode != 0 and 'не может превышать' in r.stderr,
   'a payment of 1 000 000 roubles in cash is refused, in Russian: ' + r.stderr.strip())
r = cli(replica, 'payment', '--account', account, '--amount', '0')
ok(r.returncode != 0 and 'must be positive' in r.stderr, 'a payment of nothing: ' + r.stderr.strip())
r = cli(replica, 'reading', '--meter', meter, '--t1', '-5', lang='ru')
ok(r.returncode != 0 and 'не может быть отрицательным' in r.stderr,
   'a negative reading is refused, in Russian: ' + r.stderr.strip())
r = cli(replica, 'reading', '--meter', meter, '--t1', '9223372036854775807')
ok(r.returncode != 0 and 'at most 8 digits' in r.stderr, 'INT64_MAX kWh: ' + r.stderr.strip())
ok(query(replica, 'SELECT (SELECT count(*) FROM payments) + (SELECT count(*) FROM readings)'
         ' + (SELECT count(*) FROM outbox)')[0][0] == before, 'the refusals wrote nothing')

# A wrong password: a clear message, nothing changed.
r = cli(replica, 'sign-in', '--server', url, '--login', 'clerk', password_line='wrong\n')
ok(r.returncode != 0 and 'did not accept this login and password' in r.stderr,
   'wrong password: ' + r.stderr.strip())
ok(pair(url, replica) == (access0, refresh0), 'wrong password: the keyring is unchanged')
ok(status(replica)['session']['stored'], 'wrong password: the session is still stored')

# sign-out: the server refuses the old tokens, the keyring forgets them, the
# outbox stays.
ok(http_status(url, '/snapshot', access0) == 200, 'the access token works')
r = cli(replica, 'sign-out')
ok(r.returncode == 0 and 'waiting in the outbox: 1.' in r.stdout, 'sign-out: ' + r.stdout.strip())
ok(pair(url, replica) == (None, None), 'sign-out cleared the keyring')
ok(http_status(url, '/snapshot', access0) == 401,
   'the server refuses the old access token')
ok(refresh_status(url, replica, refresh0) == 401, 'the server refuses the old refresh token')
s = status(replica)
ok(not s['session']['stored'] and s['pending'] == 1, 'the outbox is kept: %r' % s['pending'])
r = cli(replica, 'sync', lang='ru')
ok(r.returncode != 0 and 'okno-cli sign-in' in r.stderr and 'Сеанс' in r.stderr,
   'after sign-out sync asks to sign in, translated')

# Another staff member's sync on this computer leaves the clerk's payment
# waiting for the clerk: okno-central would refuse it under their token.
r = cli(replica, 'sync', '--server', url, '--login', 'supervisor',
        env=dict(base_env, OKNO_PASSWORD='supervisor'))
done = json.loads(r.stdout) if r.returncode == 0 else {}
ok(done.get('pushed') == 0 and done.get('pending') == 1 and done.get('quarantined') == 0
   and done.get('pending_other_staff') == 1, "the supervisor's sync keeps the clerk's: %r" % done)
ok(status(replica)['pending_other_staff'] == 1, 'status says it waits for another staff member')

# Today's way still works and stores nothing.
env = dict(base_env, OKNO_PASSWORD='clerk')
r = cli(replica, 'sync', '--server', url, '--login', 'clerk', env=env)
ok(r.returncode == 0 and json.loads(r.stdout)['pushed'] == 1, 'OKNO_PASSWORD sync pushes')
ok(pair(url, replica) == (None, None), 'a password sync keeps nothing in the keyring')
ok(status(replica)['pending_other_staff'] == 0, "the clerk's sync sent it")

# A stored session the server ended behind okno-cli's back: without a
# password the next sync says to sign in again; with one it goes on.
r = cli(replica, 'sign-in', '--server', url, '--login', 'clerk', password_line='clerk\n')
ok(r.returncode == 0, 'sign-in again')
ended = pair(url, replica)
req = urllib.request.Request(url + '/api/v1/session', method='DELETE',
                             headers={'Authorization': 'Bearer ' + ended[0]})
urllib.request.urlopen(req, timeout=30).read()
r = cli(replica, 'sync')
ok(r.returncode != 0 and 'has ended' in r.stderr and 'okno-cli sign-in' in r.stderr,
   'an ended session: ' + r.stderr.strip())
r = cli(replica, 'sync', env=dict(base_env, OKNO_PASSWORD='clerk'))
ok(r.returncode == 0 and 'signs in with the password given' in r.stderr,
   'an ended session and OKNO_PASSWORD: ' + r.stderr.strip())
r = cli(replica, 'sign-out')
ok(r.returncode == 0 and pair(url, replica) == (None, None),
   'sign-out of an ended session clears the keyring: ' + r.stderr.strip())

# Expiry: the stored access token runs out, the refresh is silent and the
# rotated pair is saved (the old refresh token is spent on the server).
short = os.path.join(tmp, 'short-replica.db')
r = cli(short, 'sign-in', '--server', short_url, '--login', 'clerk', password_line='clerk\n')
ok(r.returncode == 0, 'sign-in on the short-lived server: ' + r.stderr.strip())
first = pair(short_url, short)
time.sleep(TTL + 1)
r = cli(short, 'sync')
ok(r.returncode == 0, 'sync after the access token expired: %s' % r.stderr.strip())
second = pair(short_url, short)
ok(second[0] != first[0] and second[1] != first[1], 'the rotated tokens are in the keyring')
ok(refresh_status(short_url, short, first[1]) == 401, 'the first refresh token is spent')
time.sleep(TTL + 1)
r = cli(short, 'sync')
ok(r.returncode == 0, 'the saved refresh token works the next time')
third = pair(short_url, short)
ok(third != second, 'rotated again and saved again')
# Sign-out with an expired access token still ends the session there.
time.sleep(TTL + 1)
r = cli(short, 'sign-out')
ok(r.returncode == 0 and 'not told' not in r.stderr, 'sign-out after expiry: ' + r.stderr.strip())
last = tokens - {first[0], first[1], second[0], second[1]}
ok(all(refresh_status(short_url, short, t) == 401 for t in last),
   'no refresh token of the session works after sign-out')

# Throttled sign-in (issue 8): after ten wrong passwords even the right one
# waits, and okno-cli says how long, in Russian too. A server of its own:
# the lock would stop the checks above.
locked_url = start_central('locked')
locked = os.path.join(tmp, 'locked-replica.db')
for _ in range(10):
    cli(locked, 'sign-in', '--server', locked_url, '--login', 'clerk', password_line='wrong\n')
r = cli(locked, 'sign-in', '--server', locked_url, '--login', 'clerk', password_line='clerk\n')
ok(r.returncode != 0
   and 'Too many failed sign-in attempts. Try again in 15 minutes.' in r.stderr,
   'locked: the right password waits, and says how long: ' + r.stderr.strip())
r = cli(locked, 'sign-in', '--server', locked_url, '--login', 'clerk', password_line='clerk\n',
        lang='ru')
ok(r.returncode != 0
   and 'Слишком много неудачных попыток входа. Повторите через 15 мин.' in r.stderr,
   'locked: the wait in Russian: ' + r.stderr.strip())
ok(keyring(locked_url, locked, 'access') is None, 'locked: no token reached the keyring')

# TLS: over HTTPS with --ca-file or $OKNO_CA_FILE; without the test CA the
# certificate is refused, and plain http:// to another computer is refused
# before any connection (TEST-NET-1 is never reached), in Russian too.
certs = os.path.join(tmp, 'certs')
os.makedirs(certs)
subprocess.run(['/bin/sh', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                                        'common', 'make-test-certs.sh'), certs],
               check=True, timeout=60)
ca = os.path.join(certs, 'ca.pem')
tls_url = start_central('tls', '--tls-cert', os.path.join(certs, 'server.pem'),
                        '--tls-key', os.path.join(certs, 'server-key.pem'))
ok(tls_url.startswith('https://127.0.0.1:'), 'okno-central listens on ' + tls_url)
tls = os.path.join(tmp, 'tls-replica.db')
r = cli(tls, 'sign-in', '--server', tls_url, '--login', 'clerk', password_line='clerk\n')
ok(r.returncode != 0 and "The server's certificate is not trusted" in r.stderr,
   'sign-in without the test CA is refused: ' + r.stderr.strip())
ok(pair(tls_url, tls) == (None, None), 'the refused sign-in stored nothing')
r = cli(tls, 'sign-in', '--server', tls_url, '--login', 'clerk', '--ca-file', ca,
        password_line='clerk\n')
ok(r.returncode == 0, 'sign-in over HTTPS with --ca-file: ' + r.stderr.strip())
r = cli(tls, 'sync', env=dict(base_env, OKNO_CA_FILE=ca))
ok(r.returncode == 0 and status(tls)['ready'],
   'sync over HTTPS with $OKNO_CA_FILE downloads the replica: ' + r.stderr.strip())
r = cli(tls, 'sync', lang='ru')
ok(r.returncode != 0 and 'Сертификат сервера не заслуживает доверия' in r.stderr,
   'sync without the CA is refused, in Russian: ' + r.stderr.strip())
r = cli(tls, 'sign-out', '--ca-file', ca)
ok(r.returncode == 0 and 'not told' not in r.stderr, 'sign-out over HTTPS: ' + r.stderr.strip())
plain = os.path.join(tmp, 'plain-replica.db')
r = cli(plain, 'sign-in', '--server', 'http://192.0.2.1:8080', '--login', 'clerk',
        password_line='clerk\n')
ok(r.returncode != 0 and 'Plain HTTP is allowed only to this computer' in r.stderr,
   'plain http:// to another computer is refused: ' + r.stderr.strip())
r = cli(plain, 'sign-in', '--server', 'http://192.0.2.1:8080', '--login', 'clerk',
        password_line='clerk\n', lang='ru')
ok(r.returncode != 0 and 'Незашифрованный HTTP разрешён только к этому компьютеру' in r.stderr,
   'the refusal is translated: ' + r.stderr.strip())

# The app signed someone else in on this replica since: okno-cli's sync
# still pushes the payment of the clerk its stored session is, with the
# clerk's token.
shared = os.path.join(tmp, 'shared-replica.db')
r = cli(shared, 'sign-in', '--server', url, '--login', 'clerk', password_line='clerk\n')
ok(r.returncode == 0 and cli(shared, 'sync').returncode == 0, 'sign-in and sync: ' + r.stderr)
r = cli(shared, 'payment', '--account', query(shared, 'SELECT id FROM accounts LIMIT 1')[0][0],
        '--amount', '5')
ok(r.returncode == 0, 'payment: ' + r.stderr.strip())
db = sqlite3.connect(shared, timeout=30)
db.execute("UPDATE meta SET value = '00000000-0000-4000-8000-00000000beef' WHERE key = 'staff_id'")
db.commit()
db.close()
r = cli(shared, 'sync')
done = json.loads(r.stdout) if r.returncode == 0 else {}
ok(done.get('pushed') == 1 and done.get('quarantined') == 0,
   "okno-cli's sync pushes its own staff member's payment: %r %s" % (done, r.stderr.strip()))
ok(cli(shared, 'sign-out').returncode == 0, 'sign-out')

# No token in a file okno-cli (or the keyring) wrote, nor in anything it printed.
ok(len(tokens) >= 10, '%d distinct tokens seen' % len(tokens))
places = []
for root in (tmp, os.environ.get('XDG_DATA_HOME', tmp), os.environ.get('XDG_RUNTIME_DIR', tmp)):
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                places.append(path)
leaks = []
for path in places:
    with open(path, 'rb') as f:
        data = f.read()
    leaks += [path for t in tokens if t.encode() in data]
printed = '\n'.join(outputs)
leaks += ['output' for t in tokens if t in printed]
ok(places and not leaks, 'no token in %d files or in the output: %r' % (len(places), leaks))
finish(0)
