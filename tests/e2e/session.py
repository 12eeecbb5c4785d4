#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sign-in and session: an online sign-in leaves the session's tokens in
the keyring (and they work against the server); signing out removes them
and returns to the sign-in page; after the idle time the lock page covers
the counter, and the same password (checked on this computer) opens it
again with what was typed still there."""
import urllib.error

from okno_e2e import (Api, Crawler, check, find_all, find_in_app, keyring_tokens, log, press, run,
                      search, set_text, sign_in, sign_in_again, text_of, wait_for,
                      wait_for_download)

IDLE_SECONDS = 4


def token_works(url, token):
    api = Api(url)
    api.token = token
    try:
        api.request('GET', '/snapshot')
        return True
    except urllib.error.HTTPError as e:
        log('the keyring token got HTTP %d' % e.code)
        return False


def sign_out_from_menu(s):
    press(find_in_app(s, ('push button', 'toggle button'), 'Main Menu'))
    press(find_in_app(s, 'menu item', 'Sign Out'))


def body(s):
    url = s.start_central(accounts=500, seed=5)
    s.start_app()
    crawler = Crawler(s)
    sign_in(s, url, 'clerk', 'clerk', crawler)
    find_in_app(s, 'label', name_re=r'Counter specialist')   # the role, in the header

    access, refresh = wait_for(lambda: all(keyring_tokens(url, 'clerk')) and
                               keyring_tokens(url, 'clerk'), 'the tokens in the keyring')
    check(len(access) >= 32 and len(refresh) >= 32, 'the keyring holds odd tokens')
    check(token_works(url, access), 'the access token in the keyring does not work')
    log('the keyring holds a working access token and a refresh token')

    sign_out_from_menu(s)
    find_in_app(s, 'text', 'Server address')
    crawler.visit('sign-in page after signing out')
    wait_for(lambda: keyring_tokens(url, 'clerk') == (None, None),
             'the tokens to leave the keyring')
    log('signed out: the sign-in page shows and the keyring is empty')

    # The idle lock, on a later start.
    s.quit_app()
    s.start_app('--server', url, '--idle-lock-seconds', str(IDLE_SECONDS))
    sign_in_again(s, 'clerk', login='clerk')
    wait_for_download(s, crawler)
    check(not find_all(s.app, 'label', 'Signed in offline', showing=True),
          'signed in offline although the server is up')
    search(s, 'Иван')
    log('waiting %d s without input for the lock' % IDLE_SECONDS)
    unlock = find_in_app(s, 'push button', 'Unlock', timeout=IDLE_SECONDS + 30)
    crawler.visit('lock page')
    s.screenshot('locked')
    check(not find_all(s.app, 'entry', 'Search clients', showing=True),
          'the search still shows behind the lock page')
    set_text(find_in_app(s, 'password text', 'Password'), 'clerk')
    press(unlock)
    wait_for_download(s, crawler)
    entry = find_in_app(s, 'entry', 'Search clients')
    check(text_of(entry) == 'Иван', 'after unlocking the search holds %r, not what was typed'
          % text_of(entry))
    log('unlocked with the password; the search text is still there')
    crawler.fail_if_any()


run('session', body)
