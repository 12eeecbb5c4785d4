#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Takes the README's screenshot (docs/screenshots/main.png) from the real
app: a search by surname, a client card opened and identified. Not a test;
run it by hand after building (paths as in tests/e2e/meson.build):

  OKNO_BIN=build/src/app/okno OKNO_CENTRAL_BIN=build/src/central/okno-central \\
  GSETTINGS_SCHEMA_DIR=build/data PYTHONPATH=tests/e2e \\
  xvfb-run -a -s "-screen 0 1280x1024x24 -noreset" dbus-run-session -- \\
  /usr/bin/python3 tests/e2e/take_screenshot.py docs/screenshots/main.png
"""
import os
import subprocess
import sys
import time

from okno_e2e import (activate_row, check, extents, find_all, find_balance, find_in_app, log,
                      press, run, search, sign_in, wait_for, wait_for_row, window_of)

OUT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else 'docs/screenshots/main.png')


def body(s):
    url = s.start_central(accounts=2000, seed=5)
    accounts = s.api().accounts()
    # A household in debt whose surname a few other clients share, with meters.
    surnames = {}
    for a in accounts:
        surnames.setdefault(a['holder'].split()[0], []).append(a)
    account = next(a for a in accounts
                   if a['kind'] == 'household' and a['balance_kop'] < -150000
                   and 3 <= len(surnames[a['holder'].split()[0]]) <= 8)
    s.start_app()
    sign_in(s, url)
    results = search(s, account['holder'].split()[0])
    activate_row(wait_for_row(results, account['number'], 'the client in the results'))
    press(find_in_app(s, 'push button', 'Confirm Identity'))
    press(find_in_app(s, 'push button', 'Confirm'))
    balance = find_balance(s)
    # Let the "database is ready" toast go away.
    wait_for(lambda: not find_all(s.app, name_is='AdwToastWidget'), 'the toast to go', 30)
    time.sleep(1)
    x, y, w, h = extents(window_of(balance))
    check(w > 0 and h > 0, 'the window has no size')
    shot = s.screenshot('readme')
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    subprocess.run(['convert', shot, '-crop', '%dx%d+%d+%d' % (w, h, x, y), '+repage', OUT],
                   check=True)
    log('saved %s (%dx%d)' % (OUT, w, h))


run('take_screenshot', body)
