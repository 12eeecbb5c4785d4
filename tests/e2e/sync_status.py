#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The header shows how syncing goes: after signing in online the status
says online and "last synced at HH:MM"; with the server stopped, Sync Now
turns it to offline (still showing the last good sync); with the server
back, Ctrl+R syncs again and it is online once more. Its accessible name
is the whole sentence a screen reader reads."""
import re

from okno_e2e import (KEY_R, Crawler, check, find_in_app, log, name, press, press_ctrl, run,
                      sign_in)

ONLINE = r'^Sync status: online, .*last synced at \d\d:\d\d$'
OFFLINE = r'^Sync status: offline, the server cannot be reached, .*last synced at \d\d:\d\d$'


def status(s, pattern, what):
    node = find_in_app(s, 'push button', name_re=pattern)
    log('%s: %s' % (what, name(node)))
    return node


def body(s):
    url = s.start_central(accounts=500, seed=31)
    s.start_app()
    crawler = Crawler(s)
    sign_in(s, url, 'clerk', 'clerk', crawler)

    button = status(s, ONLINE, 'after signing in')
    synced_at = re.search(r'\d\d:\d\d$', name(button)).group(0)
    find_in_app(s, 'label', name_re=r'^Online · Synced at %s' % synced_at)
    crawler.visit('main view, synced')
    s.screenshot('synced')

    s.stop_central()
    log('server stopped; Sync Now')
    press(button)
    button = status(s, OFFLINE, 'with the server stopped')
    check(name(button).endswith(synced_at),
          'the last good sync moved from %s: %r' % (synced_at, name(button)))
    find_in_app(s, 'label', name_re=r'^Offline · Synced at %s' % synced_at)
    crawler.visit('main view, offline')
    s.screenshot('offline')

    s.restart_central()
    log('server back; Ctrl+R')
    press_ctrl(KEY_R)
    status(s, ONLINE, 'with the server back')
    s.screenshot('synced-again')
    crawler.fail_if_any()


run('sync_status', body)
