#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Real traffic against the contract: okno-cli talks to okno-central through
Prism's validating proxy (`prism proxy --errors`), which fails any request or
response that breaks docs/api/openapi.yaml. Every kind of call the client
makes goes through it: sign-in, snapshot, change feed, every kind of push.
Two other branches raise an appeal conflict and resolve it (op resolve)
straight through the proxy, so the resolution's request and answers and the
settled conflict rows in the feed are held to the contract too, and so is
the 403 for a batch pushed with the other branch's token. okno-cli asks for
dense snapshot pages; every collection's first page is also fetched in both
formats, and the dense rows must be the objects of `items`, value for value.

usage: contract_traffic.py BUILD_DIR SOURCE_DIR
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import http.client
import json

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'common'))
from okno_testlib import query  # noqa: E402  (reads a replica's UUIDs as text)
import time
import urllib.request
import uuid

build, source = sys.argv[1], sys.argv[2]
central_bin = os.path.join(build, 'src', 'central', 'okno-central')
cli_bin = os.path.join(build, 'src', 'cli', 'okno-cli')
spec = os.path.join(source, 'docs', 'api', 'openapi.yaml')
tmp = tempfile.mkdtemp(prefix='okno-contract-')
replica = os.path.join(tmp, 'replica.db')
env = dict(os.environ, OKNO_PASSWORD='clerk', LANGUAGE='C', LC_ALL='C.UTF-8')
procs = []


