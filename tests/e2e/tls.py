#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTPS end to end. okno-central serves a certificate of a test CA made
when the test starts. Before Preferences name that CA, signing in at the
https:// address is refused in the handshake with "The server's
certificate is not trusted", and the server never read the sign-in (the
password). With the CA file set in Preferences the clerk signs in, the
replica downloads and Ctrl+R syncs, all over HTTPS; the header shows no
"Not encrypted" warning."""

from okno_e2e import (KEY_ESCAPE, KEY_R, Crawler, check, children, find_all, find_in_app, log,
                      name, press, press_ctrl, press_key, role, run, set_text, sign_in,
                      sign_in_message, wait_for)

ONLINE = r'^Sync status: online, .*last synced at \d\d:\d\d$'
CA_ROW = 'CA certificate file (empty: the system’s)'


def central_log(s):
    path = next(p for proc, p in s.procs if proc is s.central)
    with open(path, encoding='utf-8', errors='replace') as f:
        return f.read()


def windows(s):
    return [w for w in children(s.app) if role(w) in ('frame', 'window', 'dialog')]


def set_ca_in_preferences(s, ca_file):
    """Main Menu → Preferences, the CA file typed into its row, closed."""
    n_before = len(windows(s))
    menus = find_all(s.app, ('push button', 'toggle button'), 'Main Menu', showing=True)
    check(menus, 'the window has no "Main Menu" button')
    press(menus[0])
    press(find_in_app(s, 'menu item', name_re=r'^Preferences$', timeout=15))
    wait_for(lambda: len(windows(s)) > n_before, 'the Preferences window')
    set_text(find_in_app(s, 'text', CA_ROW), ca_file)
    s.screenshot('preferences-ca')
    press_key(KEY_ESCAPE)
    wait_for(lambda: len(windows(s)) == n_before, 'the Preferences window to close')


def body(s):
    certs = s.make_certs()
    url = s.start_central(accounts=300, seed=41, tls=certs)
    check(url.startswith('https://'), 'okno-central listens on %s, not https://' % url)
    s.start_app()
    crawler = Crawler(s)

    # The system's CAs do not know the test CA.
    set_text(find_in_app(s, 'text', 'Server address'), url)
    set_text(find_in_app(s, 'text', 'Login'), 'clerk')
    set_text(find_in_app(s, 'password text', 'Password'), 'clerk')
    press(find_in_app(s, 'push button', 'Sign In'))
    message = sign_in_message(s, "The server's certificate is not trusted")
    log('refused: %s' % name(message))
    crawler.visit('sign-in page, certificate not trusted')
    s.screenshot('not-trusted')
    check('POST /api/v1/session' not in central_log(s),
          'okno-central read a sign-in through a certificate the app did not trust')

    set_ca_in_preferences(s, s.ca_file)
    sign_in(s, url, 'clerk', 'clerk', crawler)
    check('POST /api/v1/session 200' in central_log(s), 'okno-central logged no sign-in')
    check(not find_all(s.app, 'label', 'Not encrypted', showing=True),
          'the header warns of plain HTTP on an https:// connection')
    find_in_app(s, 'push button', name_re=ONLINE)

    n_pulls = central_log(s).count('GET /api/v1/changes')
    press_ctrl(KEY_R)
    wait_for(lambda: central_log(s).count('GET /api/v1/changes') > n_pulls,
             'Ctrl+R to pull the changes over HTTPS')
    find_in_app(s, 'push button', name_re=ONLINE)
    s.screenshot('synced')
    crawler.fail_if_any()


run('tls', body)
