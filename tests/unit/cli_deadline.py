#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""okno-cli deadline: one ISO 8601 line with the branch's offset, --json
with the rule, its basis and the calendar's version, in English and in
Russian; bad input gets a message and a failing status; without a replica
it counts on the shipped calendar and makes no replica.

usage: cli_deadline.py OKNO_CLI LOCALEDIR
"""
import json
import os
import subprocess
import sys
import tempfile

CLI, LOCALEDIR = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix='okno-cli-deadline-')
replica = os.path.join(tmp, 'replica.db')
env = dict(os.environ, LC_ALL='C.UTF-8', OKNO_LOCALEDIR=LOCALEDIR, HOME=tmp)
checks = []


def cli(*args, lang='C'):
    return subprocess.run([CLI, '--replica', replica, 'deadline'] + list(args),
                          env=dict(env, LANGUAGE=lang), capture_output=True, text=True,
                          timeout=60)


def check(name, ok, detail=''):
    checks.append((name, bool(ok), detail))


# Counted by hand on the official calendars (docs/appeals.md).
LINES = [
    (['--rule', 'register', '--from', '2025-12-30T18:00:00+05:00'],
     '2026-01-12T23:59:59+05:00'),
    (['--rule', 'answer', '--from', '2025-05-12T20:00:00Z'], '2025-06-16T23:59:59+05:00'),
    # No offset: the branch's own time, 03:00 on Saturday 2 November 2024.
    (['--rule', 'register', '--from', '2024-11-02T03:00:00'], '2024-11-05T23:59:59+05:00'),
    (['--rule', 'refusal_notice', '--from', '2024-12-26T15:00:00+05:00'],
     '2025-01-13T23:59:59+05:00'),
    (['--rule', 'extension', '--from', '2025-04-25T23:59:59+05:00'],
     '2025-05-29T23:59:59+05:00'),
    (['--rule', 'termination_notice', '--from', '2025-10-27T10:00:00+05:00'],
     '2025-11-11T23:59:59+05:00'),
    (['--rule', 'register', '--from', '2025-12-30T18:00:00+05:00', '--tz', 'Europe/Moscow'],
     '2026-01-12T23:59:59+03:00'),
]
for args, due in LINES:
    r = cli(*args)
    check('deadline ' + ' '.join(args), r.returncode == 0 and r.stdout == due + '\n',
          repr((r.returncode, r.stdout, r.stderr)))

r = cli('--rule', 'extension', '--from', '2025-02-19T23:59:59+05:00', '--days', '5')
check('--days within the bound', r.returncode == 0 and r.stdout == '2025-02-26T23:59:59+05:00\n',
      r.stdout + r.stderr)
r = cli('--rule', 'extension', '--from', '2025-02-19T23:59:59+05:00', '--days', '21', lang='ru')
check('--days beyond the Standard, in Russian', r.returncode != 0 and r.stdout == ''
      and 'не более 20 дней' in r.stderr, r.stderr)

r = cli('--rule', 'answer', '--from', '2025-12-02T10:00:00+05:00', '--json')
try:
    doc = json.loads(r.stdout)
except ValueError:
    doc = {}
check('--json', r.returncode == 0 and doc.get('rule') == 'answer'
      and doc.get('due') == '2026-01-12T23:59:59+05:00'
      and doc.get('from') == '2025-12-02T10:00:00+05:00' and doc.get('days') == 30
      and doc.get('units') == 'calendar' and doc.get('calendar_version') == 'ru-2024-2027.1'
      and doc.get('time_zone') == 'Asia/Yekaterinburg' and 'art. 193' in doc.get('basis', ''),
      r.stdout + r.stderr)

r = cli('--rule', 'register', '--from', '2025-12-30T18:00:00+05:00', '--json', lang='ru')
try:
    doc = json.loads(r.stdout)
except ValueError:
    doc = {}
check('--json in Russian', r.returncode == 0 and doc.get('units') == 'working'
      and 'рабочего дня' in doc.get('basis', ''), r.stdout + r.stderr)

r = cli('--rule', 'answr', '--from', '2025-12-30T18:00:00+05:00', lang='ru')
check('an unknown rule, in Russian', r.returncode != 0 and r.stdout == ''
      and 'не правило срока' in r.stderr and 'termination_notice' in r.stderr, r.stderr)

r = cli('--rule', 'answer', '--from', '30.12.2025 18:00')
check('a date that is not ISO 8601', r.returncode == 2 and r.stdout == ''
      and 'ISO 8601' in r.stderr, r.stderr)

r = cli('--rule', 'answer', '--from', '2025-12-30T18:00:00', '--tz', 'Mars/Olympus')
check('an unknown zone', r.returncode != 0 and 'Mars/Olympus' in r.stderr, r.stderr)

r = cli('--rule', 'answer')
check('no --from', r.returncode == 2 and '--from' in r.stderr, r.stderr)

check('no replica made', not os.path.exists(replica), os.listdir(tmp))

print('1..%d' % len(checks))
for i, (name, ok, detail) in enumerate(checks, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok:
        print('# ' + str(detail).replace('\n', '\n# '))
sys.exit(0 if all(ok for _, ok, _ in checks) else 1)