def fail(message):
    print('not ok - ' + message)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_http(url, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except Exception:
            time.sleep(0.3)
    fail('nothing answers at %s' % url)


def cli(*args, expect=0):
    r = subprocess.run([cli_bin, '--replica', replica] + list(args), env=env,
                       capture_output=True, text=True, timeout=300)
    if r.returncode != expect:
        fail('okno-cli %s exited %d: %s' % (' '.join(args), r.returncode, r.stderr.strip()))
    return r.stdout.strip()


def one(sql, *args):
    return query(replica, sql, *args)[0][0]


def call(url, method, path, body=None, token=None, expect=200):
    """One request through the proxy. http.client, not urllib: urllib sends
    "Connection: close", which Prism passes upstream, and Prism's pool then
    reuses the connection okno-central closed (ECONNRESET, a 500)."""
    host, port = url.split('//', 1)[1].split(':')
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    headers = {'Content-Type': 'application/json'}
    if token:
        headers['Authorization'] = 'Bearer ' + token
    try:
        conn.request(method, '/api/v1' + path,
                     json.dumps(body).encode() if body is not None else None, headers)
        resp = conn.getresponse()
        text = resp.read().decode(errors='replace')
    finally:
        conn.close()
    if resp.status != expect:
        fail('%s %s answered %d, not %d: %s' % (method, path, resp.status, expect, text))
    return json.loads(text)


def push(url, branch, collection, op, key, data, expect=200):
    device, token = branch
    return call(url, 'POST', '/mutations', {'device_id': device, 'mutations': [{
        'mutation_id': str(uuid.uuid4()), 'seq': 1, 'collection': collection, 'op': op,
        'key': key, 'base_version': None, 'data': data}]}, token, expect)


def dense_matches_items(url):
    """The first page of every collection in both formats, through the proxy."""
    token = call(url, 'POST', '/session', {'login': 'clerk', 'password': 'clerk',
                                           'device_id': str(uuid.uuid4())})['access_token']
    pages = 0
    for collection in call(url, 'GET', '/snapshot', token=token)['collections']:
        path = '/snapshot/%s?limit=200' % collection['name']
        items = call(url, 'GET', path, token=token)
        dense = call(url, 'GET', path + '&format=dense', token=token)
        if any(len(row) != len(dense['columns']) for row in dense['rows']):
            fail('a dense row of %s is not as long as its columns' % collection['name'])
        rows = [dict(zip(dense['columns'], row)) for row in dense['rows']]
        if (rows != items['items'] or dense['next_after'] != items['next_after']
                or dense['has_more'] != items['has_more']):
            fail('the dense page of %s is not its items page' % collection['name'])
        pages += bool(rows)
    if pages < 10:
        fail('only %d collections had rows to compare' % pages)


def conflict_and_resolution(url, appeal, subject):
    """Branch A and B change one subject; A settles on both, B (later) on its own."""
    branches = []
    for _ in range(2):
        device = str(uuid.uuid4())
        session = call(url, 'POST', '/session',
                       {'login': 'clerk', 'password': 'clerk', 'device_id': device})
        branches.append((device, session['access_token']))
    a, b = branches
    # A's token may not push B's outbox: the session is A's device's.
    refused = push(url, (b[0], a[1]), 'appeals', 'patch', appeal,
                   {'subject': {'from': subject, 'to': 'Чужое устройство'}}, expect=403)
    if refused.get('error') != 'wrong_device':
        fail('a batch of another device was answered %s' % refused)
    for branch, mine, status in ((a, 'Тема филиала А', 'applied'),
                                 (b, 'Тема филиала Б', 'conflict')):
        got = push(url, branch, 'appeals', 'patch', appeal,
                   {'subject': {'from': subject, 'to': mine}})['results'][0]['status']
        if got != status:
            fail('a subject patch was %s, not %s' % (got, status))
    conflict = next(r for r in call(url, 'GET', '/snapshot/appeal_conflicts', token=a[1])['items']
                    if r['appeal_id'] == appeal and r['resolved_at'] is None)
    for branch, to, status in ((a, 'Тема филиалов А и Б', 'applied'),
                               (b, 'Тема филиала Б', 'conflict')):
        got = push(url, branch, 'appeals', 'resolve', appeal,
                   {'conflict_id': conflict['id'], 'field': 'subject',
                    'from': 'Тема филиала А', 'to': to})['results'][0]['status']
        if got != status:
            fail('a resolution was %s, not %s' % (got, status))


try:
    tools = subprocess.run([os.path.join(source, 'tests', 'contract', 'npm-tools.sh'), build],
                           capture_output=True, text=True, check=True).stdout.strip()
    central = subprocess.Popen([central_bin, '--db', os.path.join(tmp, 'central.db'), '--port',
                                '0', '--generate', '--accounts', '150', '--seed', '3', '--quiet'],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    procs.append(central)
    upstream = central.stdout.readline().split('listening on ', 1)[1].strip()
    port = free_port()
    prism_log = open(os.path.join(tmp, 'prism.log'), 'w')
    prism = subprocess.Popen([os.path.join(tools, 'prism'), 'proxy', spec, upstream, '--errors',
                              '--host', '127.0.0.1', '--port', str(port)],
                             stdout=prism_log, stderr=subprocess.STDOUT)
    procs.append(prism)
    url = 'http://127.0.0.1:%d' % port
    wait_http(url + '/api/v1/health')

    cli('sync', '--server', url, '--login', 'clerk')          # sign-in, dense snapshot, feed
    dense_matches_items(url)
    env['OKNO_PASSWORD'] = 'wrong'
    cli('sync', '--server', url, '--login', 'clerk', expect=1)  # a 401 is in the contract too
    env['OKNO_PASSWORD'] = 'clerk'
    account = one('SELECT id FROM accounts LIMIT 1')
    meter = one('SELECT id FROM meters LIMIT 1')
    appeal = one("SELECT id FROM appeals WHERE status NOT IN ('closed', 'declined', 'no_action') "
                 "LIMIT 1")
    cli('payment', '--account', account, '--amount', '1234,56')
    cli('reading', '--meter', meter, '--t1', '99999')
    cli('appeal', '--account', account, '--kind', 'complaint', '--subject', 'Проверка',
        '--body', 'Текст обращения')
    # The whole register: an applicant without an account, a topic, the
    # answer's address and two documents (the appeal, its event and the
    # documents go in one push).
    cli('appeal', '--applicant', 'Смирнов Алексей Викторович', '--kind', 'application',
        '--channel', 'post', '--topic', 'recalculation', '--subject', 'Перерасчёт',
        '--body', 'Прошу сделать перерасчёт', '--answer-channel', 'email',
        '--answer-address', 'smirnov@example.ru', '--document', 'Заявление:2',
        '--document', 'Копия квитанции:copy:1')
    cli('appeal-set', '--appeal', appeal, 'urgency=high')
    other = one("SELECT id FROM appeals WHERE status NOT IN ('closed', 'declined', 'no_action') "
                "AND id != ? LIMIT 1", appeal)
    conflict_and_resolution(url, other, one("SELECT subject FROM appeals WHERE id = ?", other))
    cli('sync', '--server', url, '--login', 'clerk')          # push of every kind, then pull
    if one('SELECT count(*) FROM outbox') != 0:
        fail('changes are still waiting after the sync')
    cli('sync', '--server', url, '--login', 'clerk')
finally:
    for p in reversed(procs):
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()

log = open(os.path.join(tmp, 'prism.log')).read()
requests = len(re.findall(r'Request received', log))
violations = [line for line in log.splitlines() if 'Violation' in line]
if violations:
    fail('%d violations of the contract:\n%s' % (len(violations), '\n'.join(violations[:20])))
if requests < 16:
    fail('only %d requests went through the proxy' % requests)
# Kept after a failure, to read; gone after a pass.
shutil.rmtree(tmp, ignore_errors=True)
print('ok - %d requests through prism, no violation' % requests)
